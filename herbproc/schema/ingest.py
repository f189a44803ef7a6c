from __future__ import annotations

from dataclasses import dataclass, field

SECTION = "ingest"


@dataclass
class Settings:
    """stage=ingest input=<path>: which records become the run's manifest (filters, classes, split)."""

    source: str = "auto"  # auto | dwca | simple_csv | folder
    labels_csv: str | None = None  # folder input: CSV with file|id and label (or scientificName...) columns
    genus_list: str | None = None  # file: one genus per line, or a CSV with a 'genus' column
    state_province: list[str] = field(
        default_factory=list
    )  # names or abbreviations: [CT, ME, MA, NH, RI, VT]
    country_code: list[str] = field(default_factory=list)  # ISO 3166 alpha-2: [US, CA]
    basis_of_record: list[str] = field(default_factory=lambda: ["PRESERVED_SPECIMEN"])  # [] = any
    taxon_rank: list[str] = field(default_factory=list)  # [] = any; e.g. [SPECIES, SUBSPECIES, VARIETY]
    year_min: int | None = None
    year_max: int | None = None
    label_level: str = "species"  # species | genus | family
    max_per_class: int = 0  # seeded random sample of at most this many images per class; 0 = all
    min_per_class: int = 1  # classes with fewer images are dropped
    val_fraction: float = 0.1
    test_fraction: float = 0.1
    # simple CSV input: image URLs from the GBIF occurrence API
    api_base: str = "https://api.gbif.org/v1"
    api_rate: float = 20.0  # requests per second
    api_concurrency: int = 8
    api_retries: int = 4
    # archive bombs: a zip member may unpack to at most this many GB, and (past 10 MB) this many times its
    # packed size; GBIF downloads compress 6-10x
    max_member_gb: float = 200.0
    max_ratio: float = 100.0
    allow_empty: bool = False  # an ingest that keeps no record is an error unless this is true
