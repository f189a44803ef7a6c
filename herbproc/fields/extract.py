"""Label text lines (reading order, OCR noise and all) → Darwin Core fields, each with a confidence in [0, 1].

Every line is tried by each recogniser (institutions, catalogue numbers, determinations, collectors, dates,
places, names, locality); a line claimed by one kind (an institution stamp, a barcode, a collector line) is not
reused by the later ones. Each way of matching has a base confidence (``label.CONFIDENCE``, tabled in
docs/fields.md), multiplied by the line's text quality (share of plausible characters), so OCR garbage yields
low confidence or nothing.

The recognisers live in their own modules: ``institution_lines``, ``people_lines``, ``place_lines`` (with
``division_lines``), ``date_lines``, ``number_alone``, ``taxon_lines``, ``locality`` and ``county_check``. This
module joins wrapped lines, tells a determination slip's lines and runs the recognisers in their order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz.distance import Levenshtein

from herbproc.fields import dates, names, people, places
from herbproc.fields.captions import repaired_caption, repaired_kind_words
from herbproc.fields.county_check import check_us_county
from herbproc.fields.date_lines import read_dates
from herbproc.fields.institution_lines import (
    a_country_alone,
    institution_fragments,
    read_catalog,
    read_institution,
)
from herbproc.fields.label import HEADER, Field, Label, strip_dates
from herbproc.fields.locality import read_locality
from herbproc.fields.number_alone import read_number_alone
from herbproc.fields.people_lines import (
    collector_on_the_dated_card,
    join_wrapped_people,
    names_under_the_collector,
    numbered_collector,
    party_with,
    read_captioned_collectors,
    read_people,
    taxon_read_as_people,
    whole_party,
    with_the_word_cut_before,
    wrapped_surname,
)
from herbproc.fields.place_lines import read_places
from herbproc.fields.taxon import COLLECTION_HEADER, SLIP_INSTITUTION, TaxonIndex
from herbproc.fields.taxon_lines import read_taxon
from herbproc.fields.text import fold

DWC_TERMS = (
    "scientificName", "scientificNameAuthorship", "genus", "specificEpithet", "infraspecificEpithet",
    "taxonRank", "verbatimTaxonRank", "family", "recordedBy", "recordNumber", "eventDate", "verbatimEventDate",
    "country", "countryCode", "stateProvince", "county", "locality", "institutionCode", "catalogNumber",
    "identifiedBy", "dateIdentified", "identificationQualifier",
)  # fmt: skip

# not "Parish:", nor "Parish of St. Ann" (a place line of its own); "Co" alone, its dot lost
_COUNTY_FIRST = re.compile(
    r"^\W*(?:(?:County|Co\.|Parish|COUNTY|CO\.|PARISH)(?![a-z]|\s*:|\s+(?:of|OF)\s)|(?:Co|CO)\W*$)"
)
# A field's name alone on its line, its value on the next: "Parish:" / "St. Thomas", "Province:" / "Samaná".
_PLACE_FIELD_NAME = re.compile(
    r"^\W*(?:county|parish|prov(?:ince|incia)?|dept|department|departamento|district|distrito|state|estado|"
    r"country|pa[ií]s|locality|localidad|loc)\W*:\W*$",
    re.I,
)
# A rubber date stamp, its day's digits on wheels apart: "OCT 2 6 1990" (when the herbarium received the sheet)
_DATE_STAMP = re.compile(r"^\W*[A-Z]{3}\.?\s+\d\s\d\s+(?:1[6-9]|20)\d\d\W*$")
_SLIP_HEADER = re.compile(
    r"^\W*(?:(?:determination|annotation|identification|revision)\s*(?:slip|label|card|ticket)?"
    r"|det\.?\s*slip)\W*$",
    re.I,
)
# a revision's or a monograph's own slip, its title naming the group revised: "REVISION OF JUSSIAEA", "REVISIONARY
# STUDIES IN LINDERNIA" ("STUDIESIN", the space lost), "Monograph of the genus Carex"
_SLIP_TITLE = re.compile(
    r"^\W*(?:revision(?:ary\s*stud(?:y|ies))?|monograph(?:ic\s*stud(?:y|ies))?)\s*(?:of|in|on)"
    r"(?:\s|(?<=in)[^\W\d_])[^\d]*$",
    re.I,
)


def extract_fields(
    lines: Iterable[str],
    names: TaxonIndex | None = None,
    *,
    prior: Mapping[str, float] | None = None,
    prior_weight: float = 1.0,
    labels: Sequence[int] | None = None,
) -> dict[str, Field]:
    """Darwin Core fields read from label ``lines``. ``names`` (the run's taxonomy) and ``prior`` (the image
    classifier's top-k probabilities, name → probability) steer the scientific name. ``labels`` (one per line:
    which card of the sheet it was read from) lets a determination slip's lines be known as such wherever its
    header was read. Fields not found are absent; garbage gives ``{}``."""
    label = Label(lines)
    label.text = [repaired_kind_words(repaired_caption(line)) for line in label.text]
    join_wrapped_places(label)
    join_wrapped_dates(label)
    join_wrapped_people(label)
    for i, line in label.lines():
        read_institution(label, i, line)
    read_catalog(label)
    institution_fragments(label, labels)
    for i, line in label.lines():
        if _DATE_STAMP.match(line):
            label.roles.setdefault(i, "institution")  # the herbarium's date stamp: no collection date
    slip = slip_lines(label, labels)
    for i, line in label.lines(skip_roles=("institution", "catalog", "header")):
        read_people(label, i, with_the_word_cut_before(label, i, line), on_slip=i in slip)
    read_captioned_collectors(label, labels)
    whole_party(label)
    names_under_the_collector(label, labels)
    party_with(label, labels, names.genera if names is not None else ())
    read_places(label)  # before the dates: the country tells the order of a numeric date's day and month
    read_dates(label, labels)
    collector_on_the_dated_card(label, labels)
    read_number_alone(label, labels)
    if (collector := label.fields.get("recordedBy")) is not None and collector.line in label.sine_numero:
        label.fields.pop("recordNumber", None)  # "J. Smith s.n.": the label says there is no number
    read_taxon(label, names, prior, prior_weight)
    taxon_read_as_people(label)
    read_locality(label)
    check_us_county(label)
    return label.fields


def to_darwin_core(fields: Mapping[str, Field], *, min_confidence: float = 0.0) -> dict[str, str]:
    """One row with every column of ``DWC_TERMS``; "" where missing or below ``min_confidence``."""
    row = {}
    for term in DWC_TERMS:
        f = fields.get(term)
        row[term] = f.value if f is not None and f.confidence >= min_confidence else ""
    return row


def join_wrapped_places(label: Label) -> None:
    """A place line wrapped before its "County" ("…, Woodstock, Windsor" / "County, Vt.") or after a comma
    before its state ("…, Penobscot County," / "Me."), or inside a country's name ("Congo Free" / "State"), or a
    place field's name and its value ("Parish:" / "St. Thomas"), is read as one line."""
    for i in range(len(label.text) - 1):
        line, nxt = label.text[i], label.text[i + 1]
        if not (label.usable[i] and label.usable[i + 1]):
            continue
        if (k := wrapped_surname(label, i)) is not None:
            label.join(i, k)
            continue
        county_wrapped = (
            _COUNTY_FIRST.match(nxt)
            and places.find_county(nxt) is None
            and re.search(r"[A-Z][\w'’\-]+$", line)
            and not a_country_alone(line)  # "JAMAICA" / "Parish St. Thomas": the parish is the next line's
        )
        if county_wrapped or (line.endswith(",") and _only_a_state(nxt)) or _PLACE_FIELD_NAME.match(line):
            label.join(i)
        elif _country_across(line, nxt):
            label.join(i)


