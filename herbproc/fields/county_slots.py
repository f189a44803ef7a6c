"""A printed form's county slot: the words of its value and the caption after it."""

import re

COUNTY_WORD = r"(?:Mc|Mac|De|La|Le|O')?[A-Z][A-Za-z'’\-]*\.?"


# A form's next caption after the county's slot: "Co. Blount  State Tenn.", "County: Elm  Coll. A. Bell".
NEXT_CAPTION = r"(?:State|STATE|Country|COUNTRY|Locality|LOCALITY|Loc|LOC|Coll|COLL|Collector|COLLECTOR|Date|DATE)\b"
SLOT_WORD = (
    rf"(?!{NEXT_CAPTION}){COUNTY_WORD}(?![A-Za-z'’\-])(?!\.?\s*:)"  # not the next field's name: "County: Grant State: NM"
)


# A county slot's caption and its value ending the line, after a state's name: "… County Yancey".
SLOT_AFTER_STATE = re.compile(
    rf"\s+(?:County|COUNTY|Co\.|CO\.)(?:\s*:\s*|\s+)(?P<name>{SLOT_WORD}(?:\s+{SLOT_WORD}){{0,2}})\s*$"
)
