from __future__ import annotations

from dataclasses import dataclass, field

SECTION = "noop"


@dataclass
class Settings:
    """A stage that does nothing per item: for tests of the machinery and the launch benchmark."""

    count: int = 16  # number of items (not "items": DictConfig has a method of that name)
    sleep_s: float = 0.0
    fail_items: list[str] = field(default_factory=list)  # item ids that raise ItemError
    crash_items: list[str] = field(default_factory=list)  # item ids that raise an unexpected error
    kill_items: list[str] = field(default_factory=list)  # item ids that SIGKILL their own process (as OOM does)
    fail_shards: list[int] = field(default_factory=list)  # shard indices that fail as a whole
    skip: str | None = None  # the stage steps aside with this reason (tests of skipped stages)
    hold_mb: int = 0  # memory each shard fills and holds while it runs (tests of the peak memory it records)
