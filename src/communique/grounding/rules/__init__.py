"""The named grounding rules, by field (see registry.py for the list)."""