def _country_across(line: str, nxt: str) -> bool:
    """A country's name broken at the line's end ("…, Lado Enclave, Congo Free" / "State"): the two lines read
    as one name a country across the break, longer than what the first line names alone ("Congo")."""
    joined = f"{line} {nxt}"
    found = places.find_country(joined)
    return found is not None and found.start < len(line) and re.search(r"\w", joined[len(line) : found.end]) is not None


# A date whose year went to the next line: "Sept. 2," / "1946", "12 June" / "1912".
_DAY_MONTH_END = re.compile(
    r"(?:(?<![\w])(?P<mon>[^\W\d_]{3,10})\.?\s*[0-3]?\d(?:st|nd|rd|th)?(?:\s*[-–]\s*[0-3]?\d)?"
    r"|(?<![\w.])[0-3]?\d[\s.\-]*"
    r"(?P<mon2>[^\W\d_]{3,10}|[IVX]{1,4}))\W*$"
)
_YEAR_ALONE = re.compile(r"^\W*[12]\d{3}\W*$")
# a form's printed century and the year's two digits written after it, read apart: "19 51", or "19" / "68"
_CENTURY_GAP = re.compile(r"^\W*(?P<century>1[6-9]|20)\s+(?P<yy>\d\d)\W*$")
_CENTURY_ALONE = re.compile(r"^\W*(?P<century>1[6-9]|20)\W*$")
_TWO_DIGITS_ALONE = re.compile(r"^\W*(?P<yy>\d\d)\W*$")


