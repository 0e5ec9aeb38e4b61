"""``index.html``: the reproduction report as one self-contained page.

A rendering only: the sections are computed once by :mod:`evaluators.report.sections` (shared with
``report.md``); this module adds the charts of :mod:`evaluators.report.plots` inlined as SVG.
No external URL, no JavaScript framework: a small script records page errors into ``#page-errors``
(so a headless browser test can read them back from the DOM) and filters the result rows by text and
status (``index.html?q=salmonn`` opens the page filtered).

Every number cell carries its exact value in ``data-value`` (and the field name in ``data-field``),
so tests and scripts can read the page back and compare it with ``results.json``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from evaluators.report import plots
from evaluators.report.formatting import (
    MISSING,
    fmt_delta,
    fmt_interval,
    fmt_number,
    fmt_skipped,
    fmt_tolerance,
    status_label,
)
from evaluators.report.model import Report
from evaluators.report.sections import (
    CITATION_HEADERS,
    Column,
    DeterminismTable,
    ReportSections,
    SweepRow,
    build_sections,
)
from evaluators.verdict import STATUSES, PaperValueResult

STYLE = """
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#ffffff; --alt:#f6f8fa; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg);
       background: var(--bg); margin: 0 auto; max-width: 1400px; padding: 1.5rem; line-height: 1.45; }
h1 { margin: 0 0 .25rem; font-size: 1.7rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid var(--line);
     padding-bottom: .3rem; } h3 { margin: 1.4rem 0 .4rem; font-size: 1.05rem; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--c); border-radius: 6px; padding: .5rem .9rem;
        min-width: 9rem; }
.card .n { font-size: 1.6rem; font-weight: 700; display: block; }
.headline { font-size: 1.1rem; }
.warning { border-left: 6px solid #bf8700; background: #fff8c5; padding: .5rem .9rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .82rem; width: 100%; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--alt); position: sticky; top: 0; }
table.per-paper th:not(:first-child) { white-space: nowrap; }
tr:nth-child(even) td { background: #fbfcfd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, td.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .78rem; word-break: break-all; }
td.id { min-width: 12rem; } td.source { font-size: .75rem; overflow-wrap: anywhere; }
table.results td.id { min-width: 10rem; } table.results th, table.results td { padding: .25rem .35rem; }
table.results td[data-field="interval"] { white-space: normal; }
table.citations td.group { background: var(--alt); min-width: 9rem; }
table.citations td.id { min-width: 9rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; color: #fff; font-size: .75rem;
         white-space: nowrap; background: var(--c); }
.chart { margin: .6rem 0 1.2rem; overflow-x: auto; } .chart svg { max-width: 100%; height: auto; }
details { margin: .3rem 0; } summary { cursor: pointer; }
nav#contents { border: 1px solid var(--line); border-radius: 6px; padding: .3rem .9rem; margin: .8rem 0;
               font-size: .9rem; background: var(--alt); }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
ul.papers { columns: 2; font-size: .85rem; }
p.filter { padding: .4rem 0; font-size: .85rem; }
p.filter label { margin-right: .5rem; white-space: nowrap; }
ul.ids { columns: 2; font-size: .8rem; }
#page-errors:not(:empty) { border: 2px solid #cf222e; padding: .5rem; color: #cf222e; }
"""

FILTER_SCRIPT = """
function applyFilter() {
  var box = document.getElementById('filter-text');
  if (!box) { return; }
  var query = box.value.trim().toLowerCase(), shown = {}, visible = 0;
  document.querySelectorAll('input[data-filter-status]').forEach(function (c) {
    shown[c.getAttribute('data-filter-status')] = c.checked; });
  document.querySelectorAll('table.results tr[data-id]').forEach(function (row) {
    var keep = shown[row.getAttribute('data-status')] !== false &&
               (!query || row.textContent.toLowerCase().indexOf(query) >= 0);
    row.hidden = !keep;
    if (keep) { visible += 1; }
  });
  if (query) { document.querySelectorAll('#papers details').forEach(function (d) { d.open = true; }); }
  document.getElementById('filter-count').textContent = visible + ' rows shown';
}
function setUpFilter() {
  var box = document.getElementById('filter-text');
  if (!box) { return; }
  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) { box.value = initial; }
  box.addEventListener('input', applyFilter);
  document.querySelectorAll('input[data-filter-status]').forEach(function (c) {
    c.addEventListener('change', applyFilter); });
  applyFilter();
}
"""

ERROR_CAPTURE = """
(function () {
  function record(message) {
    var box = document.getElementById('page-errors');
    if (box) { var p = document.createElement('p'); p.textContent = String(message); box.appendChild(p); }
    else { (window.__pageErrors = window.__pageErrors || []).push(String(message)); }
  }
  window.addEventListener('error', function (e) { record('error: ' + (e.message || e.type)); }, true);
  var original = console.error;
  console.error = function () { record('console.error: ' + Array.prototype.join.call(arguments, ' '));
                                 return original.apply(console, arguments); };
  document.addEventListener('DOMContentLoaded', function () {
    (window.__pageErrors || []).forEach(record);
    setUpFilter();
    document.body.setAttribute('data-rendered', 'yes');
  });
})();
"""


def status_badge(status: str) -> str:
    colour = plots.STATUS_COLOURS.get(status, "#000")
    return (f'<span class="badge" style="--c:{colour}" data-status="{escape(status)}">'
            f"{escape(status_label(status))}</span>")


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def number_cell(field: str, value: float | None, text: str) -> str:
    """A right-aligned number with its exact value in ``data-value`` (absent when missing or not finite,
    matching the null that ``results.json`` holds then)."""
    data = f' data-value="{float(value)!r}"' if _finite(value) else ""
    return f'<td class="num" data-field="{field}"{data}>{escape(text)}</td>'


def html_table(headers: Sequence[str], rows: Iterable[Sequence[str]], css_class: str = "") -> str:
    """Rows are lists of ready ``<td>`` strings."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "\n".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def text_cell(value: Any, field: str = "", css: str = "") -> str:
    text = MISSING if value is None or value == "" else str(value)
    attributes = (f' data-field="{field}"' if field else "") + (f' class="{css}"' if css else "")
    return f"<td{attributes}>{escape(text)}</td>"


