"""The `communique` command line (`communique.cli:run` is the console entry point)."""

from .app import main, run

__all__ = ["main", "run"]
