"""US states and Canadian provinces on labels: names, postal codes, old abbreviations, a state's road."""

from __future__ import annotations

import re
from typing import NamedTuple

from herbproc.fields import counties
from herbproc.fields.county_slots import SLOT_AFTER_STATE
from herbproc.fields.text import fold, is_all_caps

# name: (postal code, old abbreviations as printed on labels)
US_STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Alabama": ("AL", ("Ala.",)),
    "Alaska": ("AK", ("Alas.",)),
    "Arizona": ("AZ", ("Ariz.",)),
    "Arkansas": ("AR", ("Ark.",)),
    "California": ("CA", ("Calif.", "Cal.")),
    "Colorado": ("CO", ("Colo.",)),  # not "Col.": that is "collector" on labels
    "Connecticut": ("CT", ("Conn.", "Ct.")),
    "Delaware": ("DE", ("Del.",)),
    "District of Columbia": ("DC", ("D.C.", "D. C.")),
    "Florida": ("FL", ("Fla.", "Flor.")),
    "Georgia": ("GA", ("Ga.",)),
    "Hawaii": ("HI", ("T.H.",)),
    "Idaho": ("ID", ("Ida.",)),
    "Illinois": ("IL", ("Ill.",)),
    "Indiana": ("IN", ("Ind.",)),
    "Iowa": ("IA", ("Ia.",)),
    "Kansas": ("KS", ("Kans.", "Kan.")),
    "Kentucky": ("KY", ("Ky.", "Ken.")),
    "Louisiana": ("LA", ("La.",)),
    "Maine": ("ME", ("Me.",)),
    "Maryland": ("MD", ("Md.",)),
    "Massachusetts": ("MA", ("Mass.",)),
    "Michigan": ("MI", ("Mich.",)),
    "Minnesota": ("MN", ("Minn.",)),
    "Mississippi": ("MS", ("Miss.",)),
    "Missouri": ("MO", ("Mo.",)),
    "Montana": ("MT", ("Mont.",)),
    "Nebraska": ("NE", ("Nebr.", "Neb.")),
    "Nevada": ("NV", ("Nev.",)),
    "New Hampshire": ("NH", ("N.H.", "N. H.")),
    "New Jersey": ("NJ", ("N.J.", "N. J.")),
    "New Mexico": ("NM", ("N.M.", "N. M.", "N. Mex.", "N.Mex.")),
    "New York": ("NY", ("N.Y.", "N. Y.")),
    "North Carolina": ("NC", ("N.C.", "N. C.", "N. Car.")),
    "North Dakota": ("ND", ("N.D.", "N. D.", "N. Dak.", "N.Dak.")),
    "Ohio": ("OH", ()),
    "Oklahoma": ("OK", ("Okla.",)),
    "Oregon": ("OR", ("Oreg.", "Ore.")),
    "Pennsylvania": ("PA", ("Penn.", "Penna.", "Pa.")),
    "Rhode Island": ("RI", ("R.I.", "R. I.")),
    "South Carolina": ("SC", ("S.C.", "S. C.", "S. Car.")),
    "South Dakota": ("SD", ("S.D.", "S. D.", "S. Dak.", "S.Dak.")),
    "Tennessee": ("TN", ("Tenn.",)),
    "Texas": ("TX", ("Tex.",)),
    "Utah": ("UT", ()),
    "Vermont": ("VT", ("Vt.",)),
    "Virginia": ("VA", ("Va.",)),
    "Washington": ("WA", ("Wash.",)),
    "West Virginia": ("WV", ("W. Va.", "W.Va.", "W. Virginia")),
    "Wisconsin": ("WI", ("Wis.", "Wisc.")),
    "Wyoming": ("WY", ("Wyo.",)),
}  # Puerto Rico is a country of its own in ISO 3166-1 (PR), as on labels
CA_PROVINCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Alberta": ("AB", ("Alta.",)),
    "British Columbia": ("BC", ("B.C.", "B. C.")),
    "Manitoba": ("MB", ("Man.",)),
    "New Brunswick": ("NB", ("N.B.", "N. B.")),
    "Newfoundland and Labrador": ("NL", ("Nfld.", "Newf.", "Newfoundland", "Labrador", "NF")),
    "Northwest Territories": ("NT", ("N.W.T.", "N. W. T.")),
    "Nova Scotia": ("NS", ("N.S.", "N. S.")),
    "Nunavut": ("NU", ()),
    "Ontario": ("ON", ("Ont.",)),
    "Prince Edward Island": ("PE", ("P.E.I.", "P. E. I.", "PEI")),
    "Quebec": ("QC", ("Que.", "Qué.", "P.Q.", "P. Q.", "Québec", "PQ", "Nouveau-Québec", "Nouveau-Quebec")),
    "Saskatchewan": ("SK", ("Sask.",)),
    "Yukon": ("YT", ("Y.T.", "Yukon Territory")),
}


