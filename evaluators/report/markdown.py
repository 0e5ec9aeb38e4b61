"""``report.md``: the reproduction report as GitHub-flavoured markdown.

Sections: headline counts; numbers whose status contradicts their golden expectation; the "does not
reproduce" list with reasons; one table per paper; the protocol sweep per prediction set; numbers
not measured, grouped by reason; determinism results (when run); the citation side-by-side view
(when the golden registry provides it). Long lists are folded in ``<details>`` (GitHub renders it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from evaluators.report.formatting import (
    MISSING,
    STATUS_EMOJI,
    fmt_delta,
    fmt_interval,
    fmt_number,
    fmt_skipped,
    fmt_tolerance,
    status_label,
)
from evaluators.report.model import NOT_MEASURED_STATUSES, Report, noise_verdict
from evaluators.verdict import STATUSES, PaperValueResult

RESULT_COLUMNS = ("id", "model", "task", "dataset", "metric", "published", "reproduced", "Δ", "tolerance",
                  "interval", "protocol", "status")
#: every character some tool treats as a line break (str.splitlines' set): none may split a table row
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
NOT_MEASURED_COLUMNS = ("id", "model", "task", "dataset", "metric", "published", "status")
CITATION_HEADERS = ("paper", "value", "unit", "in the group's unit", "test data as original", "evaluation code",
                    "status", "id", "source")


def inline(value: Any) -> str:
    """Free text from results (reasons, notes, paper names, test ids, the command line) on one line with
    HTML escaped: ``report.md`` is rendered as HTML by GitHub and editors, so ``<script>`` in a reason
    must stay text, as in ``index.html``."""
    return escape_html(LINE_BREAKS.sub(" ", str(value)))


def cell(value: Any) -> str:
    """A markdown table cell: pipes escaped, newlines flattened, HTML escaped."""
    text = MISSING if value is None or value == "" else str(value)
    return inline(text.replace("\\", "\\\\").replace("|", "\\|"))


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return lines


def status_text(status: str) -> str:
    return f"{STATUS_EMOJI.get(status, '')} {status_label(status)}".strip()


def result_row(result: PaperValueResult) -> list[str]:
    dataset = f"{result.dataset} / {result.split}" if result.split else result.dataset
    return [f"`{result.id}`", result.model, result.task, dataset, result.metric, fmt_number(result.published),
            fmt_number(result.value), fmt_delta(result.delta), fmt_tolerance(result.tolerance),
            fmt_interval(result.interval), result.protocol or MISSING, status_text(result.status)]


def render_markdown(report: Report) -> str:
    """The whole report as GitHub-flavoured markdown."""
    lines: list[str] = []
    for section in (_header, _changes, _not_reproduced, _papers, _sweep, _skips, _determinism, _citations, _notes):
        lines += section(report)
    return "\n".join(lines).rstrip() + "\n"


def _header(report: Report) -> list[str]:
    """Title, run facts, headline, counts per status and per paper."""
    lines = ["# audiorepro reproduction report", ""]
    counts = report.counts()
    run = report.run
    commit = run.get("git_commit")
    lines.append(f"Generated {report.generated_at}" + (f" at commit `{commit[:12]}`" if commit else "")
                 + (f", pytest exit status {run['pytest_exit_status']}" if run.get("pytest_exit_status") is not None
                    else "") + ".")
    if run.get("pytest_args"):
        lines[-1] += f" Command: pytest {inline(' '.join(map(str, run['pytest_args'])))}."
    lines.append("")
    measured = counts["reproduces"] + counts["differs"]
    lines.append(f"**{counts['reproduces']} of {measured} measured published numbers reproduce** "
                 f"({counts['total']} checked; {counts['changed']} contradict their golden expectation).")
    lines.append("")
    if report.data_warning():
        lines += [f"> **Warning:** {report.data_warning()}", ""]
    lines += table(["status", "numbers"], [[status_text(s), counts[s]] for s in STATUSES]
                   + [["total", counts["total"]], ["changed vs golden expectation", counts["changed"]]])
    lines.append("")

    per_paper = report.per_paper_counts()
    if per_paper:
        lines += ["<details>", f"<summary>Counts per paper ({len(per_paper)} papers)</summary>", ""]
        lines += table(["paper", *(status_label(s) for s in STATUSES), "total"],
                       [[paper, *(paper_counts[s] for s in STATUSES), paper_counts["total"]]
                        for paper, paper_counts in per_paper])
        lines += ["", "</details>", ""]
    return lines


def _changes(report: Report) -> list[str]:
    """Numbers whose status contradicts their golden expectation."""
    lines: list[str] = []
    changes = report.expectation_changes()
    lines += ["## Status changed against the golden expectation", ""]
    if changes:
        lines += table(["id", "expected", "now", "published", "reproduced", "Δ", "reason"],
                       [[f"`{r.id}`", status_label(r.expected_status), status_text(r.status), fmt_number(r.published),
                         fmt_number(r.value), fmt_delta(r.delta), r.reason] for r in changes])
    else:
        lines.append("None: every measured number has the status its golden entry expects.")
    lines.append("")
    return lines


def _not_reproduced(report: Report) -> list[str]:
    """Measured numbers that differ or errored, worst first, with the reason."""
    lines: list[str] = []
    lines += ["## Does not reproduce", ""]
    failing = report.not_reproduced()
    if failing:
        for r in failing:
            interval = f", 95 % interval {fmt_interval(r.interval)}" if r.interval else ""
            protocol = f" under `{r.protocol}`" if r.protocol else ""
            noise = f" {noise_verdict(r).capitalize()}." if noise_verdict(r) else ""
            lines.append(f"- `{r.id}` ({status_label(r.status)}): published {fmt_number(r.published)} {r.unit}, "
                         f"reproduced {fmt_number(r.value)}{protocol} (Δ {fmt_delta(r.delta)}, tolerance "
                         f"{fmt_tolerance(r.tolerance)}{interval}).{noise} {cell(r.reason) if r.reason else ''}"
                         .rstrip())
    else:
        lines.append("Every measured number reproduces.")
    lines.append("")
    return lines


def _papers(report: Report) -> list[str]:
    """One table per paper: measured numbers, then the not-measured ones folded."""
    lines: list[str] = []
    lines += ["## Results per paper", ""]
    for paper, results in report.by_paper().items():
        summary = ", ".join(f"{n} {status_label(s)}" for s in STATUSES
                            if (n := sum(r.status == s for r in results)))
        lines += [f"### {inline(paper)}", "", f"{len(results)} numbers: {summary}.", ""]
        measured = [r for r in results if r.status not in NOT_MEASURED_STATUSES]
        not_measured = [r for r in results if r.status in NOT_MEASURED_STATUSES]
        if measured:
            lines += table(RESULT_COLUMNS, [result_row(r) for r in measured])
            lines.append("")
        if not_measured:
            lines += ["<details>", f"<summary>{len(not_measured)} numbers not measured (no predictions or "
                      "unavailable)</summary>", ""]
            lines += table(NOT_MEASURED_COLUMNS, [result_row(r)[:6] + [status_text(r.status)] for r in not_measured])
            lines += ["", "</details>", ""]
    return lines


def _sweep(report: Report) -> list[str]:
    """Every applicable protocol on each prediction set."""
    lines: list[str] = []
    spread = report.prediction_sets()
    if spread:
        lines += ["## Protocol sweep per prediction set", "",
                  "The same predictions scored under every applicable protocol: how far the protocol alone moves "
                  "the number.", ""]
        for title, results in spread.items():
            lines += [f"### {cell(title)}", "", "checked against: " + ", ".join(f"`{r.id}`" for r in results), ""]
            lines += table(["protocol", "value", "n", "skipped", "signature"], sweep_rows(results))
            lines.append("")
    return lines


def _skips(report: Report) -> list[str]:
    """Numbers not measured, grouped by reason."""
    lines: list[str] = []
    skips = report.skip_reasons()
    if skips:
        lines += ["## Not measured, by reason", ""]
        for reason, ids in skips.items():
            lines += ["<details>", f"<summary>{len(ids)} × {escape_html(reason)}</summary>", ""]
            lines += [f"- `{inline(identifier)}`" for identifier in ids]
            lines += ["", "</details>", ""]
    return lines


def _determinism(report: Report) -> list[str]:
    """Determinism: snapshot agreement per device model, then the other records whatever keys they carry."""
    lines: list[str] = []
    if report.determinism:
        lines += ["## Determinism", ""]
        origin = determinism_origin(report)
        if origin:
            lines += [origin, ""]
        headers, rows = device_model_agreement(report.determinism)
        if rows:
            lines += ["### Snapshots across device models", "",
                      "Per model and platform class: the device model each snapshot was taken on (reference) and "
                      "the outcome on every device model it was checked on (recorded checks and this run).", ""]
            lines += table(headers, rows)
            lines.append("")
        others = [row for row in report.determinism if row.get("record") != "snapshot"]
        if others:
            keys = determinism_columns(others)
            lines += table(keys, [[format_free(row.get(k)) for k in keys] for row in others])
            lines.append("")
    return lines


def determinism_origin(report: Report) -> str | None:
    """Which run the determinism records come from, when it is not the run the rest of the report describes."""
    facts = report.run.get("determinism_run")
    if not isinstance(facts, dict):
        return None
    command = " ".join(str(arg) for arg in facts.get("pytest_args", []))
    return (f"From the determinism run of {facts.get('generated_at', '?')}"
            + (f" (`pytest {command}`)" if command else "")
            + "; the paper-values results above come from their own run.")


def _outcome(outcome: Any, delta: Any) -> str:
    if outcome == "within tolerance" and isinstance(delta, (int, float)):
        return f"within tolerance (Δ {delta:.3g})"
    return str(outcome)


def device_model_agreement(rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Pivot of the ``record: snapshot`` rows: one line per (model, platform), one column per device model.

    A cell says ``reference`` for the device model the snapshot was taken on, else the outcome
    (``identical``, ``within tolerance (Δ 0.023)``, ``mismatch``) of this run there or, failing
    that, of the check recorded in the snapshot's provenance.
    """
    snapshots = [row for row in rows if row.get("record") == "snapshot"]
    devices: list[str] = []
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for row in snapshots:
        key = (str(row.get("model")), str(row.get("platform")))
        line = cells.setdefault(key, {})
        taken = str(row.get("taken_on"))
        for device, check in (row.get("checked_on") or {}).items():
            if isinstance(check, dict):
                line.setdefault(str(device), f"{_outcome(check.get('outcome'), check.get('max_abs_logprob_delta'))} "
                                             "(recorded)")
            else:
                line.setdefault(str(device), f"{check} (recorded)")
        here = str(row.get("device_model"))
        line[here] = f"{_outcome(row.get('outcome'), row.get('max_abs_logprob_delta'))} (this run)"
        line[taken] = "reference" if here != taken else f"reference; {line[here]}"
        for device in (taken, here, *(row.get("checked_on") or {})):
            if str(device) not in devices:
                devices.append(str(device))
    headers = ["model", "platform", *devices]
    table_rows = [[model, platform, *[line.get(device, MISSING) for device in devices]]
                  for (model, platform), line in sorted(cells.items())]
    return headers, table_rows


