"""The judge-backend interface: turn rendered judge prompts into reply texts.

A backend knows its judge ``model`` and ``revision`` (both enter the cache key and the signature)
and answers :class:`~evaluators.judges.decoding.JudgeRequest`s. ``complete_all`` hands each reply to a
callback as soon as it exists, so the runner can store it in the cache before the next one arrives
(a crash mid-run then loses nothing that was finished).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from evaluators.judges.decoding import JudgeRequest

#: ``on_reply(index_in_requests, reply_text)``
ReplyCallback = Callable[[int, str], None]


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
