"""The judge-backend interface: turn rendered judge prompts into reply texts.

A backend knows its judge ``model`` and ``revision`` (both enter the cache key and the signature)
and answers :class:`~evaluators.judges.decoding.JudgeRequest`s. ``complete_all`` hands each reply to a
callback as soon as it exists, so the runner can store it in the cache before the next one arrives
(a crash mid-run then loses nothing that was finished).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any, TypeVar

from evaluators.judges.decoding import JudgeRequest

#: ``on_reply(index_in_requests, reply_text)``
ReplyCallback = Callable[[int, str], None]
T = TypeVar("T")
R = TypeVar("R")


def deliver_as_completed(function: Callable[[T], R], inputs: Sequence[T], on_result: Callable[[int, R], None],
                         max_workers: int) -> None:
    """Run ``function`` over ``inputs`` on up to ``max_workers`` threads; ``on_result(index, result)`` runs on
    the calling thread the moment each result exists (so it is cached before the next one arrives).

    On the first failure, and on an interrupt (Ctrl-C reaches the calling thread), no new call starts:
    queued calls are cancelled, the calls already running are waited for and their results delivered
    too (they are paid for), then the error is raised. A second Ctrl-C stops that wait.
    """
    if not inputs:
        return
    pool = ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(inputs))))
    futures: dict[Future[R], int] = {pool.submit(function, value): index for index, value in enumerate(inputs)}
    delivered: set[Future[R]] = set()
    try:
        for future in as_completed(futures):
            delivered.add(future)
            on_result(futures[future], future.result())
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for future, index in futures.items():
            if future in delivered or future.cancelled():
                continue
            try:
                result = future.result()
            except Exception:  # noqa: BLE001,S112  (the first error is the one raised)
                continue
            try:
                on_result(index, result)
            except Exception:  # noqa: BLE001  (e.g. the cache itself failed: raise the first error)
                break
        raise
    finally:
        pool.shutdown(wait=True)


class JudgeBackend(ABC):
    """Something that answers judge prompts."""

    #: short name of the backend type (``openai``, ``transformers``, ``replay``)
    kind: str = ""
    #: whether replies may be stored in / served from the persistent cache
    cacheable: bool = True

    def __init__(self, model: str, revision: str = "unspecified"):
        self.model = model
        self.revision = revision

    @abstractmethod
    def complete(self, request: JudgeRequest) -> str:
        """The judge's reply text to one request."""

    def complete_all(self, requests: Sequence[JudgeRequest], on_reply: ReplyCallback) -> None:
        """Answer every request, calling ``on_reply`` as each reply arrives (sequential by default)."""
        for index, request in enumerate(requests):
            on_reply(index, self.complete(request))

    def describe(self) -> dict[str, Any]:
        """What the record and the signature say about this backend (never a secret)."""
        return {"backend": self.kind, "model": self.model, "revision": self.revision}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, revision={self.revision!r})"
