"""The summary cache is a speed-up, never a point of failure (issue 21, point 1)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from communique.briefing.cache import SummaryCache

from .test_brief import RENT_A, RENT_B, STEEL, ArticleModel, run

PAGE = 4096


def _filled_cache(tmp_path: Path, n: int = 40) -> tuple[Path, Any]:
    """A cache file of several pages, holding n copies of one real summary."""
    summary = run([RENT_A], ArticleModel([])).items[0].summary
    assert summary is not None
    path = tmp_path / "summaries.sqlite3"
    with SummaryCache(path) as store:
        for i in range(n):
            store.put(f"key-{i}", summary)
    return path, summary


def test_corrupted_pages_are_misses_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path, _ = _filled_cache(tmp_path)
    assert path.stat().st_size > 4 * PAGE
    with path.open("r+b") as f:  # two 4 KiB pages overwritten, the header page intact
        f.seek(2 * PAGE)
        f.write(b"\xa5" * (2 * PAGE))
    model = ArticleModel([])
    with caplog.at_level(logging.WARNING, logger="communique"):
        b = run([RENT_A, RENT_B, STEEL], model, cache=path)
    assert [i.id for i in b.items] == ["rent-a", "rent-b", "steel"] and not b.failures
    assert sorted(model.asked) == ["rent-a", "rent-b", "steel"]
    warnings = [r for r in caplog.records if "cannot be read" in r.getMessage()]
    assert len(warnings) == 1


class _FullDisk:
    """A sqlite3 connection whose writes fail as on a full disk."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.writes = 0

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith(("BEGIN", "INSERT")):
            self.writes += 1
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __enter__(self) -> Any:
        return self.db.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self.db.__exit__(*exc)

    def close(self) -> None:
        self.db.close()


def test_a_full_disk_switches_caching_off_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = SummaryCache(tmp_path / "summaries.sqlite3")
    full = _FullDisk(store._db)
    store._db = full  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING, logger="communique"):
        b = run([RENT_A, RENT_B, STEEL], ArticleModel([]), cache=store, concurrency=1)
    store.close()
    assert [i.id for i in b.items] == ["rent-a", "rent-b", "steel"] and not b.failures
    assert full.writes == 1 and store.write_error == "database or disk is full"
    warnings = [r for r in caplog.records if "caching is off" in r.getMessage()]
    assert len(warnings) == 1


def test_a_cache_read_error_in_the_cli_is_one_warning_and_the_briefing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from .test_brief_cli import SMALL, brief_cli, header, route_cli_brief

    model = route_cli_brief(monkeypatch, SMALL)
    (tmp_path / "rent-a.txt").write_text(header(RENT_A), encoding="utf-8")
    cache = tmp_path / "cache"
    args = (tmp_path / "rent-a.txt", "--date", "2025-03-28", "-o", tmp_path / "b.json")
    assert brief_cli(*args, "--cache-dir", cache) == 0
    db = cache / "summaries.sqlite3"
    with db.open("r+b") as f:
        f.seek(PAGE)
        f.write(b"\x00\xff" * PAGE)
    (tmp_path / "b.json").unlink()
    capsys.readouterr()
    assert brief_cli(*args, "--cache-dir", cache) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("communique: warning:") == 2
    assert err.count("cannot be read") == 1 and err.count("caching is off") == 1
    assert (tmp_path / "b.json").exists() and model.asked == ["rent-a", "rent-a"]


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Any:
    """A 96 KiB tmpfs (needs root and mount; skipped elsewhere), unmounted after."""
    import subprocess

    where = tmp_path / "tiny"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_cache_on_a_really_full_filesystem(
    tiny_fs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import datetime as dt

    from communique import brief
    from communique.settings import load_settings

    from ..fault_server import FastClock, FaultServer, articles, schedule

    cache = tiny_fs / "summaries.sqlite3"
    arts = articles(30)
    with FaultServer(schedule()) as server:
        settings = load_settings({}, base_url=server.url, model="fake", strategy="single")
        with caplog.at_level(logging.WARNING, logger="communique"):
            b = brief(
                arts,
                date=dt.date(2025, 3, 16),
                settings=settings,
                cache=cache,
                clock=FastClock(),
                concurrency=1,
            )
        assert b.counts.summarized == 30 and not b.failures
        with SummaryCache(cache) as store:
            stored = len(store)
        assert 0 < stored < 30  # the disk filled up part way
        server.log.clear()
        again = brief(
            arts,
            date=dt.date(2025, 3, 16),
            settings=settings,
            cache=cache,
            clock=FastClock(),
            concurrency=1,
        )
        assert again.counts.cached == stored and sum(server.requests().values()) == 30 - stored
    warned = [r for r in caplog.records if "caching is off" in r.getMessage()]
    assert len(warned) == 2  # one per run (the disk is still full for the second)
