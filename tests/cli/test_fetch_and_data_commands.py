"""`audiorepro fetch` and `audiorepro data verify` end to end (no network: offline failures only)."""

from __future__ import annotations

import functools
import hashlib
import json

import pytest

from evaluators import sources
from evaluators.cli import main
from evaluators.commands import fetch as fetch_command

CONTENT = b'{"wer": 0.5}\n'


@pytest.fixture
def one_file_manifest(monkeypatch):
    entry = sources.SourceFile(file="set/one.json", bytes=len(CONTENT), sha256=hashlib.sha256(CONTENT).hexdigest(),
                               repo="owner/repo", commit="c" * 40, path="one.json", license="MIT")
    monkeypatch.setattr(sources, "_packaged_manifest", lambda: (entry,))
    sources.clear_checksum_cache()
    return entry


def test_fetch_list_prints_the_manifest(capsys):
    assert main(["fetch", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == len(sources.manifest())
    assert all(item["url"].startswith("https://raw.githubusercontent.com/") for item in listed)


def test_fetch_offline_exits_2_with_message(tmp_path, capsys, one_file_manifest, monkeypatch):
    def offline(url, timeout=None):
        raise OSError("Network is unreachable")
    monkeypatch.setattr(fetch_command.sources, "fetch", functools.partial(sources.fetch, opener=offline))
    assert main(["fetch", "--cache-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "could not download set/one.json" in err and "Network is unreachable" in err
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_data_verify_ok_and_bad(tmp_path, capsys, one_file_manifest):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "one.json").write_bytes(CONTENT)
    assert main(["data", "verify", "--data-dir", str(tmp_path)]) == 0
    assert "1 of 1 files ok" in capsys.readouterr().out
    (tmp_path / "set" / "one.json").write_bytes(CONTENT.replace(b"5", b"6"))
    sources.clear_checksum_cache()
    assert main(["data", "verify", "--data-dir", str(tmp_path)]) == 1
    assert "mismatch  set/one.json" in capsys.readouterr().out


def test_fetch_missing_offline_ok_says_so_in_one_line_and_exits_0(tmp_path, capsys, one_file_manifest, monkeypatch):
    """What `make report` runs first: offline is not a failure, and the message names the one fix."""
    def offline(url, timeout=None):
        raise OSError("Network is unreachable")
    monkeypatch.setattr(sources, "SHIPPED_DIR", tmp_path / "shipped")
    monkeypatch.setattr(fetch_command.sources, "fetch", functools.partial(sources.fetch, opener=offline))
    monkeypatch.delenv(sources.DATA_ENV, raising=False)
    assert main(["fetch", "--missing", "--offline-ok", "--cache-dir", str(tmp_path / "cache")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert "Network is unreachable" in out[0] and "1 of 1 public files are not on this machine" in out[0]
    assert "run `audiorepro fetch`" in out[0]
    assert main(["fetch", "--missing", "--cache-dir", str(tmp_path / "cache")]) == 2  # without --offline-ok: an error


def test_data_pack_writes_only_redistributable_files(tmp_path, capsys, monkeypatch):
    free = sources.SourceFile(file="set/free.json", bytes=len(CONTENT), sha256=hashlib.sha256(CONTENT).hexdigest(),
                              repo="owner/repo", commit="c" * 40, path="free.json", license="Apache-2.0")
    closed = sources.SourceFile(file="set/nc.json", bytes=len(CONTENT), sha256=free.sha256, repo="owner/repo",
                                commit="c" * 40, path="nc.json", license="Creative Commons NonCommercial")
    monkeypatch.setattr(sources, "_packaged_manifest", lambda: (free, closed))
    monkeypatch.setattr(sources, "SHIPPED_DIR", tmp_path / "shipped")
    data = tmp_path / "data" / "set"
    data.mkdir(parents=True)
    for name in ("free.json", "nc.json"):
        (data / name).write_bytes(CONTENT)
    sources.clear_checksum_cache()
    assert main(["data", "pack", "--data-dir", str(tmp_path / "data")]) == 0
    assert "1 redistributable files packed" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "shipped").rglob("*.xz")) == ["free.json.xz"]
