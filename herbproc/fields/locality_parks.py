"""The protected area that the locality lies in, named elsewhere on the label."""

from __future__ import annotations

import re

from herbproc.fields.label import Label

# a protected area's abbreviation alone on its line, perhaps before a form's caption ("GSMNP Co."): a national
# park, wildlife refuge, forest, monument or recreation area, written where the printed form has no blank for it
# (not "CONF.", a determination's "confirmed")
_PARK_ABBREVIATION = re.compile(r"^\W*(?!CONF\b)(?P<park>[A-Z]{1,6}(?:NP|NWR|NF|NM|NRA))(?:\s+[A-Z][a-z]{0,3}\.)?\W*$")


# a national park's own herbarium, its form's caption over the park's name: "Herbier du parc national de" /
# "ELM NATIONAL PARK": its specimens were collected in the park
_PARK_HERBARIUM = re.compile(r"\b(?i:herbi?er|herbarium)\b.*\b(?i:parc\s+national|national\s+park)\W*(?i:de|du|of)?\W*$")
_PARK_NAME = re.compile(r"^\W*(?P<park>[A-Z][A-Z'’. -]+\s+(?:NATIONAL\s+PARK|PARC\s+NATIONAL))\W*$")


def parks_herbarium(label: Label) -> str | None:
    """The park named under a national park's herbarium caption: the locality lies in it."""
    for i, line in enumerate(label.text[:-1]):
        if _PARK_HERBARIUM.search(line) and (m := _PARK_NAME.match(label.text[i + 1])):
            return m["park"].strip()
    return None


def park_above(label: Label, first: int) -> str | None:
    """The abbreviation of the protected area the locality lies in, alone on a line above its first line: it
    heads the locality ("GSMNP" / "Loc. between Elm Cove and Rosa Mt.")."""
    for i in range(first):
        if label.usable[i] and (m := _PARK_ABBREVIATION.match(label.text[i])):
            return m["park"]
    return None
