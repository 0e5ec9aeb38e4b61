"""The in-process ``transformers`` judge, end to end on CPU with a tiny random model built in the test.

The tokenizer is byte-level with no merges, built in memory (dependencies.md §5), with a small
ChatML-style chat template; the model is a 1-layer random Qwen2. Its verdicts are garbage, so they
come back *unparsed*, which is exactly what the result must report. Also runs ``audiorepro judge
--backend transformers`` on the saved checkpoint, and the replay CLI on the SAKURA fixture.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from evaluators.cli import main  # noqa: E402
from evaluators.judges import JudgementCache  # noqa: E402
from evaluators.judges.backends.transformers_local import TransformersBackend  # noqa: E402
from evaluators.judges.decoding import DecodingConfig  # noqa: E402
from evaluators.predictions.base import PredictionItem, PredictionSet  # noqa: E402
from tests.judges.judging import item_verdicts, judged, verdicts  # noqa: E402

pytestmark = pytest.mark.judge

CHAT_TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
DECODING = DecodingConfig(temperature=0.0, max_tokens=6)


@pytest.fixture(scope="module")
def tiny_judge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tokenizers.pre_tokenizers import ByteLevel

    byte_vocab = {char: index for index, char in enumerate(sorted(ByteLevel.alphabet()))}
    tokenizer = transformers.Qwen2Tokenizer(vocab=byte_vocab, merges=[], padding_side="left", unk_token=None,
                                            bos_token=None, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    tokenizer.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})
    tokenizer.chat_template = CHAT_TEMPLATE
    torch.manual_seed(0)
    config = transformers.Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                                      num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1,
                                      max_position_embeddings=4096, initializer_range=1.0,
                                      eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    model = transformers.Qwen2ForCausalLM(config)
    directory = tmp_path_factory.mktemp("tiny-judge")
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _items() -> PredictionSet:
    return PredictionSet("tiny", "test", tuple(
        PredictionItem(f"i{i}", answer, ("(a) dog",), prompt="Which animal is it? (a) dog (b) cat (c) cow (d) sheep")
        for i, answer in enumerate(("It is a dog.", "A cat, I think."))))


def test_tiny_random_judge_end_to_end(tiny_judge_dir: Path, tmp_path: Path) -> None:
    backend = TransformersBackend.from_pretrained(tiny_judge_dir, revision="seed0")
    assert backend.chat_format == "chat-template"
    with JudgementCache(tmp_path / "cache.sqlite") as cache:
        result = judged("J-SAKURA", _items(), backend, cache, decoding=DECODING)
        again = judged("J-SAKURA", _items(), backend, cache, decoding=DECODING)
    assert result.n == 2 and result.extras["calls_made"] == 2
    assert all(isinstance(v.replies[0], str) for v in item_verdicts(result))
    assert sum(result.extras["counts"].values()) == 2
    assert result.extras["unparsed"] == result.extras["counts"].get("unparsed", 0)
    assert result.extras["unparsed"] == 2            # random weights never write "Explanation: ...\nJudgement: correct"
    assert result.value == 0.0             # SAKURA's rule: invalid judgements count as wrong
    for part in ("backend:transformers", "chat:chat-template", f"judge:{tiny_judge_dir}", "rev:seed0",
                 "max_tokens=6"):
        assert part in result.signature
    assert again.extras["calls_made"] == 0 and verdicts(again) == verdicts(result)


def test_greedy_generation_is_deterministic(tiny_judge_dir: Path) -> None:
    backend = TransformersBackend.from_pretrained(tiny_judge_dir)
    first = judged("J-AB-SCALE", _items(), backend, decoding=DECODING)
    second = judged("J-AB-SCALE", _items(), backend, decoding=DECODING)
    assert [v.replies for v in item_verdicts(first)] == [v.replies for v in item_verdicts(second)]
    assert first.value == second.value


def test_cli_judge_with_local_model_and_replay(tiny_judge_dir: Path, tmp_path: Path, fixtures_dir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    predictions = tmp_path / "preds.json"
    predictions.write_text(json.dumps([{"text": "Which animal is it? (a) dog (b) cat", "answer": "(a) dog",
                                        "model_prediction": "A dog."}]))
    output = tmp_path / "out" / "result.json"
    code = main(["judge", str(predictions), "--protocol", "J-SAKURA", "--backend", "transformers",
                 "--model-path", str(tiny_judge_dir), "--max-tokens", "4", "--temperature", "0",
                 "--output", str(output)])
    assert code == 0
    written = json.loads(output.read_text())
    assert written["protocol"] == "J-SAKURA" and written["n"] == 1 and len(written["items"]) == 1
    assert written["extras"]["decoding"]["max_tokens"] == 4
    assert not list(output.parent.glob(".*.tmp"))
    assert "J-SAKURA:" in capsys.readouterr().out

    code = main(["judge", str(fixtures_dir / "judges" / "animal_single_fixture_judgements.json"),
                 "--protocol", "J-SAKURA", "--backend", "replay-sakura"])
    assert code == 0
    out = capsys.readouterr().out
    assert "J-SAKURA: 0.3333" in out and "unparsed=2" in out
