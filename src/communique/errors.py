"""One exception root; each class knows its CLI exit code and carries context."""

from __future__ import annotations

from typing import Any


class CommuniqueError(Exception):
    """Root of every error communique raises on purpose."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        article_id: str | None = None,
        attempts: int | None = None,
        usage: dict[str, int] | None = None,
        **context: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.article_id = article_id
        self.attempts = attempts
        self.usage = usage or {}
        self.context = context

    def __str__(self) -> str:
        prefix = f"[{self.article_id}] " if self.article_id else ""
        return prefix + self.message


class UsageError(CommuniqueError):
    """The command line or call was wrong (missing path, bad option)."""

    exit_code = 2


class ConfigError(CommuniqueError):
    """A setting is missing or invalid; the message says which one to set."""

    exit_code = 2


class ArticleError(CommuniqueError):
    """The article cannot be summarized as given (empty, binary, too long...)."""


class ModelNotInstalledError(CommuniqueError):
    """The embedded model's packages are missing or the assembled file is corrupt."""


class EndpointError(CommuniqueError):
    """The model endpoint failed after transport retries (down, 5xx, timeouts)."""


class ModelOutputError(CommuniqueError):
    """The model's output could not be turned into a Summary (truncated, unparsable)."""


class OutputError(CommuniqueError):
    """An output file could not be written after the work was done (the summaries are
    in the cache); the message says where."""
