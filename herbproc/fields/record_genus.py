"""A record kept without a species name that gives its genus (identified to genus only, or databased from a genus
folder: GBIF's taxonRank GENUS) as a prior for the name its label is read with: where the rules read a name
whose genus is a near misreading of the record's (``Cetaria islandica`` on a *Cetraria* record, ``Shlene`` for
*Silene*), the genus is written as the record gives it. A genus further off is the label's own (an older
determination, another genus) and stays as read; nothing is added where the rules read no name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from herbproc.fields.label import Field
from herbproc.fields.text import fold

_GENUS = re.compile(r"[A-Z][a-zà-ÿ]+(?:-[a-zà-ÿ]+)?")


def max_edits(genus: str) -> int:
    """Letters a reading of ``genus`` may have wrong and still be it: none for four letters or fewer (``Poa``,
    ``Rhus`` are near other genera), one up to seven, two beyond."""
    return 0 if len(genus) <= 4 else 1 if len(genus) <= 7 else 2


def respell_genus(fields: dict[str, Field], genus: str) -> bool:
    """``scientificName`` (and ``genus``) in place, its genus written as ``genus`` (the record's) where the one
    read is within ``max_edits`` of it, accents aside; True when it was. Nothing else changes: the epithet and
    the authorship stay as read, and so does the confidence."""
    want = (genus or "").strip()
    found = fields.get("scientificName")
    if found is None or not _GENUS.fullmatch(want) or not found.value.strip():
        return False
    read = found.value.split()[0]
    if not read[:1].isupper() or fold(read) == fold(want):
        return False
    if Levenshtein.distance(fold(read), fold(want)) > max_edits(want):
        return False
    fields["scientificName"] = replace(found, value=want + found.value.strip()[len(read) :])
    if (named := fields.get("genus")) is not None and named.value == read:
        fields["genus"] = replace(named, value=want)
    return True
