"""Public prediction sets: where each file comes from, where it lives here, and proof it is the same file.

``evaluators/data/manifest.yaml`` (a copy of the data folder's ``MANIFEST.yaml``) names, for each file, the
repository, commit and path it was taken from, its size, its sha256 and its licence. Licences differ:
permissively licensed files (Apache-2.0, CC BY) **ship inside the package**, xz-compressed, under
``evaluators/data/shipped/`` with their licences and attribution, so a fresh offline machine gives real
verdicts; non-commercial ones (most AudioBench logs, SAKURA) never enter the project and are read from a data
directory or downloaded. This module

* finds the **data directory**: an explicit path (``--data-dir``), else ``$AUDIOREPRO_DATA``, else the
  user cache (``$AUDIOREPRO_CACHE`` or ``~/.cache/audiorepro/public-predictions``) if it holds files;
* **resolves** a manifest file, looking in that order — the data directory, the cache, the shipped copy
  (decompressed beside the cache once) — and checking size and sha256 (hashed once per process per file
  version), so a test never scores a truncated or edited copy, and every source gives the same bytes;
* **fetches** missing files from ``https://raw.githubusercontent.com/<repo>/<commit>/<path>`` into the
  cache: each download goes to a temporary file, is checked against the manifest and only then renamed
  into place, so a failure leaves nothing behind.

Errors say which file, where it comes from (repo, commit, path) and how to get it (``audiorepro fetch``).
"""

from __future__ import annotations

import hashlib
import lzma
import os
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from evaluators.errors import AudioreproError

#: the packaged manifest (metadata only)
MANIFEST_PATH = Path(__file__).resolve().parent / "data" / "manifest.yaml"
#: permissively licensed public files shipped with the package: ``<manifest file>.xz`` (see its README.md)
SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "shipped"
SHIPPED_SUFFIX = ".xz"
#: environment variable naming the data directory
DATA_ENV = "AUDIOREPRO_DATA"
#: environment variable naming the download cache
CACHE_ENV = "AUDIOREPRO_CACHE"
#: where raw files of a repository commit are served
RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
#: seconds before a download attempt gives up
DOWNLOAD_TIMEOUT_S = 60.0
_CHUNK = 1 << 20
_FIELDS = ("file", "bytes", "sha256", "repo", "commit", "path", "license")


class SourceError(AudioreproError):
    """Base class of data-directory and download problems."""


class ManifestError(SourceError, ValueError):
    """The manifest itself is malformed (names the entry and field), or a file is not in it."""


class MissingDataError(SourceError, FileNotFoundError):
    """A manifest file is not in the data directory (or no data directory is configured)."""


class ChecksumError(SourceError):
    """A file's size or sha256 differs from the manifest: a different or damaged copy."""


