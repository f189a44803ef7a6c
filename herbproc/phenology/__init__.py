"""Phenology: flowers / fruits / buds. This package root stays light (no torch): the normaliser of
``reproductiveCondition`` text lives in the fields library (``herbproc.fields.condition``, re-exported here);
the model and the stage are separate modules."""

from herbproc.fields.condition import (
    BUDS,
    FLOWERS,
    FRUITS,
    STATES,
    parse_condition,
    parse_phenology_hints,
    summarise_unknown,
)

__all__ = [
    "BUDS",
    "FLOWERS",
    "FRUITS",
    "STATES",
    "parse_condition",
    "parse_phenology_hints",
    "summarise_unknown",
]
