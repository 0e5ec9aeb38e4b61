"""evaluators.sources: manifest, data-directory lookup, sha256 verification and download (fake opener only)."""

from __future__ import annotations

import hashlib
import io
import lzma
import re
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
def fake_manifest(monkeypatch, tmp_path_factory):
    """Replace the packaged manifest with two small entries whose bytes the test knows.

    The cache and the shipped folder are empty folders of the test's own, so nothing on this machine
    (a real cache, the package's shipped sets) can stand in for a missing file.
    """
    entries = (entry_for("set/one.json", CONTENT), entry_for("set/two.json", OTHER))
    monkeypatch.setattr(sources, "_packaged_manifest", lambda: entries)
    monkeypatch.setenv(sources.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setattr(sources, "SHIPPED_DIR", tmp_path_factory.mktemp("shipped"))
    sources.clear_checksum_cache()
    yield entries
    sources.clear_checksum_cache()


def ship(relative: str, content: bytes) -> Path:
    """Put an xz copy of ``content`` into the (fake) shipped folder as ``relative``."""
    path = sources.SHIPPED_DIR / (relative + sources.SHIPPED_SUFFIX)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(lzma.compress(content))
    return path


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
    assert len(entries) == 113
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


# --- shipped (permissively licensed) sets ---------------------------------------------------------

def test_shipped_copy_is_unpacked_beside_the_cache_once_and_verified(fake_manifest, monkeypatch):
    monkeypatch.delenv(sources.DATA_ENV, raising=False)
    ship("set/one.json", CONTENT)
    path = sources.resolve(None, "set/one.json")
    cache = sources.default_cache_dir().resolve()
    assert path == cache.with_name(cache.name + "-shipped") / "set" / "one.json"
    assert path.read_bytes() == CONTENT
    assert sources.data_dir_from_env() is None  # the unpacked shipped subset is not a data directory
    unpacked = []
    monkeypatch.setattr(sources, "_unpack_shipped", lambda *args: unpacked.append(args))
    assert sources.resolve(None, "set/one.json") == path and unpacked == []  # the unpacked copy is used from now on
    assert [entry.file for entry in sources.shipped()] == ["set/one.json"]


def test_data_dir_comes_before_cache_and_shipped_copy(tmp_path, fake_manifest):
    ship("set/one.json", CONTENT)
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "one.json").write_bytes(CONTENT)
    assert sources.resolve(tmp_path, "set/one.json") == (tmp_path / "set" / "one.json").resolve()
    assert sources.resolve(tmp_path, "set/one.json").parent.parent == tmp_path.resolve()
    # a file missing from the data directory is still found where it ships
    (tmp_path / "set" / "one.json").unlink()
    assert sources.resolve(tmp_path, "set/one.json").read_bytes() == CONTENT


def test_damaged_copy_in_the_data_dir_is_reported_not_replaced(tmp_path, fake_manifest):
    ship("set/one.json", CONTENT)
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "one.json").write_bytes(CONTENT[:-1] + b"!")
    with pytest.raises(sources.ChecksumError, match="sha256"):
        sources.resolve(tmp_path, "set/one.json")


def test_damaged_unpacked_copy_of_a_shipped_file_is_unpacked_again(fake_manifest):
    ship("set/one.json", CONTENT)
    unpacked = sources.resolve(None, "set/one.json")
    unpacked.write_bytes(b"truncated")
    sources.clear_checksum_cache()
    assert sources.resolve(None, "set/one.json").read_bytes() == CONTENT


def test_damaged_cache_copy_is_reported_even_when_the_file_ships(fake_manifest):
    ship("set/one.json", CONTENT)
    cached = sources.default_cache_dir() / "set" / "one.json"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    with pytest.raises(sources.ChecksumError, match="audiorepro fetch"):
        sources.resolve(None, "set/one.json")


def test_damaged_shipped_copy_is_refused_and_leaves_no_file(fake_manifest):
    ship("set/one.json", OTHER)  # decompresses to other bytes than the manifest's
    with pytest.raises(sources.ChecksumError, match="shipped copy .* does not decompress to set/one.json"):
        sources.resolve(None, "set/one.json")
    cache = sources.default_cache_dir().resolve()
    assert not any(path.is_file() for path in cache.with_name(cache.name + "-shipped").rglob("*"))


def test_fetch_missing_only_skips_what_ships(tmp_path, fake_manifest):
    ship("set/one.json", CONTENT)
    calls: list[str] = []
    results = sources.fetch(None, tmp_path, opener=serving({fake_manifest[1].url: OTHER}, calls), missing_only=True)
    assert [(r.entry.file, r.status) for r in results] == [("set/one.json", "available"),
                                                           ("set/two.json", "downloaded")]
    assert calls == [fake_manifest[1].url]


def test_redistributable_licences():
    def licensed(text):
        return sources.redistributable(entry_for("x.json", CONTENT, license=text))
    assert licensed("Apache-2.0") and licensed("CC BY 4.0 (README)")
    assert licensed("AudioBench LICENSE at this commit: Apache-2.0 (the repository switched to Creative Commons "
                    "NonCommercial in 4a2f375, 2024-08-31)")
    assert not licensed("AudioBench LICENSE: Creative Commons NonCommercial (code)")
    assert not licensed("no LICENSE file; audio from Common Voice (CC0)") and not licensed("MIT-like, unclear")


# --- the sets shipped in this package -------------------------------------------------------------

def test_package_ships_exactly_the_redistributable_files():
    shipped = {path.relative_to(sources.SHIPPED_DIR).as_posix().removesuffix(".xz")
               for path in sources.SHIPPED_DIR.rglob("*.xz")}
    redistributable = {entry.file for entry in sources.manifest() if sources.redistributable(entry)}
    assert shipped == redistributable
    assert len(shipped) == 40
    assert not any("NonCommercial" in sources.manifest_entry(f).license and "at this commit: Apache-2.0" not in
                   sources.manifest_entry(f).license for f in shipped)


def test_every_shipped_file_decompresses_to_its_manifest_bytes():
    for entry in sources.shipped():
        data = lzma.decompress(sources.shipped_copy(entry).read_bytes())
        assert len(data) == entry.bytes and hashlib.sha256(data).hexdigest() == entry.sha256, entry.file


def test_shipped_sets_carry_licence_and_attribution():
    readme = (sources.SHIPPED_DIR / "README.md").read_text(encoding="utf-8")
    for repo in {entry.repo for entry in sources.shipped()}:
        assert f"`{repo}`" in readme, repo
    for licence_file in re.findall(r"`(LICENSES/[^`]+)`", readme):
        assert "Apache License" in (sources.SHIPPED_DIR / licence_file).read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "creativecommons.org/licenses/by/4.0" in readme


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
