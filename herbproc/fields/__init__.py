"""Label text → Darwin Core fields (rules and dictionaries, no language model), and taxon names resolved against
the run's taxonomy with the image classifier's probabilities as a prior. See docs/fields.md."""

from herbproc.fields.dates import find_dates, parse_date
from herbproc.fields.extract import DWC_TERMS, Field, extract_fields, to_darwin_core
from herbproc.fields.names import ParsedName, parse_name
from herbproc.fields.places import find_county, parse_state
from herbproc.fields.taxon import TaxonIndex, TaxonResolution, resolve_partial, resolve_taxon

__all__ = [
    "DWC_TERMS",
    "Field",
    "ParsedName",
    "TaxonIndex",
    "TaxonResolution",
    "extract_fields",
    "find_county",
    "find_dates",
    "parse_date",
    "parse_name",
    "parse_state",
    "resolve_partial",
    "resolve_taxon",
    "to_darwin_core",
]
