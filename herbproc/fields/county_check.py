"""A US label's county checked against its state's counties: a misread one mended, a wrong one dropped."""

from __future__ import annotations

import re
from dataclasses import replace

from herbproc.fields import counties, places
from herbproc.fields.label import CONFIDENCE, Label
from herbproc.fields.text import smart_title


def check_us_county(label: Label) -> None:
    """A county read in a US state is one of that state's counties (``herbproc.fields.counties``): a misread
    letter is mended, and a name that is none of them is dropped. With no county read, or that one dropped: a
    county of the state before a misread "County" word, under a form's caption, or heading a place line."""
    county, state = label.fields.get("county"), label.fields.get("stateProvince")
    code = places.subdivision_code(state.value, ("US",)) if state is not None else ""
    if not code:
        return
    if county is not None:
        checked = counties.check_county(county.value, code)
        if checked is not None:
            if checked != county.value:
                label.fields["county"] = replace(county, value=checked)
            return
        if (other := _other_states_county(label, county.value, code)) is not None:
            label.fields["stateProvince"] = replace(state, value=other)
            return
        label.fields.pop("county")  # none of the state's: looked for again as if none had been read
    skip = ("institution", "catalog", "determination", "taxon", "collector")
    for i, line in label.lines(skip_roles=skip):
        if name := counties.find_misread_county(line, code):
            label.keep("county", name, CONFIDENCE["county_misread"], i)
            return
    _county_below_its_caption(label, code) or _county_heading_a_place(label, code)


def _other_states_county(label: Label, county: str, code: str) -> str | None:
    """The one other US state named on the label's place lines whose county ``county`` is: a printed form's
    state with the state typed after it ("FLORA OF TENNESSEE NORTH CAROLINA", "Co. Swain", a county of North
    Carolina's only)."""
    skip = ("institution", "catalog", "determination", "taxon", "collector")
    named = {
        s.name
        for _, line in label.lines(skip_roles=skip)
        for s in places.find_states(line)
        if s.country_code == "US"
    }
    owners = [
        name
        for name in named
        if (other := places.subdivision_code(name, ("US",))) != code and counties.is_county_of(county, other)
    ]
    return owners[0] if len(owners) == 1 else None


_ENDS_WITH_COUNTY_CAPTION = re.compile(r"(?<![\w.])(?:County|COUNTY|Co\.|CO\.)\s*:?\s*$")
_NAME_ALONE = re.compile(r"^\W*(?P<name>[A-Z][A-Za-z'’\-]+(?:\s+[A-Z][A-Za-z'’\-]+){0,2})\W*$")


def _county_below_its_caption(label: Label, code: str) -> bool:
    """A form's "Co." caption ending its line ("GSMNP ____ Co. Sevier", the blank's words before it), the county
    written in its slot read as the next line: a name alone there that is one of the state's counties."""
    usable = [i for i, _ in label.lines()]
    for k, i in enumerate(usable[:-1]):
        j = usable[k + 1]
        if not _ENDS_WITH_COUNTY_CAPTION.search(label.text[i]) or label.roles.get(j) not in (None, "place"):
            continue
        m = _NAME_ALONE.match(label.text[j])
        if m and counties.is_county_of(m["name"], code):
            label.keep("county", m["name"], CONFIDENCE["county"], j)
            return True
    return False


# A place line headed in capitals by a name before its stop or colon: "NORTH SLOPE. Echooka River …".
_CAPITAL_HEAD = re.compile(r"^\W*(?P<name>[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){0,2})\s*[.:]\s+\S")


def _county_heading_a_place(label: Label, code: str) -> bool:
    """A county (borough, parish) of the label's state heading a place line in capitals before its stop ("ALASKA,
    U.S.A." / "NORTH SLOPE. Echooka River …"), as labels head the place with the state's next level; not a
    state's or country's name ("NEW YORK: …")."""
    for i, line in label.lines():
        m = _CAPITAL_HEAD.match(line)
        if m is None or label.roles.get(i) not in (None, "place"):
            continue
        name = m["name"]
        if places.find_states(name) or places.find_country(name) or not counties.is_county_of(name, code):
            continue
        label.keep("county", smart_title(name), CONFIDENCE["county"], i)
        return True
    return False