class FetchError(SourceError):
    """A download failed (offline, HTTP error, timeout); nothing was written. ``reason``: the short cause."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True)
class SourceFile:
    """One public file: its place in the data directory and where exactly it was published."""

    file: str
    bytes: int
    sha256: str
    repo: str
    commit: str
    path: str
    license: str

    @property
    def url(self) -> str:
        """The raw file of this repository commit."""
        return RAW_URL.format(repo=self.repo, commit=self.commit, path=self.path)

    @property
    def origin(self) -> str:
        """``repo@commit:path`` for messages and reports."""
        return f"{self.repo}@{self.commit}:{self.path}"

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}


def _how_to_get(entry: SourceFile) -> str:
    return (f"it is {entry.origin} ({entry.bytes} bytes, sha256 {entry.sha256}, licence: {entry.license}); "
            f"get it with `audiorepro fetch` (downloads it from {entry.url} into the cache), "
            f"or point --data-dir / ${DATA_ENV} at a folder that holds it")


def parse_manifest(data: Any, source: str | Path) -> tuple[SourceFile, ...]:
    """Validate a parsed manifest (a YAML list of entries) and build its ``SourceFile``s."""
    if not isinstance(data, list):
        raise ManifestError(f"{source}: expected a list of entries, got {type(data).__name__}")
    entries: list[SourceFile] = []
    seen: set[str] = set()
    for index, raw in enumerate(data):
        if not isinstance(raw, dict):
            raise ManifestError(f"{source}, entry {index}: expected a mapping, got {type(raw).__name__}")
        for name in _FIELDS:
            if name not in raw:
                raise ManifestError(f"{source}, entry {index}, field {name!r}: missing")
        if not isinstance(raw["bytes"], int) or raw["bytes"] < 0:
            raise ManifestError(f"{source}, entry {index}, field 'bytes': expected a non-negative integer")
        for name in ("file", "sha256", "repo", "commit", "path", "license"):
            if not isinstance(raw[name], str) or not raw[name]:
                raise ManifestError(f"{source}, entry {index}, field {name!r}: expected a non-empty string")
        digest = raw["sha256"].lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ManifestError(f"{source}, entry {index}, field 'sha256': not a sha256 hex digest")
        file = raw["file"]
        if file.startswith("/") or ".." in Path(file).parts:
            raise ManifestError(f"{source}, entry {index}, field 'file': must be a relative path inside the data dir")
        if file in seen:
            raise ManifestError(f"{source}, entry {index}, field 'file': duplicate {file!r}")
        seen.add(file)
        entries.append(SourceFile(file=file, bytes=raw["bytes"], sha256=digest, repo=raw["repo"],
                                  commit=str(raw["commit"]), path=raw["path"], license=raw["license"]))
    return tuple(entries)


def load_manifest(path: str | Path) -> tuple[SourceFile, ...]:
    """Read and validate a manifest file (ours, or the shared ``MANIFEST.yaml``)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ManifestError(f"{path}: cannot read manifest: {error}") from None
    return parse_manifest(data, path)


@lru_cache(maxsize=1)
def _packaged_manifest() -> tuple[SourceFile, ...]:
    return load_manifest(MANIFEST_PATH)


def manifest() -> list[SourceFile]:
    """Every public file the project knows, in manifest order."""
    return list(_packaged_manifest())


def manifest_entry(relative_path: str | Path) -> SourceFile:
    """The manifest entry of ``relative_path`` (a path relative to the data directory)."""
    key = Path(relative_path).as_posix()
    for entry in _packaged_manifest():
        if entry.file == key:
            return entry
    raise ManifestError(f"{key!r} is not in the manifest {MANIFEST_PATH} "
                        f"(`audiorepro fetch --list` lists the known files)")


# ----------------------------------------------------------------------------------------------
# data directory


def default_cache_dir() -> Path:
    """``$AUDIOREPRO_CACHE``, else ``~/.cache/audiorepro/public-predictions``."""
    value = os.environ.get(CACHE_ENV)
    if value:
        return Path(value).expanduser()
    return Path.home() / ".cache" / "audiorepro" / "public-predictions"


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))


def data_dir_from_env() -> Path | None:
    """``$AUDIOREPRO_DATA`` if set, else the cache dir if it holds files, else ``None``.

    ``$AUDIOREPRO_DATA`` naming something that is not a folder raises ``MissingDataError``: like a
    mistyped ``--data-dir``, it must not turn every data test into a silent skip.
    """
    value = os.environ.get(DATA_ENV)
    if value:
        path = Path(value).expanduser().resolve()
        if not path.is_dir():
            raise MissingDataError(f"{DATA_ENV} names {path}, which is not an existing folder")
        return path
    cache = default_cache_dir()
    return cache.resolve() if _has_files(cache) else None


def locate_data_dir(explicit: str | Path | None = None) -> Path | None:
    """The data directory: ``explicit`` (``--data-dir``) first, then :func:`data_dir_from_env`.

    An explicit folder that does not exist raises ``MissingDataError``: a typo must not fall back
    silently to another copy of the data.
    """
    if explicit is not None and str(explicit) != "":
        path = Path(explicit).expanduser().resolve()
        if not path.is_dir():
            raise MissingDataError(f"data directory {path} does not exist")
        return path
    return data_dir_from_env()


# ----------------------------------------------------------------------------------------------
# verification


