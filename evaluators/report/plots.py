"""The report's charts, drawn with matplotlib and returned as inline SVG text.

* :func:`published_vs_reproduced`: per task and metric, one row per published number: the printed
  value with its tolerance band, and the reproduced value with its 95 % interval.
* :func:`protocol_spread`: per prediction set, the same predictions scored under every applicable
  protocol (the sweep), with the published values as vertical lines: how much the protocol alone moves the number.
* :func:`trend`: numbers per status over the runs in ``history.jsonl``.

Figures are plain ``matplotlib.figure.Figure`` objects (no pyplot, no GUI backend). SVG text is kept
as text (``svg.fonttype = none``) and the files carry no date, so a re-render of the same results is
byte-identical and the page stays small and self-contained (no external URL).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from evaluators.verdict import PaperValueResult

#: status → colour (shared with the HTML badges)
STATUS_COLOURS = {
    "reproduces": "#1a7f37",
    "differs": "#cf222e",
    "no_predictions": "#8c959f",
    "unavailable": "#bf8700",
    "error": "#8250df",
    "changed": "#000000",
}
PUBLISHED_COLOUR = "#0969da"
MAX_ROWS_PER_CHART = 40


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    """A figure that is not registered with pyplot (no global state, no GUI backend needed)."""
    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def _legend_outside(axes: Any) -> None:
    """Legend to the right of the plot, where it never hides a data point."""
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, frameon=False)


def _to_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "audiorepro"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def metric_label(metric: str, unit: str) -> str:
    """"WER (percent)", but "accuracy (%)" stays as it is (no unit twice)."""
    if not unit or unit in metric or "%" in metric:
        return metric
    return f"{metric} ({unit})"


def _label(result: PaperValueResult, width: int = 64) -> str:
    """The golden id (readable by design), shortened in the middle when long."""
    text = result.id
    if len(text) <= width:
        return text
    half = (width - 1) // 2
    return text[:half] + "…" + text[-(width - 1 - half):]


def published_vs_reproduced(results: Sequence[PaperValueResult]) -> list[tuple[str, str]]:
    """(title, svg) per (task, metric, unit) with at least one reproduced value."""
    groups: dict[tuple[str, str, str], list[PaperValueResult]] = defaultdict(list)
    for result in results:
        if result.value is not None:
            groups[(result.task, result.metric, result.unit)].append(result)
    charts = []
    for (task, metric, unit), rows in sorted(groups.items()):
        rows = sorted(rows, key=lambda r: r.id)
        for start in range(0, len(rows), MAX_ROWS_PER_CHART):
            chunk = rows[start:start + MAX_ROWS_PER_CHART]
            part = f" ({start // MAX_ROWS_PER_CHART + 1})" if len(rows) > MAX_ROWS_PER_CHART else ""
            title = f"{task} — {metric_label(metric, unit)}{part}"
            charts.append((title, _published_vs_reproduced_chart(title, chunk)))
    return charts


def _published_vs_reproduced_chart(title: str, rows: Sequence[PaperValueResult]) -> str:
    figure, axes = _figure(9, 0.9 + 0.42 * len(rows))
    for y, result in enumerate(rows):
        tolerance = result.tolerance or 0.0
        axes.fill_betweenx([y - 0.32, y + 0.32], result.published - tolerance, result.published + tolerance,
                           color=PUBLISHED_COLOUR, alpha=0.25, linewidth=0)
        axes.plot([result.published, result.published], [y - 0.32, y + 0.32], color=PUBLISHED_COLOUR, linewidth=2)
        colour = STATUS_COLOURS.get(result.status, "#000000")
        if result.interval:
            low, high = result.interval
            axes.errorbar([result.value], [y], xerr=[[max(result.value - low, 0)], [max(high - result.value, 0)]],
                          fmt="none", ecolor=colour, elinewidth=1.2, capsize=3)
        axes.plot([result.value], [y], "o", color=colour, markersize=6)
    axes.set_yticks(range(len(rows)), [_label(r) for r in rows], fontsize=8)
    axes.invert_yaxis()
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_title(title, fontsize=10, loc="left")
    axes.grid(axis="x", alpha=0.3)
    statuses = sorted({r.status for r in rows}, key=lambda status: list(STATUS_COLOURS).index(status)
                      if status in STATUS_COLOURS else 99)
    handles = [Line2D([], [], color=PUBLISHED_COLOUR, linewidth=2, label="published ± tolerance")]
    handles += [Line2D([], [], color=STATUS_COLOURS.get(status, "#000000"), marker="o", linewidth=1,
                       label=f"reproduced: {status.replace('_', ' ')}") for status in statuses]
    axes.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
                frameon=False, title="95 % interval", title_fontsize=7)
    return _to_svg(figure)


def protocol_spread(results: Sequence[PaperValueResult]) -> str | None:
    """Values of one prediction set under every protocol (main + sweep), published values as lines.

    The chart has no title: the page prints the prediction set as the heading above it.
    """
    values: dict[str, float] = {}
    unit = results[0].unit if results else ""
    for result in results:
        if result.protocol and result.value is not None:
            values.setdefault(result.protocol, result.value)
        for sweep in result.sweep:
            if sweep.available and sweep.value is not None:
                values.setdefault(sweep.protocol, sweep.value)
    if not values:
        return None
    protocols = sorted(values, key=lambda p: values[p])
    main = {r.protocol for r in results if r.protocol}
    figure, axes = _figure(9, 1.2 + 0.32 * len(protocols))
    colours = [PUBLISHED_COLOUR if p in main else "#57606a" for p in protocols]
    axes.barh(range(len(protocols)), [values[p] for p in protocols], color=colours, height=0.6)
    for y, protocol in enumerate(protocols):
        axes.text(values[protocol], y, f" {values[protocol]:.4g}", va="center", fontsize=7)
    published = sorted({(r.published, r.extra.get("golden_file") or r.paper[:30]) for r in results})
    for index, (value, paper) in enumerate(published):
        axes.axvline(value, color=STATUS_COLOURS["differs"], linestyle="--", linewidth=1,
                     label=f"published {value:g} ({paper})" if index < 6 else None)
    axes.set_yticks(range(len(protocols)), protocols, fontsize=8)
    axes.set_xlabel(metric_label(results[0].metric, unit) if results else "", fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    if published:
        _legend_outside(axes)
    return _to_svg(figure)


def trend(history: Sequence[dict[str, Any]]) -> str | None:
    """Numbers per status over the recorded runs (None without history)."""
    if not history:
        return None
    figure, axes = _figure(9, 3.2)
    xs = list(range(1, len(history) + 1))
    for status in ("reproduces", "differs", "unavailable", "error", "changed"):
        ys = [int(entry.get("counts", {}).get(status, 0)) for entry in history]
        if any(ys) or status == "reproduces":
            axes.plot(xs, ys, marker="o", markersize=3, color=STATUS_COLOURS[status], label=status.replace("_", " "))
    axes.set_xticks(xs[:: max(1, len(xs) // 10)],
                    [str(history[i - 1].get("timestamp", ""))[:10] for i in xs[:: max(1, len(xs) // 10)]],
                    fontsize=7, rotation=30, ha="right")
    axes.set_ylabel("numbers", fontsize=8)
    axes.set_ylim(bottom=0)
    axes.set_title("Published numbers per status, run by run", fontsize=10, loc="left")
    axes.grid(alpha=0.3)
    _legend_outside(axes)
    return _to_svg(figure)
