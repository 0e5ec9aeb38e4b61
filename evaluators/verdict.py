"""The outcome of checking one published number: the record a ``paper_values`` test leaves.

A ``paper_values`` test builds a :class:`PaperValueResult` and attaches it to its pytest report
with :func:`attach` (``user_properties``, so it survives pytest-xdist); the report plugin collects
every attached result into ``results.json``, ``report.md`` and ``index.html``. This module is the
contract between the two sides.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: key under which results travel in ``item.user_properties``
USER_PROPERTY_KEY = "audiorepro_result"
#: key for determinism-harness results (their own report section)
DETERMINISM_PROPERTY_KEY = "audiorepro_determinism"
#: key for the checks of the user's own run (``pytest -m paper_values --run``): the "Your run" section
YOUR_RUN_PROPERTY_KEY = "audiorepro_your_run"
#: key for the citation side-by-side groups (``evaluators.golden.comparison_groups`` + per-row audit fields)
CITATION_PROPERTY_KEY = "audiorepro_citation_group"

#: statuses a published number can have after a run
STATUSES = ("reproduces", "differs", "no_predictions", "unavailable", "error")


@dataclass
class SweepValue:
    """The same predictions scored under another applicable protocol (the protocol sweep)."""

    protocol: str
    value: float | None
    signature: str = ""
    n: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    available: bool = True
    reason: str | None = None


@dataclass
class PaperValueResult:
    """One published number, what the suite measured for it, and the verdict."""

    id: str
    paper: str
    model: str
    task: str
    dataset: str
    split: str
    metric: str
    published: float
    unit: str
    direction: str
    status: str
    expected_status: str
    protocol: str | None = None
    value: float | None = None          # measured, in the published unit (percent or fraction)
    delta: float | None = None          # value − published
    tolerance: float | None = None
    interval: tuple[float, float] | None = None  # 95 % interval of ``value``, published unit
    signature: str | None = None
    n: int | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    reason: str = ""
    prediction_file: str | None = None
    sweep: list[SweepValue] = field(default_factory=list)
    verdict: str | None = None          # over every candidate protocol (evaluators.checking.VERDICTS)
    closest_protocol: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # filled in by the report plugin from the pytest report, not by the paper_values test:
    test: str | None = None             # pytest node id
    outcome: str | None = None          # passed | failed | error | skipped | xfailed | xpassed

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status {self.status!r} not in {STATUSES}")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["interval"] = list(self.interval) if self.interval else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PaperValueResult:
        known = {f.name for f in fields(cls)}
        data = {key: value for key, value in data.items() if key in known}  # tolerate newer writers
        sweep_known = {f.name for f in fields(SweepValue)}
        data["sweep"] = [SweepValue(**{k: v for k, v in row.items() if k in sweep_known})
                         for row in data.get("sweep", [])]
        if data.get("interval") is not None:
            data["interval"] = tuple(data["interval"])
        return cls(**data)


def attach(user_properties: list[tuple[str, Any]], result: PaperValueResult) -> None:
    """Attach a result to a pytest item (``request.node.user_properties``)."""
    user_properties.append((USER_PROPERTY_KEY, result.to_dict()))


def attach_your_run(user_properties: list[tuple[str, Any]], record: dict[str, Any]) -> None:
    """Attach one check of the user's run (entry, protocol, published, value, interval, status, verdict...)."""
    user_properties.append((YOUR_RUN_PROPERTY_KEY, dict(record)))


def attach_determinism(user_properties: list[tuple[str, Any]], record: dict[str, Any]) -> None:
    """Attach one determinism record (free-form: model, platform, dtype, batch_size, items_changed, n_items,
    max_abs_logit_delta, min_margin, first_divergent_step, ...); the report gives them their own section."""
    user_properties.append((DETERMINISM_PROPERTY_KEY, dict(record)))
