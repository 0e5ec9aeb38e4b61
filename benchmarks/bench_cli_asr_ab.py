"""Whole-process time of ``audiorepro score … --protocol ASR-AB`` against AudioBench's own scorer, and
start-up of ``audiorepro protocols ASR-AB`` against ``python -c "import jiwer"``, in one run.

Both comparisons time complete processes (interpreter start, imports, reading the file, scoring,
printing), alternating the two sides ``--repeat`` times; the best and the median of each are
printed, and the ratios use the best times (the least disturbed by other jobs on the machine).

* **score**: ``python -m evaluators.cli score FILE --protocol ASR-AB --json`` (what the console script
  runs) against AudioBench's scoring path run from a checkout of AudioLLMs/AudioBench: a process that
  imports ``dataset_src.librispeech_test_clean`` (which imports its ``preprocess_text_asr``
  normaliser and jiwer), reads the raw log with ``json.load`` and calls the dataset class's
  ``compute_score(records, metrics="wer")``. Nothing of AudioBench is copied here: its code is
  imported from ``$AUDIOBENCH_DIR/src``. Records get a ``reference`` key equal to ``answer`` where they
  lack one (later AudioBench commits read ``reference``; the commit that wrote the log, a24087b, reads
  ``answer``). ``compute_score`` calls ``jiwer.compute_measures``, which jiwer 4 removed: run that
  side with ``$AUDIOBENCH_PYTHON``, an interpreter with jiwer 3.x, ``more-itertools`` and ``regex``
  (default: this interpreter). Without ``$AUDIOBENCH_DIR`` (or with an interpreter that cannot run it)
  this comparison is skipped with the reason. The two values must be equal (exit status 1 otherwise).
* **start-up**: ``python -m evaluators.cli protocols ASR-AB`` against ``python -c "import jiwer"``.

Bytecode: by default (``--bytecode cache``) every process runs with a bytecode cache in a temporary directory
(``PYTHONPYCACHEPREFIX``; ``PYTHONDONTWRITEBYTECODE`` removed) and each command runs once untimed first, so both
sides import compiled modules as an installed package does (pip byte-compiles at install) — including
AudioBench's own ``src/`` modules — and nothing is written into either checkout. ``--bytecode as-is`` keeps the
environment's setting (with ``PYTHONDONTWRITEBYTECODE=1`` every module outside site-packages is compiled
from source in every process, on both sides).

Targets (issue 12): score at least 3x faster than AudioBench's scorer (goal 10x); start-up at most 4x
``import jiwer``. The verdict lines say whether this run met them; the exit status only checks values.

    AUDIOBENCH_DIR=/path/to/AudioBench AUDIOBENCH_PYTHON=/path/to/venv/bin/python \\
        .venv/bin/python benchmarks/bench_cli_asr_ab.py [FILE] [--repeat 5] [--bytecode cache|as-is]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT = Path("audiobench/a24087b/salmonn_7b/librispeech_test_clean.json")
SCORE_TARGET, SCORE_GOAL, STARTUP_LIMIT = 3.0, 10.0, 4.0

#: AudioBench's scoring path, run from its checkout (argv: checkout's src directory, log file)
AUDIOBENCH_SCORER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from dataset_src.librispeech_test_clean import librispeech_test_clean_dataset
with open(sys.argv[2], encoding="utf-8") as handle:
    records = json.load(handle)
for record in records:
    record.setdefault("reference", record["answer"])
print(repr(librispeech_test_clean_dataset.compute_score(None, records, metrics="wer")["wer"]))
"""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time of one complete process and its standard output (a failing process stops the benchmark)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return elapsed, result.stdout


def with_bytecode_cache(env: dict[str, str], directory: str) -> dict[str, str]:
    """``env`` with Python's bytecode cache written to (and read from) ``directory``."""
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = directory
    return env


def compare(label: str, sides: dict[str, list[str]], repeat: int, env: dict[str, str], *,
            warm_up: bool = False) -> dict[str, tuple[float, str]]:
    """Alternate the commands ``repeat`` times; print best/median of each; return best time and last output.
    With ``warm_up``, each command first runs once untimed (it fills the bytecode cache)."""
    times: dict[str, list[float]] = {name: [] for name in sides}
    outputs: dict[str, str] = {}
    if warm_up:
        for command in sides.values():
            timed(command, env)
    for _ in range(repeat):
        for name, command in sides.items():
            elapsed, outputs[name] = timed(command, env)
            times[name].append(elapsed)
    for name in sides:
        print(f"{label:>8}  {name:<38} best {min(times[name]):6.3f} s  median {statistics.median(times[name]):6.3f} s"
              f"  ({repeat} runs)")
    return {name: (min(times[name]), outputs[name]) for name in sides}


