"""One test per golden entry: recompute the published number from real predictions, or say why not.

For an entry with a prediction set (``predictions:`` in its golden file) found on this machine (the data
directory ``--data-dir``/``AUDIOREPRO_DATA``, the ``audiorepro fetch`` cache, or the permissively licensed
sets shipped with the package), the predictions are scored under the entry's protocol (its first candidate) and
converted into the published unit, then:

* ``reproduces``: the test asserts the value is within tolerance (:func:`evaluators.golden.tolerance`);
* ``differs``: the test xfails with the measured value in the reason; if the value comes within
  tolerance it FAILS (strict), so the registry gets updated;
* ``unknown``: the measurement is recorded and the test skips, asking for a status decision (an entry
  without a decided status must not pass silently).

Scoring, the protocol sweep and the verdict (``reproduces`` / ``consistent`` / ``differs`` /
``unavailable`` over every candidate protocol) come from :func:`evaluators.checking.evaluate_entry`, the
function ``audiorepro check`` uses; this module adds the regression rule against the golden ``status``.
Entries without predictions skip with a reason naming what would enable them. Every test attaches a
``PaperValueResult`` (with the sweep and the verdict) for the report before it passes, skips or xfails.
"""

from __future__ import annotations

from typing import Any

import pytest

from evaluators import golden
from evaluators.checking import DEFAULT_NO_PREDICTIONS_REASON, EntryVerdict, evaluate_entry
from evaluators.errors import UnknownProtocolError
from evaluators.golden import GoldenEntry, expected_outcome
from evaluators.language_pair import pair_of_dataset_key, protocol_filter
from evaluators.protocols import get_protocol
from evaluators.verdict import PaperValueResult, SweepValue, attach

pytestmark = pytest.mark.paper_values

ENTRIES = golden.all_entries()


def _result(entry: GoldenEntry, status: str, **fields: Any) -> PaperValueResult:
    return PaperValueResult(
        id=entry.id, paper=entry.paper, model=entry.model, task=entry.task, dataset=entry.dataset,
        split=entry.split, metric=entry.metric, published=entry.value, unit=entry.unit, direction=entry.direction,
        status=status, expected_status=entry.status, protocol=entry.protocol, tolerance=entry.tolerance,
        prediction_file=entry.predictions.file if entry.predictions else None,
        extra={"printed": entry.printed, "source": entry.source, "golden_file": entry.paper_key,
               "remeasures": entry.remeasures, "quotes": entry.quotes,
               "citation": entry.citation.__dict__.copy() if entry.citation else None}, **fields)


def _skip(request: pytest.FixtureRequest, entry: GoldenEntry, status: str, reason: str) -> None:
    attach(request.node.user_properties, _result(entry, status, reason=reason))
    pytest.skip(reason)


def _no_predictions_reason(entry: GoldenEntry) -> str:
    if entry.reason and entry.reason != DEFAULT_NO_PREDICTIONS_REASON:
        return f"{entry.reason} (golden entry {entry.id} has no `predictions:` block)"
    return (f"no public per-sample predictions for this number: a file of {entry.model} outputs on {entry.dataset} "
            f"{entry.split} under AUDIOREPRO_DATA, named in golden entry {entry.id} as `predictions: {{file, format}}`"
            f" (formats: `audiorepro score --help`), would enable it")


def _sweep(verdict: EntryVerdict) -> list[SweepValue]:
    """The rows of every other candidate protocol (the library's sweep), in the report's form."""
    return [SweepValue(row.protocol, row.value, row.signature, row.n, dict(row.skipped),
                       available=row.value is not None or row.failure == "no_items",
                       reason=f"not applicable: {row.reason}" if row.status == "not_applicable" else row.reason)
            for row in verdict.rows if not row.primary]


def _join_summary(prediction_set: Any) -> tuple[str, dict[str, Any]]:
    """Items an answer-key join left out (MMAU revisions): they are not scored and not 'skipped' by the protocol."""
    key = prediction_set.metadata.get("answer_key") if isinstance(prediction_set.metadata, dict) else None
    if not isinstance(key, dict) or "missing" not in key:
        return "", {}
    info = {"answer_key_revision": key.get("revision"), "join_matched": key.get("matched"),
            "join_missing": key.get("missing"), "key_unanswered": key.get("unanswered")}
    text = (f", answer key {key.get('revision')}: {key.get('matched')} outputs joined, {key.get('missing')} not in "
            f"this revision" if key.get("missing") else "")
    return text, info


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.id for entry in ENTRIES])
def test_paper_value(entry: GoldenEntry, data_dir: Any, paper_scoring: Any, request: pytest.FixtureRequest) -> None:
    if entry.predictions is None:
        _skip(request, entry, "no_predictions", _no_predictions_reason(entry))
    from evaluators import sources
    from evaluators.sources import MissingDataError

    try:  # data directory, cache, or the permissively licensed sets shipped with the package
        for relative in entry.predictions.files():
            sources.resolve(data_dir, relative)
    except MissingDataError as error:
        _skip(request, entry, "no_predictions", str(error))
    try:
        get_protocol(entry.protocol)
    except UnknownProtocolError:
        _skip(request, entry, "unavailable", f"protocol {entry.protocol} not registered yet")
    try:
        prediction_set = paper_scoring.sets.load(data_dir, entry.predictions)
    except paper_scoring.NotReady as error:
        _skip(request, entry, "unavailable", str(error))
    selection = protocol_filter(prediction_set, pair_of_dataset_key(entry.dataset_key))
    verdict = evaluate_entry(entry, prediction_set, key=paper_scoring.sets.key(entry.predictions),
                             fmt=entry.predictions.format, scorer=paper_scoring.scorer,
                             applicable=selection.applicable, adapt=selection.adapt)
    primary = verdict.primary
    if primary.status == "not_applicable":
        _skip(request, entry, "unavailable", f"{primary.protocol} does not apply: {primary.reason}")
    if primary.failure in ("unavailable", "unit"):
        _skip(request, entry, "unavailable", f"{primary.protocol} is unavailable: {primary.reason}")
    if primary.failure is not None:
        reason = f"{primary.protocol} on {entry.predictions.describe()}: {primary.reason}"
        attach(request.node.user_properties, _result(entry, "error", reason=reason, signature=primary.signature,
                                                     skipped=dict(primary.skipped), n=0))
        pytest.fail(reason)

    outcome = expected_outcome(entry, primary.value)
    join = _join_summary(prediction_set)
    detail = (f"{outcome.message}; {primary.protocol} on {entry.predictions.describe()}, n={primary.n}, "
              f"skipped={dict(primary.skipped)}{join[0]}, signature {primary.signature}")
    result = _result(entry, "reproduces" if primary.status == "reproduces" else "differs", value=primary.value,
                     delta=primary.delta, interval=primary.interval, signature=primary.signature, n=primary.n,
                     skipped=dict(primary.skipped), sweep=_sweep(verdict), verdict=verdict.verdict,
                     closest_protocol=verdict.closest_protocol,
                     reason=entry.reason if entry.status != "unknown" else detail)
    result.extra.update(join[1])
    attach(request.node.user_properties, result)

    if outcome.action == "fail":
        pytest.fail(detail)
    elif outcome.action == "xfail":
        pytest.xfail(f"{detail}. {entry.reason}")
    elif outcome.action == "skip":
        pytest.skip(detail)