def result_cells(result: PaperValueResult) -> dict[str, str]:
    """The cell of each field a paper's table can show (see :data:`evaluators.report.sections.MEASURED_COLUMNS`)."""
    dataset = f"{result.dataset} / {result.split}" if result.split else result.dataset
    interval = result.interval if result.interval and all(_finite(end) for end in result.interval) else None
    interval_data = (f' data-low="{float(interval[0])!r}" data-high="{float(interval[1])!r}"' if interval else "")
    title = escape(" · ".join(part for part in (result.signature or "", result.reason) if part), quote=True)
    return {
        "id": f'<td class="id" data-field="id" title="{title}">{escape(result.id)}</td>',
        "model": text_cell(result.model, "model"), "task": text_cell(result.task, "task"),
        "dataset": text_cell(dataset, "dataset"), "metric": text_cell(result.metric, "metric"),
        "published": number_cell("published", result.published, fmt_number(result.published)),
        "value": number_cell("value", result.value, fmt_number(result.value)),
        "delta": number_cell("delta", result.delta, fmt_delta(result.delta)),
        "tolerance": number_cell("tolerance", result.tolerance, fmt_tolerance(result.tolerance)),
        "interval": f'<td class="num" data-field="interval"{interval_data}>{escape(fmt_interval(interval))}</td>',
        "protocol": text_cell(result.protocol, "protocol"),
        "status": f'<td data-field="status">{status_badge(result.status)}</td>',
        "verdict": text_cell(result.verdict, "verdict"),
        "closest_protocol": text_cell(result.closest_protocol, "closest_protocol"),
    }


def result_row(result: PaperValueResult, columns: Sequence[Column]) -> str:
    cells = result_cells(result)
    return (f'<tr data-id="{escape(result.id, quote=True)}" data-status="{escape(result.status)}">'
            + "".join(cells[column.field] for column in columns) + "</tr>")


SECTION_TITLES = {
    "summary": "Summary", "your-run": "Your run", "changes": "Status changes", "not-reproduced": "Does not reproduce",
    "published-vs-reproduced": "Published vs reproduced", "trend": "Trend", "papers": "Results per paper",
    "protocol-sweep": "Protocol sweep", "skips": "Not measured", "determinism": "Determinism",
    "citations": "Same number, several papers", "notes": "Notes",
}


def paper_anchor(paper: str) -> str:
    return "paper-" + re.sub(r"[^a-z0-9]+", "-", paper.lower()).strip("-")[:60]


def table_of_contents(parts: Sequence[str], sections: ReportSections) -> str:
    """Links to the sections present on the page, and to each paper's table."""
    present = [key for key in SECTION_TITLES if any(f'<section id="{key}">' in part for part in parts)]
    links = " · ".join(f'<a href="#{key}">{escape(SECTION_TITLES[key])}</a>' for key in present)
    papers = "".join(f'<li><a href="#{paper_anchor(paper.paper)}">{escape(paper.paper)}</a> ({len(paper.results)})</li>'
                     for paper in sections.papers)
    paper_list = (f'<details><summary>{len(sections.papers)} papers</summary><ul class="papers">{papers}</ul>'
                  "</details>") if papers else ""
    return f'<nav id="contents"><p>{links}</p>{paper_list}</nav>'


