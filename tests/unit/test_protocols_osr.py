"""OSR-JW and OSR-CPWER protocols on the hand-computed examples of protocols.md §5."""

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol
from evaluators.protocols.osr import make_osr_cpwer, normalize_segment, period_segments

SLIDE_REFS = ("ALGEBRA MEDICINE BOTANY HAVE EACH THEIR SLANG",
              "TRULY SUCH A HORSE SHOULD BE WORTH MUCH IN NOTTINGHAM FAIR")
SLIDE_OUTPUT = ("Truly such a horse would be much in noting him fair. "
                "Algebra medicine botany have each their slang.</s>")


def score(protocol_id, outputs, references):
    return get_protocol(protocol_id).score(PredictionSet.from_pairs(outputs, references))


@pytest.mark.parametrize(
    ("output", "references", "errors", "words"),
    [
        ("d e. a b x.</s>", ("A B C", "D E"), 1, 5),
        (SLIDE_OUTPUT, SLIDE_REFS, 4, 18),
    ],
)
def test_osr_jw_kept_examples(output, references, errors, words):
    result = score("OSR-JW", [output], [references])
    assert result.n == 1 and result.skipped == {}
    assert result.stats[0, :2].tolist() == [errors, words]
    assert result.value == pytest.approx(errors / words)


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("One might be.</s>", "not_two_segments"),       # one segment
        ("A b. C. d.</s>", "not_two_segments"),          # three segments
        ("d e. a b x.", "missed_eos"),                   # hit max_new_tokens
        ("d e. a b x.</s> ", "missed_eos"),              # jaeeewon tests endswith('</s>') on the raw text
        ("Mr. Smith came. He left.</s>", "not_two_segments"),  # abbreviations make extra segments
    ],
)
def test_osr_jw_skips(output, reason):
    result = score("OSR-JW", [output], [("ONE MIGHT BE", "THERE SHE SAT")])
    assert result.n == 0 and result.value is None
    assert result.skipped == {reason: 1}


def test_osr_jw_corpus_over_kept_pairs_only():
    result = score("OSR-JW", ["d e. a b x.</s>", SLIDE_OUTPUT, "One might be.</s>", "x. y."],
                   [("A B C", "D E"), SLIDE_REFS, ("ONE MIGHT BE", "THERE SHE SAT"), ("X", "Y")])
    assert result.n == 2
    assert result.value == pytest.approx(5 / 23)
    assert result.skipped == {"missed_eos": 1, "not_two_segments": 1}
    assert result.interval is not None and result.interval.low <= result.value <= result.interval.high


def test_question_marks_do_not_split_speakers():
    assert period_segments("Who is it? Me. You!") == ["Who is it? Me", " You!"]


@pytest.mark.parametrize(("text", "expected"), [(" Hello, world's  end! 42 ", "HELLO WORLD'S END"),
                                                ("naïve café", "NAVE CAF")])
def test_osr_jw_normaliser(text, expected):
    assert normalize_segment(text) == expected


def test_osr_jw_needs_two_references():
    with pytest.raises(PredictionFormatError, match="item 0.*2 speaker references"):
        score("OSR-JW", ["a. b.</s>"], [("A B",)])


@pytest.mark.parametrize(
    ("output", "references", "expected"),
    [
        ("One might be.</s>", ("ONE MIGHT BE", "THERE SHE SAT"), 0.5),   # §5.2: 3 deletions / 6 instead of a skip
        ("d e. a b x.</s>", ("A B C", "D E"), 0.2),
        ("d e. a b x.", ("A B C", "D E"), 0.2),                          # no EOS skip
        ("a b. c d. e f.</s>", ("A B", "C D"), 0.5),                     # third stream inserted: 2/4
        (SLIDE_OUTPUT, SLIDE_REFS, 4 / 18),
    ],
)
def test_osr_cpwer_examples(output, references, expected):
    result = score("OSR-CPWER", [output], [references])
    assert result.n == 1 and result.skipped == {}
    assert result.value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("protocol_id", "output", "expected"),
    [
        ("OSR-CPWER", "One might be. There she sat.</s>", 0.0),
        ("OSR-CPWER", "One might be\nThere she sat</s>", 1.0),        # one stream: 3 ins + 3 del over 6
        ("OSR-CPWER/line", "One might be\nThere she sat</s>", 0.0),
        ("OSR-CPWER/line", "One might be. There she sat.</s>", 1.0),
        ("OSR-CPWER/single", "One might be. There she sat.</s>", 1.0),
    ],
)
def test_osr_cpwer_segmentations(protocol_id, output, expected):
    assert score(protocol_id, [output], [("ONE MIGHT BE", "THERE SHE SAT")]).value == pytest.approx(expected)


def test_osr_cpwer_segmentations_have_distinct_signatures():
    signatures = {get_protocol(i).signature() for i in ("OSR-CPWER", "OSR-CPWER/line", "OSR-CPWER/single")}
    assert len(signatures) == 3


def test_osr_cpwer_skips_outputs_meeteval_refuses():
    output = ". ".join(f"w{i}" for i in range(25)) + ".</s>"
    result = score("OSR-CPWER", [output], [("W ONE", "W TWO")])
    assert result.skipped == {"more_than_20_streams": 1}


def test_osr_cpwer_drops_empty_streams():
    result = score("OSR-CPWER", ["a b. . 42. c d.</s>"], [("A B", "C D")])
    assert result.items[0].hypothesis == "A B\nC D"
    assert result.value == 0.0


def test_unknown_segmentation_is_refused():
    with pytest.raises(ValueError, match="segmentation"):
        make_osr_cpwer("sentence")


def test_families_and_sources():
    for protocol_id in ("OSR-JW", "OSR-CPWER"):
        protocol = get_protocol(protocol_id)
        assert protocol.family == "osr"
        assert any("eval_osr.py" in source.path for source in protocol.sources)
    assert "meeteval" in str(get_protocol("OSR-CPWER").sources[0])
