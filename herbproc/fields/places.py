"""Countries, US states and Canadian provinces (names, postal codes, old abbreviations) and counties on labels."""

from __future__ import annotations

import re
from typing import NamedTuple

from herbproc.fields.text import fold, is_all_caps, smart_title

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
    "Puerto Rico": ("PR", ("P.R.",)),
}
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
    "Quebec": ("QC", ("Que.", "Qué.", "P.Q.", "P. Q.", "Québec", "PQ")),
    "Saskatchewan": ("SK", ("Sask.",)),
    "Yukon": ("YT", ("Y.T.", "Yukon Territory")),
}
# Country names as written on labels → (Darwin Core country, ISO 3166-1 alpha-2).
COUNTRIES: dict[str, tuple[str, str]] = {
    "united states of america": ("United States", "US"),
    "united states": ("United States", "US"),
    "u.s.a.": ("United States", "US"),
    "u. s. a.": ("United States", "US"),
    "usa": ("United States", "US"),
    "u.s.": ("United States", "US"),
    "canada": ("Canada", "CA"),
    "mexico": ("Mexico", "MX"),
    "guatemala": ("Guatemala", "GT"),
    "costa rica": ("Costa Rica", "CR"),
    "panama": ("Panama", "PA"),
    "cuba": ("Cuba", "CU"),
    "jamaica": ("Jamaica", "JM"),
    "bermuda": ("Bermuda", "BM"),
    "bahamas": ("Bahamas", "BS"),
    "brazil": ("Brazil", "BR"),
    "brasil": ("Brazil", "BR"),
    "argentina": ("Argentina", "AR"),
    "chile": ("Chile", "CL"),
    "peru": ("Peru", "PE"),
    "colombia": ("Colombia", "CO"),
    "venezuela": ("Venezuela", "VE"),
    "ecuador": ("Ecuador", "EC"),
    "bolivia": ("Bolivia", "BO"),
    "england": ("United Kingdom", "GB"),
    "scotland": ("United Kingdom", "GB"),
    "great britain": ("United Kingdom", "GB"),
    "united kingdom": ("United Kingdom", "GB"),
    "ireland": ("Ireland", "IE"),
    "france": ("France", "FR"),
    "germany": ("Germany", "DE"),
    "deutschland": ("Germany", "DE"),
    "switzerland": ("Switzerland", "CH"),
    "austria": ("Austria", "AT"),
    "italy": ("Italy", "IT"),
    "italia": ("Italy", "IT"),
    "spain": ("Spain", "ES"),
    "espana": ("Spain", "ES"),
    "portugal": ("Portugal", "PT"),
    "sweden": ("Sweden", "SE"),
    "norway": ("Norway", "NO"),
    "denmark": ("Denmark", "DK"),
    "finland": ("Finland", "FI"),
    "netherlands": ("Netherlands", "NL"),
    "belgium": ("Belgium", "BE"),
    "russia": ("Russia", "RU"),
    "china": ("China", "CN"),
    "japan": ("Japan", "JP"),
    "korea": ("South Korea", "KR"),
    "india": ("India", "IN"),
    "australia": ("Australia", "AU"),
    "new zealand": ("New Zealand", "NZ"),
    "south africa": ("South Africa", "ZA"),
    "greenland": ("Greenland", "GL"),
}
_COUNTRY_OF_CODE = {"US": "United States", "CA": "Canada"}


class StateMatch(NamedTuple):
    name: str  # full name: "Massachusetts"
    country_code: str  # "US" or "CA"
    start: int
    end: int
    style: str  # "name", "abbreviation" or "postal"


class CountryMatch(NamedTuple):
    name: str
    country_code: str
    start: int
    end: int


class CountyMatch(NamedTuple):
    name: str  # without "County" / "Co.": "Middlesex"
    start: int
    end: int


def _loose(literal: str) -> str:
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
            for abbreviation in abbreviations:
                flags = 0 if "." in abbreviation or abbreviation.isupper() else re.I
                escaped = _loose(abbreviation)
                end = r"(?!\w)" if abbreviation.endswith(".") else r"(?![\w])"
                patterns.append(
                    (re.compile(rf"(?<![\w.]){escaped}{end}", flags), name, country, "abbreviation")
                )
                if "." in abbreviation and not abbreviation.isupper():  # "MASS." on a label set in capitals
                    upper = rf"(?<![\w.]){_loose(abbreviation.upper())}{end}"
                    patterns.append((re.compile(upper), name, country, "abbreviation_caps"))
    # Longest first so "West Virginia" wins over "Virginia" and "N. Mex." over "N. M.".
    patterns.sort(key=lambda p: -len(p[0].pattern))
    return patterns, postal


