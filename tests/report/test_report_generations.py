"""A report folder shows one generation at a time, whatever kills the writer; concurrent runs lose nothing.

Issue 14, findings 9-10: ``kill -9`` between the per-file renames left ``results.json`` of one run with
``index.html`` of another, killed writes left ``.tmp`` files nobody removed, and two runs on one
``--report-dir`` lost ``history.jsonl`` lines.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from evaluators.report.history import read_history
from evaluators.report.model import Report
from evaluators.report.writer import write_report
from tests.report.report_samples import make_result

ROOT = Path(__file__).resolve().parents[2]
FILES = ("results.json", "report.md", "index.html")

#: a child that writes the "bravo" report over the "alpha" one and SIGKILLs itself at the k-th file-system
#: step (file write, rename, link): a crash at every point the writer can be in
CHILD = textwrap.dedent("""
    import os, signal, sys, builtins
    from pathlib import Path
    from evaluators.report.model import Report
    from evaluators.report.writer import write_report
    from tests.report.report_samples import make_result

    folder, kill_at = Path(sys.argv[1]), int(sys.argv[2])
    steps = [0]

    def counted(function):
        def wrapper(*args, **kwargs):
            steps[0] += 1
            if steps[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)
        return wrapper

    os.replace, os.rename, os.symlink, os.fsync = (counted(f) for f in (os.replace, os.rename, os.symlink, os.fsync))
    write_report(Report(results=[make_result("bravo/x/y/z")]), folder)
    print("STEPS", steps[0])
""")


def _generation_of(folder: Path) -> set[str]:
    """Which run each visible file comes from ("alpha" or "bravo")."""
    found = set()
    for name in FILES:
        text = (folder / name).read_text(encoding="utf-8")
        found |= {marker for marker in ("alpha", "bravo") if marker in text}
    return found


def _child(folder: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", CHILD, str(folder), str(kill_at)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=False)


def test_a_kill_at_any_step_leaves_one_whole_generation(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_report(Report(results=[make_result("alpha/x/y/z")]), folder)
    write_report(Report(results=[make_result("alpha/x/y/z")]), tmp_path / "probe")
    complete = _child(tmp_path / "probe", 0)  # how many steps a whole write over a report takes
    assert complete.returncode == 0, complete.stderr
    total = int(complete.stdout.split("STEPS")[1])
    assert total >= 4
    seen = set()
    for kill_at in range(1, total + 1):
        run = _child(folder, kill_at)
        assert run.returncode == -signal.SIGKILL, (kill_at, run.stderr)
        generation = _generation_of(folder)
        assert len(generation) == 1, f"killed at step {kill_at}: files from {generation}"
        seen |= generation
        json.loads((folder / "results.json").read_text(encoding="utf-8"))  # whole, parseable
        if generation == {"bravo"}:  # put alpha back for the next kill point
            write_report(Report(results=[make_result("alpha/x/y/z")]), folder)
    assert seen == {"alpha", "bravo"}  # the kill points cover both sides of the switch
    write_report(Report(results=[make_result("bravo/x/y/z")]), folder)
    assert _generation_of(folder) == {"bravo"}
    assert sorted(p.name for p in (folder / ".generations").iterdir()).__len__() == 1  # partial ones cleaned


def test_stale_temporaries_of_killed_writers_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_report(Report(results=[make_result("alpha/x/y/z")]), folder)
    stale = [folder / ".results.json.k3j2h1.tmp", folder / ".index.html.9x8y7z.tmp", folder / ".current.ab12.tmp"]
    for path in stale[:2]:
        path.write_bytes(b"x" * (1 << 20))
    os.symlink("nowhere", stale[2])
    (folder / ".generations" / "20260101T000000Z-1-abcdef").mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text("the user's own file")
    write_report(Report(results=[make_result("bravo/x/y/z")]), folder)
    assert not any(os.path.lexists(path) for path in stale)
    assert len(list((folder / ".generations").iterdir())) == 1
    assert (folder / "notes.txt").exists()


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from evaluators.report.model import Report
    from evaluators.report.writer import write_report
    from tests.report.report_samples import make_result

    folder, name, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    for index in range(rounds):
        write_report(Report(results=[make_result(f"{name}/{index}/y/z")], run={"git_commit": f"{name}-{index}"}),
                     folder)
""")


@pytest.mark.parametrize("writers", [4])
def test_concurrent_runs_on_one_folder_lose_no_history_line(tmp_path: Path, writers: int) -> None:
    folder, rounds = tmp_path / "reports", 6
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, str(folder), f"w{index}", str(rounds)], env=env,
                                  cwd=ROOT, stderr=subprocess.PIPE, text=True) for index in range(writers)]
    for process in processes:
        assert process.wait(timeout=300) == 0, process.stderr.read() if process.stderr else ""
    history = read_history(folder / "history.jsonl")
    assert sorted(entry["git_commit"] for entry in history) == sorted(
        f"w{w}-{r}" for w in range(writers) for r in range(rounds))
    assert len(_generation_of_any(folder)) == 1


def _generation_of_any(folder: Path) -> set[str]:
    ids = {json.loads((folder / "results.json").read_text())["results"][0]["id"]}
    assert all(next(iter(ids)) in (folder / name).read_text() for name in ("report.md", "index.html"))
    return ids
