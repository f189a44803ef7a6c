from __future__ import annotations

from dataclasses import dataclass

from herbproc.schema.build import check_at_least

SECTION = "report"


@dataclass
class Settings:
    title: str = "herbproc run report"
    max_failure_rows: int = 20  # failed items listed per stage (all are in <stage>/failures.csv)

    def __post_init__(self) -> None:
        check_at_least(self, "report.", ("max_failure_rows",), 0)
