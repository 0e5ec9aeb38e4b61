"""WordNet for NLTK from Debian files (evaluators/metrics/wordnet_data.py): layout, atomic install, CLI."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from evaluators.metrics import wordnet_data

MAN_PAGE = Path("/usr/share/man/man5/lexnames.5WN.gz")


def test_lexnames_has_the_45_wordnet_files():
    lines = wordnet_data.lexnames_text().splitlines()
    assert len(lines) == 45
    assert lines[0] == "00\tadj.all\t3" and lines[3] == "03\tnoun.Tops\t1" and lines[44] == "44\tadj.ppl\t3"
    assert lines[29] == "29\tverb.body\t2" and lines[2] == "02\tadv.all\t4"


@pytest.mark.skipif(not MAN_PAGE.is_file(), reason="wordnet-base manual page not installed")
def test_lexnames_agrees_with_the_debian_manual_page():
    text = gzip.decompress(MAN_PAGE.read_bytes()).decode("utf-8", "replace")
    listed = [(int(number), name.strip()) for number, name in re.findall(r"^(\d\d)\t([^\t]+)\t", text, re.M)]
    assert listed == [(number, name) for number, name, _ in wordnet_data.LEXNAMES]


def fake_debian(folder: Path, missing: tuple[str, ...] = ()) -> Path:
    folder.mkdir()
    for name in wordnet_data.REQUIRED_FILES + ("cntlist.rev",):
        if name not in missing:
            (folder / name).write_text(f"content of {name}\n")
    return folder


def test_install_copies_files_and_writes_lexnames(tmp_path):
    source = fake_debian(tmp_path / "debian")
    target = wordnet_data.install(tmp_path / "nltk_data", source)
    assert target == tmp_path / "nltk_data" / "corpora" / "wordnet"
    assert (target / "index.sense").read_text() == "content of index.sense\n"
    assert not (target / "index.sense").is_symlink()          # NLTK 3.10 rejects links leaving the corpus
    assert (target / "lexnames").read_text() == wordnet_data.lexnames_text()
    assert (target / "cntlist.rev").is_file()
    assert wordnet_data.is_installed(tmp_path / "nltk_data")
    assert [p.name for p in target.parent.iterdir()] == ["wordnet"]   # no staging folder left behind


def test_install_is_idempotent_and_force_rebuilds(tmp_path):
    source = fake_debian(tmp_path / "debian")
    target = wordnet_data.install(tmp_path / "nltk_data", source)
    (target / "data.noun").write_text("edited\n")
    wordnet_data.install(tmp_path / "nltk_data", source)
    assert (target / "data.noun").read_text() == "edited\n"
    wordnet_data.install(tmp_path / "nltk_data", source, force=True)
    assert (target / "data.noun").read_text() == "content of data.noun\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["wordnet"]


def test_missing_debian_files_are_a_clear_error_and_leave_nothing(tmp_path):
    source = fake_debian(tmp_path / "debian", missing=("index.sense",))
    with pytest.raises(wordnet_data.WordNetSetupError, match="index.sense.*wordnet-sense-index"):
        wordnet_data.install(tmp_path / "nltk_data", source)
    assert not (tmp_path / "nltk_data" / "corpora" / "wordnet").exists()


def test_command_line(tmp_path, capsys):
    source = fake_debian(tmp_path / "debian")
    data = tmp_path / "nltk_data"
    assert wordnet_data.main(["--nltk-data", str(data), "--check"]) == 1
    assert wordnet_data.main(["--nltk-data", str(data), "--source", str(source)]) == 0
    assert wordnet_data.main(["--nltk-data", str(data), "--check"]) == 0
    assert "present" in capsys.readouterr().out
    assert wordnet_data.main(["--nltk-data", str(tmp_path / "other"), "--source", str(tmp_path / "none")]) == 1


def test_default_location_follows_nltk_data(monkeypatch, tmp_path):
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    assert wordnet_data.corpus_dir() == tmp_path / "corpora" / "wordnet"
    monkeypatch.delenv("NLTK_DATA")
    assert wordnet_data.default_nltk_data() == wordnet_data.REPO_ROOT / ".cache" / "nltk_data"
