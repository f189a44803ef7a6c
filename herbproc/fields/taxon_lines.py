"""The scientific name (from the run's taxonomy, else by rules) and family read from a label's lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from rapidfuzz import fuzz

from herbproc.fields import names
from herbproc.fields.label import CONFIDENCE, Label
from herbproc.fields.locality_words import ASSOCIATES
from herbproc.fields.names import ParsedName
from herbproc.fields.taxon import TaxonIndex, resolve_taxon, squash


def read_taxon(
    label: Label, index: TaxonIndex | None, prior: Mapping[str, float] | None, prior_weight: float
) -> None:
    for i, line in label.lines(skip_roles=("institution",)):
        family = names.find_family(line)
        if family:
            label.keep("family", family, CONFIDENCE["family"], i)
    readable = dict(label.lines(skip_roles=("institution", "catalog", "header")))
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
    qualifier = parsed.qualifier or (names.qualifier_in(label.text[line]) if line is not None else "")
    for key, value in parsed.darwin_core(scientific_name, qualifier):
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
        found = names.find_name_in_line(line, strict=True) if line else None
        if found is None or ASSOCIATES.search(" ".join(line.split()[: found.start_token + 1])):
            continue  # (an associated species: "With: Cephalozia bicuspidata", "Growing with Carex lurida")
        # Prefer a name that opens its line, and names near the top of the label.
        score = found.score + (0.05 if found.start_token == 0 else 0.0) - min(0.02 * i, 0.1)
        if best is None or score > best[0]:
            best = (score, i, found)
    if best is None:
        return None
    _score, line, found = best
    confidence = CONFIDENCE["taxon_no_index"] * found.score * label.quality[line]
    parsed = found.parsed  # no taxonomy gives the authorship's spelling: a label's capitals are written as names are
    parsed = replace(
        parsed,
        authorship=names.author_case(parsed.authorship),
        species_authorship=names.author_case(parsed.species_authorship),
    )
    return parsed, parsed.scientific_name, confidence, line
