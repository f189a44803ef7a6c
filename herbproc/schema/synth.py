from __future__ import annotations

from dataclasses import dataclass, field

SECTION = "synth"


@dataclass
class Settings:
    """The synthetic herbarium world (stage=synth): taxonomy, specimens, sheet rendering, Darwin Core Archive.

    Same seed and settings give the same bytes, whichever shard renders a sheet. Shares are probabilities in
    [0, 1]; sizes are pixels.
    """

    seed: int = 0  # the world's own seed (independent of the top-level training seed)
    species: int = 6  # number of taxa (a few are infraspecific, "var.")
    sheets_per_species: int = 8
    width: int = 1500  # sheet image size in pixels
    height: int = 2250
    base_url: str = "http://127.0.0.1:8765"  # multimedia identifiers: <base_url>/images/<gbifID>.jpg
    font_styles: list[str] = field(default_factory=lambda: ["serif", "sans", "typewriter", "handwriting"])
    handwriting_share: float = 0.25  # share of labels whose data lines are handwritten
    annotation_share: float = 0.35  # share of sheets with a determination/annotation slip
    packet_share: float = 0.35  # share of sheets with a (blank) fragment packet
    infraspecific_share: float = 0.15  # share of taxa that are varieties
    sterile_share: float = 0.2  # share of specimens with no flowers, fruits or buds
    unknown_condition_share: float = 0.1  # share of records whose reproductiveCondition is left empty
    label_rotation_deg: float = 1.5  # labels, slips and stamps are turned by up to this many degrees
    background_margin: float = 0.035  # dark background around the paper, as a share of the width; 0 = none
    # degradation knobs for OCR experiments
    blur: float = 0.0  # Gaussian blur sigma in pixels over the whole sheet
    fading: float = 0.0  # 0..1: label ink fades toward the paper colour
    occlusion_share: float = 0.0  # share of labels partly covered by a strip of tape or paper
    downsample: float = 1.0  # >= 1: shrink by this factor and enlarge back (loses detail, keeps the size)
    noise: float = 4.0  # standard deviation of the sensor noise, in grey levels
    jpeg_quality: int = 90
    distractors: bool = False  # add records ingest must reject (observations, no media, far away, sound)
