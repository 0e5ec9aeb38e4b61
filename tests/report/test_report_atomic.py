"""Writes are all-or-nothing: an interrupted write leaves the previous report intact."""

from __future__ import annotations

import os

import pytest

import evaluators.report.writer as writer
from evaluators.atomic import write_files_atomically
from evaluators.report.model import Report
from tests.report.report_samples import make_result

REPORT_FILES = ("results.json", "report.md", "index.html", "history.jsonl")


def snapshot(directory):
    return {name: (directory / name).read_bytes() for name in REPORT_FILES}


def leftovers(directory):
    """Anything besides the report files and one generation behind them (lock, link, generation folder)."""
    machinery = {".audiorepro.lock", ".current", ".generations"}
    extra = sorted(p.name for p in directory.iterdir() if p.name not in REPORT_FILES and p.name not in machinery)
    generations = directory / ".generations"
    if generations.is_dir():
        extra += [f".generations/{p.name}" for p in generations.iterdir()][1:]  # exactly one may remain
    return extra


def test_exception_while_rendering_keeps_previous_report(sample_report, tmp_path, monkeypatch):
    writer.write_report(sample_report, tmp_path)
    before = snapshot(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(writer, "render_html", broken)
    newer = Report(results=[make_result("other", "differs", "reproduces")])
    with pytest.raises(RuntimeError, match="renderer crashed"):
        writer.write_report(newer, tmp_path)
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == []


def test_exception_while_writing_keeps_previous_report(sample_report, tmp_path, monkeypatch):
    writer.write_report(sample_report, tmp_path)
    before = snapshot(tmp_path)
    real_fsync, calls = os.fsync, []

    def failing_fsync(fd):  # the third file fails half-way (disk full, killed, ...)
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        writer.write_report(Report(results=[make_result("other")]), tmp_path)
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == []


def test_failed_replace_cleans_up_temporary_files(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("old a")
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("rename failed")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_files_atomically({tmp_path / "a.txt": "new a", tmp_path / "b.txt": "new b"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_invalid_report_is_not_written(tmp_path):
    report = Report(results=[make_result("a")])
    report.results[0].status = "bogus"  # bypasses __post_init__: the schema check must catch it
    with pytest.raises(Exception, match="results/0/status"):
        writer.write_report(report, tmp_path)
    assert list(tmp_path.iterdir()) == []
