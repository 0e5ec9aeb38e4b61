"""Task protocols on the shared public prediction files (MMAU, CMI-Bench): real data, real numbers.

The files are read from the data directory (``require_data_dir``), never copied into the repo.
MMAU predictions are joined with an answer-key revision on (audio file, question), as the MMAU
README says item identity is kept across revisions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.predictions import load_predictions
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols import get_protocol
from evaluators.protocols.mcq import breakdown

R1_AQA_KEY = "mmau-test-mini@1f675a9.json"   # answer key of 2025-03-25


def mmau_joined(data_dir: Path, predictions: str, key: str) -> PredictionSet:
    """Predictions of one MMAU file scored against the answers and choices of one key revision."""
    outputs = json.loads((data_dir / "mmau" / "predictions" / predictions).read_text(encoding="utf-8"))
    answers = json.loads((data_dir / "mmau" / "references" / key).read_text(encoding="utf-8"))
    by_item = {(entry["audio_id"], entry["question"]): entry for entry in answers}
    items = []
    for output in outputs:
        entry = by_item.get((output["audio_id"], output["question"]))
        if entry is None or "model_prediction" not in output:
            continue
        metadata = {name: entry[name] for name in ("choices", "task", "difficulty", "sub-category")}
        items.append(PredictionItem(output["id"], output["model_prediction"], (entry["answer"],), metadata=metadata))
    return PredictionSet(f"{predictions} x {key}", str(data_dir / "mmau" / "predictions" / predictions), tuple(items))


def test_r1_aqa_mmau_test_mini_reproduces_64_50(require_data_dir):
    predictions = load_predictions(require_data_dir / "mmau" / "predictions" / "r1-aqa.json", fmt="mmau",
                                   answer_key=require_data_dir / "mmau" / "references" / R1_AQA_KEY)
    assert len(predictions) == 1000
    by_hand = get_protocol("MCQ-MMAU").score(mmau_joined(require_data_dir, "r1-aqa.json", R1_AQA_KEY))
    assert by_hand.value == 0.645
    score = get_protocol("MCQ-MMAU").score(predictions)
    assert score.n == 1000 and score.skipped == {}
    assert round(score.value * 100, 2) == 64.50
    assert score.interval.low < 0.645 < score.interval.high
    assert set(score.groups) == {"sound", "music", "speech"}
    assert sum(group.n for group in score.groups.values()) == 1000
    groups = breakdown(get_protocol("MCQ-MMAU"), predictions)
    assert set(groups["difficulty"]) == {"easy", "medium", "hard"}
    assert sum(group.n for group in groups["sub-category"].values()) == 1000


def test_mmau_answer_key_revision_changes_the_number(require_data_dir):
    """The same predictions against an older key (1c6af99): 985 items join and the value moves."""
    predictions = mmau_joined(require_data_dir, "r1-aqa.json", "mmau-test-mini@1c6af99.json")
    score = get_protocol("MCQ-MMAU").score(predictions)
    assert score.n == 985
    assert score.value == pytest.approx(630 / 985)


def cmi_rule_by_hand(rows) -> int:
    """CMI-Bench get_multiclass_acc written out independently of evaluators.metrics.labels."""
    def norm(text):
        for char in ("_", "-", "'", " ", "."):
            text = text.replace(char, "")
        return text.replace("#", "\u266f").lower()

    labels = {norm(str(row["correct_answer"])) for row in rows}
    correct = 0
    for row in rows:
        response, gold = norm(row["response"]), norm(str(row["correct_answer"]))
        correct += gold in response and not any(label in response for label in labels - {gold})
    return correct


@pytest.mark.parametrize(("model", "correct"), [("salmonn", 88), ("qwen", 214), ("qwen2", 181)])
def test_gtzan_genre_accuracy_under_cmi_substring(require_data_dir, model, correct):
    path = require_data_dir / "cmi-bench" / f"{model}_GTZAN.json"
    predictions = load_predictions(path, fmt="cmi-bench")
    score = get_protocol("LBL-CMI-SUBSTR").score(predictions)
    assert score.n == 290 and score.skipped == {}
    assert score.value == pytest.approx(correct / 290)
    assert cmi_rule_by_hand(json.loads(path.read_text(encoding="utf-8"))) == correct
    assert score.interval.contains(score.value)


def test_salmonn_dsing_lyrics_wer_under_cmi(require_data_dir):
    """ASR-CMI (macro mean of per-song jiwer WER): SALMONN repeats lines until max length, so the mean
    per-sample WER is far above 1 (816 %)."""
    predictions = load_predictions(require_data_dir / "cmi-bench" / "salmonn_DSing.json", fmt="cmi-bench")
    score = get_protocol("ASR-CMI").score(predictions)
    assert score.n == 482 and score.aggregation == "macro"
    assert round(score.value * 100, 2) == 816.06
    assert score.interval.contains(score.value)


def test_salmonn_sdd_music_captioning_under_cmi(require_data_dir):
    """CMI-Bench music captioning (raw strings, per-item means) on SALMONN's Song Describer outputs,
    cross-checked against rouge_score and nltk called directly on the raw JSON."""
    import warnings

    from nltk.translate.bleu_score import sentence_bleu
    from rouge_score import rouge_scorer

    path = require_data_dir / "cmi-bench" / "salmonn_SDD.json"
    predictions = load_predictions(path, fmt="cmi-bench")
    rouge = get_protocol("MC-CMI/ROUGE-L").score(predictions)
    bleu4 = get_protocol("MC-CMI/BLEU-4").score(predictions)
    assert rouge.n == bleu4.n == 1106
    assert round(rouge.value, 4) == 0.2812 and round(bleu4.value, 4) == 0.0758
    rows = json.loads(path.read_text(encoding="utf-8"))[:100]
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_hand = [(scorer.score(r["correct_answer"], r["response"])["rougeL"].recall,
                    sentence_bleu([r["correct_answer"]], r["response"], weights=(0, 0, 0, 1))) for r in rows]
    assert [d.value for d in rouge.items[:100]] == pytest.approx([value for value, _ in by_hand])
    assert [d.value for d in bleu4.items[:100]] == pytest.approx([value for _, value in by_hand])


def test_coco_meteor_corpus_value_equals_the_jar_on_real_captions(require_data_dir):
    """Our METEOR 1.5 aggregation of per-item statistics equals the jar's own EVAL on 150 real captions."""
    import os

    import numpy as np

    from evaluators.metrics.captions import CocoMeteor, java_unavailable_reason, meteor_jar

    if java_unavailable_reason() and os.environ.get("CI", "").lower() != "true":
        pytest.skip(java_unavailable_reason())
    rows = json.loads((require_data_dir / "cmi-bench" / "qwen2_MusicCaps.json").read_text(encoding="utf-8"))[:150]
    metric = CocoMeteor()
    stats = metric.batch_stats([r["response"] for r in rows], [[r["correct_answer"]] for r in rows], [{}] * 150)
    per_item, corpus = meteor_jar().evaluate(stats)
    assert float(metric.aggregate(stats)) == pytest.approx(corpus, abs=1e-9)
    assert [float(metric.aggregate(stats[[i]])) for i in range(150)] == pytest.approx(per_item, abs=1e-9)
    assert float(np.mean(per_item)) != pytest.approx(corpus, abs=1e-6)   # corpus METEOR is not a mean of items
