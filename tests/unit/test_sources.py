"""evaluators.sources: manifest, data-directory lookup, sha256 verification and download (fake opener only)."""

from __future__ import annotations

import hashlib
import io
import urllib.error
from pathlib import Path

import pytest

from evaluators import sources
from evaluators.errors import AudioreproError

CONTENT = b'[{"id": "a", "prediction": "hello"}]\n'
OTHER = b"[]\n"


def entry_for(file: str, content: bytes, **overrides) -> sources.SourceFile:
    fields = dict(file=file, bytes=len(content), sha256=hashlib.sha256(content).hexdigest(),
                  repo="owner/repo", commit="0123456789abcdef0123456789abcdef01234567",
                  path=f"logs/{Path(file).name}", license="CC BY 4.0")
    fields.update(overrides)
    return sources.SourceFile(**fields)


@pytest.fixture
def fake_manifest(monkeypatch):
    """Replace the packaged manifest with two small entries whose bytes the test knows."""
    entries = (entry_for("set/one.json", CONTENT), entry_for("set/two.json", OTHER))
    monkeypatch.setattr(sources, "_packaged_manifest", lambda: entries)
    sources.clear_checksum_cache()
    yield entries
    sources.clear_checksum_cache()


class FakeResponse(io.BytesIO):
    """What urlopen returns: a readable context manager."""


def serving(payloads: dict[str, bytes], calls: list[str] | None = None):
    def opener(url, timeout=None):
        if calls is not None:
            calls.append(url)
        if url not in payloads:
            raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)
        return FakeResponse(payloads[url])
    return opener


def files_under(folder: Path) -> list[Path]:
    """Every file and folder left under ``folder`` (a failed download must leave neither)."""
    return sorted(folder.rglob("*"))


# --- the packaged manifest ------------------------------------------------------------------------

def test_packaged_manifest_is_valid_and_complete():
    entries = sources.manifest()
    assert len(entries) == 80
    assert len({e.file for e in entries}) == len(entries)
    first = sources.manifest_entry("audiobench/a24087b/salmonn_7b/librispeech_test_clean.json")
    assert first.repo == "AudioLLMs/AudioBench"
    assert first.commit == "a24087b7ee5cd2b4df9b4d6c87721ef1cd38ccde"
    assert first.url == ("https://raw.githubusercontent.com/AudioLLMs/AudioBench/"
                         "a24087b7ee5cd2b4df9b4d6c87721ef1cd38ccde/log/salmonn_7b/librispeech_test_clean.json")


def test_packaged_manifest_equals_the_shared_manifest(require_data_dir):
    shared = require_data_dir / "MANIFEST.yaml"
    if not shared.is_file():
        pytest.skip(f"{shared} not present")
    assert [e.as_dict() for e in sources.manifest()] == [e.as_dict() for e in sources.load_manifest(shared)]


@pytest.mark.parametrize("mutation, message", [
    (lambda e: e.pop("sha256"), "field 'sha256': missing"),
    (lambda e: e.update(sha256="abc"), "not a sha256"),
    (lambda e: e.update(bytes="12"), "field 'bytes'"),
    (lambda e: e.update(file="../escape.json"), "relative path"),
    (lambda e: e.update(repo=""), "field 'repo'"),
])
def test_malformed_manifest_entries_are_named(mutation, message):
    raw = entry_for("x.json", CONTENT).as_dict()
    mutation(raw)
    with pytest.raises(sources.ManifestError, match="entry 0") as error:
        sources.parse_manifest([raw], "m.yaml")
    assert message in str(error.value)


def test_duplicate_manifest_file_is_refused():
    raw = entry_for("x.json", CONTENT).as_dict()
    with pytest.raises(sources.ManifestError, match="entry 1.*duplicate"):
        sources.parse_manifest([raw, dict(raw)], "m.yaml")


# --- data directory -------------------------------------------------------------------------------

def test_data_dir_order_explicit_env_cache(tmp_path, monkeypatch):
    explicit, env, cache = (tmp_path / name for name in ("explicit", "env", "cache"))
    for folder in (explicit, env, cache):
        folder.mkdir()
    monkeypatch.setenv(sources.CACHE_ENV, str(cache))
    monkeypatch.delenv(sources.DATA_ENV, raising=False)
    assert sources.data_dir_from_env() is None  # empty cache does not count
    (cache / "f.json").write_bytes(b"{}")
    assert sources.data_dir_from_env() == cache.resolve()
    monkeypatch.setenv(sources.DATA_ENV, str(env))
    assert sources.data_dir_from_env() == env.resolve()
    assert sources.locate_data_dir(explicit) == explicit.resolve()
    assert sources.locate_data_dir() == env.resolve()


def test_explicit_data_dir_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(sources.MissingDataError, match="does not exist"):
        sources.locate_data_dir(tmp_path / "typo")


def test_default_cache_dir(monkeypatch):
    monkeypatch.delenv(sources.CACHE_ENV, raising=False)
    assert sources.default_cache_dir() == Path.home() / ".cache" / "audiorepro" / "public-predictions"
    monkeypatch.setenv(sources.CACHE_ENV, "/somewhere/else")
    assert sources.default_cache_dir() == Path("/somewhere/else")


# --- resolve: existence and sha256 ----------------------------------------------------------------