def results_table(paper: str, results: Sequence[PaperValueResult], columns: Sequence[Column]) -> str:
    """A paper's table with the model's ``columns``."""
    head = "".join(f"<th>{escape(column.header)}</th>" for column in columns)
    body = "\n".join(result_row(r, columns) for r in results)
    return (f'<table class="results" data-paper="{escape(paper, quote=True)}"><thead><tr>{head}</tr>'
            f"</thead><tbody>\n{body}\n</tbody></table>")


def chart(svg: str | None, title: str = "") -> str:
    if not svg:
        return ""
    label = f' aria-label="{escape(title, quote=True)}"' if title else ""
    return f'<figure class="chart" role="img"{label}>{svg}</figure>'


def render_html(report: Report | ReportSections, history: Sequence[dict[str, Any]] = ()) -> str:
    """The whole page; ``history`` (entries of history.jsonl) feeds the trend chart."""
    sections = report if isinstance(report, ReportSections) else build_sections(report)
    parts = [_header(sections), _summary(sections), _your_run(sections), _changes(sections), _not_reproduced(sections),
             _published(sections), _trend(history), _papers(sections), _sweep(sections), _skips(sections),
             _determinism(sections), _citations(sections), _notes(sections), '<div id="page-errors"></div>']
    parts.insert(1, table_of_contents(parts, sections))
    body = "\n".join(p for p in parts if p)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>audiorepro reproduction report</title>"
            f"<script>{ERROR_CAPTURE}{FILTER_SCRIPT}</script><style>{STYLE}</style></head>\n<body>\n{body}\n"
            "</body></html>\n")


def _header(sections: ReportSections) -> str:
    """Title and run facts (time, commit, pytest status and command line, platform)."""
    run = sections.run
    meta = [f"generated {escape(run.generated_at)}"]
    if run.commit:
        meta.append(f"commit <code>{escape(run.commit[:12])}</code>")
    if run.pytest_exit_status is not None:
        meta.append(f"pytest exit status {run.pytest_exit_status}")
    if run.pytest_args:
        meta.append(f"<code>pytest {escape(' '.join(run.pytest_args))}</code>")
    if run.platform:
        meta.append(f"{escape(run.platform)}, Python {escape(run.python or '')}")
    return f'<header><h1>audiorepro reproduction report</h1><p class="meta">{" · ".join(meta)}</p></header>'


def _summary(sections: ReportSections) -> str:
    """Headline counts, per-status cards, counts per paper, and the no-data warning."""
    parts: list[str] = []
    summary = sections.summary
    counts = summary.counts
    parts.append('<section id="summary"><h2>Summary</h2>')
    parts.append(f'<p class="headline"><strong><span data-count="reproduces">{counts["reproduces"]}</span> of '
                 f'<span data-count="measured">{summary.measured}</span> measured published numbers reproduce</strong> '
                 f'(<span data-count="total">{counts["total"]}</span> checked; '
                 f'<span data-count="changed">{counts["changed"]}</span> contradict their golden expectation).</p>')
    cards = [f'<div class="card" style="--c:{plots.STATUS_COLOURS.get(s, "#000")}" data-status="{s}">'
             f'<span class="n" data-count="{s}">{counts[s]}</span>{escape(status_label(s))}</div>' for s in STATUSES]
    if summary.per_paper:
        rows = [[f'<td><a href="#{paper_anchor(paper)}">{escape(paper)}</a></td>']
                + [f'<td class="num">{paper_counts[s] or ""}</td>' for s in STATUSES]
                + [f'<td class="num">{paper_counts["total"]}</td>'] for paper, paper_counts in summary.per_paper]
        cards_after = html_table(["paper", *(status_label(s) for s in STATUSES), "total"], rows, "per-paper")
    else:
        cards_after = ""
    if summary.warning:
        parts.append(f'<p class="warning" id="data-warning"><strong>Warning:</strong> {escape(summary.warning)}</p>')
    parts.append(f'<div class="cards">{"".join(cards)}</div>{cards_after}</section>')
    return "\n".join(parts)