def sha256_of(path: str | Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


_verified: dict[tuple[str, int, int], str] = {}
_verified_lock = threading.Lock()


def _cached_sha256(path: Path) -> str:
    """sha256 of ``path``, computed once per process per (path, size, mtime)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _verified_lock:
        if key in _verified:
            return _verified[key]
    digest = sha256_of(path)
    with _verified_lock:
        _verified[key] = digest
    return digest


def clear_checksum_cache() -> None:
    """Forget which files were already hashed (tests that rewrite files use this)."""
    with _verified_lock:
        _verified.clear()


def check_file(path: Path, entry: SourceFile) -> None:
    """Raise ``MissingDataError``/``ChecksumError`` unless ``path`` is the manifest's file."""
    if not path.is_file():
        raise MissingDataError(f"{entry.file} is not in the data directory ({path} does not exist); "
                               + _how_to_get(entry))
    size = path.stat().st_size
    if size != entry.bytes:
        raise ChecksumError(f"{path} has {size} bytes but the manifest says {entry.bytes}: a different or "
                            f"truncated copy of {entry.file}; " + _how_to_get(entry))
    digest = _cached_sha256(path)
    if digest != entry.sha256:
        raise ChecksumError(f"{path} has sha256 {digest} but the manifest says {entry.sha256}: a different "
                            f"or edited copy of {entry.file}; " + _how_to_get(entry))


#: licences under which a public file may ship inside the package (with its licence text and attribution)
PERMISSIVE_LICENSES = ("Apache-2.0", "CC BY 4.0")


def redistributable(entry: SourceFile) -> bool:
    """Whether ``entry``'s licence lets the package carry it: Apache-2.0 or CC BY, never NonCommercial.

    The manifest's licence text starts with the licence id, or says ``LICENSE at this commit: <id>`` where a
    repository changed licence later (AudioBench: Apache-2.0 until 4a2f375, Creative Commons NonCommercial
    after).
    """
    text = entry.license
    for licence in PERMISSIVE_LICENSES:
        if text.startswith(licence) or f"at this commit: {licence}" in text:
            return True
    return False


def shipped_copy(entry: SourceFile) -> Path | None:
    """The compressed copy of ``entry`` shipped with the package, or ``None`` (not permissively licensed)."""
    path = SHIPPED_DIR / (entry.file + SHIPPED_SUFFIX)
    return path if path.is_file() else None


def shipped() -> list[SourceFile]:
    """The manifest files that ship with the package, in manifest order."""
    return [entry for entry in _packaged_manifest() if shipped_copy(entry) is not None]


def _unpack_shipped(entry: SourceFile, target: Path) -> Path:
    """Decompress the shipped copy of ``entry`` to ``target`` (temp file, sha256 check, rename).

    Raises ``OSError`` when ``target``'s folder is not writable and ``ChecksumError`` when the package's copy
    does not decompress to the manifest's bytes (a damaged install).
    """
    source = shipped_copy(entry)
    assert source is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False)
    temp = Path(handle.name)
    try:
        with handle, lzma.open(source, "rb") as packed:
            for chunk in iter(lambda: packed.read(_CHUNK), b""):
                handle.write(chunk)
        check_file(temp, entry)
        os.replace(temp, target)
    except (ChecksumError, lzma.LZMAError, EOFError) as error:
        raise ChecksumError(f"the shipped copy {source} does not decompress to {entry.file} ({error}): "
                            f"reinstall audiorepro") from None
    finally:
        temp.unlink(missing_ok=True)
    return target


def pack_shipped(data_dir: str | Path, out_dir: Path | None = None) -> list[SourceFile]:
    """(Re)write the compressed copies of every redistributable manifest file from a verified data directory.

    Maintainer tool behind ``audiorepro data pack`` (``out_dir`` defaults to :data:`SHIPPED_DIR`); the
    licences and attribution in its ``README.md`` are kept by hand. Files that are not redistributable are
    never written (and removed if present).
    """
    out_dir = SHIPPED_DIR if out_dir is None else out_dir
    packed = []
    for entry in _packaged_manifest():
        target = out_dir / (entry.file + SHIPPED_SUFFIX)
        if not redistributable(entry):
            target.unlink(missing_ok=True)
            continue
        source = resolve(data_dir, entry.file)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(target.name + ".part")
        try:
            with open(source, "rb") as raw, lzma.open(temp, "wb", preset=9 | lzma.PRESET_EXTREME) as out:
                for chunk in iter(lambda: raw.read(_CHUNK), b""):
                    out.write(chunk)
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        packed.append(entry)
    return packed


