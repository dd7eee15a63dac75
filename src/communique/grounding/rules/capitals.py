"""A country's capital, which news writes for its government ("Pyongyang said", "talks
with Ankara"): one actor with the country, not another participant. Also the seat of the
European Union.

The table (`data/capitals.tsv`) is GeoNames' country list (CC BY 4.0). "Brussels" is left
out as Belgium's: news writes it for the European Union ("quotas Brussels imposed"), so it
is the Union's seat here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ...text.folding import fold_name, initials

# Seats written for a body that is not their country's government.
_SEATS = {"brussels": "european union"}
# Names news uses for a country besides GeoNames' own.
_OTHER_NAMES = {
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "america": "united states",
    "holland": "netherlands",
    "czech republic": "czechia",
    "us": "united states",
    "usa": "united states",
    "uk": "united kingdom",
    "palestine": "palestinian territory",
    "korea": "south korea",
}
# Nations of a country that news names as countries ("England"); no capital of their own
# here, so "London" stays the United Kingdom's.
_NATIONS = frozenset({"england", "scotland", "wales", "northern ireland"})


@cache
def _countries() -> dict[str, str]:
    """Folded capital -> folded country."""
    table = resources.files("communique").joinpath("data/capitals.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
    return {_key(capital): _key(country) for country, capital in rows}


def _key(name: str) -> str:
    return fold_name(name).strip()


def is_capital(name: str) -> bool:
    """Is this a country's capital, or the seat written for a union ('Doha', 'Brussels')?"""
    return _key(name) in _SEATS or _key(name) in _countries()


def is_capital_of(capital: str, country: str) -> bool:
    """Is `capital` the capital of `country` ('Pyongyang', 'North Korea'; 'Washington',
    'U.S.'), or the seat written for it ('Brussels', 'EU')?"""
    key = _key(capital)
    if (of := _SEATS.get(key) or _countries().get(key)) is None:
        return False
    name = _canonical(country)
    return name == of or name.replace(" ", "") == initials(of)


def same_country(a: str, b: str) -> bool:
    """Two names news writes for one country ('America' and 'US', 'Britain' and 'UK')."""
    if not (is_country(a) and is_country(b)):
        return False
    return _canonical(a) == _canonical(b)


def _canonical(name: str) -> str:
    """GeoNames' folded name for a country name news writes ('america' -> 'united states')."""
    key = _key(name)
    return _OTHER_NAMES.get(key, key)


def is_country(name: str) -> bool:
    """Is this a country's name as news writes it ('Iran', 'Saudi Arabia', 'Britain',
    'U.S.', 'England')?"""
    return _key(name) in _country_names()


@cache
def _country_names() -> frozenset[str]:
    return frozenset(_countries().values()) | frozenset(_OTHER_NAMES) | _NATIONS
