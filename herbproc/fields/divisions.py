"""Places labels name without a word that says what they are: the islands a "Plants of …" header names for
their country ("Plants of Trinidad")."""

from __future__ import annotations

import re

from herbproc.fields import places
from herbproc.fields.label import HEADER
from herbproc.fields.text import fold

# Islands a "Plants of …" / "Flora of …" header names for the one country they lie in. Only in a header: a
# bare "Trinidad" in a Cuban locality is a town.
HEADER_ISLANDS: dict[str, str] = {
    "trinidad": "TT", "tobago": "TT", "grand cayman": "KY", "cayman brac": "KY", "little cayman": "KY",
}  # fmt: skip


def header_island_country(line: str) -> places.CountryMatch | None:
    """The country of an island a "Plants of …" header names alone ("Plants of Trinidad" → Trinidad and Tobago),
    its span the island's name."""
    if not isinstance(line, str) or (m := HEADER.match(line)) is None:
        return None
    place = m["place"]
    name = re.sub(r"(?i)[\s,.]+(?:island|isl\.?|B\.\s?W\.\s?I\.?|W\.\s?I\.?)?[\s,.]*$", "", place)
    code = HEADER_ISLANDS.get(fold(" ".join(name.split())))
    if code is None:
        return None
    start = m.start("place")
    return places.CountryMatch(places.country_of_code(code), code, start, start + len(name))
