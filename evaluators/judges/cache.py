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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(str(self.path), timeout=timeout_s, check_same_thread=False,
                                           isolation_level=None)
        self._connection.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
        self._connection.execute("PRAGMA journal_mode = WAL")
        self._connection.execute("PRAGMA synchronous = NORMAL")
        self._connection.execute(_SCHEMA)

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
