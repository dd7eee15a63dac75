"""Stage 6 — the briefing: many articles summarized, cached, grouped and rendered."""
