from __future__ import annotations

from dataclasses import dataclass, field

SECTION = "export"


@dataclass
class Settings:
    """stage=export format=cub|dwca: the store written out for other code (the official IELT reads
    CUB_200_2011), or the run's records as a Darwin Core Archive to publish through an IPT (docs/publish.md)."""

    out: str | None = None  # default <run_dir>/export/<format> (dwca: and <out>.zip beside it)
    images: str = (
        "copy"  # copy: the store's training copy as JPEG | original: the downloaded bytes as they are
    )
    variant: str = "auto"  # copy: auto (masked when the mask stage finished) | raw | masked
    jpeg_quality: int = 95  # copy
    val_as: str = "test"  # CUB has train/test only: val rows go to test | train | skip
    # format=dwca (docs/publish.md)
    prefer: str = "record"  # record: the record's own value, the transcription fills gaps | transcription
    min_confidence: float = 0.0  # transcribed values less sure than this are not used
    confidences: bool = False  # MeasurementOrFact rows: per-term OCR confidence, classifier top-k, phenology
    media: list[str] = field(default_factory=lambda: ["original"])  # multimedia rows: original, masked, mask
    media_base_url: str | None = None  # where <out>/media/ will be served (needed for masked / mask)
    media_extension: str = "gbif"  # gbif: GBIF Simple Multimedia | audubon: Audubon Media Description
    gbif_id: bool = True  # a gbifID column (http://rs.gbif.org/terms/1.0/gbifID): the run's key, for ingest
    license: str = "CC_BY_4_0"  # the dataset's licence in eml.xml: CC0_1_0 | CC_BY_4_0 | CC_BY_NC_4_0
    title: str | None = None  # eml.xml; default "Herbarium specimens of <institutions> (herbproc run <name>)"
    description: str | None = None  # eml.xml abstract (herbproc adds what was machine-made)
    organization: str | None = None  # creator / contact organisation; default the records' institutionCode
    creator: str | None = None  # a person: "Given Surname"
    email: str | None = None  # creator / contact e-mail
    dataset_id: str | None = None  # eml packageId; default a UUID derived from the run directory
    language: str = "en"  # of the metadata