def join_wrapped_dates(label: Label) -> None:
    """A day and month at the end of a line and a year alone on the next are one date ("Sept. 2," / "1946"); a
    form's year may be its printed century and the two digits written after it ("June 30" / "19 51", "Aug.
    17" / "19" / "68")."""
    for i in range(len(label.text) - 1):
        line, nxt = label.text[i], label.text[i + 1]
        if not (label.usable[i] and label.usable[i + 1]):
            continue
        if m := _CENTURY_GAP.match(nxt):
            nxt = m["century"] + m["yy"]
        elif (m := _CENTURY_ALONE.match(nxt)) and i + 2 < len(label.text) and label.usable[i + 2]:
            if digits := _TWO_DIGITS_ALONE.match(label.text[i + 2]):
                nxt = m["century"] + digits["yy"]
        if not _YEAR_ALONE.match(nxt):
            continue
        m = _DAY_MONTH_END.search(line)
        month = m and (m["mon"] or m["mon2"])
        known = month and (
            fold(month) in dates.MONTHS or (month.isupper() and month.lower() in dates.ROMAN_MONTHS)
        )
        if known and not dates.find_dates(line[m.start() :]):
            if nxt != label.text[i + 1] and not _CENTURY_GAP.match(label.text[i + 1]):
                label.join(i + 1)  # the century's line and the digits' line, one year
            label.text[i + 1] = nxt
            label.join(i)


def _only_a_state(text: str) -> bool:
    states = places.find_states(text)
    rest = text
    for st in sorted(states, key=lambda st: -st.start):
        rest = rest[: st.start] + rest[st.end :]
    country = places.find_country(rest)
    if country:
        rest = rest[: country.start] + rest[country.end :]
    return bool(states) and not re.sub(r"[\W_]+", "", rest)