def _citations(report: Report) -> list[str]:
    """The same number as published by several papers, side by side."""
    lines: list[str] = []
    groups = [g for g in (report.citations or []) if len(g.get("values", [])) > 1]
    if groups:
        lines += ["## The same number as reported by different papers", "",
                  f"{len(groups)} numbers (model, dataset, split, metric) published by more than one paper.", "",
                  "<details>", f"<summary>{len(groups)} numbers side by side</summary>", ""]
        rows = []
        for group in groups:
            key = f"**{group.get('model')}** {group.get('dataset')} / {group.get('split')} — {group.get('metric')}"
            for index, row in enumerate(citation_rows(group)):
                rows.append([key if index == 0 else "″", row["paper"], row["value"], row["unit"], row["group_value"],
                             row["test_data"], row["code"], row["status"], f"`{row['id']}`", row["source"]])
        lines += table(["number", *CITATION_HEADERS], rows)
        lines += ["", "</details>", ""]
    return lines


def _notes(report: Report) -> list[str]:
    """Problems met while collecting the results."""
    lines: list[str] = []
    if report.notes:
        lines += ["## Notes", ""] + [f"- {inline(note)}" for note in report.notes] + [""]
    return lines


def sweep_rows(results: Sequence[PaperValueResult]) -> list[list[str]]:
    """protocol, value, n, skipped, signature: the main protocol(s) first, then the sweep."""
    rows: dict[str, list[str]] = {}
    for r in results:
        if r.protocol and r.protocol not in rows:
            rows[r.protocol] = [f"**{r.protocol}**", fmt_number(r.value), fmt_number(r.n, 0) if r.n is not None
                                else MISSING, fmt_skipped(r.skipped), f"`{r.signature}`" if r.signature else MISSING]
    for r in results:
        for s in r.sweep:
            if s.protocol not in rows:
                value = fmt_number(s.value) if s.available else f"unavailable: {s.reason or ''}".strip()
                rows[s.protocol] = [s.protocol, value, str(s.n), fmt_skipped(s.skipped),
                                    f"`{s.signature}`" if s.signature else MISSING]
    return list(rows.values())


