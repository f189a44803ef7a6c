"""Label text → Darwin Core fields (rules and dictionaries, no language model), and taxon names resolved against
the run's taxonomy with the image classifier's probabilities as a prior. See docs/fields.md.

The names below load on first use, so that a light module of this library (``herbproc.fields.condition``, which
the phenology package re-exports) does not pull in the fuzzy matcher.
"""

from __future__ import annotations

from herbproc.lazy import lazy_names

_HOMES = {
    "find_dates": "dates",
    "parse_date": "dates",
    "DWC_TERMS": "extract",
    "Field": "extract",
    "extract_fields": "extract",
    "to_darwin_core": "extract",
    "ParsedName": "names",
    "parse_name": "names",
    "find_county": "places",
    "parse_state": "places",
    "TaxonIndex": "taxon",
    "TaxonResolution": "taxon",
    "resolve_partial": "taxon",
    "resolve_taxon": "taxon",
}

__all__ = sorted(_HOMES)


__getattr__, __dir__ = lazy_names(__name__, _HOMES)
