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

Entries without predictions skip with a reason naming what would enable them. Every test attaches a
``PaperValueResult`` (with the protocol sweep: the same predictions under every other protocol of the
family; see ``_sweep``) for the report before it passes, skips or xfails.
"""

from __future__ import annotations

from typing import Any

import pytest

from evaluators import golden
from evaluators.errors import ProtocolUnavailableError, UnknownProtocolError
from evaluators.golden import GoldenEntry, expected_outcome, to_published_unit, within_tolerance
from evaluators.protocols import all_protocols, get_protocol
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


#: the converter's default ``reason`` of an entry without predictions (a curated reason is shown instead)
DEFAULT_NO_PREDICTIONS_REASON = "no public per-sample predictions for this number"


def _no_predictions_reason(entry: GoldenEntry) -> str:
    if entry.reason and entry.reason != DEFAULT_NO_PREDICTIONS_REASON:
        return f"{entry.reason} (golden entry {entry.id} has no `predictions:` block)"
    return (f"no public per-sample predictions for this number: a file of {entry.model} outputs on {entry.dataset} "
            f"{entry.split} under AUDIOREPRO_DATA, named in golden entry {entry.id} as `predictions: {{file, format}}`"
            f" (formats: `audiorepro score --help`), would enable it")


#: formats whose texts are already normalised by the benchmark: protocols that start from raw model output do
#: not apply to them, so their sweep is the entry's other candidate protocols only
NORMALISED_FORMATS = frozenset({"audiobench-score"})


def _sweep_protocols(entry: GoldenEntry, family: str) -> list[Any]:
    if entry.predictions.format in NORMALISED_FORMATS:
        candidates = []
        for protocol_id in entry.protocols[1:]:
            try:
                candidates.append(get_protocol(protocol_id))
            except UnknownProtocolError:
                continue
        return candidates
    return [protocol for protocol in all_protocols(family) if protocol.id != entry.protocol]


def _sweep(scoring: Any, data_dir: Any, entry: GoldenEntry, family: str) -> list[SweepValue]:
    """The same predictions under every other applicable protocol, in the published unit.

    Applicable: every other protocol of the family for raw model outputs; for sets of already-normalised
    text (:data:`NORMALISED_FORMATS`) only the entry's other candidate protocols.
    """
    out: list[SweepValue] = []
    for protocol in _sweep_protocols(entry, family):
        if protocol.unavailable:
            out.append(SweepValue(protocol.id, None, protocol.signature(), available=False,
                                  reason=protocol.unavailable))
            continue
        try:
            score = scoring.pick(scoring.score_set(data_dir, entry.predictions, protocol.id, interval=False), entry)
        except ProtocolUnavailableError as error:
            out.append(SweepValue(protocol.id, None, protocol.signature(), available=False, reason=error.reason))
            continue
        except Exception as error:  # a protocol that cannot read these items (no choices, ...) is not applicable
            out.append(SweepValue(protocol.id, None, protocol.signature(), available=False,
                                  reason=f"not applicable: {type(error).__name__}: {error}"))
            continue
        value = None if score.value is None else to_published_unit(score.value, score.unit, entry.unit)
        out.append(SweepValue(protocol.id, value, score.signature, score.n, dict(score.skipped)))
    return out


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
    from evaluators.sources import MissingDataError

    try:  # data directory, cache, or the permissively licensed sets shipped with the package
        for relative in entry.predictions.files():
            paper_scoring.resolve_file(data_dir, relative)
    except MissingDataError as error:
        _skip(request, entry, "no_predictions", str(error))
    try:
        protocol = get_protocol(entry.protocol)
    except UnknownProtocolError:
        _skip(request, entry, "unavailable", f"protocol {entry.protocol} not registered yet")
    try:
        score = paper_scoring.pick(paper_scoring.score_set(data_dir, entry.predictions, protocol.id, interval=True),
                                   entry)
    except paper_scoring.NotReady as error:
        _skip(request, entry, "unavailable", str(error))
    except ProtocolUnavailableError as error:
        _skip(request, entry, "unavailable", str(error))
    if score.value is None:
        reason = f"{protocol.id} kept no item of {entry.predictions.describe()} (skipped: {dict(score.skipped)})"
        attach(request.node.user_properties, _result(entry, "error", reason=reason, signature=score.signature,
                                                     skipped=dict(score.skipped), n=0))
        pytest.fail(reason)

    value = to_published_unit(score.value, score.unit, entry.unit)
    interval = None
    if score.interval is not None:
        interval = (to_published_unit(score.interval.low, score.unit, entry.unit),
                    to_published_unit(score.interval.high, score.unit, entry.unit))
    delta = value - entry.value
    reproduces = within_tolerance(value, entry)
    sweep = _sweep(paper_scoring, data_dir, entry, protocol.family)
    outcome = expected_outcome(entry, value)
    join = _join_summary(paper_scoring.load_set(data_dir, entry.predictions))
    detail = (f"{outcome.message}; {protocol.id} on {entry.predictions.describe()}, n={score.n}, "
              f"skipped={dict(score.skipped)}{join[0]}, signature {score.signature}")
    result = _result(entry, "reproduces" if reproduces else "differs", value=value, delta=delta, interval=interval,
                     signature=score.signature, n=score.n, skipped=dict(score.skipped), sweep=sweep,
                     reason=entry.reason if entry.status != "unknown" else detail)
    result.extra.update(join[1])
    attach(request.node.user_properties, result)

    if outcome.action == "fail":
        pytest.fail(detail)
    elif outcome.action == "xfail":
        pytest.xfail(f"{detail}. {entry.reason}")
    elif outcome.action == "skip":
        pytest.skip(detail)
