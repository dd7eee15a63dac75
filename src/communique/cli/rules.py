"""`communique rules`: the grounding rules, in the order they run."""

from __future__ import annotations

import argparse
import json
import textwrap

from .commands import Subparsers, add_command


def add_rules(sub: Subparsers) -> None:
    r = add_command(sub, "rules", _cmd_rules)
    r.add_argument("--json", action="store_true", help="one JSON list instead of text")


def _cmd_rules(args: argparse.Namespace) -> int:
    from ..grounding.rules.registry import ORDERED

    if args.json:
        rules = [
            {"id": r.id, "phase": r.phase, "switchable": not r.fixed, "doc": r.doc} for r in ORDERED
        ]
        print(json.dumps(rules, indent=2, ensure_ascii=False))
        return 0
    for r in ORDERED:
        fixed = "fixed: enforces a guarantee, cannot be switched off" if r.fixed else "switchable"
        print(f"{r.id}  [{r.phase}; {fixed}]")
        print(textwrap.fill(r.doc, width=88, initial_indent="    ", subsequent_indent="    "))
    return 0
