"""Hand-built results for the report tests (no real predictions needed)."""

from __future__ import annotations

from evaluators.verdict import PaperValueResult, SweepValue


def make_result(identifier: str, status: str = "reproduces", expected: str | None = None,
                **overrides) -> PaperValueResult:
    measured = status in ("reproduces", "differs")
    base = dict(
        id=identifier, paper="AudioBench 2024", model="SALMONN-7B", task="asr", dataset="LibriSpeech",
        split="test-clean", metric="WER", published=55.58, unit="percent", direction="lower", status=status,
        expected_status=expected or (status if measured else "unknown"),
        protocol="ASR-AB" if measured else None, value=55.5812 if measured else None,
        delta=0.0012 if measured else None, tolerance=0.005, interval=(54.9, 56.25) if measured else None,
        signature="ASR-AB|nrefs:1|case:lc" if measured else None, n=2620 if measured else None,
        reason="" if measured else "no predictions: audiobench/x.json not in the data directory",
        prediction_file="audiobench/SALMONN_7B/librispeech_test_clean.json" if measured else None,
        verdict="reproduces" if status == "reproduces" else ("differs" if measured else None),
        closest_protocol="ASR-AB" if measured else None,
    )
    base.update(overrides)
    return PaperValueResult(**base)


def sample_results() -> list[PaperValueResult]:
    return [
        make_result("audiobench-2024/salmonn-7b/librispeech-test-clean/wer",
                    sweep=[SweepValue("ASR-JW", 12.3456, "ASR-JW|tok:jiwer", 2620, {"empty hypothesis": 3}),
                           SweepValue("ASR-NOTA", None, "", 0, available=False, reason="needs a download")]),
        make_result("mmau/qwen2-audio-instruct/test-mini/avg", "differs", paper="MMAU", model="Qwen2-Audio-Instruct",
                    task="mcq", dataset="MMAU", split="test-mini", metric="accuracy", published=49.2, value=47.13,
                    delta=-2.07, tolerance=0.05, interval=(44.0, 50.25), protocol="MCQ-MMAU", direction="higher",
                    reason="answer key revised after publication | see MANIFEST", prediction_file="mmau/q.json",
                    verdict="consistent", closest_protocol="MCQ-AB-MMAU"),
        make_result("mmau/salmonn/test-mini/avg", "no_predictions", paper="MMAU", model="SALMONN", task="mcq",
                    dataset="MMAU", split="test-mini", metric="accuracy", published=30.1),
        make_result("air-bench/salmonn/chat", "unavailable", paper="AIR-Bench", task="chat", metric="GPT-4 score",
                    published=6.16, unit="score", reason="needs an LLM judge (GPT-4)"),
    ]
