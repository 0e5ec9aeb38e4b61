"""The SQLite judgement cache: keys, persistence, concurrent writers (threads and processes)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from evaluators.judges.cache import CacheKey, JudgementCache
from evaluators.judges.decoding import DecodingConfig, JudgeRequest
from tests.judges.judging import judged

pytestmark = pytest.mark.judge

ROOT = Path(__file__).resolve().parents[2]


def _key(text: str, **changes: str) -> CacheKey:
    request = JudgeRequest((("user", text),), DecodingConfig(temperature=0.0))
    fields = {"judge_model": "m", "revision": "r", "template_hash": "t"} | changes
    return CacheKey.of(fields["judge_model"], fields["revision"], fields["template_hash"], request)


def test_key_depends_on_every_field() -> None:
    base = _key("prompt")
    others = [_key("prompt2"), _key("prompt", judge_model="m2"), _key("prompt", revision="r2"),
              _key("prompt", template_hash="t2"),
              CacheKey.of("m", "r", "t", JudgeRequest((("user", "prompt"),), DecodingConfig(temperature=0.1)))]
    assert len({base.digest()} | {other.digest() for other in others}) == 6
    assert _key("prompt").digest() == base.digest()


def test_persists_across_connections_and_first_writer_wins(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cache.sqlite"
    with JudgementCache(path) as cache:
        assert cache.get(_key("a")) is None
        cache.put(_key("a"), "reply A")
        cache.put(_key("a"), "another reply")
    with JudgementCache(path) as cache:
        assert cache.get(_key("a")) == "reply A" and len(cache) == 1


def test_concurrent_threads(tmp_path: Path) -> None:
    with JudgementCache(tmp_path / "cache.sqlite") as cache:
        def write(worker: int) -> None:
            for i in range(50):
                cache.put(_key(f"{worker}-{i}"), f"reply {worker}-{i}")
                cache.put(_key(f"shared-{i}"), "shared")

        threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(cache) == 4 * 50 + 50
        assert cache.get(_key("3-49")) == "reply 3-49"


WRITER = textwrap.dedent("""
    import sys
    from evaluators.judges.cache import CacheKey, JudgementCache
    from evaluators.judges.decoding import DecodingConfig, JudgeRequest
    worker, path = sys.argv[1], sys.argv[2]
    with JudgementCache(path) as cache:
        for i in range(40):
            for text in (f"{worker}-{i}", f"shared-{i}"):
                request = JudgeRequest((("user", text),), DecodingConfig(temperature=0.0))
                cache.put(CacheKey.of("m", "r", "t", request), f"reply {text}")
""")


def test_concurrent_processes(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    JudgementCache(path).close()
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, str(worker), str(path)], cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True) for worker in range(3)]
    errors = [process.communicate(timeout=60)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], errors
    with JudgementCache(path) as cache:
        assert len(cache) == 3 * 40 + 40
        assert cache.get(_key("2-39")) == "reply 2-39"


def test_sampling_judges_draw_one_reply_per_item_and_call(scripted_judge, tmp_path: Path) -> None:
    """Identical prompts of two items: a temperature-0 judge asks once (one cached reply serves both), a
    sampling judge (AIR chat, temperature 1.0, no seed) asks for each item, and a re-run hits the cache."""
    from evaluators.predictions.base import PredictionItem, PredictionSet

    def items(protocol_metadata: dict[str, str]) -> PredictionSet:
        return PredictionSet("same", "test", tuple(
            PredictionItem(item_id, "the same answer", ("the same reference",), prompt="Same question?",
                           metadata=protocol_metadata) for item_id in ("a", "b")))

    greedy = scripted_judge(lambda user: "Explanation: ok\nJudgement: correct")
    with JudgementCache(tmp_path / "greedy.sqlite") as cache:
        assert judged("J-SAKURA", items({}), greedy, cache).extras["calls_made"] == 1
    assert len(greedy.calls) == 1

    air = {"meta_info": "audio", "task_name": "speech_QA"}
    sampling = scripted_judge(lambda user: "7 8")
    with JudgementCache(tmp_path / "sampling.sqlite") as cache:
        assert judged("J-AIR-CHAT", items(air), sampling, cache).extras["calls_made"] == 4   # 2 items × 2 orders
        assert len(cache) == 4
        rerun = judged("J-AIR-CHAT", items(air), sampling, cache)
    assert rerun.extras["calls_made"] == 0 and rerun.extras["cache_hits"] == 4


def test_sampling_is_temperature_above_zero_or_unset_without_a_seed() -> None:
    assert DecodingConfig(temperature=1.0).samples and DecodingConfig().samples
    assert not DecodingConfig(temperature=0.0).samples and not DecodingConfig(max_tokens=9, seed=42).samples
    request = JudgeRequest((("user", "p"),), DecodingConfig(temperature=1.0))
    assert CacheKey.of("m", "r", "t", request, "a").digest() != CacheKey.of("m", "r", "t", request, "b").digest()
    # deterministic keys are unchanged by the new field (caches written before stay valid)
    assert CacheKey.of("m", "r", "t", request).digest() == CacheKey.of("m", "r", "t", request, "").digest()
