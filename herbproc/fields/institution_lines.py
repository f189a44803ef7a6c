"""Herbaria and catalogue numbers read from a label's lines: stamps, names wrapped or split, addresses."""

from __future__ import annotations

import re
from collections.abc import Sequence

from herbproc.fields import divisions, institutions, people, places
from herbproc.fields.label import CONFIDENCE, HEADER, Label
from herbproc.fields.text import fold, smart_title


def read_institution(label: Label, i: int, line: str) -> None:
    inst = institutions.find_institution(line)
    free_next = i + 1 < len(label.text) and label.usable[i + 1] and label.roles.get(i + 1) is None
    if free_next and not _PLACE_CAPTION.match(line):
        _institution_wrapped(label, i, line, inst)
        if label.roles.get(i + 1) == "institution":
            inst = institutions.find_institution(f"{line} {label.text[i + 1]}") or inst
    if inst:
        kind = "institution_known" if inst.code else "institution_generic"
        if inst.code:
            label.keep("institutionCode", inst.code, CONFIDENCE[kind], i)
        label.keep("institutionName", smart_title(inst.name), CONFIDENCE[kind], i)
        if _names_institution(line, inst):
            label.roles[i] = "institution"


def _catalog_kind(catalog: institutions.CatalogMatch) -> str:
    if catalog.cued:
        return "catalog_cued"
    if catalog.code:
        return "catalog_prefixed"
    if catalog.prefix:
        return "catalog_coded"
    return "catalog_bare_padded" if catalog.padded else "catalog_bare"


def read_catalog(label: Label) -> None:
    """The catalogue number: a cued one, else one behind a herbarium's code (a known one, then any capitals joined to
    it), else a zero-padded line of digits (barcodes are printed to a fixed width). A bare unpadded number alone
    on its line is an accession stamp's (on every real set read so far it was, where the sheet's catalogue number
    is its barcode's): its line is the catalogue's, but nothing is written."""
    for i, line in label.lines():
        catalog = institutions.find_catalog_number(line)
        if catalog is None:
            continue
        kind = _catalog_kind(catalog)
        if kind != "catalog_bare":
            label.keep("catalogNumber", catalog.number, CONFIDENCE[kind], i)
        if catalog.code:
            label.keep("institutionCode", catalog.code, CONFIDENCE["catalog_prefixed"], i)
        if catalog.end - catalog.start >= 0.6 * len(line):
            label.roles[i] = "catalog"


_PLACE_CAPTION = re.compile(r"^\W*(?:locality|location|loc\.)(?![\w])", re.I)


def _names_institution(line: str, inst: institutions.InstitutionMatch) -> bool:
    """Whether ``line`` is an institution's line (its name, address, "Herbarium of …"), read for no place or
    person: not a "PLANTS OF MAINE" header, and not a longer text that mentions one ("north of Yale University")."""
    header = HEADER.match(line)
    if _PLACE_CAPTION.match(line):
        return False  # "Locality: grounds of the Institute of …": the place named, not the herbarium
    if header and not re.match(r"\W*herb", line, re.I) and not institutions.find_institution(header["place"]):
        return False
    if _cued_collectors_before(line, inst.start):
        return False  # "Coll. A. Bell, Elmton College": the collector's line, the institution his own
    if inst.code:
        return True
    rest = line[: inst.start] + " " + line[inst.end :]
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 4


def _cued_collectors_before(line: str, start: int) -> bool:
    agents = people.find_collectors(line[:start])
    return agents is not None and agents.cued


def institution_fragments(label: Label, labels: Sequence[int] | None) -> None:
    """An institution's name set over several short lines ("NEW YORK" / "BOTANICAL" / "GARDEN"): a line of
    institution words alone, and up to two short lines just before it in the same type case (and on the same
    card when ``labels`` are known), are the institution's, not a place."""
    cards = labels if labels is not None and len(labels) == len(label.text) else None
    for j, line in list(label.lines()):
        if label.roles.get(j) is not None or not institutions.is_institution_fragment(line):
            continue
        label.roles[j] = "institution"
        for k in (j - 1, j - 2):
            before = label.text[k] if k >= 0 else ""
            if not (
                before and label.usable[k] and label.roles.get(k) is None and len(before.split()) <= 2
                and not re.search(r"\d", before) and not HEADER.match(before)
                and before.isupper() == line.isupper() and (cards is None or cards[k] == cards[j])
            ):  # fmt: skip
                break
            label.roles[k] = "institution"
    for j, line in list(label.lines()):
        if label.roles.get(j) is None and (
            _part_of_a_name_nearby(label, j, line) or _begins_a_stamp_read_apart(label, j, line)
        ):
            label.roles[j] = "institution"
    for j in range(len(label.text) - 1):
        if label.roles.get(j) == "institution" and (cards is None or cards[j] == cards[j + 1]):
            nxt = label.text[j + 1]
            if not (label.usable[j + 1] and label.roles.get(j + 1) is None):
                continue
            if an_address(nxt) or (_has_zip(label.text[j]) and a_country_alone(nxt)):
                label.roles[j + 1] = "institution"  # "STORRS, CT 06268" / "USA": the address's last line


