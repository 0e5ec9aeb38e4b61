"""The OpenAI-compatible backend against a local HTTP server started by the test (127.0.0.1 only).

The server plays a scripted sequence of behaviours (reply, HTTP error, stall past the client
timeout), records every request, and is shut down by the fixture; it refuses to serve more than a
bounded number of requests.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from evaluators.judges import (
    DecodingConfig,
    JudgeBackendError,
    JudgeHTTPError,
    JudgementCache,
    JudgeRequest,
    OpenAICompatibleBackend,
)
from evaluators.predictions.base import PredictionItem, PredictionSet
from tests.judges.judging import judged

pytestmark = pytest.mark.judge

SECRET = "sk-test-0123456789abcdef-SECRET"
MAX_REQUESTS = 60


@dataclass
class Behaviour:
    """What the server does for one request: ``reply`` (200 with content), ``status`` or ``stall``."""

    kind: str
    content: str = "Explanation: fine.\nJudgement: correct"
    status: int = 200
    body: str = ""
    seconds: float = 0.0


@dataclass
class ScriptedServer:
    script: list[Behaviour]
    default: Behaviour = field(default_factory=lambda: Behaviour("reply"))
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def next_behaviour(self) -> Behaviour:
        with self.lock:
            return self.script.pop(0) if self.script else self.default


def _handler(server_state: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            with server_state.lock:
                if len(server_state.requests) >= MAX_REQUESTS:
                    self.send_error(503, "test server request bound reached")
                    return
                server_state.requests.append(body)
                server_state.headers.append(dict(self.headers))
                server_state.active += 1
                server_state.max_active = max(server_state.max_active, server_state.active)
            finished = False

            def finish() -> None:
                # counted as finished *before* the response goes out: once the client has the reply it may
                # send its next request, which must not overlap this one in ``max_active``
                nonlocal finished
                if not finished:
                    finished = True
                    with server_state.lock:
                        server_state.active -= 1

            try:
                behaviour = server_state.next_behaviour()
                if behaviour.kind == "stall":
                    time.sleep(behaviour.seconds)
                    behaviour = Behaviour("reply", content=behaviour.content)
                if behaviour.kind == "status":
                    payload = behaviour.body.encode()
                    status = behaviour.status
                else:
                    if behaviour.seconds:
                        time.sleep(behaviour.seconds)
                    payload = behaviour.body.encode() if behaviour.body else json.dumps(
                        {"choices": [{"message": {"role": "assistant", "content": behaviour.content}}]}).encode()
                    status = 200
                finish()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)
            finally:
                finish()

    return Handler


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    state = ScriptedServer(script=[])
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=2)


def _backend(server: ScriptedServer, sleeps: list[float] | None = None, **kwargs: Any) -> OpenAICompatibleBackend:
    options = {"api_key": SECRET, "timeout_s": 0.3, "max_retries": 2, "backoff_base_s": 0.01,
               "sleep": (sleeps.append if sleeps is not None else (lambda s: None))} | kwargs
    return OpenAICompatibleBackend(server.url, "judge-model", revision="rev-1", **options)


REQUEST = JudgeRequest((("system", "be fair"), ("user", "judge this")),
                       DecodingConfig(temperature=0.0, top_p=0.9, seed=None,
                                      extra={"chat_template_kwargs": {"enable_thinking": False}}))


def test_request_body_and_reply(server: ScriptedServer) -> None:
    server.script = [Behaviour("reply", content="Explanation: ok\nJudgement: correct")]
    assert _backend(server).complete(REQUEST) == "Explanation: ok\nJudgement: correct"
    body = server.requests[0]
    assert body == {"model": "judge-model", "messages": [{"role": "system", "content": "be fair"},
                                                         {"role": "user", "content": "judge this"}],
                    "temperature": 0.0, "top_p": 0.9, "chat_template_kwargs": {"enable_thinking": False}}
    assert server.headers[0]["Authorization"] == f"Bearer {SECRET}"


def test_key_read_from_environment(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIOREPRO_TEST_JUDGE_KEY", SECRET)
    backend = OpenAICompatibleBackend(server.url, "judge-model", api_key_env="AUDIOREPRO_TEST_JUDGE_KEY",
                                      timeout_s=0.5)
    backend.complete(REQUEST)
    assert server.headers[0]["Authorization"] == f"Bearer {SECRET}"


@pytest.mark.parametrize("failure", [Behaviour("status", status=500, body="boom"),
                                     Behaviour("status", status=503, body="overloaded"),
                                     Behaviour("status", status=429, body="slow down"),
                                     Behaviour("stall", seconds=0.6)])
def test_transient_failures_are_retried_with_backoff(server: ScriptedServer, failure: Behaviour) -> None:
    server.script = [failure, Behaviour("reply", content="Judgement: correct")]
    sleeps: list[float] = []
    assert _backend(server, sleeps).complete(REQUEST) == "Judgement: correct"
    assert len(server.requests) == 2
    assert sleeps == [0.01]


def test_backoff_grows_and_gives_up(server: ScriptedServer) -> None:
    server.default = Behaviour("status", status=502, body="bad gateway")
    sleeps: list[float] = []
    with pytest.raises(JudgeBackendError, match="failed after 3 attempts") as error:
        _backend(server, sleeps).complete(REQUEST)
    assert len(server.requests) == 3 and sleeps == [0.01, 0.02]
    assert "HTTP 502" in str(error.value)


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_client_errors_are_not_retried_and_never_show_the_key(server: ScriptedServer, status: int) -> None:
    server.script = [Behaviour("status", status=status, body=f'{{"error": "invalid key {SECRET}"}}')]
    with pytest.raises(JudgeHTTPError) as error:
        _backend(server).complete(REQUEST)
    assert error.value.status == status and len(server.requests) == 1
    assert SECRET not in str(error.value) and "***" in str(error.value)


def test_malformed_success_body_is_a_named_error(server: ScriptedServer) -> None:
    server.script = [Behaviour("reply", body='{"not": "a completion"}')]
    with pytest.raises(JudgeBackendError, match="no chat completion"):
        _backend(server).complete(REQUEST)
    assert len(server.requests) == 1


def test_concurrency_limit(server: ScriptedServer) -> None:
    server.default = Behaviour("reply", seconds=0.05)
    backend = _backend(server, max_concurrency=2)
    replies: dict[int, str] = {}
    requests = [JudgeRequest((("user", f"q{i}"),), DecodingConfig()) for i in range(6)]
    backend.complete_all(requests, lambda index, reply: replies.__setitem__(index, reply))
    assert sorted(replies) == list(range(6))
    assert 1 <= server.max_active <= 2


def _items(n: int = 4) -> PredictionSet:
    return PredictionSet("http", "test", tuple(
        PredictionItem(f"i{i}", f"answer {i}", ("(a) dog",), prompt="Which animal? (a) dog (b) cat")
        for i in range(n)))


def test_cache_hit_on_rerun_sends_zero_requests(server: ScriptedServer, tmp_path: Path) -> None:
    with JudgementCache(tmp_path / "cache.sqlite") as cache:
        first = judged("J-SAKURA", _items(), _backend(server), cache)
    assert len(server.requests) == 4 and first.extras["calls_made"] == 4
    with JudgementCache(tmp_path / "cache.sqlite") as cache:
        second = judged("J-SAKURA", _items(), _backend(server), cache)
    assert len(server.requests) == 4 and second.extras["calls_made"] == 0 and second.extras["cache_hits"] == 4
    assert second.value == first.value == 1.0


def test_failure_mid_run_keeps_finished_verdicts(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [Behaviour("reply"), Behaviour("reply"), Behaviour("status", status=400, body="bad")]
    with JudgementCache(tmp_path / "cache.sqlite") as cache:
        with pytest.raises(JudgeHTTPError):
            judged("J-SAKURA", _items(), _backend(server, max_concurrency=1), cache)
        finished = len(cache)
        assert finished >= 2      # both replies before the failure (and any call already running) are kept
        result = judged("J-SAKURA", _items(), _backend(server, max_concurrency=1), cache)
    assert result.extras["cache_hits"] == finished and result.extras["calls_made"] == 4 - finished


def test_key_never_in_logs_or_results(server: ScriptedServer, caplog: pytest.LogCaptureFixture,
                                      tmp_path: Path) -> None:
    server.script = [Behaviour("status", status=500, body=f"echo {SECRET}"), Behaviour("stall", seconds=0.6)]
    backend = _backend(server)
    with caplog.at_level(logging.DEBUG):
        result = judged("J-SAKURA", _items(2), backend)
    text = json.dumps(result.as_dict(items=True)) + result.signature + repr(backend) + json.dumps(backend.describe())
    assert SECRET not in text and SECRET not in caplog.text
    assert "retry" in caplog.text  # the retries were logged, without the key
    judge = result.extras["judge"]
    assert judge["base_url"] == server.url and judge["api_key_env"] == "OPENAI_API_KEY"


def test_key_echoed_in_a_successful_reply_is_scrubbed_before_cache_and_result(server: ScriptedServer,
                                                                             tmp_path: Path) -> None:
    server.default = Behaviour("reply", content=f"Explanation: your key {SECRET} works.\nJudgement: correct")
    with JudgementCache(tmp_path / "cache.sqlite") as cache:
        result = judged("J-SAKURA", _items(1), _backend(server), cache)
    stored = (tmp_path / "cache.sqlite").read_bytes()
    assert SECRET.encode() not in stored and SECRET not in json.dumps(result.as_dict(items=True))
    assert "your key *** works" in json.dumps(result.as_dict(items=True)) and result.value == 1.0


def test_credentials_in_the_url_are_not_recorded(server: ScriptedServer) -> None:
    backend = OpenAICompatibleBackend(server.url.replace("http://", "http://user:pw@"), "m", api_key=SECRET)
    assert "pw" not in json.dumps(backend.describe()) and "pw" not in repr(backend)


def test_cli_judge_against_the_local_server(server: ScriptedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from evaluators.cli import main

    monkeypatch.setenv("AUDIOREPRO_TEST_JUDGE_KEY", SECRET)
    predictions = tmp_path / "preds.json"
    predictions.write_text(json.dumps([{"text": "Which animal? (a) dog (b) cat", "answer": "(a) dog",
                                        "model_prediction": f"A dog. {i}"} for i in range(3)]))
    output = tmp_path / "result.json"
    args = ["judge", str(predictions), "--protocol", "J-SAKURA", "--backend", "openai", "--base-url", server.url,
            "--model", "judge-model", "--api-key-env", "AUDIOREPRO_TEST_JUDGE_KEY", "--cache",
            str(tmp_path / "cache.sqlite"), "--timeout", "0.5", "--output", str(output)]
    assert main(args) == 0
    assert main(args) == 0                      # second run: served from the cache
    assert len(server.requests) == 3
    assert all(headers["Authorization"] == f"Bearer {SECRET}" for headers in server.headers)
    printed = capsys.readouterr().out
    assert "calls made: 0, cache hits: 3" in printed and SECRET not in printed
    written = output.read_text()
    assert SECRET not in written and json.loads(written)["value"] == 1.0


def test_completions_transport_posts_the_llama3_templated_text(server: ScriptedServer) -> None:
    """AudioBench's Llama-3 judge: the chat template is applied on the client, the text goes to /completions."""
    server.script = [Behaviour("reply", body=json.dumps({"choices": [{"text": " Explanation: ok.\nRating: 4"}]}))]
    backend = _backend(server, transport="completions-llama3")
    request = JudgeRequest((("user", "  [Reference Answer]\n rate it \n"),), DecodingConfig(max_tokens=512))
    assert backend.complete(request) == " Explanation: ok.\nRating: 4"
    assert server.requests[0] == {
        "model": "judge-model", "max_tokens": 512,
        "prompt": "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n[Reference Answer]\n rate it"
                  "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"}
    assert backend.describe()["transport"] == "completions-llama3"
    with pytest.raises(ValueError, match="transport"):
        _backend(server, transport="completions-unknown")