def slip_lines(label: Label, labels: Sequence[int] | None) -> set[int]:
    """Lines of determination slips: the other lines of a card headed "DETERMINATION SLIP" / "ANNOTATION LABEL"
    (with ``labels``), or without them the lines after such a header up to the next header (at most 3)."""
    titles = {i for i, line in label.lines() if _SLIP_TITLE.match(line)}
    headers = [i for i, line in label.lines() if _SLIP_HEADER.match(line) or i in titles]
    for i in headers:
        label.roles[i] = "header"
    out: set[int] = set()
    if labels is not None and len(labels) == len(label.text):
        for card in set(labels) - {labels[h] for h in headers}:
            lines = [i for i, c in enumerate(labels) if c == card and label.usable[i]]
            if _short_card_with_a_name(label, lines):
                out |= set(lines)
    for h in headers:
        if labels is not None and len(labels) == len(label.text) and h not in titles:
            out |= {i for i, card in enumerate(labels) if card == labels[h] and i != h}
            continue
        # a title's slip by the lines under it even on a known card: such a slip is often pinned on the label and
        # read as one card with it
        for i in range(h + 1, min(h + 4, len(label.text))):
            if _SLIP_HEADER.match(label.text[i]) or HEADER.match(label.text[i]):
                break
            out.add(i)
            text = label.text[i]
            if h in titles and dates.find_dates(text) and not re.search(r"[^\W\d_]{2,}", strip_dates(text)):
                label.roles[i] = "determination"  # "Philip A. Munz" / ",1939": its date alone, the determination's
    return out | _annotation_slips(label)


# a name's shape where it may be misread: a capitalised word and a word in lower case ("Asplenusy rkizoplyllazeL")
_NAME_SHAPE = re.compile(r"^\W*[A-Z][a-z]{3,}\s+[a-z]{4,}")
_PERSON_SHAPE = re.compile(r"^\W*[A-Z][^\d\s]*(?:\s+[^\d\s]+){0,4}\s*$")  # a short line, no digit


def _annotation_slips(label: Label) -> set[int]:
    """An annotation slip on no card of its own: an institution's name that heads no collection, a name under it,
    then within two lines the reviser and a year or a month and year alone ("Field Museum of Natural History" /
    "Asplenium rhizophyllum L." / "Gayle S. Tonkovich" / "March 2006"). Its lines but the institution's; the
    date's line is the determination's."""
    out: set[int] = set()
    for i, line in label.lines():
        j = i + 1
        if not (_slip_institution(line) and not COLLECTION_HEADER.match(line)) or j >= len(label.text):
            continue
        if not label.usable[j] or not _NAME_SHAPE.match(label.text[j]):
            continue
        lines, dated = [j], []
        for k in range(j + 1, min(j + 3, len(label.text))):
            text = label.text[k]
            found = dates.find_dates(text)
            alone = not re.search(r"[^\W\d_]{2,}", strip_dates(text))
            if found and alone and all(d.precision in ("month", "year") for d in found):
                dated.append(k)
            elif not _PERSON_SHAPE.match(text) or not label.usable[k]:
                break
            lines.append(k)
        if dated:
            out |= set(lines)
            for k in dated:
                label.roles[k] = "determination"
    return out


# an institution's word of a slip read with a letter wrong at thumbnail size ("Field Museun of Natsral History")
_INSTITUTION_WORDS = ("museum", "herbarium", "university", "institute", "garden")


def _slip_institution(line: str) -> bool:
    if SLIP_INSTITUTION.search(line):
        return True
    words = re.findall(r"[^\W\d_]{6,}", line)
    return any(Levenshtein.distance(fold(w), kind) == 1 for w in words for kind in _INSTITUTION_WORDS)


def _short_card_with_a_name(label: Label, lines: list[int]) -> bool:
    """A slip headed by its herbarium's name ("YALE UNIVERSITY HERBARIUM" / the name / "G. E. Crow, 1951"): a
    card of at most four lines with a scientific name and no place or collection date, only a year."""
    lines = [i for i in lines if label.roles.get(i) != "institution"]
    if not 2 <= len(lines) <= 4:
        return False
    texts = [label.text[i] for i in lines]
    named = any((n := names.find_name_in_line(t)) is not None and n.start_token == 0 for t in texts)
    placed = any(places.find_states(t) or places.find_county(t) for t in texts)
    dated = any(d.precision not in ("year", "years") for t in texts for d in dates.find_dates(t))
    if any(numbered_collector(t) for t in texts):
        return False  # "T. A. Smith 4521": a collector and his number, a collection label
    return named and not placed and not dated and not any(people.has_collector_cue(t) for t in texts)
