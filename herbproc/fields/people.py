"""Collectors (recordedBy), collector numbers (recordNumber) and determiners (identifiedBy) on label lines."""

from __future__ import annotations

# The public entry point; the rules live in people_names (name patterns, plausibility), people_cues (cues and
# captions), people_numbered (names alone with their number), people_finders (collectors and determiners on a
# line) and record_number (collector numbers).
from herbproc.fields.people_cues import (
    before_determiner_cue,
    caption_alone,
    collected_and_determined,
    collector_caption,
    collector_cue,
    ends_with_determiner_caption,
    has_collector_cue,
    opens_with_determiner_cue,
    other_role_caption,
    owns_herbarium,
)
from herbproc.fields.people_finders import (
    before_other_role,
    find_agents_after,
    find_collectors,
    find_determiners,
    find_people_by_caption,
    find_slip_person,
    numbered_collectors,
)
from herbproc.fields.people_names import (
    NEVER_SURNAMES,
    NON_PERSON_WORDS,
    PERSON,
    PERSON_OR_SURNAME,
    Agents,
    find_people_line,
    split_people,
)
from herbproc.fields.people_numbered import find_numbered_surnames
from herbproc.fields.record_number import (
    find_record_number,
    numbered_thing_before,
    repair_cued_numbers,
    repaired_digits,
)

AGENT_SEPARATOR = " | "  # Darwin Core's recommended separator for lists of agents

__all__ = [
    "AGENT_SEPARATOR",
    "NEVER_SURNAMES",
    "NON_PERSON_WORDS",
    "PERSON",
    "PERSON_OR_SURNAME",
    "Agents",
    "before_determiner_cue",
    "before_other_role",
    "caption_alone",
    "collected_and_determined",
    "collector_caption",
    "collector_cue",
    "ends_with_determiner_caption",
    "find_agents_after",
    "find_collectors",
    "find_determiners",
    "find_numbered_surnames",
    "find_people_by_caption",
    "find_people_line",
    "find_record_number",
    "find_slip_person",
    "has_collector_cue",
    "numbered_collectors",
    "numbered_thing_before",
    "opens_with_determiner_cue",
    "other_role_caption",
    "owns_herbarium",
    "repair_cued_numbers",
    "repaired_digits",
    "split_people",
]