def _changes(sections: ReportSections) -> str:
    """Numbers whose status contradicts their golden expectation."""
    parts = ['<section id="changes"><h2>Status changed against the golden expectation</h2>']
    if sections.changes:
        rows = [[text_cell(r.id, "id", "id"), text_cell(status_label(r.expected_status), "expected"),
                 f"<td>{status_badge(r.status)}</td>", number_cell("published", r.published, fmt_number(r.published)),
                 number_cell("value", r.value, fmt_number(r.value)), number_cell("delta", r.delta, fmt_delta(r.delta)),
                 text_cell(r.reason, "reason")] for r in sections.changes]
        parts.append(html_table(["id", "expected", "now", "published", "reproduced", "Δ", "reason"], rows))
    else:
        parts.append("<p>None: every measured number has the status its golden entry expects.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _not_reproduced(sections: ReportSections) -> str:
    """Measured numbers that differ or errored, worst first, with the reason."""
    parts = ['<section id="not-reproduced"><h2>Does not reproduce</h2>']
    if sections.failures:
        items = []
        for failure in sections.failures:
            r = failure.result
            protocol = f" under <code>{escape(r.protocol)}</code>" if r.protocol else ""
            interval = f", 95 % interval {escape(fmt_interval(r.interval))}" if r.interval else ""
            noise = f" <em>{escape(failure.noise.capitalize())}.</em>" if failure.noise else ""
            items.append(f'<li data-id="{escape(r.id, quote=True)}"><code>{escape(r.id)}</code> '
                         f"{status_badge(r.status)}: published {escape(fmt_number(r.published))} {escape(r.unit)}, "
                         f"reproduced {escape(fmt_number(r.value))}{protocol} (Δ {escape(fmt_delta(r.delta))}, "
                         f"tolerance {escape(fmt_tolerance(r.tolerance))}{interval}).{noise} {escape(r.reason)}</li>")
        parts.append(f"<ul>{''.join(items)}</ul>")
    else:
        parts.append("<p>Every measured number reproduces.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _published(sections: ReportSections) -> str:
    """Published vs reproduced charts, per task and metric."""
    parts: list[str] = []
    charts = plots.published_vs_reproduced(sections.results)
    if charts:
        parts.append('<section id="published-vs-reproduced"><h2>Published vs reproduced</h2>'
                     '<p class="muted">Blue: the printed value and its tolerance band. Dot: the reproduced value '
                     '(colour = status) with its 95 % interval.</p>')
        parts.extend(chart(svg, title) for title, svg in charts)
        parts.append("</section>")
    return "\n".join(parts)


def _trend(history: Sequence[dict[str, Any]]) -> str:
    """Numbers per status over the runs in history.jsonl."""
    trend_svg = plots.trend(history)
    return f'<section id="trend"><h2>Trend</h2>{chart(trend_svg, "trend")}</section>' if trend_svg else ""


def _papers(sections: ReportSections) -> str:
    """One table per paper (measured first; not measured folded), with the row filter."""
    parts = ['<section id="papers"><h2>Results per paper</h2>']
    checkboxes = "".join(f'<label><input type="checkbox" data-filter-status="{s}" checked> {escape(status_label(s))}'
                         "</label> " for s in STATUSES)
    parts.append('<p class="filter"><input id="filter-text" type="search" size="40" '
                 'placeholder="filter rows: id, model, dataset, protocol, …" aria-label="filter rows"> '
                 f'{checkboxes}<span id="filter-count" class="muted"></span></p>')
    for paper in sections.papers:
        summary = ", ".join(f"{n} {status_label(s)}" for s, n in paper.status_counts)
        parts.append(f'<h3 id="{paper_anchor(paper.paper)}">{escape(paper.paper)}</h3>'
                     f'<p class="muted">{len(paper.results)} numbers: {escape(summary)}.</p>')
        if paper.measured:
            parts.append(results_table(paper.paper, paper.measured, paper.measured_columns))
        if paper.not_measured:
            table = results_table(paper.paper, paper.not_measured, paper.not_measured_columns)
            parts.append(f"<details><summary>{len(paper.not_measured)} numbers not measured (no predictions or "
                         f"unavailable)</summary>{table}</details>")
    parts.append("</section>")
    return "\n".join(parts)


def _your_run(sections: ReportSections) -> str:
    """Your own run (``--run``): the rows of ``Report.your_run_table``, rendered."""
    if sections.your_run is None:
        return ""
    cells = [[text_cell(value) for value in row] for row in sections.your_run.rows]
    return (f'<section id="your-run"><h2>Your run</h2><p class="muted">{escape(sections.your_run.summary)}</p>'
            f'{html_table(sections.your_run.headers, cells, "your-run")}</section>')


def _sweep(sections: ReportSections) -> str:
    """Every applicable protocol on each prediction set: chart and table."""
    parts: list[str] = []
    if sections.sweeps:
        parts.append('<section id="protocol-sweep"><h2>Protocol sweep per prediction set</h2>'
                     '<p class="muted">The same predictions under every applicable protocol (blue: the protocol of '
                     "the golden entry; dashed: published values).</p>")
        for sweep in sections.sweeps:
            ids = ", ".join(f"<code>{escape(r.id)}</code>" for r in sweep.results)
            parts.append(f'<h3>{escape(sweep.title)}</h3><p class="muted">checked against: {ids}</p>')
            parts.append(chart(plots.protocol_spread(sweep.results), sweep.title))
            parts.append(html_table(["protocol", "value", "n", "skipped", "signature"],
                                    [sweep_cells(row) for row in sweep.rows]))
        parts.append("</section>")
    return "\n".join(parts)


def sweep_cells(row: SweepRow) -> list[str]:
    """``<td>`` cells of one sweep row (protocol in bold for a golden entry's own)."""
    if row.primary:
        return [f'<td data-field="protocol"><strong>{escape(row.protocol)}</strong></td>',
                number_cell("value", row.value, fmt_number(row.value)),
                number_cell("n", row.n, str(row.n) if row.n is not None else MISSING),
                text_cell(fmt_skipped(row.skipped)), text_cell(row.signature, css="id")]
    value = (number_cell("value", row.value, fmt_number(row.value)) if row.available
             else text_cell(f"unavailable: {row.reason or ''}", "value"))
    return [text_cell(row.protocol, "protocol"), value, number_cell("n", row.n, str(row.n)),
            text_cell(fmt_skipped(row.skipped)), text_cell(row.signature, css="id")]


def _skips(sections: ReportSections) -> str:
    """Numbers not measured, grouped by reason."""
    parts: list[str] = []
    if sections.skips:
        parts.append('<section id="skips"><h2>Not measured, by reason</h2>')
        for reason, ids in sections.skips.items():
            listing = "".join(f"<li><code>{escape(i)}</code></li>" for i in ids)
            parts.append(f'<details><summary><strong data-count="skip">{len(ids)}</strong> × {escape(reason)}'
                         f'</summary><ul class="ids">{listing}</ul></details>')
        parts.append("</section>")
    return "\n".join(parts)


def _determinism(sections: ReportSections) -> str:
    """Determinism: snapshot agreement per device model, then the other records whatever keys they carry."""
    section = sections.determinism
    if not section:
        return ""
    body = []
    if section.origin:
        body.append(f"<p>{escape(section.origin)}</p>")
    if section.agreement:
        body.append("<h3>Snapshots across device models</h3>" + _cells_table(section.agreement))
    if section.others:
        body.append(_cells_table(section.others))
    return '<section id="determinism"><h2>Determinism</h2>' + "".join(body) + "</section>"


def _cells_table(table: DeterminismTable) -> str:
    return html_table(table.columns, [[text_cell(value, key) for key, value in zip(table.columns, row, strict=True)]
                                      for row in table.rows])


def _citations(sections: ReportSections) -> str:
    """The same number as published by several papers, side by side."""
    parts: list[str] = []
    groups = sections.citations
    if groups:
        parts.append('<section id="citations"><h2>The same number as reported by different papers</h2>'
                     f'<p class="muted">{len(groups)} numbers (model, dataset, split, metric) published by more '
                     "than one paper, side by side; \"test data as original\" says whether the citing paper used "
                     "the original paper's test set.</p>")
        rows = []
        for group in groups:
            key = (f"<td rowspan=\"{len(group.rows)}\" class=\"group\"><strong>{escape(group.model)}"
                   f"</strong><br>{escape(group.dataset)} / {escape(group.split)}<br>"
                   f"{escape(group.metric)}</td>")
            for index, row in enumerate(group.rows):
                rows.append(([key] if index == 0 else [])
                            + [text_cell(row["paper"]), text_cell(row["value"], css="num"), text_cell(row["unit"]),
                               text_cell(row["group_value"], css="num"), text_cell(row["test_data"]),
                               text_cell(row["code"], css="source"), text_cell(row["status"]),
                               text_cell(row["id"], css="id"),
                               text_cell(row["source"], css="source")])
        parts.append(html_table(["number", *CITATION_HEADERS], rows, "citations"))
        parts.append("</section>")
    return "\n".join(parts)


def _notes(sections: ReportSections) -> str:
    """Problems met while collecting the results."""
    if not sections.notes:
        return ""
    return ('<section id="notes"><h2>Notes</h2><ul>'
            + "".join(f"<li>{escape(n)}</li>" for n in sections.notes) + "</ul></section>")
