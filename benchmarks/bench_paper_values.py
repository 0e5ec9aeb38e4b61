"""Benchmark: wall time of the main job, ``pytest -m paper_values`` with xdist, on the shared data.

Target (issue 3, part 7): at most 60 s on the 2-core CI machine with ``-n 2``. The script runs, in this
order and in the same session:

1. the **measured run**: ``pytest -m paper_values -n WORKERS`` (default 2);
2. the **baseline**: the same command without xdist (``-p no:xdist``), i.e. one process doing all the work.

It prints both wall times, the CPU time of each (children's user+sys), the ratio baseline / measured, the
pytest summary lines (which must agree: same passed / skipped / xfailed counts) and the machine's load
average before and after (on a shared machine other processes inflate wall time; the CPU time does not
depend on them). Exit status 1 when the measured run fails or exceeds the budget.

Usage: python benchmarks/bench_paper_values.py [--data-dir DIR] [--workers N] [--budget 60] [--no-baseline]
(the data directory defaults to $AUDIOREPRO_DATA; it should hold every manifest file, 16k-item sets included)
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(extra: list[str], data_dir: Path) -> tuple[float, float, str, int]:
    """Run the paper_values job; returns (wall seconds, CPU seconds, summary line, exit code)."""
    env = dict(os.environ, AUDIOREPRO_DATA=str(data_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory(prefix="bench-paper-values-") as report_dir:
        command = [sys.executable, "-m", "pytest", "-m", "paper_values", "-q", "-p", "no:cacheprovider",
                   f"--report-dir={report_dir}", "--rootdir", str(ROOT), *extra]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [line for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed|skipped)", line)]
    summary = lines[-1].strip("= ") if lines else done.stdout[-500:] + done.stderr[-500:]
    return wall, cpu, summary, done.returncode


def counts(summary: str) -> dict[str, int]:
    found = re.findall(r"(\d+) (\w+)", summary)
    return {word: int(number) for number, word in found if word not in ("in", "deselected")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=os.environ.get("AUDIOREPRO_DATA"),
                        help="a data directory holding every public file (default: $AUDIOREPRO_DATA)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds allowed for the measured run")
    parser.add_argument("--no-baseline", action="store_true", help="skip the single-process baseline")
    args = parser.parse_args(argv)
    if args.data_dir is None or not Path(args.data_dir).is_dir():
        print(f"no data directory {args.data_dir}: set AUDIOREPRO_DATA or pass --data-dir", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load_before[0]:.2f} {load_before[1]:.2f} "
          f"{load_before[2]:.2f}; python {sys.version.split()[0]}; data {args.data_dir}")
    wall, cpu, summary, code = run_pytest(["-n", str(args.workers)], args.data_dir)
    print(f"measured  pytest -m paper_values -n {args.workers}: wall {wall:6.1f} s  cpu {cpu:6.1f} s  | {summary}")
    if not args.no_baseline:
        base_wall, base_cpu, base_summary, base_code = run_pytest(["-p", "no:xdist"], args.data_dir)
        print(f"baseline  pytest -m paper_values (no xdist): wall {base_wall:6.1f} s  cpu {base_cpu:6.1f} s  | "
              f"{base_summary}")
        print(f"ratio baseline/measured wall: {base_wall / wall:.2f}x")
        if counts(base_summary) != counts(summary) or base_code != code:
            print("WARNING: baseline and measured runs disagree on the outcome counts")
    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    verdict = "within" if wall <= args.budget else "OVER"
    print(f"budget {args.budget:.0f} s: {verdict} ({wall:.1f} s); pytest exit code {code}")
    return 0 if code == 0 and wall <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
