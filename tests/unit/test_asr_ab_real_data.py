"""ASR-AB against AudioBench's own per-item output (the strong check of protocols.md §2.6).

AudioBench stores, next to each raw log, ``*_wer_score.json`` with its normalised reference and
prediction for every item. Our ASR-AB must produce the same two strings for every item of both
LibriSpeech logs of run ``a24087b`` and of the independent run ``0e689b4`` — and hence the same
corpus WER (0.555834307918663 for a24087b test-clean).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.predictions import load_predictions
from evaluators.protocols import get_protocol
from evaluators.text.normalizers import audiobench_asr, audiobench_asr_reference

RUNS = ("a24087b/salmonn_7b/librispeech_test_clean", "a24087b/salmonn_7b/librispeech_test_other",
        "0e689b4/salmonn_7b/librispeech_test_clean")


def _files(data_dir: Path, run: str) -> tuple[Path, dict]:
    raw = data_dir / "audiobench" / f"{run}.json"
    scores = data_dir / "audiobench" / f"{run}_wer_score.json"
    if not raw.is_file() or not scores.is_file():
        pytest.skip(f"{run} not in the data directory {data_dir}")
    return raw, json.loads(scores.read_text(encoding="utf-8"))


@pytest.mark.parametrize("run", RUNS)
def test_every_item_matches_audiobench_normalised_text(require_data_dir: Path, run: str) -> None:
    raw, stored = _files(require_data_dir, run)
    predictions = load_predictions(raw)
    result = get_protocol("ASR-AB").score(predictions, interval=False)
    samples = stored["sample_wer"]
    assert len(result.items) == len(samples) == len(predictions)
    mismatches = [index for index, (detail, sample) in enumerate(zip(result.items, samples, strict=True))
                  if detail.hypothesis != sample["prediction"] or detail.references != (sample["reference"],)]
    assert mismatches == [], f"{len(mismatches)} of {len(samples)} items differ, first: {mismatches[:10]}"
    assert result.value == pytest.approx(stored["wer"], abs=1e-12)
    assert result.n == len(samples) and result.skipped == {}


def test_published_corpus_wer_of_a24087b_test_clean(require_data_dir: Path) -> None:
    raw, _ = _files(require_data_dir, RUNS[0])
    result = get_protocol("ASR-AB").score(load_predictions(raw), interval=False, details=False)
    assert round(result.value, 6) == 0.555834
    assert result.value == pytest.approx(0.555834307918663, abs=1e-12)


def test_fast_normaliser_equals_step_by_step_on_the_real_file(require_data_dir: Path) -> None:
    raw, _ = _files(require_data_dir, RUNS[0])
    texts = {text for item in load_predictions(raw) for text in (item.prediction, item.reference)}
    assert len(texts) > 3000
    differing = [text for text in sorted(texts) if audiobench_asr(text) != audiobench_asr_reference(text)]
    assert differing == []
