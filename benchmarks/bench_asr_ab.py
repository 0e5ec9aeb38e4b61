"""Time ASR-AB against a straightforward per-item pipeline on AudioBench's SALMONN-7B LibriSpeech log.

Both paths are measured in the same run on the same file
(``$AUDIOREPRO_DATA/audiobench/a24087b/salmonn_7b/librispeech_test_clean.json`` unless a path is given):

* **naive**: for every item, AudioBench's ``preprocess_text_asr`` done step by step
  (``audiobench_asr_reference``: whisper-normalizer's number/spelling classes, one ``re.sub`` per table
  entry, the real ``jiwer.Compose``) on prediction and reference, ``empty`` for empty strings, then
  ``jiwer.process_words`` per item and Σ(S+D+I) / Σ(S+D+H) — what AudioBench's ``compute_score`` does;
* **fast**: ``ASR_AB.score(...)`` (the registered ASR-AB protocol) (guarded regexes, number normaliser only where it can
  change the text, ``str.translate`` punctuation removal, strings repeated up to case and the number
  normaliser's runs of words normalised once *within the run*, rapidfuzz Levenshtein over token lists).

Nothing is cached across runs: the per-run memo is created and dropped inside each ``score`` call, and
one-time set-up (compiling tables, building normaliser objects) is done for both paths before timing.
Each path is timed ``--repeat`` times, alternating, and the best time of each is reported. The script
exits with status 1 if the two values differ.

    .venv/bin/python benchmarks/bench_asr_ab.py [FILE] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import jiwer

from evaluators.predictions import PredictionSet, load_predictions
from evaluators.protocols.asr import ASR_AB
from evaluators.text.normalizers import audiobench_asr_reference

DEFAULT = Path("audiobench/a24087b/salmonn_7b/librispeech_test_clean.json")


def naive_wer(predictions: PredictionSet) -> float:
    incorrect = total = 0
    for item in predictions:
        prediction = audiobench_asr_reference(item.prediction) or "empty"
        reference = audiobench_asr_reference(item.reference) or "empty"
        output = jiwer.process_words(reference, prediction)
        incorrect += output.substitutions + output.deletions + output.insertions
        total += output.substitutions + output.deletions + output.hits
    return incorrect / total


def fast_wer(predictions: PredictionSet) -> float:
    score = ASR_AB.score(predictions, interval=False, details=False)
    assert score.value is not None
    return score.value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", help="AudioBench raw log (default: the SALMONN-7B test-clean log)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.file:
        path = Path(args.file)
    else:
        data = os.environ.get("AUDIOREPRO_DATA")
        if not data:
            parser.error("give FILE or set AUDIOREPRO_DATA")
        path = Path(data) / DEFAULT
    predictions = load_predictions(path)

    # one-time set-up of both paths (not timed): normaliser objects, punctuation tables, regex caches
    warm = PredictionSet.from_pairs(["It's 2 o'clock, Mr. Smith! [noise]"], ["IT'S TWO O'CLOCK MISTER SMITH"])
    naive_wer(warm), fast_wer(warm)

    times: dict[str, list[float]] = {"naive": [], "fast": []}
    values: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, function in (("naive", naive_wer), ("fast", fast_wer)):
            start = time.perf_counter()
            values[name] = function(predictions)
            times[name].append(time.perf_counter() - start)
    naive, fast = min(times["naive"]), min(times["fast"])
    print(f"file: {path} ({len(predictions)} items)")
    print(f"naive per-item pipeline: WER {values['naive']!r}  best of {args.repeat}: {naive:.3f} s")
    print(f"ASR-AB protocol        : WER {values['fast']!r}  best of {args.repeat}: {fast:.3f} s")
    print(f"speed-up: {naive / fast:.2f}x")
    if values["naive"] != values["fast"]:
        print("VALUES DIFFER", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
