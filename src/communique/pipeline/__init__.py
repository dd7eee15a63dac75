"""Stage 5 — the pipeline: summarize one article (chunks, follow-up), batches."""
