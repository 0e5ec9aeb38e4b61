"""The protocol machinery itself: steps, skips, aggregation, signatures, registry errors."""

import numpy as np
import pytest

from evaluators.errors import ProtocolUnavailableError, UnknownProtocolError
from evaluators.metrics.wer import ErrorRate
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import Protocol, Source, Step, get_protocol


def make_protocol(**overrides):
    fields = dict(
        id="TEST-WER", family="asr", title="test", sources=(Source("owner/repo", "path.py"),),
        steps=(Step("skip-empty", "skip", lambda p: "empty_output" if not p.hypothesis.strip() else None),
               Step("lowercase", "both", str.lower)),
        metric=ErrorRate(), params={"case": "lower"})
    fields.update(overrides)
    return Protocol(**fields)


def test_skipped_items_leave_numerator_and_denominator():
    predictions = PredictionSet.from_pairs(["A b c", "", "x y"], ["a b d", "q", "x y z"])
    score = make_protocol().score(predictions)
    assert score.value == pytest.approx(2 / 6)  # 1 sub + 1 del over 3 + 3 words; "q" skipped
    assert score.n == 2
    assert score.skipped == {"empty_output": 1}
    assert [d.skipped for d in score.items] == [None, "empty_output", None]


def test_macro_differs_from_corpus():
    predictions = PredictionSet.from_pairs(["a", "x y z w"], ["b", "x y z w"])
    corpus = make_protocol().score(predictions).value
    macro = make_protocol(aggregation="macro").score(predictions).value
    assert corpus == pytest.approx(1 / 5)
    assert macro == pytest.approx(0.5)


def test_signature_names_protocol_parameters_and_versions():
    signature = make_protocol(libraries=("jiwer",)).signature()
    assert signature.startswith("proto:TEST-WER|case:lower|")
    assert "agg:corpus" in signature and "jiwer:" in signature and "audiorepro:" in signature


def test_interval_contains_value():
    predictions = PredictionSet.from_pairs(["a b c d"] * 20 + ["x"] * 5, ["a b c e"] * 25)
    score = make_protocol().score(predictions)
    assert score.interval.low <= score.value <= score.interval.high


def test_a_protocol_must_cite_its_source():
    with pytest.raises(ValueError, match="cite"):
        make_protocol(sources=())


def test_unavailable_protocol_raises_named_error():
    with pytest.raises(ProtocolUnavailableError, match="needs a download"):
        make_protocol(unavailable="needs a download").score(PredictionSet.from_pairs(["a"], ["a"]))


def test_unknown_protocol_lists_close_matches():
    with pytest.raises(UnknownProtocolError) as error:
        get_protocol("NO-SUCH-PROTOCOL-XYZ")
    assert "audiorepro protocols" in str(error.value)


def test_stats_matrix_shape():
    score = make_protocol().score(PredictionSet.from_pairs(["a b"], ["a c"]))
    assert isinstance(score.stats, np.ndarray) and score.stats.shape == (1, 2)


def test_every_protocol_source_pins_a_full_commit() -> None:
    """Issue 13 scope 3: the code a protocol reproduces changes between revisions, so every source names one."""
    from evaluators.protocols import all_protocols

    unpinned = [(protocol.id, str(source)) for protocol in all_protocols() for source in protocol.sources
                if not (source.commit and len(source.commit) == 40
                        and all(char in "0123456789abcdef" for char in source.commit))]
    assert unpinned == []


def test_every_registered_protocol_is_a_plain_protocol_scored_by_the_one_loop():
    """Protocols differ by data (steps, metric hooks, memos), never by overriding ``Protocol.score``."""
    from evaluators.protocols import all_protocols

    protocols = all_protocols()
    assert len(protocols) > 100
    assert {type(protocol) for protocol in protocols} == {Protocol}
    assert Protocol.__subclasses__() == []


@pytest.mark.parametrize("protocol_id, metadata, message", [
    ("ST-QWEN", {}, "run.jsonl, item u1, field 'metadata.source': no 'source' metadata"),
    ("ST-QWEN", {"source": "covost2"}, "run.jsonl, item u1, field 'metadata.source': source 'covost2' does not"),
])
def test_item_step_errors_name_the_scored_file_and_item(protocol_id, metadata, message):
    from evaluators.errors import PredictionFormatError
    from evaluators.predictions.base import PredictionItem

    predictions = PredictionSet("run", "run.jsonl", (PredictionItem("u1", "hello", ("hallo",), metadata=metadata),))
    with pytest.raises(PredictionFormatError) as error:
        get_protocol(protocol_id).score(predictions)
    assert str(error.value).startswith(message)


def test_two_speaker_references_required_names_the_file():
    from evaluators.errors import PredictionFormatError
    from evaluators.predictions.base import PredictionItem

    predictions = PredictionSet("osr", "osr.jsonl", (PredictionItem("m1", "a. b.", ("only one",)),))
    with pytest.raises(PredictionFormatError, match=r"^osr.jsonl, item m1, field 'references': overlapped speech"):
        get_protocol("OSR-JW").score(predictions)


def test_a_batched_metric_sees_all_kept_items_at_once_and_its_notes_reach_the_items():
    from evaluators.metrics.base import Metric, SetStatistics, ratio_aggregate

    class LengthRanks(Metric):
        """Correct iff the hypothesis is the longest of the kept set: needs every kept item at once."""

        name, unit, direction, stat_names, batched = "longest", "fraction", "higher", ("correct", "total"), True

        def item_stats(self, hypothesis, references, metadata):
            raise AssertionError("a batched metric is never asked one item at a time")

        def set_stats(self, prepared):
            longest = max(len(p.hypothesis) for p in prepared)
            rows = np.asarray([[float(len(p.hypothesis) == longest), 1.0] for p in prepared])
            return SetStatistics(rows, [{"length": len(p.hypothesis)} for p in prepared], {"seen": len(prepared)})

        def aggregate(self, stats, aggregation="corpus"):
            return ratio_aggregate(stats, aggregation)

    predictions = PredictionSet.from_pairs(["a", "", "abc", "ab"], ["x", "x", "x", "x"])
    score = make_protocol(metric=LengthRanks(), steps=make_protocol().steps[:1]).score(predictions)
    assert score.value == pytest.approx(1 / 3) and score.n == 3 and score.skipped == {"empty_output": 1}
    assert [d.notes for d in score.items] == [{"length": 1}, None, {"length": 3}, {"length": 2}]
    assert score.extras == {"seen": 3}
