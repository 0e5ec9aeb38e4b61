"""Replies to a judge protocol's prompts: from the cache where it holds them, else from the backend.

Identical prompts are sent once; each reply is stored in the cache the moment it arrives (a run cut short
keeps what it paid for); a sampling decoding keys each item's call separately so that identical prompts of
different items are neither shared in the cache nor sent once for all. A request the backend fails on (after
its own retries) aborts the run, unless the spec says the cited code rates such calls with a fixed reply
(AudioBench's GPT-4o judge), which is then never cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evaluators.judges.backends.base import JudgeBackend, ReplyCallback, deliver_as_completed
from evaluators.judges.cache import CacheKey, JudgementCache
from evaluators.judges.decoding import JudgeRequest
from evaluators.judges.errors import JudgeBackendError
from evaluators.judges.specs import JudgeSpec
from evaluators.progress import counter


@dataclass(frozen=True)
class FetchedReplies:
    """The replies in request order, and what getting them cost."""

    replies: list[str]
    calls_made: int
    cache_hits: int
    #: backend failures answered with the spec's error reply
    errors: int


def _complete_errors_as_reply(backend: JudgeBackend, requests: Sequence[JudgeRequest], error_reply: str,
                              on_reply: ReplyCallback, on_error: ReplyCallback) -> None:
    """Like ``backend.complete_all``, but a request the backend fails on (after its own retries) gets
    ``error_reply`` through ``on_error`` instead of aborting the run (AudioBench's GPT-4o judge)."""
    def one(request: JudgeRequest) -> tuple[bool, str]:
        try:
            return True, backend.complete(request)
        except JudgeBackendError:
            return False, error_reply

    def deliver(index: int, outcome: tuple[bool, str]) -> None:
        ok, reply = outcome
        (on_reply if ok else on_error)(index, reply)

    deliver_as_completed(one, requests, deliver, int(getattr(backend, "max_concurrency", 1)))


def fetch_replies(requests: Sequence[JudgeRequest], spec: JudgeSpec, backend: JudgeBackend,
                  cache: JudgementCache | None, samples: Sequence[str] | None = None) -> FetchedReplies:
    """Replies for ``requests`` from the cache or the backend.

    ``samples`` (one per request, for sampling decodings) names the item and call of each request: identical
    prompts of different items are then neither shared in the cache nor sent once for all.
    """
    replies: list[str | None] = [None] * len(requests)
    use_cache = cache is not None and backend.cacheable
    samples = samples or [""] * len(requests)
    keys = [CacheKey.of(backend.model, backend.revision, spec.template.hash, request, sample)
            for request, sample in zip(requests, samples, strict=True)]
    hits = 0
    to_send: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if use_cache:
            cached = cache.get(key)  # type: ignore[union-attr]
            if cached is not None:
                replies[index] = cached
                hits += 1
                continue
        to_send.setdefault(key.digest() if use_cache else f"{index}", []).append(index)
    unique = [indices[0] for indices in to_send.values()]
    groups = list(to_send.values())

    errors = 0

    def on_reply(position: int, reply: str, *, store: bool = True) -> None:
        first = unique[position]
        if use_cache and store:
            cache.put(keys[first], reply)  # type: ignore[union-attr]
        for index in groups[position]:
            replies[index] = reply

    def on_error(position: int, reply: str) -> None:  # never cached: a later run retries the call
        nonlocal errors
        errors += 1
        on_reply(position, reply, store=False)

    batch = [requests[index] for index in unique]
    with counter(len(batch), desc=f"judging ({backend.model})", unit="call") as bar:
        def on_reply_counted(position: int, reply: str) -> None:
            on_reply(position, reply)
            bar.advance()

        def on_error_counted(position: int, reply: str) -> None:
            on_error(position, reply)
            bar.advance()

        if spec.backend_error_reply is None:
            backend.complete_all(batch, on_reply_counted)
        else:
            _complete_errors_as_reply(backend, batch, spec.backend_error_reply, on_reply_counted, on_error_counted)
    missing = [index for index, reply in enumerate(replies) if reply is None]
    if missing:
        raise RuntimeError(f"backend {backend!r} returned no reply for {len(missing)} prompt(s)")
    return FetchedReplies([reply for reply in replies if reply is not None], len(unique), hits, errors)