def test_resolve_returns_the_verified_path(tmp_path, fake_manifest):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "one.json").write_bytes(CONTENT)
    assert sources.resolve(tmp_path, "set/one.json") == (tmp_path / "set" / "one.json").resolve()


def test_missing_file_message_names_file_origin_and_fetch(tmp_path, fake_manifest):
    with pytest.raises(sources.MissingDataError) as error:
        sources.resolve(tmp_path, "set/one.json")
    message = str(error.value)
    assert isinstance(error.value, AudioreproError)
    for part in ("set/one.json", "owner/repo", fake_manifest[0].commit, "logs/one.json", "audiorepro fetch"):
        assert part in message


def test_no_data_dir_is_a_missing_data_error(fake_manifest):
    with pytest.raises(sources.MissingDataError, match="no data directory.*audiorepro fetch"):
        sources.resolve(None, "set/one.json")


@pytest.mark.parametrize("content, what", [
    (CONTENT[:-1] + b"!", "sha256"),       # same size, different bytes
    (CONTENT + b" ", "bytes but the manifest says"),  # different size
])
def test_changed_file_is_a_checksum_error(tmp_path, fake_manifest, content, what):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "one.json").write_bytes(content)
    with pytest.raises(sources.ChecksumError) as error:
        sources.resolve(tmp_path, "set/one.json")
    assert what in str(error.value)
    assert "owner/repo" in str(error.value) and "audiorepro fetch" in str(error.value)


def test_file_not_in_manifest(tmp_path, fake_manifest):
    with pytest.raises(sources.ManifestError, match="not in the manifest"):
        sources.resolve(tmp_path, "set/three.json")


def test_each_file_is_hashed_once_per_process(tmp_path, fake_manifest, monkeypatch):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "one.json").write_bytes(CONTENT)
    calls = []
    real = sources.sha256_of
    monkeypatch.setattr(sources, "sha256_of", lambda p: calls.append(p) or real(p))
    for _ in range(3):
        sources.resolve(tmp_path, "set/one.json")
    assert len(calls) == 1


def test_verify_reports_each_state(tmp_path, fake_manifest):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "one.json").write_bytes(OTHER + b"xx")
    assert [(v.entry.file, v.status) for v in sources.verify(tmp_path)] == [
        ("set/one.json", "mismatch"), ("set/two.json", "missing")]


# --- fetch (fake opener; no network) --------------------------------------------------------------

def test_fetch_downloads_verifies_and_skips_present_files(tmp_path, fake_manifest):
    calls: list[str] = []
    opener = serving({e.url: c for e, c in zip(fake_manifest, (CONTENT, OTHER), strict=True)}, calls)
    results = sources.fetch(None, tmp_path, opener=opener)
    assert [r.status for r in results] == ["downloaded", "downloaded"]
    assert (tmp_path / "set" / "one.json").read_bytes() == CONTENT
    assert files_under(tmp_path) == [tmp_path / "set", tmp_path / "set" / "one.json", tmp_path / "set" / "two.json"]
    again = sources.fetch(["set/one.json"], tmp_path, opener=opener)
    assert [r.status for r in again] == ["present"]
    assert len(calls) == 2


def test_fetch_checksum_mismatch_leaves_no_file(tmp_path, fake_manifest):
    opener = serving({fake_manifest[0].url: CONTENT[:-1] + b"!"})
    with pytest.raises(sources.ChecksumError, match="nothing was written"):
        sources.fetch(["set/one.json"], tmp_path, opener=opener)
    assert files_under(tmp_path) == []


def test_fetch_of_more_bytes_than_the_manifest_stops_early(tmp_path, fake_manifest):
    opener = serving({fake_manifest[0].url: CONTENT * 1000})
    with pytest.raises(sources.ChecksumError, match="exceeds"):
        sources.fetch(["set/one.json"], tmp_path, opener=opener)
    assert files_under(tmp_path) == []


def test_fetch_offline_gives_a_clear_message_and_no_file(tmp_path, fake_manifest):
    def offline(url, timeout=None):
        raise urllib.error.URLError(OSError(-2, "Name or service not known"))
    with pytest.raises(sources.FetchError) as error:
        sources.fetch(["set/one.json"], tmp_path, opener=offline)
    message = str(error.value)
    for part in ("set/one.json", fake_manifest[0].url, "offline", "Nothing was written", sources.DATA_ENV):
        assert part in message
    assert files_under(tmp_path) == []


def test_fetch_http_error_is_named(tmp_path, fake_manifest):
    with pytest.raises(sources.FetchError, match="HTTP 404"):
        sources.fetch(["set/two.json"], tmp_path, opener=serving({}))
    assert files_under(tmp_path) == []


def test_fetch_replaces_a_damaged_copy(tmp_path, fake_manifest):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "one.json").write_bytes(b"damaged")
    results = sources.fetch(["set/one.json"], tmp_path, opener=serving({fake_manifest[0].url: CONTENT}))
    assert results[0].status == "downloaded"
    assert (tmp_path / "set" / "one.json").read_bytes() == CONTENT


def test_real_data_dir_files_verify(require_data_dir):
    """Every manifest file in the shared data directory is byte-identical to its published origin."""
    sample = [e.file for e in sources.manifest() if e.file.endswith(".json")][:5]
    bad = [v for v in sources.verify(require_data_dir, sample) if v.status != "ok"]
    assert bad == []