class StateMatch(NamedTuple):
    name: str  # full name: "Massachusetts"
    country_code: str  # "US" or "CA"
    start: int
    end: int
    style: str  # "name", "abbreviation" or "postal"


def loose(literal: str) -> str:
    """Regex for ``literal`` where each space may be missing ("N. H." also matches "N.H.")."""
    return re.escape(literal).replace(r"\ ", r"\s?")


def _build_state_patterns() -> tuple[list[tuple[re.Pattern[str], str, str, str]], dict[str, tuple[str, str]]]:
    patterns: list[tuple[re.Pattern[str], str, str, str]] = []
    postal: dict[str, tuple[str, str]] = {}
    for table, country in ((US_STATES, "US"), (CA_PROVINCES, "CA")):
        for name, (code, abbreviations) in table.items():
            postal[code] = (name, country)
            patterns.append(
                (re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])", re.I), name, country, "name")
            )
            if " " not in name and name.endswith("a"):  # Latin labels' genitive: "In sylvis Pennsylvaniae"
                latin = rf"(?<![\w.])(?:{re.escape(name)}e|{re.escape(name.upper())}E)(?![\w])"
                patterns.append((re.compile(latin), name, country, "name"))
            for abbreviation in abbreviations:
                flags = 0 if "." in abbreviation or abbreviation.isupper() else re.I
                escaped = loose(abbreviation)
                end = r"(?!\w)" if abbreviation.endswith(".") else r"(?![\w])"
                patterns.append(
                    (re.compile(rf"(?<![\w.]){escaped}{end}", flags), name, country, "abbreviation")
                )
                if "." in abbreviation and not abbreviation.isupper():  # "MASS." on a label set in capitals
                    upper = rf"(?<![\w.]){loose(abbreviation.upper())}{end}"
                    patterns.append((re.compile(upper), name, country, "abbreviation_caps"))
    # Longest first so "West Virginia" wins over "Virginia" and "N. Mex." over "N. M.".
    patterns.sort(key=lambda p: -len(p[0].pattern))
    return patterns, postal


_STATE_PATTERNS, POSTAL = _build_state_patterns()
# A postal code counts only where an address puts it: after a comma (or alone), before the end, a ZIP or a country.
# A field's slot names it too: "State: NM", "Prov.: BC". A code alone on its line or opening one ("DE" /
# "T OF ECOLOGY": a word broken by the reading) is none; at a line's start only an address's ("MA 02138").
_POSTAL_PATTERN = re.compile(
    r"(?:,\s*|(?<![\w.])(?:State|STATE|Prov\.|PROV\.|Province|PROVINCE)\s*:\s*)"
    r"(?P<code>[A-Z]{2})(?=\s*$|\s*[,;]|\s+\d{5}\b|\s+U\.?\s?S\.?\s?A?\.?|\s+Canada\b|\.\s*$)"
    r"|^\W*(?P<lead>[A-Z]{2})(?=\s+\d{5}\b|,?\s+U\.?\s?S\.?\s?A\.?|,?\s+Canada\b)"
)
# A postal code set in upper and lower case with a dot, after a town and a comma, ending the place: "Memphis,
# Tn.", "Boise, Id." aside — codes that are also common abbreviations (Co. county, In. inches, Mi. miles,
# Ne. north-east, Id. idem, Or.) are not read so.
_POSTAL_DOTTED = re.compile(
    r"(?<=[a-z]),\s*(?P<code>[A-Z][a-z])\.(?=\s*$|\s*[,;]|\s+\d{5}\b|\s+U\.?\s?S\.?\s?A?\.?)"
)
_NOT_DOTTED_POSTAL = {"CO", "IN", "MI", "NE", "ID", "OR"}


def _road_state_forms() -> dict[str, str]:
    """A state's abbreviation without its stop ("Fla", "Tenn") or its postal code ("FL") → the state's name."""
    forms = {code: name for code, (name, _) in POSTAL.items() if code != "CO"}  # "Co Rd 12": a county road
    for table in (US_STATES, CA_PROVINCES):
        for name, (_, abbreviations) in table.items():
            forms.update({a.rstrip("."): name for a in abbreviations if " " not in a and len(a.rstrip(".")) > 2})
    return forms