def test_signature_names_the_transport(server: ScriptedServer) -> None:
    server.default = Behaviour("reply", body=json.dumps({"choices": [{"text": "Rating: 1"}]}))
    completions = judged("J-AB-BINARY", _items(1), _backend(server, transport="completions-llama3"))
    assert "|transport:completions-llama3|" in completions.signature and completions.value == 100.0
    server.default = Behaviour("reply", content="Rating: 1")
    assert "|transport:chat|" in judged("J-AB-BINARY", _items(1), _backend(server)).signature


# --- issue 14, findings 1-3: the key goes to --base-url only; every reply is kept as it arrives -----------------

class _Elsewhere(BaseHTTPRequestHandler):
    """Another origin: records what reaches it (it must never see the key) and answers like a judge."""

    seen: list[dict[str, str]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        type(self).seen.append(dict(self.headers))
        payload = json.dumps({"choices": [{"message": {"content": "Judgement: correct"}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = do_GET  # noqa: N815


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_an_error_and_the_key_never_leaves_the_endpoint(server: ScriptedServer, tmp_path: Path,
                                                                       status: int) -> None:
    _Elsewhere.seen = []
    other = ThreadingHTTPServer(("127.0.0.1", 0), _Elsewhere)
    thread = threading.Thread(target=other.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        server.default = Behaviour("status", status=status, body="moved")
        location = f"http://localhost:{other.server_address[1]}/v1/chat/completions"
        original_send_header = BaseHTTPRequestHandler.send_header

        def send_header(self: BaseHTTPRequestHandler, key: str, value: str) -> None:
            original_send_header(self, key, value)
            if key == "Content-Type" and self.server is not other:
                original_send_header(self, "Location", location)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(BaseHTTPRequestHandler, "send_header", send_header)
            with JudgementCache(tmp_path / "cache.sqlite") as cache:
                with pytest.raises(JudgeBackendError, match=f"HTTP {status}, a redirect to .*not followed") as error:
                    judged("J-SAKURA", _items(1), _backend(server), cache)
                assert len(cache) == 0
    finally:
        other.shutdown()
        other.server_close()
    assert _Elsewhere.seen == [] and SECRET not in str(error.value)
    assert len(server.requests) == 1  # not retried either


def test_a_key_echoed_in_a_successful_reply_is_scrubbed_before_caching(server: ScriptedServer,
                                                                        tmp_path: Path) -> None:
    server.default = Behaviour("reply", content=f"Explanation: your key is {SECRET}.\nJudgement: correct")
    with JudgementCache(tmp_path / "cache.sqlite") as cache:
        result = judged("J-SAKURA", _items(2), _backend(server), cache)
    stored = (tmp_path / "cache.sqlite").read_bytes() + b"".join(
        path.read_bytes() for path in tmp_path.glob("cache.sqlite-*"))
    assert SECRET.encode() not in stored
    assert SECRET not in json.dumps(result.as_dict(items=True)) and "***" in json.dumps(result.as_dict(items=True))
    assert result.value == 1.0


def test_each_reply_is_delivered_as_it_arrives(server: ScriptedServer) -> None:
    """The last request is answered only once an earlier reply was handed over (kill -9 used to lose all)."""
    first_delivered = threading.Event()
    waited: list[bool] = []
    backend = _backend(server, max_concurrency=4)
    original = backend.complete

    def complete(request: JudgeRequest) -> str:
        if request.messages[-1][1] == "q3":
            waited.append(first_delivered.wait(timeout=3))
        return original(request)

    backend.complete = complete  # type: ignore[method-assign]
    requests = [JudgeRequest((("user", f"q{i}"),), DecodingConfig()) for i in range(4)]
    backend.complete_all(requests, lambda index, reply: first_delivered.set())
    assert waited == [True]


def test_an_interrupt_stops_new_requests_and_keeps_the_replies_so_far(server: ScriptedServer,
                                                                      tmp_path: Path) -> None:
    server.default = Behaviour("reply", seconds=0.02)
    backend = _backend(server, max_concurrency=2)
    with JudgementCache(tmp_path / "cache.sqlite") as cache:
        original_put = cache.put
        puts: list[int] = []

        def put(key: Any, reply: str) -> None:
            original_put(key, reply)
            puts.append(1)
            if len(puts) == 3:
                raise KeyboardInterrupt  # Ctrl-C reaches the main thread while it stores a reply

        cache.put = put  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            judged("J-SAKURA", _items(40), backend, cache)
        kept = len(cache)
    assert len(server.requests) <= 3 + 2 + 1  # the calls in flight finish; no new one starts
    assert kept == len(server.requests)      # every answered request is cached
