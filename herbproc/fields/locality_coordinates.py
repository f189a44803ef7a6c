"""Coordinates and elevations on the locality's lines: the sentence running into them, the words before."""

from __future__ import annotations

import re

from herbproc.fields import dates, places
from herbproc.fields.label import Label, strip_dates
from herbproc.fields.locality_place_lines import place_remainder
from herbproc.fields.locality_words import COORDINATE_CAPTION, ELEVATION_LINE, LOCALITY_WORDS, ROAD_NEXT

_DEGREES = r"\d{1,3}\s*°\s*\d{1,2}(?:[.,]\d+)?\s*['’′]?\s*(?:\d{1,2}(?:\.\d+)?\s*[\"″]?\s*)?"
# a line of a latitude and longitude, and perhaps the elevation, alone: "19°17'N, 69°18'W, elev. 300-400 m."
_POSITION_ALONE = re.compile(
    rf"^\W*(?:(?i:lat(?:itude)?)\.?\s*:?\s*)?{_DEGREES}(?:N|S|Norte|Sur)\b\.?\s*[,;]?\s*"
    rf"(?:(?i:long(?:itude)?)\.?\s*:?\s*)?{_DEGREES}(?:W|E|O|Oeste|0este|Este)\b\.?"
    r"(?:\s*[,;.]?\s*(?:(?:elev|alt)\w*\.?\s*:?\s*)?(?:ca\.?\s*|(?:up\s+)?to\s+)?[\d,.]+(?:\s*-\s*[\d,.]+)?\s*"
    r"(?:m|ft|msnm|msm)\b\.?)?\s*$"
)  # "Lat. 66°10'N., Long. 94°25'W.", "18°27'N, 69°13'W, alt. to 10 m."


def position_after_habitat(label: Label, free: dict[int, str], end: int) -> str | None:
    """The line of coordinates (and elevation) alone that closes the text block after the habitat that followed
    the locality ("… de Elmton; potreros, bosque." / "19°17'N, 69°18'W, elev. 300 m."): the place's own, as the
    Caribbean herbaria's typed labels set it and their transcriptions keep it; None when no such line follows."""
    for j in range(end + 1, min(end + 4, len(label.text))):
        if j not in free or dates.find_dates(label.text[j]):
            return None
        if _POSITION_ALONE.match(label.text[j].strip()):
            return re.sub(r"(?<=\W)0(?=este\b)", "O", label.text[j].strip(" ,;"))  # "69°18'0este": a zero for an O
        if re.search(r"\d", label.text[j]):
            return None
    return None


def position_under(label: Label, free: dict[int, str], last: int) -> str | None:
    """The line of coordinates (and elevation) alone right under the locality's last line, on its card: the
    place's position, which transcriptions keep with it ("… San Pedro de Macoris road." / "18°27'N, 69°13'W,
    alt. to 10 m."); None when the next line is anything else."""
    j = last + 1
    if j not in free or j >= len(label.text) or not _POSITION_ALONE.match(label.text[j].strip()):
        return None
    return re.sub(r"(?<=\W)0(?=este\b)", "O", label.text[j].strip(" ,;"))


# a measure of height or depth: "280 m", "1200 ft.", "3 dm"; not "km 2" (a road's kilometre post), "2 mi. N of"
_MEASURE = re.compile(
    r"\d\s*(?:m|ft|feet|meters|metres|msm|dm|cm)\b\.?(?!\s*(?:[NSEW]\b|north|south|east|west))", re.I
)
_COORDINATE_CAPTION_AFTER = re.compile(r"\b(?:lat|latitude|lat\s*/\s*long|gps|coord\w*)\b\W*$", re.I)
# a sentence's end: a full stop after a word (not "sec.", "Hwy.", "Mts.") or a number or a bracket, then a space
_SENTENCE_STOP = re.compile(
    rf"(?:(?<=[A-Za-z]{{3}})(?<!\b(?i:sec|hwy|rte|twp|mts|cty|hts))|(?<=\d)|(?<=\)))\.\s(?!{ROAD_NEXT.pattern})"
)


def coordinates_in_sentence(line: str, start: int, stops: bool = False) -> str | None:
    """A locality's sentence that runs on into its coordinates, written into it ("… Bluff Point, 44°37'N," /
    "73°25'W; dolomite rock …"): the line up to the ``;`` after them that begins the habitat, kept as written
    (dwc:verbatimLocality); None when a sentence ends before them or a form's caption opens them."""
    lead = line[:start]
    if COORDINATE_CAPTION.match(line) or (_SENTENCE_STOP.search(lead) and not stops) or ";" in lead.rstrip().rstrip(";"):
        return None  # (``stops``: sentences of the place before them are part of it too)
    if caption := _COORDINATE_CAPTION_AFTER.search(lead):  # "… Quadrangle Lat/Long: 60°09'N": the form's field
        return strip_dates(lead[: caption.start()]).strip(" ,;:") or None
    text = strip_dates(line[: line.find(";", start)] if ";" in line[start:] else line).strip(" ,")
    return text or None


def after_county_head(label: Label, i: int, line: str, start: int) -> str | None:
    """The place after a county (and state) heading a place line, up to and with its coordinates as written
    ("ARIZONA: Pima Co.: Elm Canyon, 32°20'N 110°45'W, 1500 m"); None when no county heads the line."""
    county = places.find_county(line)
    if label.roles.get(i) != "place" or county is None or county.end >= start:
        return None
    head = len(line) - len(line[county.end :].lstrip(" ,;:.-"))
    if place_remainder(line[:head]):
        return None  # words of the place before the county: not a heading
    text, at = line[head:], start - head
    if not re.search(r"[^\W\d_]{3}", text[:at]):
        return None  # "LINCOLN Co. 39°17'N …": the coordinates first, the place after them
    return coordinates_in_sentence(text, at) or before_coordinates(text, at) or None


def before_coordinates(line: str, start: int) -> str:
    """The words of ``line`` before its coordinates ("ca." and "GPS" left off), ending the sentence there."""
    lead = re.split(rf"(?<=[A-Za-z]{{3}})\.\s(?!{ROAD_NEXT.pattern})", line[:start])[0]  # "… Hut. 280 m., 38° 24' S."
    lead = re.sub(r"(?:\b(?:ca|c|approx|GPS|lat|coord\w*)\W*)+$", "", lead, flags=re.I).strip(" ,;:.")
    if not re.search(r"[^\W\d_]{2}", lead) or _MEASURE.search(lead) or ELEVATION_LINE.match(lead):
        return ""  # (an elevation or a measure before the coordinates is no part of the locality's sentence)
    if re.search(r"\d", lead) and not LOCALITY_WORDS.search(lead):
        return ""
    return lead + "."