def audiobench_skip_reason(checkout: str | None, python: str) -> str | None:
    if not checkout:
        return "AUDIOBENCH_DIR is not set (a checkout of AudioLLMs/AudioBench, e.g. at a24087b)"
    scorer = Path(checkout) / "src" / "dataset_src" / "librispeech_test_clean.py"
    if not scorer.is_file():
        return f"{scorer} does not exist"
    probe = subprocess.run([python, "-c", "import jiwer, more_itertools, regex; jiwer.compute_measures"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return (f"{python} cannot run AudioBench's scorer (needs jiwer 3.x with compute_measures, more-itertools, "
                f"regex): {probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else 'failed'}; "
                "set AUDIOBENCH_PYTHON")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", help="AudioBench raw log (default: the SALMONN-7B test-clean log)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bytecode", choices=("cache", "as-is"), default="cache",
                        help="cache: a bytecode cache in a temporary directory, warmed by one untimed run of each "
                             "command (default); as-is: the environment's PYTHONDONTWRITEBYTECODE setting")
    args = parser.parse_args(argv)
    if args.bytecode == "cache":
        with tempfile.TemporaryDirectory(prefix="bench-pycache-") as directory:
            return run(args, directory)
    return run(args, None)


def run(args: argparse.Namespace, pycache: str | None) -> int:
    if args.file:
        path = Path(args.file).resolve()
    else:
        data = os.environ.get("AUDIOREPRO_DATA")
        if not data:
            raise SystemExit("bench_cli_asr_ab.py: error: give FILE or set AUDIOREPRO_DATA")
        path = Path(data).resolve() / DEFAULT
    env = _environment()
    if pycache is not None:
        env = with_bytecode_cache(env, pycache)
    checkout = os.environ.get("AUDIOBENCH_DIR")
    audiobench_python = os.environ.get("AUDIOBENCH_PYTHON", sys.executable)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"python {sys.version.split()[0]}; file {path}")
    as_is = f"as the environment says (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})"
    print("bytecode: " + ("cached in a temporary directory, one untimed warm-up run per command" if pycache else as_is))
    status = 0

    reason = audiobench_skip_reason(checkout, audiobench_python)
    if reason:
        print(f"   score  skipped: {reason}")
    else:
        commit_file = Path(checkout) / "COMMIT"
        commit = commit_file.read_text().strip()[:12] if commit_file.is_file() else "unknown commit"
        print(f"AudioBench checkout: {checkout} ({commit}); interpreter {audiobench_python}")
        results = compare("score", {
            "audiorepro score --protocol ASR-AB --json": [sys.executable, "-m", "evaluators.cli", "score", str(path),
                                                          "--protocol", "ASR-AB", "--json"],
            "AudioBench compute_score": [audiobench_python, "-c", AUDIOBENCH_SCORER, str(Path(checkout) / "src"),
                                         str(path)],
        }, args.repeat, env, warm_up=pycache is not None)
        ours = json.loads(results["audiorepro score --protocol ASR-AB --json"][1])["value"]
        theirs = float(results["AudioBench compute_score"][1].strip())
        ratio = results["AudioBench compute_score"][0] / results["audiorepro score --protocol ASR-AB --json"][0]
        same = "same" if ours == theirs else "DIFFER"
        print(f"   score  values: audiorepro {ours!r}  AudioBench {theirs!r}  -> {same}")
        verdict = "goal met" if ratio >= SCORE_GOAL else "target met" if ratio >= SCORE_TARGET else "TARGET MISSED"
        print(f"   score  speed-up (AudioBench / audiorepro, best times): {ratio:.2f}x  "
              f"[target >= {SCORE_TARGET:.0f}x, goal {SCORE_GOAL:.0f}x: {verdict}]")
        if ours != theirs:
            status = 1

    results = compare("start-up", {
        "audiorepro protocols ASR-AB": [sys.executable, "-m", "evaluators.cli", "protocols", "ASR-AB"],
        'python -c "import jiwer"': [sys.executable, "-c", "import jiwer"],
    }, args.repeat, env, warm_up=pycache is not None)
    ratio = results["audiorepro protocols ASR-AB"][0] / results['python -c "import jiwer"'][0]
    verdict = "within" if ratio <= STARTUP_LIMIT else "OVER"
    print(f"start-up  ratio (audiorepro / import jiwer, best times): {ratio:.2f}x  "
          f"[limit <= {STARTUP_LIMIT:.0f}x: {verdict}]")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return status


if __name__ == "__main__":
    sys.exit(main())
