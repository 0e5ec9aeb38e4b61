"""Judge backend for any OpenAI-compatible chat-completions endpoint (OpenAI, Azure-style proxies, vLLM).

Two transports: ``chat`` (``POST /chat/completions`` with the messages; the server applies the model's
chat template) and ``completions-llama3`` (``POST /completions`` with the text the Llama-3 chat template
makes of the messages, built here; vLLM then adds BOS once more), which is how AudioBench calls its
Llama-3-70B judge. The transport is recorded in ``describe()`` and so in the judged number's signature.

This is how users judge at scale: serve the judge with vLLM (``vllm serve Qwen/Qwen3-8B``) or point at
a hosted model. Only the standard library is used (``urllib.request`` + ``concurrent.futures``).

* base URL, model and key: the key is read from an environment variable (``OPENAI_API_KEY`` by
  default) and is never written to logs, errors, ``repr`` or results; it is scrubbed from any
  server text quoted in an error.
* timeouts, retries with exponential backoff on timeouts, connection errors, HTTP 429 and 5xx;
  **no retry on other 4xx** (a bad request does not get better by repeating it);
* a concurrency limit (thread pool); replies are handed to the caller as they complete, so the
  runner caches each one immediately; after a failure or Ctrl-C no new request is sent;
* redirects are refused: the key goes to ``base_url`` only (urllib would forward the ``Authorization``
  header to any origin a 3xx names, and turn the POST into a GET without the prompt);
* the key is scrubbed from successful replies too (a server that echoes it must not get it cached).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from evaluators.judges.backends.base import JudgeBackend, ReplyCallback, deliver_as_completed
from evaluators.judges.decoding import JudgeRequest
from evaluators.judges.errors import JudgeBackendError, JudgeHTTPError
from evaluators.judges.templates import COMPLETION_FORMATS

logger = logging.getLogger(__name__)

DEFAULT_KEY_ENV = "OPENAI_API_KEY"
#: ``chat`` or ``completions-<format>`` with a client-side chat template from ``COMPLETION_FORMATS``
TRANSPORTS = ("chat",) + tuple(f"completions-{name}" for name in COMPLETION_FORMATS)
_BODY_EXCERPT = 300
_TRANSIENT_ERRORS = (urllib.error.URLError, TimeoutError, socket.timeout, ConnectionError,
                     http.client.HTTPException)


def _public_url(url: str) -> str:
    """The URL without any ``user:password@`` part."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx from the judge endpoint is an error naming it: following it would send the key elsewhere."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        raise JudgeBackendError(f"judge endpoint {_public_url(req.full_url)} answered HTTP {code}, a redirect to "
                                f"{_public_url(newurl)}; redirects are not followed (the API key goes to "
                                "--base-url only): use the final address as --base-url")


_OPENER = urllib.request.build_opener(_RefuseRedirects)


class OpenAICompatibleBackend(JudgeBackend):
    """Chat completions over HTTP: ``POST {base_url}/chat/completions``."""

    kind = "openai"

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None,
                 api_key_env: str = DEFAULT_KEY_ENV, revision: str = "unspecified", timeout_s: float = 60.0,
                 max_retries: int = 4, backoff_base_s: float = 1.0, backoff_max_s: float = 30.0,
                 max_concurrency: int = 8, sleep: Callable[[float], None] = time.sleep, transport: str = "chat"):
        super().__init__(model, revision)
        if max_concurrency < 1 or max_retries < 0 or timeout_s <= 0:
            raise ValueError("max_concurrency >= 1, max_retries >= 0 and timeout_s > 0 are required")
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}, got {transport!r}")
        self.transport = transport
        self.base_url = base_url.rstrip("/")
        self.api_key_env = api_key_env
        self._api_key = api_key if api_key is not None else os.environ.get(api_key_env) or None
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.max_concurrency = max_concurrency
        self._sleep = sleep
        self.requests_sent = 0

    # -- description (never the key) ----------------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        return super().describe() | {"base_url": _public_url(self.base_url), "api_key_env": self.api_key_env,
                                     "timeout_s": self.timeout_s, "max_retries": self.max_retries,
                                     "max_concurrency": self.max_concurrency, "transport": self.transport}

    def __repr__(self) -> str:
        return (f"OpenAICompatibleBackend(base_url={_public_url(self.base_url)!r}, model={self.model!r}, "
                f"revision={self.revision!r})")

    def _scrub(self, text: str) -> str:
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return text

    # -- one request --------------------------------------------------------------------------------
    def _payload(self, request: JudgeRequest) -> bytes:
        body: dict[str, Any] = {"model": self.model}
        if self.transport == "chat":
            body["messages"] = [{"role": role, "content": content} for role, content in request.messages]
        else:
            body["prompt"] = COMPLETION_FORMATS[self.transport.split("-", 1)[1]](request.messages)
        body.update(request.decoding.request_fields())
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_max_s, self.backoff_base_s * (2 ** attempt))

    def complete(self, request: JudgeRequest) -> str:
        url = f"{self.base_url}/{'chat/completions' if self.transport == 'chat' else 'completions'}"
        payload = self._payload(request)
        last_error = ""
        for attempt in range(self.max_retries + 1):
            if attempt:
                delay = self._backoff(attempt - 1)
                logger.info("judge request retry %d/%d in %.3f s after: %s", attempt, self.max_retries, delay,
                            last_error)
                self._sleep(delay)
            self.requests_sent += 1
            try:
                http_request = urllib.request.Request(url, data=payload, headers=self._headers(), method="POST")
                with _OPENER.open(http_request, timeout=self.timeout_s) as response:
                    raw = response.read()
            except urllib.error.HTTPError as error:
                excerpt = self._scrub(error.read().decode("utf-8", "replace")[:_BODY_EXCERPT])
                error.close()
                if error.code == 429 or error.code >= 500:
                    last_error = f"HTTP {error.code}: {excerpt}"
                    continue
                raise JudgeHTTPError(error.code, excerpt) from None
            except _TRANSIENT_ERRORS as error:
                last_error = self._scrub(f"{type(error).__name__}: {error}")
                continue
            return self._reply_text(raw)
        raise JudgeBackendError(f"judge endpoint {_public_url(url)} failed after {self.max_retries + 1} attempts; "
                                f"last error: {last_error}")

    def _reply_text(self, raw: bytes) -> str:
        try:
            data = json.loads(raw.decode("utf-8"))
            choice = data["choices"][0]
            content = choice["message"]["content"] if self.transport == "chat" else choice["text"]
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, IndexError, TypeError) as error:
            excerpt = self._scrub(raw[:_BODY_EXCERPT].decode("utf-8", "replace"))
            raise JudgeBackendError(f"judge endpoint returned no chat completion ({type(error).__name__}): "
                                    f"{excerpt!r}") from None
        # a server may echo the request (key included) inside an otherwise successful reply: never store it
        return "" if content is None else self._scrub(str(content))

    # -- many requests, concurrently ----------------------------------------------------------------
    def complete_all(self, requests: Sequence[JudgeRequest], on_reply: ReplyCallback) -> None:
        deliver_as_completed(self.complete, requests, on_reply, self.max_concurrency)
