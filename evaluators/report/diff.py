"""What changed between two reports: numbers whose status changed, numbers added or removed, values that moved.

``audiorepro diff old.json new.json`` prints this and exits 1 when any status changed (for the nightly job).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from evaluators.report.formatting import fmt_delta, fmt_number, status_label
from evaluators.report.model import Report
from evaluators.verdict import PaperValueResult


@dataclass(frozen=True)
class StatusChange:
    id: str
    old_status: str
    new_status: str
    old_value: float | None
    new_value: float | None
    published: float
    reason: str = ""


@dataclass(frozen=True)
class ValueChange:
    id: str
    status: str
    old_value: float | None
    new_value: float | None


@dataclass
class ReportDiff:
    status_changes: list[StatusChange] = field(default_factory=list)
    added: list[PaperValueResult] = field(default_factory=list)
    removed: list[PaperValueResult] = field(default_factory=list)
    value_changes: list[ValueChange] = field(default_factory=list)

    @property
    def has_status_changes(self) -> bool:
        return bool(self.status_changes)

    def as_dict(self) -> dict[str, object]:
        return {
            "status_changes": [vars(change) for change in self.status_changes],
            "added": [{"id": r.id, "status": r.status} for r in self.added],
            "removed": [{"id": r.id, "status": r.status} for r in self.removed],
            "value_changes": [vars(change) for change in self.value_changes],
        }


def _values_differ(old: float | None, new: float | None, tolerance: float) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(old - new) > tolerance


def diff_reports(old: Report, new: Report, *, value_tolerance: float = 1e-9) -> ReportDiff:
    """Compare two reports result by result (matched on the golden id).

    ``value_tolerance`` must be a finite number >= 0: NaN or infinity would hide every moved value.
    """
    if not (isinstance(value_tolerance, (int, float)) and math.isfinite(value_tolerance) and value_tolerance >= 0):
        raise ValueError(f"value_tolerance must be a finite number >= 0, got {value_tolerance!r}")
    old_by_id = {r.id: r for r in old.results}
    new_by_id = {r.id: r for r in new.results}
    diff = ReportDiff()
    for identifier in sorted(old_by_id.keys() | new_by_id.keys()):
        before, after = old_by_id.get(identifier), new_by_id.get(identifier)
        if before is None:
            diff.added.append(after)
        elif after is None:
            diff.removed.append(before)
        elif before.status != after.status:
            diff.status_changes.append(StatusChange(identifier, before.status, after.status, before.value,
                                                    after.value, after.published, after.reason))
        elif _values_differ(before.value, after.value, value_tolerance):
            diff.value_changes.append(ValueChange(identifier, after.status, before.value, after.value))
    return diff


def render_diff(diff: ReportDiff, old_name: str = "old", new_name: str = "new") -> str:
    lines = [f"audiorepro diff {old_name} -> {new_name}: {len(diff.status_changes)} status changes, "
             f"{len(diff.value_changes)} value changes, {len(diff.added)} added, {len(diff.removed)} removed"]
    if diff.status_changes:
        lines.append("")
        lines.append("Status changed:")
        for c in diff.status_changes:
            reason = f"  ({c.reason})" if c.reason else ""
            lines.append(f"  {c.id}: {status_label(c.old_status)} -> {status_label(c.new_status)}  "
                         f"value {fmt_number(c.old_value)} -> {fmt_number(c.new_value)}, "
                         f"published {fmt_number(c.published)}{reason}")
    if diff.value_changes:
        lines.append("")
        lines.append("Value changed (same status):")
        for v in diff.value_changes:
            delta = (v.new_value - v.old_value) if v.old_value is not None and v.new_value is not None else None
            lines.append(f"  {v.id}: {fmt_number(v.old_value)} -> {fmt_number(v.new_value)} ({fmt_delta(delta)}), "
                         f"{status_label(v.status)}")
    for title, rows in (("Added", diff.added), ("Removed", diff.removed)):
        if rows:
            lines.append("")
            lines.append(f"{title}:")
            lines.extend(f"  {r.id} ({status_label(r.status)})" for r in rows)
    return "\n".join(lines) + "\n"