def citation_rows(group: dict[str, Any]) -> list[dict[str, str]]:
    """One display row per paper's value: the group's ``values`` merged with the audit ``rows`` the citation
    tests attach (value in the group's unit, test data, evaluation code and protocol, quotes/re-measures)."""
    audit = {row.get("id"): row for row in group.get("rows", []) if isinstance(row, dict)}
    out = []
    for value in group.get("values", []):
        row = {**value, **audit.get(value.get("id"), {})}
        code = " · ".join(str(part) for part in (row.get("eval_code"), row.get("protocol")) if part)
        relation = ("quotes " + str(row["quotes"])) if row.get("quotes") else (
            ("re-measures " + str(row["remeasures"])) if row.get("remeasures") else "")
        group_value = row.get("value_in_group_unit")
        out.append({
            "paper": str(row.get("paper") or ""), "value": str(row.get("printed") or format_free(row.get("value"))),
            "unit": str(row.get("unit") or ""),
            "group_value": format_free(group_value) if isinstance(group_value, (int, float)) else "",
            "test_data": str(row.get("test_data") or ""), "code": code, "status": str(row.get("status") or ""),
            "id": str(row.get("id") or ""),
            "source": " ".join(part for part in (str(row.get("source") or ""), relation) if part),
        })
    return out


def determinism_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Union of the keys of free-form determinism records, in first-seen order."""
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    return keys


def format_free(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return MISSING if value is None else str(value).lower()
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_free(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_free(v)}" for k, v in value.items())
    return str(value)


def escape_html(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (GitHub markdown renders inline HTML)."""
    return html.escape(text, quote=False)
