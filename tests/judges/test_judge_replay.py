"""Replay backends: SAKURA ``_judgements.json`` and AudioBench judge logs re-scored without a judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.judges import JudgeReplayMissing, load_audiobench_judge_log, load_sakura_judgements
from evaluators.judges.backends.replay import ReplayBackend
from evaluators.judges.decoding import DecodingConfig, JudgeRequest
from evaluators.judges.specs import SPECS
from tests.judges.judging import item_verdicts, judged, verdicts

pytestmark = pytest.mark.judge


def test_sakura_judgements_replayed_by_the_official_rule(fixtures_dir: Path) -> None:
    bundle = load_sakura_judgements(fixtures_dir / "judges" / "animal_single_fixture_judgements.json",
                                    metadata={"track": "Animal", "hop": "single"})
    assert bundle.backend.model == "gpt-4o-2024-11-20"
    assert bundle.decoding == DecodingConfig(temperature=0.0, top_p=0.9)
    assert bundle.recorded["max_tokens_recorded"] == 1024
    result = judged("J-SAKURA", bundle.predictions, bundle.backend, decoding=bundle.decoding)
    assert result.value == pytest.approx(2 / 6)
    assert result.n == 6 and result.extras["unparsed"] == 2
    assert dict(result.extras["counts"]) == {"correct": 2, "incorrect": 2, "unparsed": 2}
    outcomes = verdicts(result)
    assert outcomes["Animal/audio/fixture_01.wav"] == "correct"
    assert outcomes["Animal/audio/fixture_06.wav"] == "incorrect"   # same prompt as 01, its own recorded verdict
    assert outcomes["Animal/audio/fixture_03.wav"] == "correct"     # "Correct" after .lower()
    assert result.extras["judge"]["reconstructed_replies"] is True
    assert "Animal-single" in result.groups
    assert "judge:gpt-4o-2024-11-20" in result.signature and "backend:replay" in result.signature


def test_sakura_replay_under_the_jaeeewon_exact_rule(fixtures_dir: Path) -> None:
    bundle = load_sakura_judgements(fixtures_dir / "judges" / "animal_single_fixture_judgements.json",
                                    spec=SPECS["J-SAKURA-JW-EVAL"])
    result = judged("J-SAKURA-JW-EVAL", bundle.predictions, bundle.backend)
    assert result.value == pytest.approx(2 / 6)
    # the replies rendered for J-SAKURA do not match the J-SAKURA-JW-EVAL prompt: nothing is silently reused
    official = load_sakura_judgements(fixtures_dir / "judges" / "animal_single_fixture_judgements.json")
    with pytest.raises(JudgeReplayMissing, match="no recorded judgement"):
        judged("J-SAKURA-JW-EVAL", official.predictions, official.backend)


def test_audiobench_log_replay_reproduces_its_recorded_score(fixtures_dir: Path) -> None:
    bundle = load_audiobench_judge_log(fixtures_dir / "judges" / "iemocap_emotion_fixture_llama3_70b_judge_score.json",
                                       spec=SPECS["J-AB-BINARY"])
    result = judged("J-AB-BINARY", bundle.predictions, bundle.backend)
    assert result.value == pytest.approx(bundle.recorded["judge_score"]) == pytest.approx(50.0)
    assert result.extras["official"]["success_rate"] == pytest.approx(bundle.recorded["success_rate"])
    assert result.extras["unparsed"] == 1
    for verdict, item in zip(item_verdicts(result), bundle.predictions, strict=True):
        assert verdict.detail["rating"] == item.metadata["recorded_rate_score"]
        assert verdict.detail["success"] == item.metadata["recorded_success"]
    er = judged("ER-AB-JUDGE", bundle.predictions, bundle.backend)
    assert er.value == result.value


def test_audiobench_log_judge_must_match_protocol(fixtures_dir: Path) -> None:
    with pytest.raises(PredictionFormatError, match="llama3_70b_judge"):
        load_audiobench_judge_log(fixtures_dir / "judges" / "iemocap_emotion_fixture_llama3_70b_judge_score.json",
                                  spec=SPECS["J-AB-BINARY-GPT4O"])


@pytest.mark.parametrize(("content", "message"), [
    ("[]", "expected a JSON object"),
    ('{"results": {}}', "judge_model"),
    ('{"judge_model": "m", "results": []}', "'results'"),
    ('{"judge_model": "m", "results": {"a.wav": {"Explanation": "x", "Judgement": "correct", "instruction": "q", '
     '"label": "l"}}}', "model_response"),
    ('{"judge_model": "m", "results": {"a.wav": {"Explanation": "x", "Judgement": 1, "instruction": "q", '
     '"label": "l", "model_response": "r"}}}', "Judgement"),
])
def test_bad_sakura_files_name_file_item_and_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad_judgements.json"
    path.write_text(content)
    with pytest.raises(PredictionFormatError, match=message) as error:
        load_sakura_judgements(path)
    assert str(path) in str(error.value)


def test_bad_audiobench_log(tmp_path: Path) -> None:
    path = tmp_path / "x_llama3_70b_judge_score.json"
    path.write_text(json.dumps({"llama3_70b_judge": {}, "details": [{"question": "q"}]}))
    with pytest.raises(PredictionFormatError, match="item 0, field .model_prediction.: missing field"):
        load_audiobench_judge_log(path, spec=SPECS["J-AB-SCALE"])


def test_replay_backend_is_never_cached() -> None:
    backend = ReplayBackend({}, model="m")
    assert backend.cacheable is False
    with pytest.raises(JudgeReplayMissing):
        backend.complete(JudgeRequest((("user", "x"),), DecodingConfig()))


def test_sakura_judgements_with_a_response_field(fixtures_dir: Path, tmp_path: Path) -> None:
    data = json.loads((fixtures_dir / "judges" / "animal_single_fixture_judgements.json").read_text())
    for record in data["results"].values():
        record["response"] = record.pop("model_response")
    path = tmp_path / "fork_judgements.json"
    path.write_text(json.dumps(data))
    result = judged("J-SAKURA", load_sakura_judgements(path).predictions, load_sakura_judgements(path).backend)
    assert result.value == pytest.approx(2 / 6)


@pytest.mark.parametrize("protocol_id", ["J-AB-BINARY", "J-AB-SCALE", "J-AB-SCALE-GPT4O", "J-SQQA-JW"])
def test_sakura_judgements_under_another_template_are_refused(fixtures_dir: Path, protocol_id: str) -> None:
    """Issue 14, finding 4: replayed under an AudioBench template they gave a silent 0 %."""
    with pytest.raises(PredictionFormatError, match="SAKURA's judge prompt.*J-SAKURA, J-SAKURA-JW-DIST"):
        load_sakura_judgements(fixtures_dir / "judges" / "animal_single_fixture_judgements.json",
                               spec=SPECS[protocol_id])


def test_audiobench_judge_log_under_a_sakura_template_is_refused(fixtures_dir: Path) -> None:
    with pytest.raises(PredictionFormatError, match="AudioBench's judge prompt"):
        load_audiobench_judge_log(fixtures_dir / "judges" / "iemocap_emotion_fixture_llama3_70b_judge_score.json",
                                  spec=SPECS["J-SAKURA"])
