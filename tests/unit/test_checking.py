"""The one verdict logic (evaluators.checking): each verdict class on hand-made runs, rows, closest protocol."""

from __future__ import annotations

import pytest

from evaluators.checking import (
    NORMALISED_FORMATS,
    ProtocolRow,
    Scorer,
    candidate_protocols,
    decide,
    evaluate_entry,
    format_applicability,
    row_status,
    score_row,
)
from evaluators.golden import GoldenEntry
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols import get_protocol


def entry(printed: str, *, unit: str = "percent", protocols: tuple[str, ...] = ("ASR-AB",)) -> GoldenEntry:
    return GoldenEntry(
        id="toy/toy-7b/toyspeech-test-clean/wer", origin="paper-values", paper="Toy", arxiv="0000.00000", table="1",
        model="Toy-7B", model_key="toy-7b", task="ASR", dataset="ToySpeech", dataset_key="toyspeech", split="test",
        split_key="test-clean", metric="WER", metric_key="wer", direction="lower", value=float(printed),
        printed=printed, unit=unit, n=None, source="hand-made", protocols=protocols)


def run_with_wer_10_percent() -> PredictionSet:
    """20 five-word utterances, two of them entirely wrong: corpus WER 10/100 = 10 %, a wide interval."""
    items = []
    for index in range(20):
        reference = "the cat sat on mats"
        prediction = "a dog ran by rugs" if index in (3, 11) else reference
        items.append(PredictionItem(str(index), prediction, (reference,)))
    return PredictionSet("toy", "hand-made", tuple(items))


RUN = run_with_wer_10_percent()


def test_reproduces_when_the_value_is_within_the_printed_rounding() -> None:
    verdict = evaluate_entry(entry("10.0"), RUN, sweep=False)
    assert verdict.verdict == "reproduces"
    assert verdict.closest_protocol == "ASR-AB"
    row = verdict.primary
    assert row.value == pytest.approx(10.0) and row.status == "reproduces" and row.n == 20
    assert row.interval is not None and row.interval[0] < 10.0 < row.interval[1]


def test_consistent_when_outside_rounding_but_inside_the_runs_interval() -> None:
    verdict = evaluate_entry(entry("12.0"), RUN, sweep=False)
    low, high = verdict.primary.interval
    assert low < 12.0 < high
    assert verdict.verdict == "consistent"
    assert verdict.primary.delta == pytest.approx(-2.0)
    assert 0 < -verdict.primary.delta_in_intervals < 1


def test_differs_when_outside_rounding_and_interval() -> None:
    verdict = evaluate_entry(entry("60.0"), RUN, sweep=False)
    assert verdict.verdict == "differs"
    assert verdict.closest_protocol == "ASR-AB"
    assert verdict.primary.delta == pytest.approx(-50.0)
    assert abs(verdict.primary.delta_in_intervals) > 1


def test_unavailable_without_candidate_protocols_names_the_reason() -> None:
    verdict = evaluate_entry(entry("10.0", protocols=()), RUN)
    assert verdict.verdict == "unavailable" and verdict.closest_protocol is None
    assert "no candidate protocol" in verdict.reason


def test_unavailable_when_every_protocol_fails_and_failures_never_raise() -> None:
    def broken() -> None:
        raise RuntimeError("cannot read item 3")

    row = score_row(entry("10.0"), get_protocol("ASR-AB"), broken, primary=True)
    assert row.status == "unavailable" and row.failure == "error" and "cannot read item 3" in row.reason
    verdict = decide(entry("10.0"), [row])
    assert verdict.verdict == "unavailable" and "ASR-AB" in verdict.reason


def test_a_run_where_every_item_is_skipped_is_unavailable() -> None:
    empty = PredictionSet("toy", "hand-made", (PredictionItem("0", "<|endoftext|>", ("",)),))
    verdict = evaluate_entry(entry("10.0", protocols=("ST-JW-JA",)), empty, sweep=False)
    assert verdict.verdict == "unavailable" and verdict.primary.failure in ("no_items", "error")


def test_a_value_in_another_scale_is_an_unavailable_row() -> None:
    verdict = evaluate_entry(entry("10.0", unit="score"), RUN, sweep=False)
    assert verdict.verdict == "unavailable" and verdict.primary.failure == "unit"


def test_reproduces_by_another_candidate_names_it_as_closest() -> None:
    rows = [ProtocolRow("A", row_status(entry("10.0"), 12.0, (11.0, 13.0)), value=12.0, interval=(11.0, 13.0),
                        delta=2.0, primary=True),
            ProtocolRow("B", row_status(entry("10.0"), 10.02, None), value=10.02, delta=0.02)]
    verdict = decide(entry("10.0"), rows)
    assert [row.status for row in rows] == ["differs", "reproduces"]
    assert verdict.verdict == "reproduces" and verdict.closest_protocol == "B"


def test_consistent_only_through_the_entrys_own_protocol() -> None:
    rows = [ProtocolRow("A", "differs", value=20.0, interval=(19.0, 21.0), delta=10.0, primary=True),
            ProtocolRow("B", "consistent", value=11.0, interval=(8.0, 14.0), delta=1.0)]
    verdict = decide(entry("10.0"), rows)
    assert verdict.verdict == "differs" and verdict.closest_protocol == "B"


def test_not_applicable_protocols_are_listed_not_scored() -> None:
    verdict = evaluate_entry(entry("10.0"), RUN, applicable=lambda p: None if p.id == "ASR-AB" else "not this one")
    statuses = {row.protocol: row.status for row in verdict.rows}
    assert statuses["ASR-AB"] == "reproduces"
    assert set(statuses.values()) == {"reproduces", "not_applicable"} and len(statuses) > 5


def test_sweep_covers_the_family_for_raw_outputs_and_only_candidates_for_normalised_text() -> None:
    raw = candidate_protocols(entry("10.0", protocols=("ASR-JW", "ASR-AB")), "generic-jsonl")
    assert raw[0].id == "ASR-JW" and {p.id for p in raw} >= {"ASR-AB", "ASR-QWEN2", "ASR-NOTA"}
    normalised = candidate_protocols(entry("10.0", protocols=("ASR-JW", "ASR-AB")), next(iter(NORMALISED_FORMATS)))
    assert [p.id for p in normalised] == ["ASR-JW", "ASR-AB", "ASR-AB-SCORED"]  # + protocols for normalised text


def test_a_protocol_for_normalised_text_does_not_apply_to_raw_outputs() -> None:
    verdict = evaluate_entry(entry("10.0"), RUN, fmt="generic-jsonl")
    scored = {row.protocol: row for row in verdict.rows}
    assert scored["ASR-AB-SCORED"].status == "not_applicable" and "raw model outputs" in scored["ASR-AB-SCORED"].reason
    assert format_applicability(get_protocol("ASR-AB-SCORED"), "audiobench-score") is None


def test_scorer_scores_each_protocol_once_per_set() -> None:
    scorer = Scorer()
    first = evaluate_entry(entry("10.0"), RUN, key="run", scorer=scorer, sweep=False)
    second = evaluate_entry(entry("60.0"), RUN, key="run", scorer=scorer, sweep=False)
    assert len(scorer._scores) == 1
    assert first.primary.value == second.primary.value


def test_as_dict_has_the_check_json_fields() -> None:
    data = evaluate_entry(entry("60.0"), RUN, sweep=False).as_dict()
    assert {"entry", "published", "unit", "verdict", "closest_protocol", "results"} <= set(data)
    assert {"protocol", "value", "interval", "status"} <= set(data["results"][0])
