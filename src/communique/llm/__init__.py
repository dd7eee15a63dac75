"""Stage 3 — the model call: the OpenAI-compatible client, its failures, the embedded server."""
