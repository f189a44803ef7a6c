"""A place field's whole value as an ISO 3166 code, and whether a value is a place's name."""

from __future__ import annotations

import re
from functools import cache

import pycountry

from herbproc.fields.countries import REGION, find_country
from herbproc.fields.country_forms import older_forms_of
from herbproc.fields.states import CA_PROVINCES, POSTAL, US_STATES, find_states
from herbproc.fields.subdivisions import ADMIN_WORD, find_subdivision, subdivision_names
from herbproc.fields.text import fold

_ADMIN_ONLY = re.compile(rf"(?:{ADMIN_WORD}|of|de|del|du|co\.?|county|[\W_])*", re.I)


def _whole(text: str, start: int, end: int) -> bool:
    """True when ``text`` outside ``start:end`` holds nothing but punctuation, spaces and admin words."""
    return bool(_ADMIN_ONLY.fullmatch(text[:start]) and _ADMIN_ONLY.fullmatch(text[end:]))


def country_code(value: str) -> str:
    """The ISO 3166-1 alpha-2 code of a value that is a country's name, nothing else: ISO names, common and
    official names and the label forms of ``COUNTRY_ALIASES`` ("PORTO RICO" → "PR", "Rep. Dominicana" → "DO",
    "St. Lucia" → "LC"), and a database's names turned round at a comma ("Korea, Republic of", "Congo, the
    Democratic Republic of the"); "" when the value is not (only) a known country ("West Indies", "St.
    Thomas", "Kingston, Jamaica")."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = " ".join(value.split())
    m = find_country(text)
    if m is not None and not re.search(r"\w", text[: m.start]) and not re.search(r"\w", text[m.end :]):
        return m.country_code
    if code := _inverted_names().get(fold(text)):
        return code
    # a database's sorting form: "Congo, the Democratic Republic of the", "Bahamas, The"
    if (inverted := _INVERTED.fullmatch(text)) is None:
        return ""
    return country_code(re.sub(r"^the\s+", "", f"{inverted['rest']} {inverted['head']}", flags=re.I))


_INVERTED = re.compile(r"(?P<head>[^,]+),\s*(?:the\s+)?(?P<rest>[^,]+)", re.I)


@cache
def _inverted_names() -> dict[str, str]:
    """ISO 3166-1's names turned round at a comma ("Korea, Republic of", "Taiwan, Province of China"), folded:
    the label reader never sees them so, a database's country column does."""
    return {fold(c.name): c.alpha_2 for c in pycountry.countries if "," in c.name}


def subdivision_code(value: str, country_codes: tuple[str, ...] = ()) -> str:
    """The ISO 3166-2 code of a value that is a subdivision's name (an admin word around it aside: "Prov.
    Samaná", "Parish of St. George"), looked up in ``country_codes`` in order: US states and Canadian provinces
    through the state table (names, postal codes and old abbreviations: "Mass." → "US-MA"), other countries
    through ISO 3166-2 with "St." for "Saint". With no country, only the state table. "" when not found."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = " ".join(value.split())
    alone = re.fullmatch(r"([A-Za-z]{2})\.?", text)  # a value that is a postal code alone: "NM", "Tn."
    if alone and alone.group(1).upper() in POSTAL:
        name, country = POSTAL[alone.group(1).upper()]
        if country in (country_codes or (country,)):
            return f"{country}-{alone.group(1).upper()}"
    for code in country_codes or ("US", "CA"):
        if code in ("US", "CA"):
            states = [st for st in find_states(text) if st.country_code == code]
            if len(states) == 1 and _whole(text, states[0].start, states[0].end):
                table = US_STATES if code == "US" else CA_PROVINCES
                return f"{code}-{table[states[0].name][0]}"
        sub = find_subdivision(text, code)
        if sub is not None and _whole(text, sub.start, sub.end):
            return sub.code
    return ""


@cache
def _subdivision_names_folded() -> frozenset[str]:
    return frozenset(
        fold(n) for sub in pycountry.subdivisions for n in (*subdivision_names(sub.name), *older_forms_of(sub.code))
    )


def is_place_name(value: str) -> bool:
    """``value`` is, whole, a country's name or the name of an ISO 3166-2 subdivision of any level anywhere
    ("Porto Rico", "Santa Clara", "Puerto Plata", "Andros"), or a region's (``REGION``: "Netherlands Antilles")."""
    text = " ".join(value.split())
    if REGION.fullmatch(text):
        return True
    return bool(text) and (bool(country_code(text)) or fold(text) in _subdivision_names_folded())
