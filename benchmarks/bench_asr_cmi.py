"""ASR-CMI on one runaway output: time per character from 2,000 to 200,000 characters must stay flat.

CMI-bench deletes answer prefixes with four regexes of the form ``.*? lyrics .*?are.*?:``; on a line
without a match every start position scans to the line end, so the cost grows with the square of
the length (issue 14, finding 15: 16,000 characters 6.2 s, 200,000 characters 1,108 s). ASR-CMI now
deletes the same matches with ``str.find`` (``evaluators.text.cleanup.delete_prefix_matches``).

Measured in the same run, on the same texts (a model that repeats "la la ..." on one line, reference
"la la la"):

* **regex**: the four ``re.sub`` of CMI-bench, then the rest of ASR-CMI unchanged — only up to
  ``--regex-max`` characters (default 16,000; beyond, it takes minutes);
* **ASR-CMI**: the registered protocol scoring the one item (``score(..., interval=False)``), and its
  prefix-deletion step alone (``strip_cmi_prefixes``).

Both give the same cleaned text (checked). Each size is timed ``--repeat`` times; the best is reported.

    .venv/bin/python benchmarks/bench_asr_cmi.py [--repeat 3] [--regex-max 16000]
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from evaluators.predictions import PredictionSet
from evaluators.protocols.asr import ASR_CMI
from evaluators.text.cleanup import CMI_PREFIX_PATTERNS, strip_cmi_prefixes

SIZES = (2_000, 4_000, 8_000, 16_000, 50_000, 100_000, 200_000)


def regex_strip(prediction: str) -> str:
    for pattern in CMI_PREFIX_PATTERNS:
        prediction = re.sub(pattern, "", prediction).strip()
    return prediction.replace("<s>", "").strip().replace("</s>", "").strip()


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regex-max", type=int, default=16_000)
    args = parser.parse_args(argv)
    print(f"{'chars':>8} {'ASR-CMI s':>10} {'µs/char':>8} {'find prefixes µs/char':>22} {'regex prefixes s':>17} "
          f"{'µs/char':>8} {'regex/ASR-CMI':>13}")
    per_char = []
    for size in SIZES:
        text = ("la " * (size // 3 + 1))[:size]
        predictions = PredictionSet.from_pairs([text], ["la la la"])
        ours = best(lambda p=predictions: ASR_CMI.score(p, interval=False, details=False), args.repeat)
        per_char.append(ours / size * 1e6)
        prefixes = best(lambda t=text: strip_cmi_prefixes(t), args.repeat)
        row = f"{size:>8} {ours:>10.4f} {per_char[-1]:>8.3f} {prefixes / size * 1e6:>22.4f}"
        if size <= args.regex_max:
            if regex_strip(text) != strip_cmi_prefixes(text):
                print(f"CLEANED TEXT DIFFERS at {size} characters", file=sys.stderr)
                return 1
            regex = best(lambda t=text: regex_strip(t), 1)
            row += f" {regex:>17.3f} {regex / size * 1e6:>8.1f} {regex / ours:>12.0f}x"
        else:
            row += f" {'(not run)':>17}"
        print(row)
    print(f"ASR-CMI time per character, largest/smallest size: {per_char[-1] / per_char[0]:.2f}x "
          f"(flat = linear; the regexes grow with the length)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
