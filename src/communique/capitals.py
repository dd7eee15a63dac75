"""A country's capital, which news writes for its government ("Pyongyang said", "talks
with Ankara"): one actor with the country, not another participant.

The table (`data/capitals.tsv`) is GeoNames' country list (CC BY 4.0). "Brussels" is left
out: news writes it for the European Union far more often than for Belgium.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .grounding import fold_name, initials

_NOT_THE_GOVERNMENT = frozenset({"brussels"})
# Names news uses for a country besides GeoNames' own.
_OTHER_NAMES = {
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "america": "united states",
    "holland": "netherlands",
    "czech republic": "czechia",
}


@cache
def _countries() -> dict[str, str]:
    """Folded capital -> folded country."""
    table = resources.files("communique").joinpath("data/capitals.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
    return {_key(capital): _key(country) for country, capital in rows}


def _key(name: str) -> str:
    return fold_name(name).strip()


def is_capital_of(capital: str, country: str) -> bool:
    """Is `capital` the capital of `country` ('Pyongyang', 'North Korea'; 'Washington',
    'U.S.')?"""
    key = _key(capital)
    if key in _NOT_THE_GOVERNMENT or (of := _countries().get(key)) is None:
        return False
    name = _OTHER_NAMES.get(_key(country), _key(country))
    return name == of or name.replace(" ", "") == initials(of)