def _part_of_a_name_nearby(label: Label, j: int, line: str) -> bool:
    """A short line that begins an institution's name read in full within two lines, beside the stamp's other
    words read apart ("NEW YORK" / "NEW YORK BOTANICAL GARDEN" / "BOTANICAL"): a stamp's words read twice, not
    a place. A state line under a herbarium's name with no such split words ("TEXAS A&M …" / "TEXAS") stays."""
    words = fold(line).split()
    if not words or len(words) > 3 or re.search(r"\d", line) or HEADER.match(line):
        return False
    near = range(max(0, j - 3), min(len(label.text), j + 4))
    if not any(k != j and institutions.is_institution_fragment(label.text[k]) for k in near):
        return False
    for k in range(max(0, j - 2), min(len(label.text), j + 3)):
        if k != j and label.roles.get(k) == "institution":
            other = re.findall(r"[^\W\d_]+", fold(label.text[k]))
            if len(other) > len(words) and other[: len(words)] == [re.sub(r"[\W\d_]", "", w) for w in words]:
                return True
    return False


def _begins_a_stamp_read_apart(label: Label, j: int, line: str) -> bool:
    """A short line that, with the institution words alone on the lines after it, names a known herbarium: a
    stamp's words read apart with other lines between them ("NEW YORK" / a name / "BOTANICAL" / a date /
    "GARDEN"), not a place."""
    if len(line.split()) > 3 or re.search(r"\d", line) or HEADER.match(line):
        return False
    after = [
        label.text[k] for k in range(j + 1, min(len(label.text), j + 7))
        if label.usable[k] and institutions.is_institution_fragment(label.text[k])
    ]  # fmt: skip
    if not after:
        return False
    joined = " ".join([line.strip(), *(a.strip() for a in after)])
    known = institutions.find_institution(joined)
    return known is not None and bool(known.code) and known.start == 0 and known.end > len(line.strip())


def _has_zip(line: str) -> bool:
    return re.search(r"\b\d{5}(?:-\d{4})?\b", line) is not None and an_address(line)


def a_country_alone(line: str) -> bool:
    country = places.find_country(line)
    return country is not None and not re.sub(r"[\W_]+", "", line[: country.start] + line[country.end :])


def an_address(line: str) -> bool:
    """A town, a comma and its state or country, nothing else (a ZIP code at most): "PITTSBURGH, PA.", "SANTO DOMINGO,
    REPUBLICA DOMINICANA" — under an institution's name, its address."""
    if HEADER.match(line) or places.find_county(line) or "," not in line:
        return False
    spans = [(st.start, st.end) for st in places.find_states(line)]
    if (country := places.find_country(line)) is not None:
        spans.append((country.start, country.end))
    rest = line
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = re.sub(r"\b\d{5}(?:-\d{4})?\b", "", rest)
    words = re.findall(r"[^\W\d_]{2,}", rest)
    return bool(spans) and 1 <= len(words) <= 3 and not re.search(r"\d", rest)


# A herbarium's own heading ("HERBARIUM OF …"), not a collection's title ("LICHENS OF …")
NOT_A_TITLE = re.compile(r"^\W*(?:herbarium|herbier|botany)\b", re.I)


def _institution_wrapped(label: Label, i: int, line: str, inst: institutions.InstitutionMatch | None) -> None:
    """Mark line ``i + 1`` as the rest of an institution's name wrapped at the end of line ``i``:
    "G. S. TORREY HERBARIUM, UNIVERSITY OF" / "CONNECTICUT", "… NEW ENGLAND BOTANICAL" / "CLUB"."""
    nxt = label.text[i + 1]
    if re.search(r"\d", nxt) or len(nxt.split()) > 4:
        return
    if places.find_county(nxt) or people.has_collector_cue(nxt):
        return  # "Orange County" / "COLLECTOR C. H. SMITH" under a herbarium's name: not the name's end
    if (division := divisions.cued_division(nxt)) is not None and len(nxt[: division[2]].split()) <= 2:
        return  # "… UNIVERSITY OF ELMTON" / "PROVINCE OF CAMAGUEY": a division by its kind word, the label's place
    if HEADER.match(nxt) and not NOT_A_TITLE.match(nxt):
        return  # "HERBARIUM OF THE UNIVERSITY OF ELMTON" / "LICHENS OF MINNESOTA": the collection's title, its place
    if fold(line).endswith(" " + fold(nxt)) and (places.find_states(nxt) or places.find_country(nxt)):
        return  # "… University of North Carolina" / "NORTH CAROLINA": the label's place, the name said
    joined = f"{line} {nxt}"
    both = institutions.find_institution(joined)
    spans_both = both is not None and both.start < len(line) and both.end >= len(joined) - 2
    dangling = inst is not None and re.search(r"\b(?:of|the|and|&)$|,$", line, re.I) is not None
    better = inst is None or (
        both is not None and (bool(both.code) > bool(inst.code) or len(both.name) > len(inst.name))
    )
    if not dangling and (inst is None or not inst.code) and a_country_alone(nxt):
        return  # "HERBARIUM OF THE UNIVERSITY OF HAVANA" / "CUBA": a name that ended, then the country
    if (spans_both and better) or dangling:
        label.roles[i + 1] = "institution"
