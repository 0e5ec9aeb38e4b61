"""How numbers, intervals and statuses are written in ``report.md`` and ``index.html``.

One place, so that the markdown, the HTML and the test that parses the HTML agree on every digit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MISSING = "—"

#: status → short label used in both renderings
STATUS_LABELS = {
    "reproduces": "reproduces",
    "differs": "differs",
    "no_predictions": "no predictions",
    "unavailable": "unavailable",
    "error": "error",
}
#: status → emoji prefix in markdown (GitHub renders them; the HTML uses coloured badges instead)
STATUS_EMOJI = {"reproduces": "✅", "differs": "❌", "no_predictions": "⚪", "unavailable": "⚠️", "error": "💥"}


def fmt_number(value: float | None, digits: int | None = None) -> str:
    """Up to ``digits`` decimals (default 4, or 6 below 1 so fractions keep the precision of percents),
    trailing zeros dropped: 55.58 → "55.58", 0.6450 → "0.645", 0.555834307918663 → "0.555834"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    if digits is None:
        digits = 6 if abs(value) < 1 else 4
    if value != 0 and abs(value) < 0.5 * 10 ** -digits:  # would print as 0: keep its order of magnitude
        return f"{value:.2g}"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_delta(value: float | None, digits: int | None = None) -> str:
    """Signed: "+0.12", "−0.5" (ASCII minus, so it parses back), "0"."""
    text = fmt_number(value, digits)
    if text in (MISSING, "0") or text.startswith("-"):
        return text
    return "+" + text


def fmt_tolerance(value: float | None) -> str:
    text = fmt_number(value, 6)
    return text if text == MISSING else "±" + text


def fmt_interval(interval: Sequence[float] | None, digits: int | None = None) -> str:
    if not interval or not all(end is not None and math.isfinite(end) for end in interval):
        return MISSING
    low, high = interval
    return f"[{fmt_number(low, digits)}, {fmt_number(high, digits)}]"


def fmt_skipped(skipped: dict[str, int] | None) -> str:
    if not skipped:
        return ""
    return ", ".join(f"{reason}: {count}" for reason, count in sorted(skipped.items(), key=lambda kv: -kv[1]))


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
