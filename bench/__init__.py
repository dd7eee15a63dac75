"""communique benchmarks: `python -m bench [SECTION ...] [--quick]` (see bench/README.md)."""