def _unpack_dirs() -> list[Path]:
    """Where shipped files are decompressed: beside the cache (``<cache>-shipped``), else a per-user temp folder.

    Not the cache itself: a cache holding only the shipped subset must not pass for a complete data
    directory (:func:`data_dir_from_env`), so tests that need the other files still skip, naming them.
    """
    cache = default_cache_dir().resolve()
    fallback = Path(tempfile.gettempdir()) / f"audiorepro-{os.getuid()}" / "public-predictions-shipped"
    return [cache.with_name(cache.name + "-shipped"), fallback]


def resolve(data_dir: str | Path | None, relative_path: str | Path) -> Path:
    """The verified path of manifest file ``relative_path``: data directory, then cache, then shipped copy.

    A copy found in ``data_dir`` or the cache must match the manifest (else ``ChecksumError``: a damaged
    copy is reported, never skipped over). A file that is in neither is taken from the package when it
    ships there, decompressed once beside the cache (a damaged decompressed copy is decompressed again).
    Raises ``ManifestError`` (not in the manifest) or ``MissingDataError`` (nowhere on this machine; the
    message says how to get it). Each file is hashed once per process.
    """
    entry = manifest_entry(relative_path)
    unpack_dirs = _unpack_dirs()
    folders = [Path(data_dir).expanduser().resolve()] if data_dir is not None else []
    folders += [folder for folder in (default_cache_dir().resolve(), *unpack_dirs) if folder not in folders]
    for folder in folders:
        path = folder / entry.file
        if not path.is_file():
            continue
        try:
            check_file(path, entry)
        except ChecksumError:
            if folder not in unpack_dirs or shipped_copy(entry) is None:
                raise
            return _unpack_shipped(entry, path)
        return path
    if shipped_copy(entry) is not None:
        try:
            return _unpack_shipped(entry, unpack_dirs[0] / entry.file)
        except OSError:  # the cache is not writable: a private temp folder instead
            return _unpack_shipped(entry, unpack_dirs[1] / entry.file)
    where = "no data directory is configured and it is " if data_dir is None else "it is "
    raise MissingDataError(f"{entry.file} is not on this machine ({where}not in {', '.join(map(str, folders))}; "
                           f"audiorepro ships only the permissively licensed sets); " + _how_to_get(entry))


def available(data_dir: str | Path | None, relative_path: str | Path) -> bool:
    """Whether :func:`resolve` can give ``relative_path`` without a download (any copy of it, unverified)."""
    entry = manifest_entry(relative_path)
    folders = [Path(data_dir).expanduser()] if data_dir is not None else []
    return shipped_copy(entry) is not None or any((folder / entry.file).is_file()
                                                  for folder in [*folders, default_cache_dir()])


@dataclass(frozen=True)
class Verification:
    """The state of one manifest file in a data directory: ``ok``, ``missing`` or ``mismatch``."""

    entry: SourceFile
    status: str
    detail: str = ""


def verify(data_dir: str | Path, relative_paths: Iterable[str] | None = None) -> list[Verification]:
    """Check every (or the named) manifest file in ``data_dir``; never raises for a bad file."""
    entries = _select(relative_paths)
    base = Path(data_dir).expanduser().resolve()
    results = []
    for entry in entries:
        try:
            check_file(base / entry.file, entry)
        except MissingDataError:
            results.append(Verification(entry, "missing", f"{base / entry.file} does not exist"))
        except ChecksumError as error:
            results.append(Verification(entry, "mismatch", str(error).split(";")[0]))
        else:
            results.append(Verification(entry, "ok"))
    return results


def _select(relative_paths: Iterable[str] | None) -> list[SourceFile]:
    if relative_paths is None:
        return manifest()
    if isinstance(relative_paths, (str, Path)):  # one path, not an iterable of characters
        relative_paths = [str(relative_paths)]
    return [manifest_entry(path) for path in relative_paths]


# ----------------------------------------------------------------------------------------------
# download


@dataclass(frozen=True)
class FetchResult:
    """What ``fetch`` did for one file: ``downloaded`` or ``present`` (already verified in the cache)."""

    entry: SourceFile
    path: Path
    status: str


