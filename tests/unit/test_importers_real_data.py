"""Every shared public file, verified by sha256 and loaded with its importer (skips without the data dir).

Checks that detection picks exactly the expected format for each file (no format mistaken for
another), and the item counts of the shared README: LibriSpeech test-clean/test-other 2,617/2,935,
TED-LIUM 3 1,142 (long form 11), Common Voice 15 16,348, AISHELL-1 6,920, Earnings21 44, IMDA part 4 1,000,
YouTube ASR 384, MMAU test-mini 1,000, CMI-Bench 125 to 2,813 per task, SAKURA 500 audios per track.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evaluators import sources
from evaluators.predictions import detect_format, load_predictions, load_references
from evaluators.predictions.audiobench import load_raw_log, read_aggregate_score

#: items per AudioBench set (the shared README; AISHELL-1's texts are space-separated characters)
AUDIOBENCH_COUNTS = {"librispeech_test_clean": 2617, "librispeech_test_other": 2935, "tedlium3_test": 1142,
                     "tedlium3_long_form_test": 11, "common_voice_15_en_test": 16348, "aishell_asr_zh_test": 6920,
                     "earnings21_test": 44, "imda_part4_30s_asr_test": 1000, "ytb_asr_batch1": 384}
CMI_COUNTS = {"DSing": 482, "EMO_valence": 125, "GTZAN": 290, "MusicCaps": 2813, "SDD": 1106, "VocalSet_tech": 1140}
JSON_FILES = [entry.file for entry in sources.manifest() if entry.file.endswith(".json")]


def expected_format(file: str) -> str:
    if file.endswith("_wer_score.json"):
        return "audiobench-score"
    if file.endswith("_bleu_score.json"):
        return "audiobench-aggregate"
    rules = [("audiobench/", "audiobench-raw"), ("mmau/predictions/", "mmau"), ("mmau/references/", "mmau-answer-key"),
             ("cmi-bench/", "cmi-bench"), ("sakura/", "sakura-metadata")]
    return next(fmt for prefix, fmt in rules if file.startswith(prefix))


def expected_count(file: str) -> int:
    name = Path(file).stem
    if file.startswith("audiobench/"):
        return AUDIOBENCH_COUNTS[name.removesuffix("_wer_score")]
    if file.startswith("mmau/"):
        return 1000
    if file.startswith("cmi-bench/"):
        return CMI_COUNTS[name.split("_", 1)[1]]
    return 500  # SAKURA audios per track


def test_the_manifest_names_json_files_of_every_kind():
    assert {expected_format(file) for file in JSON_FILES} == {
        "audiobench-raw", "audiobench-score", "audiobench-aggregate", "mmau", "mmau-answer-key", "cmi-bench",
        "sakura-metadata"}


@pytest.mark.parametrize("file", JSON_FILES)
def test_shared_file_is_detected_and_loaded_whole(require_data_dir, file):
    path = sources.resolve(require_data_dir, file)
    fmt = detect_format(path)
    assert fmt.name == expected_format(file)
    if fmt.kind == "aggregate":
        aggregate = read_aggregate_score(path)
        assert aggregate.metric == "bleu" and 0 < aggregate.value < 100
        return
    if fmt.kind == "references":
        references = load_references(path)
        count = len(references.audios) if fmt.name == "sakura-metadata" else len(references)
        assert count == expected_count(file)
        return
    predictions = load_predictions(path)
    assert len(predictions) == expected_count(file)
    assert all(isinstance(item.prediction, str) and item.references for item in predictions)


@pytest.mark.parametrize("file, stored_wer", [
    ("audiobench/a24087b/salmonn_7b/librispeech_test_clean_wer_score.json", 0.555834307918663),
    ("audiobench/e991641/SALMONN_7B/librispeech_test_clean_wer_score.json", 0.10270871845172973),
])
def test_audiobench_score_files_carry_the_published_corpus_wer(require_data_dir, file, stored_wer):
    assert load_predictions(sources.resolve(require_data_dir, file)).metadata["wer"] == stored_wer


def test_audiobench_raw_log_joins_its_score_file(require_data_dir):
    raw = sources.resolve(require_data_dir, "audiobench/a24087b/salmonn_7b/librispeech_test_clean.json")
    score = sources.resolve(require_data_dir, "audiobench/a24087b/salmonn_7b/librispeech_test_clean_wer_score.json")
    joined = load_raw_log(raw, score_file=score)
    assert joined[0].metadata["normalised_reference"] == joined[0].reference.lower()
    assert joined.metadata["stored_wer"] == 0.555834307918663


@pytest.mark.parametrize("revision, matched", [("1f675a9", 1000), ("a8d61f7", 1000), ("1c6af99", 985),
                                               ("6674fa1", 732), ("f0a4a97", 676)])
def test_mmau_predictions_joined_to_each_answer_key_revision(require_data_dir, revision, matched):
    predictions = sources.resolve(require_data_dir, "mmau/predictions/r1-aqa.json")
    key = sources.resolve(require_data_dir, f"mmau/references/mmau-test-mini@{revision}.json")
    joined = load_predictions(predictions, answer_key=key)
    report = joined.metadata["answer_key"]
    assert (len(joined), report["matched"], report["missing"], report["revision"]) == \
        (matched, matched, 1000 - matched, revision)
    assert report["unanswered"] == 1000 - matched  # every revision has 1,000 items


def test_qwen2_mmau_has_one_empty_output(require_data_dir):
    predictions = load_predictions(sources.resolve(require_data_dir, "mmau/predictions/qwen2.json"))
    assert predictions.metadata["empty_predictions"] == 1


def test_cmi_bench_ids_line_up_across_models(require_data_dir):
    sets = [load_predictions(sources.resolve(require_data_dir, f"cmi-bench/{model}_DSing.json"))
            for model in ("salmonn", "qwen", "qwen2")]
    assert [item.id for item in sets[0]] == [item.id for item in sets[1]] == [item.id for item in sets[2]]
    assert sets[0].metadata["duplicate_audioids"] == 412
    assert any(re.search(r"#\d+$", item.id) for item in sets[0])


def test_sakura_metadata_tracks(require_data_dir):
    for track in ("Animal", "Emotion", "Gender", "Language"):
        references = load_references(sources.resolve(require_data_dir, f"sakura/{track}/metadata.json"))
        assert references.track == track
        assert len(references.audios) == 500 and len(references) == 1000
