"""Per-host counts of a download: requests, answers, errors, throttling (429/503), bytes and time waited for
the host budget. One record per host per shard (never per item), merged over the shards for the status and the
report; the rate is requests over the span from the first request to the last answer."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from herbproc.paths import RunPaths

THROTTLE_STATUSES = (429, 503)


@dataclass
class HostStats:
    requests: int = 0  # attempts sent (retries included)
    ok: int = 0
    errors: int = 0  # attempts that failed, for any reason
    throttled: int = 0  # 429 / 503 answers
    bytes: int = 0
    wait_s: float = 0.0  # time requests waited for a connection slot, the pacing or a pause
    first: float = 0.0  # wall clock of the first request
    last: float = 0.0  # wall clock of the last answer
    reasons: Counter = field(default_factory=Counter)

    def started(self, now: float) -> None:
        self.requests += 1
        self.first = now if not self.first else min(self.first, now)

    def answered(self, now: float, reason: str | None = None, nbytes: int = 0) -> None:
        self.last = max(self.last, now)
        if reason is None:
            self.ok += 1
            self.bytes += nbytes
            return
        self.errors += 1
        self.reasons[reason] += 1
        if reason in {f"http_{s}" for s in THROTTLE_STATUSES}:
            self.throttled += 1

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["wait_s"] = round(self.wait_s, 3)
        d["reasons"] = dict(self.reasons)
        return d


def merge(records: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Sum per-host records (host -> HostStats.to_json()) of several shards or launches; adds ``rate`` per host."""
    out: dict[str, dict[str, Any]] = {}
    for record in records:
        for host, s in (record or {}).items():
            if not isinstance(s, dict):
                continue
            m = out.setdefault(host, {**HostStats().to_json(), "reasons": Counter()})
            for k in ("requests", "ok", "errors", "throttled", "bytes"):
                m[k] += int(s.get(k, 0) or 0)
            m["wait_s"] = round(m["wait_s"] + float(s.get("wait_s", 0) or 0), 3)
            first, last = float(s.get("first", 0) or 0), float(s.get("last", 0) or 0)
            if first:
                m["first"] = min(m["first"], first) if m["first"] else first
            m["last"] = max(m["last"], last)
            m["reasons"].update({str(r): int(n) for r, n in (s.get("reasons") or {}).items()})
    for m in out.values():
        span = m["last"] - m["first"]
        m["rate"] = round(m["requests"] / span, 3) if span > 0 and m["first"] else None
        m["reasons"] = dict(m["reasons"].most_common())
    return out


def read_record(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``, or {} when it is missing, cut short or not an object (a record is a tally:
    the status and the report go on without it)."""
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def stats_dir(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).state_dir("download") / "host_stats"


def hosts_dir(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).state_dir("download") / "hosts"


def run_host_stats(run_dir: str | Path) -> dict[str, dict[str, Any]]:
    """Every shard's per-host counts so far, merged (finished and running shards alike)."""
    folder = stats_dir(run_dir)
    files = sorted(folder.glob("shard-*.json")) if folder.is_dir() else []
    return merge([read_record(p) for p in files])


def paused_hosts(run_dir: str | Path, now: float) -> dict[str, dict[str, Any]]:
    """Hosts some task paused (429/503 with Retry-After) that are still paused at ``now``."""
    folder = hosts_dir(run_dir)
    out = {}
    for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        state = read_record(p)
        until = float(state.get("pause_until", 0) or 0)
        if until > now:
            out[str(state.get("host", p.stem))] = {
                "until": until,
                "by": state.get("paused_by", ""),
                "status": state.get("status", 0),
            }
    return out


def busiest(stats: dict[str, dict[str, Any]], n: int) -> list[tuple[str, dict[str, Any]]]:
    return sorted(stats.items(), key=lambda kv: (-kv[1]["requests"], kv[0]))[:n]
