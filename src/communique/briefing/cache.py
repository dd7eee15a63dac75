"""Briefing stage 2 — the summary cache: content-addressed, one SQLite file, WAL mode.

The key is a hash of everything that determines a summary: the article text and the
metadata that enters the prompt (title, date, source), the prompt templates' hashes,
the model, the endpoint, the sampling settings, the schema version, the strategy and
the package version.
Each summary is written in its own short transaction as soon as it is made, so an
interrupted briefing loses nothing it finished, and two processes can share the file
(WAL journal, a busy timeout, INSERT OR REPLACE).

The cache is a speed-up, never a point of failure: once the file is open, a read that
fails (a corrupted page) is a miss, and a write that fails (a full disk) switches writing
off for the rest of the run; each says so in one warning, and the briefing goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from ..errors import ConfigError
from ..ingest.article import Article
from ..models import SCHEMA_VERSION, PromptRef, Summary
from ..settings import Settings
from ..version import __version__

log = logging.getLogger("communique")
FILENAME = "summaries.sqlite3"
BUSY_TIMEOUT_S = 30.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    key TEXT PRIMARY KEY,
    article_sha256 TEXT NOT NULL,
    summary TEXT NOT NULL,
    stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


def cache_key(
    article: Article,
    *,
    settings: Settings,
    endpoint: str,
    prompts: Sequence[PromptRef],
    strategy: str,
    schema_version: str = SCHEMA_VERSION,
) -> str:
    """The content address of one article's summary under one configuration."""
    parts = {
        "article_sha256": article.sha256,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "source": article.source,
        "prompts": sorted(f"{p.name}:{p.sha256}" for p in prompts),
        "model": settings.model,
        "endpoint": endpoint,
        "sampling": [settings.temperature, settings.seed, settings.max_tokens],
        "schema_version": schema_version,
        "strategy": strategy,
        "disabled_rules": sorted(settings.disabled_rules),  # rules switched off change it
        "code": __version__,  # grounding code changes what a summary holds
    }
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class SummaryCache:
    """Summaries by cache key in a SQLite file (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_errors = 0  # reads that failed and were treated as misses
        self.write_error: str | None = None  # why writing was switched off, if it was
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._set_up()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"the summary cache {path} is not usable ({exc}); "
                "delete it, pass --cache-dir elsewhere or --no-cache"
            ) from exc

    def _set_up(self) -> None:
        """WAL mode and the table. Switching the journal mode takes a lock that SQLite's
        busy handler does not wait for, so two processes opening a new file at once
        retry here instead of failing with 'database is locked'."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.execute(_SCHEMA)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @classmethod
    def in_dir(cls, directory: Path) -> SummaryCache:
        return cls(directory / FILENAME)

    def get(self, key: str) -> Summary | None:
        """The cached summary, or None: not there, unreadable, or from another version."""
        try:
            row = self._db.execute("SELECT summary FROM summaries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self.read_errors += 1
            if self.read_errors == 1:  # one warning per run, not one per article
                log.warning(
                    "the summary cache %s cannot be read (%s); its entries are summarized "
                    "again (delete the file to start a new cache)",
                    self.path,
                    exc,
                )
            return None
        if row is None:
            return None
        try:
            return Summary.model_validate_json(row[0])
        except ValidationError:
            return None  # written by an incompatible version: summarize again

    def put(self, key: str, summary: Summary) -> bool:
        """Store a summary at once; False when it was not stored (writing is off)."""
        if self.write_error is not None:
            return False
        try:
            with self._db:  # one transaction per summary, committed at once
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute(
                    "INSERT OR REPLACE INTO summaries (key, article_sha256, summary) "
                    "VALUES (?, ?, ?)",
                    (key, summary.meta.article_sha256, summary.model_dump_json()),
                )
        except (sqlite3.Error, OSError) as exc:
            self.write_error = str(exc)
            log.warning(
                "cannot write to the summary cache %s (%s); caching is off for the rest "
                "of this run (an interruption now loses the summaries not yet cached)",
                self.path,
                exc,
            )
            return False
        return True

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM summaries").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SummaryCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