_STATE_PATTERNS, _POSTAL = _build_state_patterns()
# A postal code counts only where an address puts it: after a comma (or alone), before the end, a ZIP or a country.
_POSTAL_PATTERN = re.compile(
    r"(?:^|,\s*)(?P<code>[A-Z]{2})(?=\s*$|\s*[,;]|\s+\d{5}\b|\s+U\.?\s?S\.?\s?A?\.?|\s+Canada\b|\.\s*$)"
)
# A state name that names something else: "Washington Co.", "Delaware River", "Mt. Washington", "New York City".
_NOT_STATE_AFTER = re.compile(
    r"\s*(?:Co\b|County|Parish|River|City|Bay|Lake|Street|St\b|Ave|Road|Rd\b)", re.I
)
_NOT_STATE_BEFORE = re.compile(r"(?:Mt\.?|Mount|Lake|Fort|Ft\.?|Port|of the|[Ss]t\.?)\s*$")


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
            if style == "name" and (
                _NOT_STATE_AFTER.match(text, m.end()) or _NOT_STATE_BEFORE.search(text[: m.start()])
            ):
                continue
            found.append(StateMatch(name, country, m.start(), m.end(), style.replace("_caps", "")))
    for m in _POSTAL_PATTERN.finditer(text):
        code = m.group("code")
        if code in _POSTAL and free(m.start("code"), m.end("code")):
            name, country = _POSTAL[code]
            found.append(StateMatch(name, country, m.start("code"), m.end("code"), "postal"))
    return sorted(found, key=lambda s: s.start)


def parse_state(text: str) -> StateMatch | None:
    """The first US state or Canadian province in ``text`` (full name, country code US/CA), or None.

    ``parse_state("Middlesex Co., Mass.").name == "Massachusetts"``; unpacks as a tuple too.
    """
    states = find_states(text)
    return states[0] if states else None


_COUNTRY_PATTERNS = sorted(
    ((re.compile(rf"(?<![\w.]){_loose(key)}(?![\w])", re.I), value) for key, value in COUNTRIES.items()),
    key=lambda p: -len(p[0].pattern),
)


def find_country(text: str) -> CountryMatch | None:
    if not isinstance(text, str) or not text:
        return None
    folded = fold(text)  # same length for the Latin letters used here
    if len(folded) != len(text):
        folded = text
    best: CountryMatch | None = None
    for pattern, (name, code) in _COUNTRY_PATTERNS:
        m = pattern.search(folded)
        if m and (best is None or m.start() < best.start):
            if code == "US" and m.group(0) in ("usa", "u.s.") and not text[m.start() : m.end()].isupper():
                continue  # "usa"/"u.s." in lower case is not a country
            if m.group(0) == "england" and folded[: m.start()].rstrip().endswith("new"):
                continue  # New England: a region of the United States
            best = CountryMatch(name, code, m.start(), m.end())
    return best


def country_of_code(code: str) -> str:
    return _COUNTRY_OF_CODE.get(code, "")


_COUNTY_WORD = r"(?:Mc|Mac|De|La|Le|O')?[A-Z][A-Za-z'’\-]*\.?"
_COUNTY_NAME = rf"(?P<name>{_COUNTY_WORD}(?:\s+{_COUNTY_WORD}){{0,2}})"
_COUNTY_PATTERNS = [
    re.compile(rf"{_COUNTY_NAME}\s+(?:County|Co\.?|Parish|COUNTY|CO\.?|PARISH)(?![A-Za-z])"),  # not "COLD"
    re.compile(rf"(?:County|Co\.|COUNTY|CO\.)\s+of\s+{_COUNTY_NAME}"),
]
_NOT_COUNTY_WORDS = {"the", "of", "and", "in", "on", "near", "same", "this", "new england", "plants", "flora"}


def find_county(text: str) -> CountyMatch | None:
    """The county (or parish) in ``text``: "Middlesex Co.", "Co. of Essex", "McNairy County", "NEW LONDON CO:"."""
    if not isinstance(text, str) or not text:
        return None
    for pattern in _COUNTY_PATTERNS:
        for m in pattern.finditer(text):
            words = m.group("name").split()
            # Drop leading words that belong to the sentence, not the name ("In Middlesex Co." → "Middlesex").
            while words and (fold(words[0]) in _NOT_COUNTY_WORDS or _is_state_word(words[0])):
                words = words[1:]
            if not words:
                continue
            name = smart_title(" ".join(words)).rstrip(",;:")
            if fold(name) in _NOT_COUNTY_WORDS or len(name) < 3:
                continue
            start = m.start("name") + m.group("name").find(words[0])
            return CountyMatch(name, start, m.end())
    return None


def _is_state_word(word: str) -> bool:
    return any(s.style != "name" for s in find_states(word)) or word.rstrip(",") in (
        "Plants",
        "Flora",
        "PLANTS",
    )
