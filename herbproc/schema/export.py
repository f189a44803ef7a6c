from __future__ import annotations

from dataclasses import dataclass, field

from herbproc.schema.build import check_between, check_choice, wrong

SECTION = "export"
IMAGES = ("copy", "original")
VARIANTS = ("auto", "raw", "masked")
VAL_AS = ("test", "train", "skip")
PREFER = ("record", "transcription")
MEDIA = ("original", "masked", "mask")
MEDIA_EXTENSIONS = ("gbif", "audubon")
LICENSES = ("CC0_1_0", "CC_BY_4_0", "CC_BY_NC_4_0")


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

    def __post_init__(self) -> None:
        check_choice("export.images", self.images, IMAGES)
        check_choice("export.variant", self.variant, VARIANTS)
        check_choice("export.val_as", self.val_as, VAL_AS)
        if not 1 <= self.jpeg_quality <= 100:
            raise wrong("export.jpeg_quality", self.jpeg_quality, "1..100")
        check_choice("export.prefer", self.prefer, PREFER)
        check_between("export.min_confidence", self.min_confidence, 0.0, 1.0)
        media = list(self.media)
        if any(m not in MEDIA for m in media) or len(set(media)) != len(media) or "original" not in media:
            raise wrong("export.media", media, f"a list of {', '.join(MEDIA)}, each once, with original")
        if self.media_base_url is not None and not str(self.media_base_url).startswith(("http://", "https://")):
            raise wrong("export.media_base_url", self.media_base_url, "an http(s) URL")
        if {"masked", "mask"} & set(media) and not self.media_base_url:
            raise ValueError(
                "missing value 'export.media_base_url' (export.media has masked/mask: their files are served "
                "from there, give export.media_base_url=https://...)"
            )
        check_choice("export.media_extension", self.media_extension, MEDIA_EXTENSIONS)
        check_choice("export.license", self.license, LICENSES)
        if not str(self.language).strip():
            raise wrong("export.language", self.language, "an ISO 639 code such as en")
        if self.email is not None and "@" not in str(self.email):
            raise wrong("export.email", self.email, "an e-mail address")
        if self.dataset_id is not None and not str(self.dataset_id).strip():
            raise wrong("export.dataset_id", self.dataset_id, "leave it out for a UUID from the run")
