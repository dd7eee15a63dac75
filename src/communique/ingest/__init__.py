"""Stage 1 — ingest: articles, sentences, input lists, feeds, fetched pages, chunks."""
