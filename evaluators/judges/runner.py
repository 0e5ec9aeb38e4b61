"""``run_judging``: score a prediction set under a judge protocol with a backend and a cache.

Steps: build every prompt of every item (``JudgeSpec.calls``), serve what the cache already holds,
send only the rest to the backend (identical prompts once), store each reply in the cache the
moment it arrives, then decide each item by the official rule and aggregate. The result carries
per-item verdicts, explanations and raw replies, the unparsed count, intervals (Wald and Wilson for
accuracies, bootstrap for rating scales) and a signature naming the judge model, revision, backend,
template hash and decoding configuration.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evaluators import __version__
from evaluators.judges.backends.base import JudgeBackend, ReplyCallback, deliver_as_completed
from evaluators.judges.cache import CacheKey, JudgementCache
from evaluators.judges.decoding import DecodingConfig, JudgeRequest
from evaluators.judges.errors import JudgeBackendError
from evaluators.judges.specs import ItemVerdict, JudgeSpec, get_judge_spec
from evaluators.metrics.stats import Interval, bootstrap_interval, wald_interval, wilson_interval
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.progress import counter
from evaluators.score import Score


@dataclass(frozen=True)
class JudgeResult:
    """A judge protocol's number on one prediction set, with everything needed to audit it."""

    protocol: str
    value: float | None
    unit: str
    n: int
    counts: Mapping[str, int]
    unparsed: int
    skipped: Mapping[str, int]
    signature: str
    judge: Mapping[str, Any]
    decoding: DecodingConfig
    template: str
    template_hash: str
    unparsed_rule: str = ""
    items: tuple[ItemVerdict, ...] = ()
    interval: Interval | None = None
    intervals: Mapping[str, Interval] = field(default_factory=dict)
    groups: Mapping[str, JudgeResult] = field(default_factory=dict)
    extras: Mapping[str, Any] = field(default_factory=dict)
    calls_made: int = 0
    cache_hits: int = 0
    available: bool = True
    unavailable_reason: str | None = None

    def verdicts(self) -> dict[str, str]:
        """Item id → official outcome (``correct``, ``incorrect``, ``unparsed``, ``scored``...)."""
        return {verdict.id: verdict.outcome for verdict in self.items}

    def as_score(self) -> Score:
        """The result as a protocol ``Score`` (for the report): unparsed replies appear as a skip-like
        count ``unparsed (official rule: ...)`` although the official rule may keep them in ``n``."""
        skipped = dict(self.skipped)
        if self.unparsed:
            skipped[f"unparsed ({self.unparsed_rule})"] = self.unparsed
        return Score(protocol=self.protocol, value=self.value, unit=self.unit, direction="higher", n=self.n,
                     skipped=skipped, signature=self.signature, interval=self.interval, aggregation="corpus",
                     available=self.available, unavailable_reason=self.unavailable_reason,
                     groups={name: group.as_score() for name, group in self.groups.items()})

    def as_dict(self, *, items: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "protocol": self.protocol, "value": self.value, "unit": self.unit, "n": self.n,
            "counts": dict(self.counts), "unparsed": self.unparsed, "skipped": dict(self.skipped),
            "signature": self.signature, "judge": dict(self.judge), "decoding": self.decoding.as_dict(),
            "template": self.template, "template_hash": self.template_hash, "unparsed_rule": self.unparsed_rule,
            "interval": self.interval.as_dict() if self.interval else None,
            "intervals": {name: interval.as_dict() for name, interval in self.intervals.items()},
            "extras": dict(self.extras), "calls_made": self.calls_made, "cache_hits": self.cache_hits,
            "available": self.available, "unavailable_reason": self.unavailable_reason,
        }
        if self.groups:
            out["groups"] = {name: group.as_dict(items=False) for name, group in self.groups.items()}
        if items:
            out["items"] = [verdict.as_dict() for verdict in self.items]
        return out


def judge_signature(spec: JudgeSpec, backend: JudgeBackend, decoding: DecodingConfig) -> str:
    """sacreBLEU-style signature of a judged number."""
    described = backend.describe()
    fields = {"proto": spec.protocol_id, "judge": backend.model, "rev": backend.revision, "backend": backend.kind}
    if "chat_format" in described:
        fields["chat"] = str(described["chat_format"])
    if "transport" in described:
        fields["transport"] = str(described["transport"])
    fields |= {"tpl": f"{spec.template.name}@{spec.template.hash}", "dec": decoding.signature(),
               "unparsed": spec.unparsed_rule, "scale": f"{spec.scale:g}", "audiorepro": __version__}
    return "|".join(f"{key}:{value}" for key, value in fields.items())


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


