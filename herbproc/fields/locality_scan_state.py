"""The state of the scan for a locality's lines, shared by its steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from herbproc.fields.label import Label

Part = tuple[int, str, float]  # a line's index, what of it is the locality's, its base confidence


@dataclass
class Scan:
    label: Label
    free: dict[int, str]
    captioned: bool  # some free line is a "Locality:" caption
    parts: list[Part] = field(default_factory=list)
    quad: Part | None = None  # a form's map quadrangle line
    description: int = -2  # the last line that described the plant
    hab: int = -1  # a "Hab." line that names a place
    habitat: int = -2  # the last line of a form's habitat blank
    closed: bool = False  # the locality ended at a ";" after its coordinates or elevation: only a "Locality:" line now
    ended: int = -2  # a locality line whose sentence ended before coordinates on it: nothing after them goes on with it
    stopped: bool = False  # a scientific name or a list of associated species ended the locality
