"""An LLM judge as a metric: the statistics of a judge protocol come from a judge backend's replies.

A judge protocol is an ordinary ``Protocol`` (``evaluators.protocols.judges``) whose metric is a
:class:`JudgeMetric`. Unbound, the metric is *unavailable* (no judge here), so ``Protocol.score`` names what
is missing instead of computing something else. :meth:`JudgeMetric.bind` ties it to a backend, a cache and a
decoding configuration for one call — ``protocol.with_judge(backend, cache)`` — and the protocol's one scoring
loop then asks :meth:`JudgeMetric.set_stats` for every kept item at once:

1. every prompt of every item is built (``JudgeSpec.calls``) and rendered;
2. the cache serves what it holds, the backend gets only the rest (identical prompts once), and each reply
   is stored the moment it arrives (:mod:`evaluators.judges.replies`);
3. each item is decided by the official rule (``JudgeSpec.decide``): a statistics row and an
   :class:`~evaluators.judges.specs.ItemVerdict` (outcome, replies, explanation, category) kept as the item's
   notes.

The score then carries the official aggregate, the counted ``n``, Wald and Wilson intervals for accuracies
(bootstrap for rating scales), and ``extras``: verdict counts, unparsed replies and the rule applied to them,
the judge, decoding and template, calls made and cache hits, and the further numbers the official script
prints. The signature names the judge model, revision, backend, transport, template hash and decoding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evaluators.errors import ItemInputError
from evaluators.judges.decoding import DecodingConfig, JudgeRequest
from evaluators.judges.errors import JudgeInputError
from evaluators.judges.specs import ItemVerdict, JudgeSpec
from evaluators.metrics.base import Aggregate, Metric, SetStatistics

if TYPE_CHECKING:
    import numpy as np

    from evaluators.judges.backends.base import JudgeBackend
    from evaluators.judges.cache import JudgementCache
    from evaluators.metrics.stats import Interval

#: why an unbound judge metric cannot score
NO_BACKEND = ("an LLM judge backend is needed: bind one with protocol.with_judge(backend, cache) or run "
              "`audiorepro judge FILE --protocol ID --backend ...`")


@dataclass(frozen=True)
class JudgeBinding:
    """The judge of one scoring call: backend, optional reply cache, decoding configuration."""

    backend: JudgeBackend
    cache: JudgementCache | None
    decoding: DecodingConfig


class JudgeMetric(Metric):
    """The official aggregate of a judge protocol over per-item judge statistics."""

    direction = "higher"
    batched = True

    def __init__(self, spec: JudgeSpec, binding: JudgeBinding | None = None):
        self.spec = spec
        self.binding = binding
        self.name = "judge-accuracy" if spec.kind == "binary" and spec.scale == 1 else "judge-score"
        self.unit = spec.unit
        self.stat_names = spec.stat_names

    # -- binding --------------------------------------------------------------------------------------------
    def bind(self, backend: JudgeBackend, cache: JudgementCache | None = None,
             decoding: DecodingConfig | None = None) -> JudgeMetric:
        """This metric judged by ``backend`` (replies cached in ``cache``) with ``decoding`` (default: the
        settings the cited code sends, ``JudgeSpec.default_decoding``)."""
        return JudgeMetric(self.spec, JudgeBinding(backend, cache, decoding or self.spec.default_decoding))

    def unavailable_reason(self) -> str | None:
        return None if self.binding else NO_BACKEND

    def skip_reason(self, item: Any) -> str | None:
        """The recipe's reason to leave ``item`` out of judging (e.g. no slot to judge), else ``None``; an item
        that cannot become prompts (no question, no reference) raises ``ItemInputError``, which the protocol
        reports naming the file and the item before any call is made."""
        try:
            calls = self.spec.calls(item)
        except JudgeInputError as error:
            raise ItemInputError(error.message) from None
        return calls if isinstance(calls, str) else None

    # -- statistics -----------------------------------------------------------------------------------------
    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> Sequence[float]:
        raise NotImplementedError("a judge metric scores all items at once (set_stats)")

    def set_stats(self, prepared: Sequence[Any]) -> SetStatistics:
        import numpy as np

        from evaluators.judges.replies import fetch_replies

        if self.binding is None:
            raise RuntimeError(NO_BACKEND)
        spec, binding = self.spec, self.binding
        plan: list[tuple[Any, int, int]] = []  # item, first request index, number of requests
        requests: list[JudgeRequest] = []
        samples: list[str] = []
        for entry in prepared:
            item = entry.item
            try:
                calls = spec.calls(item)
            except JudgeInputError as error:
                raise ItemInputError(error.message, item=item.id) from None
            if isinstance(calls, str):  # the protocol's skip step already left such items out
                raise RuntimeError(f"{spec.protocol_id}: item {item.id} reached the judge with skip reason {calls}")
            plan.append((item, len(requests), len(calls)))
            requests.extend(JudgeRequest(spec.render(call), binding.decoding) for call in calls)
            samples.extend(f"{item.id}\x1f{call.tag}" if binding.decoding.samples else "" for call in calls)
        fetched = fetch_replies(requests, spec, binding.backend, binding.cache, samples)
        verdicts = [spec.decide(item, fetched.replies[start:start + count]) for item, start, count in plan]
        stats = np.asarray([verdict.stats for verdict in verdicts], dtype=float).reshape(len(verdicts),
                                                                                         len(spec.stat_names))
        run: dict[str, Any] = {"calls_made": fetched.calls_made, "cache_hits": fetched.cache_hits}
        if spec.backend_error_reply is not None:
            run["backend_errors"] = fetched.errors
        return SetStatistics(stats, verdicts, run)

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return self.spec.aggregate(stats)

    def count(self, stats: np.ndarray) -> int:
        """Counted answers: the denominators of (numerator, denominator) rows (AIR-Bench leaves failed
        judgements out), else the items."""
        return int(stats[:, 1].sum()) if stats.shape[1] == 2 else int(stats.shape[0])

    def summary(self, stats: np.ndarray, notes: Sequence[ItemVerdict]) -> Mapping[str, Any]:
        spec = self.spec
        out: dict[str, Any] = {
            "counts": dict(sorted(Counter(verdict.outcome for verdict in notes).items())),
            "unparsed": sum(not verdict.parsed for verdict in notes), "unparsed_rule": spec.unparsed_rule,
            "template": spec.template.name, "template_hash": spec.template.hash,
        }
        if self.binding is not None:
            out["judge"] = self.binding.backend.describe()
            out["decoding"] = self.binding.decoding.as_dict()
        official = spec.extras(notes)
        out["official"] = official
        if official.get("out_of_range_items"):
            out["unavailable_reason"] = (f"the official cal_score.py aborts (exit(1)) on a score above 10; items "
                                         f"{official['out_of_range_items'][:5]} have one")
        return out

    def intervals(self, stats: np.ndarray, value: float, method: str,
                  aggregate: Aggregate) -> tuple[Interval | None, dict[str, Interval]]:
        """Accuracies (0/1 numerators over 0/1 denominators): Wald (clipped to [0, 1]) and Wilson, scaled like
        the value; the headline is the one the source prints (``JudgeSpec.interval_style``). Ratings: a
        bootstrap of the official aggregate."""
        import numpy as np

        from evaluators.metrics.stats import Interval, bootstrap_interval, wald_interval, wilson_interval

        spec = self.spec
        binary = (spec.kind == "binary" and stats.shape[1] == 2 and np.all(np.isin(stats, (0.0, 1.0)))
                  and np.all(stats[:, 0] <= stats[:, 1]) and stats[:, 1].sum() > 0)
        if not binary:
            boot = bootstrap_interval(stats, spec.aggregate)
            return boot, {"bootstrap": boot}
        n = int(stats[:, 1].sum())
        correct = float(stats[:, 0].sum())
        # the range is clipped to [0, 1]; the ± the source prints stays in the official extras
        named = {name: Interval(iv.low * spec.scale, iv.high * spec.scale, iv.level, iv.method)
                 for name, iv in (("wald", wald_interval(correct / n, n, clip=True)),
                                  ("wilson", wilson_interval(correct, n)))}
        return named[spec.interval_style], named

    def signature_fields(self) -> dict[str, str]:
        """Unbound: the rule; bound: the judge model, revision, backend (chat format, transport), template
        hash, decoding, unparsed rule and scale — everything that can change a judged number."""
        spec = self.spec
        if self.binding is None:
            return {"metric": self.name, "unparsed": spec.unparsed_rule}
        backend = self.binding.backend
        described = backend.describe()
        fields = {"judge": backend.model, "rev": backend.revision, "backend": backend.kind}
        if "chat_format" in described:
            fields["chat"] = str(described["chat_format"])
        if "transport" in described:
            fields["transport"] = str(described["transport"])
        return fields | {"tpl": f"{spec.template.name}@{spec.template.hash}", "dec": self.binding.decoding.signature(),
                         "metric": self.name, "unparsed": spec.unparsed_rule, "scale": f"{spec.scale:g}"}
