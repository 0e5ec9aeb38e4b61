"""Persistent judgement cache (SQLite): the same judging is never paid for twice.

A reply is stored under a key made of everything that can change it: judge model, model revision,
prompt-template hash, the rendered messages and the decoding configuration. Re-running the same
judging therefore makes zero calls, while a new template, revision or temperature misses. A *sampling*
judge (temperature above 0 or left to the server, and no seed) draws a new reply per call, so its key
also names the item and call (``sample``): two items with identical prompts get two samples, as the
original scripts got, instead of sharing one.

Safety:
* every reply is committed as soon as it arrives (``put`` commits), so a crash mid-run loses no
  finished verdict;
* the database runs in WAL mode with a busy timeout, and inserts are ``INSERT OR IGNORE``, so several
  processes (or threads) may fill the same cache at once; the first writer of a key wins and later
  identical keys are ignored.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from evaluators.errors import AudioreproError
from evaluators.judges.decoding import JudgeRequest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS judgements (
    key TEXT PRIMARY KEY,
    judge_model TEXT NOT NULL,
    revision TEXT NOT NULL,
    template_hash TEXT NOT NULL,
    decoding TEXT NOT NULL,
    messages TEXT NOT NULL,
    reply TEXT NOT NULL,
    created REAL NOT NULL
)
"""


_COLUMNS = frozenset({"key", "judge_model", "revision", "template_hash", "decoding", "messages", "reply", "created"})


class JudgeCacheError(AudioreproError):
    """A ``--cache`` path that is not (and cannot become) a judgement cache: a folder, another file."""

    def __init__(self, path: object, message: str):
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class CacheKey:
    """The fields a cached reply depends on."""

    judge_model: str
    revision: str
    template_hash: str
    decoding: str
    messages: str
    #: for sampling judges: the item and call the reply was drawn for ("" for deterministic decoding)
    sample: str = ""

    @classmethod
    def of(cls, judge_model: str, revision: str, template_hash: str, request: JudgeRequest,
           sample: str = "") -> CacheKey:
        return cls(judge_model, revision, template_hash, request.decoding.canonical(), request.messages_json(),
                   sample)

    def digest(self) -> str:
        fields = [self.judge_model, self.revision, self.template_hash, self.decoding, self.messages]
        if self.sample:   # deterministic keys keep their digest (caches written before stay valid)
            fields.append(self.sample)
        payload = json.dumps(fields, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class JudgementCache:
    """A SQLite file of judge replies; safe across threads and processes."""

    def __init__(self, path: str | Path, *, timeout_s: float = 30.0):
        self.path = Path(path)
        self._lock = threading.Lock()
        if self.path.is_dir():
            raise JudgeCacheError(self.path, "is a directory; name the cache file (e.g. judge.sqlite)")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(str(self.path), timeout=timeout_s, check_same_thread=False,
                                               isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise JudgeCacheError(self.path, f"cannot open: {error}") from None
        try:
            self._connection.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = NORMAL")
            self._connection.execute(_SCHEMA)
            columns = {row[1] for row in self._connection.execute("PRAGMA table_info(judgements)")}
        except sqlite3.Error as error:
            self._connection.close()
            raise JudgeCacheError(self.path, f"not a judgement cache (SQLite): {error}") from None
        if not _COLUMNS <= columns:
            self._connection.close()
            raise JudgeCacheError(self.path, f"its 'judgements' table lacks {sorted(_COLUMNS - columns)}: "
                                             "not an audiorepro judgement cache")

    def get(self, key: CacheKey) -> str | None:
        with self._lock:
            row = self._connection.execute("SELECT reply FROM judgements WHERE key = ?", (key.digest(),)).fetchone()
        return None if row is None else row[0]

    def put(self, key: CacheKey, reply: str) -> None:
        """Store one reply and commit it immediately (autocommit); an existing key is left unchanged."""
        with self._lock:
            self._connection.execute(
                "INSERT OR IGNORE INTO judgements (key, judge_model, revision, template_hash, decoding, messages, "
                "reply, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key.digest(), key.judge_model, key.revision, key.template_hash, key.decoding, key.messages, reply,
                 time.time()))

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT COUNT(*) FROM judgements").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> JudgementCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
