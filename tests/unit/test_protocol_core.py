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
