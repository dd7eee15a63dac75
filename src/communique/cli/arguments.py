"""Argument types and options shared by the commands (`summarize`, `brief`, `batch`)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

ENDPOINT_HELP = "OpenAI-compatible endpoint, or 'embedded'"


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive integer")
    return int(value)


def add_endpoint_options(p: argparse.ArgumentParser, endpoint: str = ENDPOINT_HELP) -> None:
    """--model and --base-url (endpoint: what --help says the URL is)."""
    p.add_argument("--model", help="model name (env COMMUNIQUE_MODEL)")
    p.add_argument("--base-url", help=f"{endpoint} (env COMMUNIQUE_BASE_URL / OPENAI_BASE_URL)")


def add_briefing_outputs(p: argparse.ArgumentParser) -> None:
    """--date, -o/--output and --html of a command that writes a briefing."""
    p.add_argument("--date", required=True, type=iso_date, help="briefing date, YYYY-MM-DD")
    p.add_argument("-o", "--output", required=True, type=Path, help="briefing JSON file")
    p.add_argument("--html", type=Path, help="also write the briefing as an HTML page")