_ROAD_STATE_FORMS = _road_state_forms()
# A state's road: its abbreviation, stop or none, before a highway word and a number ("Fla Hwy 51", "Tenn. Rt.
# 2", "NC Hwy 80"), names the state the road runs in.
_ROAD_STATE = re.compile(r"(?<![\w.])(?P<abbr>[A-Z][A-Za-z]{1,4})\.?\s*(?:Hwy|Highway|Rte|Route|Rt)\.?\s*#?\d")
# "University of Connecticut" names a herbarium's home, not the place of collection; OCR may misread a letter
# of the institution's word ("INIVERSITY OF CONNECTICUT").
_INSTITUTION_OF = re.compile(r"(?P<word>[^\W\d_]{3,}\.?)\s+(?P<of>of\s+(?:the\s+)?)?$", re.I)
_INSTITUTION_WORDS = ("university", "universidad", "universite", "universidade", "universita", "college")
# A state name that names something else: "Washington Co.", "Delaware River", "Mt. Washington", "New York City",
# "Washington Park", "Sierra Nevada" (a range in Spain as in California).
_NOT_STATE_AFTER = re.compile(
    r"\s*(?:Co\b|County|Parish|River|City|Bay|Lake|Street|St\b|Ave|Road|Rd\b|Park\b)", re.I
)
_NOT_STATE_BEFORE = re.compile(
    r"(?:Mt\.?|Mount|Lake|Fort|Ft\.?|Port|of the|[Ss]t\.?|Sierra|SIERRA)\s*$|[^\W\d_]{2,}-$"
)  # a word joined to it makes a compound name: "Hattori-Tennessee Cooperative"


def find_states(text: str) -> list[StateMatch]:
    """States and provinces named in ``text``, in text order (overlapping readings resolved longest first)."""
    if not isinstance(text, str) or not text:
        return []
    found: list[StateMatch] = []

    def free(start: int, end: int) -> bool:
        return all(end <= m.start or m.end <= start for m in found)

    capitals = is_all_caps(text)
    for pattern, name, country, style in _STATE_PATTERNS:
        if style == "abbreviation_caps" and not capitals:
            continue
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            not_after = _NOT_STATE_AFTER.match(text, m.end()) and not county_slot_after(text, m.end(), name)
            if style == "name" and (not_after or _NOT_STATE_BEFORE.search(text[: m.start()])):
                continue
            if _after_institution_word(text[: m.start()]):
                continue
            found.append(StateMatch(name, country, m.start(), m.end(), style.replace("_caps", "")))
    postal = [(m, "lead" if m.group("lead") else "code") for m in _POSTAL_PATTERN.finditer(text)]
    postal += [(m, "code") for m in _POSTAL_DOTTED.finditer(text)]
    for m, group in postal:
        code = m.group(group).upper()
        if code in POSTAL and free(m.start(group), m.end(group)) and m.group(group) != "Co":
            if m.group(group).isupper() or code not in _NOT_DOTTED_POSTAL:
                name, country = POSTAL[code]
                found.append(StateMatch(name, country, m.start(group), m.end(group), "postal"))
    return sorted(found, key=lambda s: s.start)


def county_slot_after(text: str, end: int, state: str) -> re.Match[str] | None:
    """A form's county slot after a state's name, the county ending the line: "North Carolina County Yancey"
    (the "State" and "County" captions printed before their values). Only a county of that state, so that
    "Washington County Fair" stays a county's name."""
    m = SLOT_AFTER_STATE.match(text, end)
    code = US_STATES.get(state, ("",))[0]
    return m if m is not None and code and counties.is_county_of(m["name"], f"US-{code}") else None


def road_state(text: str) -> StateMatch | None:
    """The state whose road ``text`` names ("Along Fla Hwy 51", "NC Hwy 80"): a place in it, the road's name
    part of the locality."""
    for m in _ROAD_STATE.finditer(text) if isinstance(text, str) else ():
        if (name := _ROAD_STATE_FORMS.get(m["abbr"])) is not None:
            country = "CA" if name in CA_PROVINCES else "US"
            return StateMatch(name, country, m.start("abbr"), m.end("abbr"), "abbreviation")
    return None


def _after_institution_word(before: str) -> bool:
    """Whether a state named after ``before`` is an institution's: "University of …", "Univ. of …", "College
    of the …" (the institution's word with one letter misread too)."""
    m = _INSTITUTION_OF.search(before)
    if m is None:
        return False
    word = fold(m.group("word")).rstrip(".")
    if not m.group("of"):  # "Ex Herb. Univ. Michigan": an abbreviated institution's word right before it
        return word in ("univ", "herb") and m.group("word").endswith(".")
    if word == "univ" or any(one_edit(word, w) for w in _INSTITUTION_WORDS):
        return True
    # a stamp cut by the image's edge: "ITY OF CONNECTICUT" opens its line with the tail of "University"
    return not before[: m.start()].strip() and any(w.endswith(word) for w in _INSTITUTION_WORDS)


def one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one inserted, deleted or replaced letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] or a[i:] == b[i + 1 :] or a[i + 1 :] == b[i:]


def parse_state(text: str) -> StateMatch | None:
    """The first US state or Canadian province in ``text`` (full name, country code US/CA), or None.

    ``parse_state("Middlesex Co., Mass.").name == "Massachusetts"``; unpacks as a tuple too.
    """
    states = find_states(text)
    return states[0] if states else None
