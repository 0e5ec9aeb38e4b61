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
