"""Stage 4 — grounding: the answer checked against the article, rule by rule."""
