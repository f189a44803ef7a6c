"""US state and Canadian province names and their postal abbreviations, for the stateProvince filter."""

from __future__ import annotations

import re

_TABLE = """
AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|
DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|
KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|
MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|
NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|
SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|
WV West Virginia|WI Wisconsin|WY Wyoming|PR Puerto Rico|AB Alberta|BC British Columbia|MB Manitoba|
NB New Brunswick|NL Newfoundland and Labrador|NS Nova Scotia|NT Northwest Territories|NU Nunavut|ON Ontario|
PE Prince Edward Island|QC Quebec|SK Saskatchewan|YT Yukon
"""

NAME_BY_CODE: dict[str, str] = {}
for _entry in _TABLE.replace("\n", "").split("|"):
    _code, _name = _entry.strip().split(" ", 1)
    NAME_BY_CODE[_code] = _name

NEW_ENGLAND = ("CT", "ME", "MA", "NH", "RI", "VT")
_ALIASES = {
    "mass": "massachusetts",
    "conn": "connecticut",
    "québec": "quebec",
    "newfoundland": "newfoundland and labrador",
}


def normalise_region(value: str) -> str:
    """A comparable key: ``MA``, ``Massachusetts``, ``massachusetts.``, `` Mass. `` -> ``massachusetts``."""
    text = re.sub(r"[.\s]+", " ", str(value)).strip()
    if not text:
        return ""
    upper = text.upper()
    if upper in NAME_BY_CODE:
        return NAME_BY_CODE[upper].lower()
    low = text.lower()
    low = re.sub(r"^(state of|commonwealth of|province of)\s+", "", low)
    return _ALIASES.get(low, low)
