"""Darwin Core term names the manifest keeps, and helpers to turn term URIs into those names."""

from __future__ import annotations

# Kept in the manifest under their own names when the input has them (in this order).
MANIFEST_TERMS = (
    "occurrenceID",
    "basisOfRecord",
    "institutionCode",
    "collectionCode",
    "catalogNumber",
    "recordedBy",
    "recordNumber",
    "eventDate",
    "year",
    "month",
    "day",
    "country",
    "countryCode",
    "stateProvince",
    "county",
    "locality",
    "decimalLatitude",
    "decimalLongitude",
    "kingdom",
    "phylum",
    "class",
    "order",
    "family",
    "genus",
    "species",
    "specificEpithet",
    "infraspecificEpithet",
    "taxonRank",
    "scientificName",
    "scientificNameAuthorship",
    "verbatimTaxonRank",
    "verbatimEventDate",
    "identifiedBy",
    "dateIdentified",
    "identificationRemarks",
    "occurrenceRemarks",
    "reproductiveCondition",
    "dynamicProperties",
    "fieldNotes",
)

# Occurrence-level columns read besides the manifest terms (licences, the media hint of simple CSVs).
EXTRA_RECORD_TERMS = ("gbifID", "license", "rightsHolder", "mediaType", "associatedMedia")

# Columns of one media (multimedia extension) row, after normalisation.
MEDIA_COLUMNS = ("coreid", "type", "format", "identifier", "license", "rightsHolder")

STILL_IMAGE = "StillImage"


def term_name(uri: str) -> str:
    """``http://rs.tdwg.org/dwc/terms/genus`` -> ``genus``; a bare name stays as it is."""
    uri = uri.strip()
    for sep in ("#", "/", ":"):
        if sep in uri:
            uri = uri.rsplit(sep, 1)[1]
    return uri


def media_type_name(value: str) -> str:
    """``http://purl.org/dc/dcmitype/StillImage`` or ``stillimage`` -> ``StillImage``."""
    name = term_name(value) if value else ""
    known = {"stillimage": STILL_IMAGE, "movingimage": "MovingImage", "sound": "Sound"}
    return known.get(name.lower(), name)