Opener = Callable[..., Any]


def _download(entry: SourceFile, target: Path, opener: Opener, timeout: float) -> None:
    """Stream ``entry.url`` into a temp file next to ``target``, verify, then rename; else leave nothing."""
    created = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False)
    temp = Path(handle.name)
    try:
        digest = hashlib.sha256()
        size = 0
        with handle:
            try:
                with opener(entry.url, timeout=timeout) as response:
                    for chunk in iter(lambda: response.read(_CHUNK), b""):
                        size += len(chunk)
                        if size > entry.bytes:
                            raise ChecksumError(f"download of {entry.file} from {entry.url} exceeds the "
                                                f"{entry.bytes} bytes the manifest says; nothing was written")
                        digest.update(chunk)
                        handle.write(chunk)
            except urllib.error.HTTPError as error:
                raise FetchError(f"could not download {entry.file} from {entry.url}: HTTP {error.code} "
                                 f"{error.reason}; nothing was written",
                                 f"HTTP {error.code} from {entry.url}") from None
            except (urllib.error.URLError, OSError) as error:  # offline, DNS, refused, timeout
                reason = getattr(error, "reason", error)
                raise FetchError(f"could not download {entry.file} from {entry.url}: {reason} (offline?). "
                                 f"Nothing was written. Without network, copy the file ({entry.origin}, "
                                 f"sha256 {entry.sha256}) to {target} or set --data-dir / ${DATA_ENV} "
                                 f"to a folder that holds it", f"{reason}: offline?") from None
        if size != entry.bytes or digest.hexdigest() != entry.sha256:
            raise ChecksumError(f"download of {entry.file} from {entry.url} gave {size} bytes with sha256 "
                                f"{digest.hexdigest()}, the manifest says {entry.bytes} bytes, sha256 "
                                f"{entry.sha256}; nothing was written")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
        if not target.exists():  # failed: remove the folders this download created (deepest first)
            for folder in created:
                try:
                    folder.rmdir()
                except OSError:  # not empty (another file landed there) or already gone
                    break


def fetch(relative_paths: Iterable[str] | None = None, cache_dir: str | Path | None = None, *,
          opener: Opener = urllib.request.urlopen, timeout: float = DOWNLOAD_TIMEOUT_S,
          missing_only: bool = False, data_dir: str | Path | None = None,
          wrap: Callable[[list[SourceFile]], Iterable[SourceFile]] = iter) -> list[FetchResult]:
    """Download the named (default: all) manifest files that are missing or damaged in ``cache_dir``.

    ``cache_dir`` defaults to :func:`default_cache_dir`. Files already present with the right sha256
    are left alone. With ``missing_only``, files this machine already has — in ``data_dir``, the cache
    or the package (:func:`available`) — are not downloaded either (status ``available``). The first
    failure raises (``FetchError`` or ``ChecksumError``); files completed before it stay (each one
    verified), the failing one leaves nothing behind. ``wrap`` wraps the loop (a progress bar).
    """
    entries = _select(relative_paths)
    base = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    results = []
    for entry in wrap(entries):
        target = base / entry.file
        if missing_only and not target.is_file() and available(data_dir, entry.file):
            results.append(FetchResult(entry, target, "available"))
            continue
        try:
            check_file(target, entry)
        except (MissingDataError, ChecksumError):
            _download(entry, target, opener, timeout)
            check_file(target, entry)
            results.append(FetchResult(entry, target, "downloaded"))
        else:
            results.append(FetchResult(entry, target, "present"))
    return results


__all__ = [
    "CACHE_ENV", "DATA_ENV", "MANIFEST_PATH", "PERMISSIVE_LICENSES", "SHIPPED_DIR", "ChecksumError", "FetchError",
    "FetchResult", "ManifestError", "MissingDataError", "SourceError", "SourceFile", "Verification", "available",
    "check_file", "clear_checksum_cache", "data_dir_from_env", "default_cache_dir", "fetch", "load_manifest",
    "locate_data_dir", "manifest", "manifest_entry", "pack_shipped", "parse_manifest", "redistributable", "resolve",
    "sha256_of", "shipped", "shipped_copy", "verify",
]
