"""The eval harness: hand-labelled seeds, per-field metrics, recordings, reports, gates.

Run it with `communique eval`; see evals/README.md for how every metric is computed.
"""
