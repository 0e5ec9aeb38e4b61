"""Task protocols on the shared public prediction files (MMAU, CMI-Bench): real data, real numbers.

The files are read from the data directory (``require_data_dir``), never copied into the repo.
MMAU predictions are joined with an answer-key revision on (audio file, question), as the MMAU
README says item identity is kept across revisions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


def cmi_set(data_dir: Path, name: str) -> PredictionSet:
    rows = json.loads((data_dir / "cmi-bench" / f"{name}.json").read_text(encoding="utf-8"))
    items = [PredictionItem(str(index), row["response"], (str(row["correct_answer"]),),
                            metadata={"audioid": row["audioid"]}) for index, row in enumerate(rows)]
    return PredictionSet(name, str(data_dir / "cmi-bench" / f"{name}.json"), tuple(items))


def test_r1_aqa_mmau_test_mini_reproduces_64_50(require_data_dir):
    predictions = mmau_joined(require_data_dir, "r1-aqa.json", R1_AQA_KEY)
    assert len(predictions) == 1000
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


@pytest.mark.parametrize(("model", "expected"), [
    ("salmonn", None),    # filled below from the file itself: only the protocol rule decides
])
def test_salmonn_gtzan_genre_accuracy_under_cmi_substring(require_data_dir, model, expected):
    predictions = cmi_set(require_data_dir, f"{model}_GTZAN")
    score = get_protocol("LBL-CMI-SUBSTR").score(predictions)
    assert score.n == 290 and score.skipped == {}
    # a hip-hop item can never be correct (the label 'pop' is inside 'hiphop')
    hiphop = [d for d, item in zip(score.items, predictions, strict=True) if item.reference == "hip-hop"]
    assert hiphop and all(d.value == 0.0 for d in hiphop)
    assert 0.0 < score.value < 1.0
