"""Label text lines (reading order, OCR noise and all) → Darwin Core fields, each with a confidence in [0, 1].

Every line is tried by each recogniser (institutions, catalogue numbers, determinations, collectors, dates,
places, names, locality); a line claimed by one kind (an institution stamp, a barcode, a collector line) is not
reused by the later ones. Each way of matching has a base confidence (``label.CONFIDENCE``, tabled in
docs/fields.md), multiplied by the line's text quality (share of plausible characters), so OCR garbage yields
low confidence or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from rapidfuzz import fuzz

from herbproc.fields import dates, institutions, names, people, places
from herbproc.fields.label import CONFIDENCE, HEADER, Field, Label, strip_dates
from herbproc.fields.locality import read_locality
from herbproc.fields.names import ParsedName
from herbproc.fields.taxon import TaxonIndex, resolve_taxon, squash
from herbproc.fields.text import smart_title

DWC_TERMS = (
    "scientificName", "scientificNameAuthorship", "genus", "specificEpithet", "infraspecificEpithet",
    "taxonRank", "verbatimTaxonRank", "family", "recordedBy", "recordNumber", "eventDate", "verbatimEventDate",
    "country", "countryCode", "stateProvince", "county", "locality", "institutionCode", "catalogNumber",
    "identifiedBy", "dateIdentified",
)  # fmt: skip

_DATE_CUE = re.compile(r"(?:^|\W)(?:date|dated|fecha|datum|coll\.?\s*date)\s*[:.]", re.I)
_NUMBER_BEFORE = re.compile(r"(?:No\.?|Nr\.?|#|n°|Elev\.?|Alt\.?|ca\.)\s*$", re.I)
_UNIT_AFTER = re.compile(r"\s*(?:m\b|ft\b|feet|km\b|mi\b|miles|meters|metres|'|’)", re.I)
_RECORD_NUMBER_CUE = r"(?:No\.?|#|Nr\.?|N°)\s*"


def extract_fields(
    lines: Iterable[str],
    names: TaxonIndex | None = None,
    *,
    prior: Mapping[str, float] | None = None,
    prior_weight: float = 1.0,
) -> dict[str, Field]:
    """Darwin Core fields read from label ``lines``. ``names`` (the run's taxonomy) and ``prior`` (the image
    classifier's top-k probabilities, name → probability) steer the scientific name. Fields not found are absent;
    garbage gives ``{}``."""
    label = Label(lines)
    for i, line in label.lines():
        _read_institution_and_catalog(label, i, line)
    for i, line in label.lines(skip_roles=("institution", "catalog")):
        _read_people(label, i, line)
    _read_dates(label)
    _read_places(label)
    _read_taxon(label, names, prior, prior_weight)
    read_locality(label)
    return label.fields


def to_darwin_core(fields: Mapping[str, Field], *, min_confidence: float = 0.0) -> dict[str, str]:
    """One row with every column of ``DWC_TERMS``; "" where missing or below ``min_confidence``."""
    row = {}
    for term in DWC_TERMS:
        f = fields.get(term)
        row[term] = f.value if f is not None and f.confidence >= min_confidence else ""
    return row


def _read_institution_and_catalog(label: Label, i: int, line: str) -> None:
    inst = institutions.find_institution(line)
    if inst:
        kind = "institution_known" if inst.code else "institution_generic"
        if inst.code:
            label.keep("institutionCode", inst.code, CONFIDENCE[kind], i)
        label.keep("institutionName", smart_title(inst.name), CONFIDENCE[kind], i)
        if HEADER.match(line) is None:
            label.roles[i] = "institution"
    catalog = institutions.find_catalog_number(line)
    if catalog:
        kind = "catalog_cued" if catalog.cued else "catalog_prefixed" if catalog.code else "catalog_bare"
        label.keep("catalogNumber", catalog.number, CONFIDENCE[kind], i)
        if catalog.code:
            label.keep("institutionCode", catalog.code, CONFIDENCE["catalog_prefixed"], i)
        if catalog.end - catalog.start >= 0.6 * len(line):
            label.roles[i] = "catalog"


def _read_people(label: Label, i: int, line: str) -> None:
    determiners = people.find_determiners(line)
    if determiners:
        label.keep(
            "identifiedBy", people.AGENT_SEPARATOR.join(determiners.names), CONFIDENCE["determiner"], i
        )
        label.roles[i] = "determination"
        return
    collectors = people.find_collectors(line)
    if collectors is None or (not collectors.cued and HEADER.match(line)):
        return
    date_spans = [(d.start, d.end) for d in dates.find_dates(line)]
    number = people.find_record_number(line, after=collectors.end, skip=date_spans)
    if collectors.cued:
        confidence = CONFIDENCE["collector_cued"]
    elif number:
        confidence = CONFIDENCE["collector_numbered"]
    else:
        rest = strip_dates(line[: collectors.start] + " " + line[collectors.end :])
        if len(re.sub(r"[\W\d_]+", "", rest)) > 3:
            return  # capitalised words inside other text: too weak without a cue or a number
        confidence = CONFIDENCE["collector_bare"]
    label.keep("recordedBy", people.AGENT_SEPARATOR.join(collectors.names), confidence, i)
    if number:
        cued = number == "s.n." or re.search(_RECORD_NUMBER_CUE + re.escape(number), line, re.I)
        kind = "record_number_cued" if cued else "record_number_bare"
        label.keep("recordNumber", number, min(CONFIDENCE[kind], confidence + 0.1), i)
    label.roles[i] = "collector"


def _read_dates(label: Label) -> None:
    for i, line in label.lines(skip_roles=("institution", "catalog")):
        role = label.roles.get(i)
        for d in dates.find_dates(line):
            if d.precision == "year" and (
                _NUMBER_BEFORE.search(line[: d.start]) or _UNIT_AFTER.match(line, d.end)
            ):
                continue  # "No. 1912", "1912 ft": a number, not a year
            base = CONFIDENCE["date_" + ("day" if d.precision == "range" else d.precision)]
            base -= 0.15 if d.ambiguous else 0.0
            base -= 0.1 if d.repaired else 0.0
            if role == "collector" or _DATE_CUE.search(line[: d.start + 1]):
                base += 0.1
            key = "dateIdentified" if role == "determination" else "eventDate"
            label.keep(key, d.iso, base, i)
            best = label.fields[key]
            if key == "eventDate" and best.line == i and best.value == d.iso:
                label.fields["verbatimEventDate"] = Field(line[d.start : d.end], best.confidence, i)


def _read_places(label: Label) -> None:
    for i, line in label.lines(skip_roles=("institution", "catalog", "collector", "determination")):
        header = HEADER.match(line)
        county = places.find_county(line)
        states = places.find_states(line)
        if states:  # the first state on a line is the one the line is about
            state = states[0]
            base = CONFIDENCE["state_" + state.style] + (0.05 if header or county else 0.0)
            old = label.fields.get("stateProvince")
            label.keep("stateProvince", state.name, base, i)
            if label.fields["stateProvince"] is not old:
                label.fields.pop("countryCode", None)
                label.keep("countryCode", state.country_code, base, i)
        country = places.find_country(line)
        if country:
            label.keep("country", country.name, CONFIDENCE["country_named"], i)
            label.keep("countryCode", country.country_code, CONFIDENCE["country_named"], i)
        if county and "county" not in label.fields:
            label.keep("county", county.name, CONFIDENCE["county"], i)
        if header or county or (country and len(line) - (country.end - country.start) < 4):
            label.roles.setdefault(i, "place")
    state = label.fields.get("stateProvince")
    if state and "country" not in label.fields:
        name = places.country_of_code(label.fields["countryCode"].value)
        label.keep("country", name, min(state.confidence, CONFIDENCE["country_from_state"]), state.line,
                   scale_by_quality=False)  # fmt: skip


def _read_taxon(
    label: Label, index: TaxonIndex | None, prior: Mapping[str, float] | None, prior_weight: float
) -> None:
    for i, line in label.lines(skip_roles=("institution",)):
        family = names.find_family(line)
        if family:
            label.keep("family", family, CONFIDENCE["family"], i)
    readable = dict(label.lines(skip_roles=("institution", "catalog")))
    candidates = [readable.get(i, "") for i in range(len(label.text))]
    if index is not None:
        found = _name_from_index(label, candidates, index, prior, prior_weight)
    else:
        found = _name_from_rules(label, candidates)
    if found is None:
        return
    parsed, scientific_name, confidence, line = found
    if line is not None:
        label.roles.setdefault(line, "taxon")
    for key, value in (
        ("scientificName", scientific_name),
        ("scientificNameAuthorship", parsed.authorship),
        ("genus", parsed.genus),
        ("specificEpithet", parsed.specific_epithet),
        ("infraspecificEpithet", parsed.infraspecific_epithet),
        ("taxonRank", parsed.rank),
        ("verbatimTaxonRank", parsed.infraspecific_rank),
    ):
        label.keep(key, value, confidence, line, scale_by_quality=False)


_NameReading = tuple[ParsedName, str, float, int | None]  # parts, scientificName, confidence, line


def _name_from_index(
    label: Label,
    candidates: list[str],
    index: TaxonIndex,
    prior: Mapping[str, float] | None,
    prior_weight: float,
) -> _NameReading | None:
    resolution = resolve_taxon(candidates, index, prior, weight=prior_weight)
    if resolution.name is None:
        return None
    parsed = index.parsed_name(resolution.name)
    line = resolution.line
    confidence = resolution.confidence * (label.quality[line] if line is not None else 1.0)
    scientific_name = resolution.name
    if not parsed.authorship and line is not None:
        # The taxonomy has no authorship for this name: take the one printed on the label.
        on_label = names.find_name_in_line(label.text[line])
        if on_label and fuzz.ratio(squash(on_label.parsed.canonical), squash(parsed.canonical)) >= 90:
            parsed = replace(parsed, authorship=on_label.parsed.authorship)
            scientific_name = parsed.scientific_name
    return parsed, scientific_name, confidence, line


def _name_from_rules(label: Label, candidates: list[str]) -> _NameReading | None:
    best = None
    for i, line in enumerate(candidates):
        found = names.find_name_in_line(line) if line else None
        if found is None:
            continue
        # Prefer a name that opens its line, and names near the top of the label.
        score = found.score + (0.05 if found.start_token == 0 else 0.0) - min(0.02 * i, 0.1)
        if best is None or score > best[0]:
            best = (score, i, found)
    if best is None:
        return None
    _score, line, found = best
    confidence = CONFIDENCE["taxon_no_index"] * found.score * label.quality[line]
    return found.parsed, found.parsed.scientific_name, confidence, line
