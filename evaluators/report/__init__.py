"""The reproduction report: results model -> ``results.json`` / ``report.md`` / ``index.html`` / history.

* :mod:`~evaluators.report.model`: :class:`Report` (what a run found) and the expectation check;
* :mod:`~evaluators.report.run`: the facts that identify a run (commit, versions, machine);
* :mod:`~evaluators.report.formatting`: how numbers are printed (shared by markdown and HTML);
* :mod:`~evaluators.report.schema`: ``results.schema.json`` validation, :func:`load_results`;
* :mod:`~evaluators.report.markdown`, :mod:`~evaluators.report.html`, :mod:`~evaluators.report.plots`: renderings;
* :mod:`~evaluators.report.history`: ``history.jsonl`` (one line per run);
* :mod:`~evaluators.report.writer` + :mod:`~evaluators.atomic`: all-or-nothing writing;
* :mod:`~evaluators.report.diff`: what changed status between two reports;
* :mod:`~evaluators.report.plugin`: the pytest plugin that builds the report from ``paper_values`` results.

The file layout and the schema are documented in ``docs/report.md``.
"""

from evaluators.report.model import Report, ReportFormatError, is_expectation_change, merge_reports
from evaluators.report.schema import load_results, validate_results

__all__ = ["Report", "ReportFormatError", "is_expectation_change", "load_results", "merge_reports",
           "validate_results"]
