"""Stage 2 — the prompt: templates, messages, candidate names, the response model."""
