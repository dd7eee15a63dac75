"""The package version (also part of the summary cache key)."""

__version__ = "0.13.0"