def _fetch_replies(requests: Sequence[JudgeRequest], spec: JudgeSpec, backend: JudgeBackend,
                   cache: JudgementCache | None,
                   samples: Sequence[str] | None = None) -> tuple[list[str], int, int, int]:
    """Replies for ``requests`` from the cache or the backend.

    ``samples`` (one per request, for sampling decodings) names the item and call of each request: identical
    prompts of different items are then neither shared in the cache nor sent once for all.
    Returns (replies, calls made, cache hits, backend errors turned into the spec's error reply).
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
    return [reply for reply in replies if reply is not None], len(unique), hits, errors


def _intervals(spec: JudgeSpec, stats: np.ndarray, value: float | None) -> tuple[Interval | None,
                                                                                  dict[str, Interval]]:
    if value is None or not stats.shape[0] or math.isnan(value):
        return None, {}
    binary = (spec.kind == "binary" and stats.shape[1] == 2 and np.all(np.isin(stats, (0.0, 1.0)))
              and np.all(stats[:, 0] <= stats[:, 1]) and stats[:, 1].sum() > 0)
    if binary:
        numerators = stats[:, 0]
        n = int(stats[:, 1].sum())
        correct = float(numerators.sum())
        p = correct / n
        # the range is clipped to [0, 1]; the ± the source prints stays in extras (e.g. printed_plus_minus)
        wald = wald_interval(p, n, clip=True)
        wilson = wilson_interval(correct, n)
        scaled = {name: Interval(iv.low * spec.scale, iv.high * spec.scale, iv.level, iv.method)
                  for name, iv in (("wald", wald), ("wilson", wilson))}
        return scaled[spec.interval_style], scaled
    boot = bootstrap_interval(stats, spec.aggregate)
    return boot, {"bootstrap": boot}


def _summarise(spec: JudgeSpec, verdicts: Sequence[ItemVerdict], skipped: Mapping[str, int], base: dict[str, Any],
               interval: bool) -> JudgeResult:
    width = len(spec.stat_names)
    stats = np.asarray([v.stats for v in verdicts], dtype=float).reshape(len(verdicts), width)
    value: float | None = float(spec.aggregate(stats)) if len(verdicts) else None
    if value is not None and math.isnan(value):
        value = None
    reason = None
    extras = spec.extras(verdicts)
    if extras.get("out_of_range_items"):
        reason = (f"the official cal_score.py aborts (exit(1)) on a score above 10; items "
                  f"{extras['out_of_range_items'][:5]} have one")
        value = None
    main, named = _intervals(spec, stats, value) if interval else (None, {})
    counts = Counter(v.outcome for v in verdicts)
    n = int(stats[:, 1].sum()) if width == 2 else len(verdicts)
    return JudgeResult(value=value, n=n, counts=dict(sorted(counts.items())),
                       unparsed=sum(not v.parsed for v in verdicts), skipped=dict(skipped), items=tuple(verdicts),
                       interval=main, intervals=named, extras=extras, available=reason is None,
                       unavailable_reason=reason, **base)


def run_judging(protocol_id: str, predictions: PredictionSet | Iterable[PredictionItem], backend: JudgeBackend,
                cache: JudgementCache | None = None, *, decoding: DecodingConfig | None = None,
                interval: bool = True) -> JudgeResult:
    """Judge every item of ``predictions`` under ``protocol_id`` and aggregate by the official rule.

    ``decoding`` defaults to the protocol's published settings (``JudgeSpec.default_decoding``).
    A re-run with the same cache, backend model/revision, template and decoding makes no calls.
    """
    spec = get_judge_spec(protocol_id)
    decoding = decoding or spec.default_decoding
    items = tuple(predictions)
    skipped: Counter[str] = Counter()
    plan: list[tuple[PredictionItem, int, int]] = []  # item, first request index, number of requests
    requests: list[JudgeRequest] = []
    samples: list[str] = []
    for item in items:
        calls = spec.calls(item)
        if isinstance(calls, str):
            skipped[calls] += 1
            continue
        plan.append((item, len(requests), len(calls)))
        requests.extend(JudgeRequest(spec.render(call), decoding) for call in calls)
        samples.extend(f"{item.id}\x1f{call.tag}" if decoding.samples else "" for call in calls)
    replies, calls_made, hits, errors = _fetch_replies(requests, spec, backend, cache, samples)
    verdicts = [spec.decide(item, replies[start:start + count]) for item, start, count in plan]
    base = {"protocol": spec.protocol_id, "unit": spec.unit, "signature": judge_signature(spec, backend, decoding),
            "judge": backend.describe(), "decoding": decoding, "template": spec.template.name,
            "template_hash": spec.template.hash, "unparsed_rule": spec.unparsed_rule}
    result = _summarise(spec, verdicts, skipped, base, interval)
    groups: dict[str, JudgeResult] = {}
    names = sorted({v.group for v in verdicts if v.group is not None})
    for name in names:
        groups[name] = _summarise(spec, [v for v in verdicts if v.group == name], {}, base, interval)
    extras = dict(result.extras)
    if spec.backend_error_reply is not None:
        extras["backend_errors"] = errors
    return dataclasses.replace(result, groups=groups, calls_made=calls_made, cache_hits=hits, extras=extras)
