from __future__ import annotations

from dataclasses import dataclass, field

from herbproc.schema.build import check_between, check_choice, wrong

SECTION = "ingest"
SOURCE_KINDS = ("auto", "dwca", "simple_csv", "folder")
LABEL_LEVELS = ("species", "genus", "family")


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
    # a record without a name at label_level stays, outside every class and split (label -1, split ""): it is
    # downloaded, masked, read and predicted, never trained or evaluated on; false drops it as no_label
    keep_unnamed: bool = False
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

    def __post_init__(self) -> None:
        check_choice("ingest.source", self.source, SOURCE_KINDS)
        check_choice("ingest.label_level", self.label_level, LABEL_LEVELS)
        for key in ("val_fraction", "test_fraction"):
            check_between(f"ingest.{key}", getattr(self, key), 0.0, 1.0, high_open=True)
        if self.val_fraction + self.test_fraction >= 1.0:
            raise ValueError(
                "ingest.val_fraction + ingest.test_fraction must be below 1 (something must be left to train)"
            )
        if self.year_min is not None and self.year_max is not None and self.year_min > self.year_max:
            raise ValueError(f"ingest.year_min={self.year_min} is after ingest.year_max={self.year_max}")
        if self.max_per_class < 0 or self.min_per_class < 0:
            raise ValueError("ingest.max_per_class and ingest.min_per_class must be at least 0")
        if self.max_per_class and self.min_per_class > self.max_per_class:
            raise ValueError(
                f"ingest.min_per_class={self.min_per_class} is above ingest.max_per_class={self.max_per_class}"
            )
        if not str(self.api_base).startswith(("http://", "https://")):
            raise wrong("ingest.api_base", self.api_base, "an http(s) URL")
        if self.max_member_gb <= 0:
            raise wrong("ingest.max_member_gb", self.max_member_gb, "must be above 0")
        if self.max_ratio < 1:
            raise wrong("ingest.max_ratio", self.max_ratio, "a ratio at least 1")
        if self.api_rate <= 0 or self.api_concurrency < 1:
            raise ValueError("ingest.api_rate must be above 0 and ingest.api_concurrency at least 1")
