"""Where a run stands: per stage, shards done / running / failed / pending, items, rate, ETA, failure reasons.

Built from the files shards write (markers, journals, failure records, locks) plus one scheduler query per
backend for the whole run.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from herbproc.books import StageState
from herbproc.io import lock_is_held, read_json
from herbproc.paths import RunPaths
from herbproc.shard import Journal, format_duration
from hpc.backends import FAILED, PENDING, RUNNING, SchedulerError, get_backend
from hpc.launcher import clean_success_logs, cleanable_logs, latest_jobs


def log_files(paths: RunPaths, stage: str, job_id: str) -> list[Path]:
    folder = paths.logs(stage) / job_id
    return sorted(folder.glob("*_log.err")) + sorted(folder.glob("*_log.out"))


def tail(path: Path, n: int = 12) -> list[str]:
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 16384))
            lines = f.read().decode("utf-8", "replace").splitlines()
        return lines[-n:]
    except OSError:
        return []


def shard_failure_reason(
    paths: RunPaths, stage: str, idx: int, job_id: str, sched_state: str | None = None
) -> tuple[str, str | None, list[str]]:
    """A one-line reason, the log file to read, and its last lines."""
    failed = read_json(paths.failed(stage, idx))
    logs = [p for p in log_files(paths, stage, job_id) if p.stat().st_size > 0] if job_id else []
    log_file = str(logs[0]) if logs else None
    lines = tail(logs[0]) if logs else []
    if failed:
        reason = failed.get("error", "failed")
    elif sched_state:
        reason = f"job ended ({sched_state}) without finishing the shard"
    else:
        reason = "job ended without finishing the shard (killed, out of memory or time limit?)"
    return reason, log_file, lines


def stage_status(
    paths: RunPaths, stage: str, sched: dict[str, str], backend_name: str | None, jobs: dict[int, str]
) -> dict[str, Any]:
    books = StageState.read(paths, stage)
    n = books.shards
    shards: dict[str, list[int]] = {"done": [], "running": [], "failed": [], "pending": []}
    items_done = items_failed = items_total = 0
    started_shards = 0
    first_start = None
    failures = []
    reasons: Counter[str] = Counter()
    for i in range(n):
        marker = books.markers.get(i)
        start = books.starts.get(i)
        jpath = paths.journal(stage, i)
        ok = bad = 0
        if jpath.exists():
            ok, bad_reasons = Journal(jpath).outcomes()  # 1 M lines: read by pyarrow, not line by line
            bad = len(bad_reasons)
            reasons.update(bad_reasons)
        if start:
            started_shards += 1
            items_total += int(start.get("items", 0))
            first_start = min(first_start or start["time"], start["time"])
        items_done += ok
        items_failed += bad
        jid = jobs.get(i)
        state = sched.get(jid) if jid else None
        if marker is not None:
            shards["done"].append(i)
        elif state == RUNNING or lock_is_held(paths.shard_lock(stage, i)):
            shards["running"].append(i)
        elif state == PENDING:
            shards["pending"].append(i)
        elif i in books.failed or state == FAILED or (jid and state is not None and start):
            shards["failed"].append(i)
            reason, log_file, lines = shard_failure_reason(paths, stage, i, jid or "", state)
            failures.append({"shard": i, "job_id": jid, "reason": reason, "log": log_file, "tail": lines})
        else:
            shards["pending"].append(i)
    elapsed = (time.time() - first_start) if first_start else 0.0
    rate = items_done / elapsed if elapsed > 0 and shards["running"] else None
    if started_shards:
        est_total = items_total * n / started_shards
    else:
        est_total = 0
    remaining = max(0.0, est_total - items_done - items_failed)
    eta = remaining / rate if rate else None
    skipped = books.skipped
    hosts = host_status(paths) if stage == "download" else None
    return {
        "stage": stage,
        "state": stage_state(n, shards, skipped),
        "shards": n,
        "done": len(shards["done"]),
        "running": len(shards["running"]),
        "failed": len(shards["failed"]),
        "pending": len(shards["pending"]),
        "shard_lists": shards,
        "items_done": items_done,
        "items_failed": items_failed,
        "items_estimated": int(round(est_total)),
        "failure_reasons": dict(reasons.most_common()),
        "items_per_s": round(rate, 3) if rate else None,
        "eta_s": round(eta, 1) if eta is not None else None,
        "backend": backend_name,
        "failed_shards": failures,
        "finalized": books.finalized is not None,
        "skipped": skipped,
        "peak_memory_gb": books.peak_memory_gb,
        "slowest_shard_s": books.slowest_shard_s,
        **dict(zip(("memory_asked_gb", "time_asked_min"), asked(paths, stage), strict=True)),
        **({"hosts": hosts} if hosts else {}),
    }


def asked(paths: RunPaths, stage: str) -> tuple[float | None, float | None]:
    """``stage.mem_gb`` and ``stage.timeout_min`` of the stage's last launch (its saved configuration); None
    where there is none."""
    import yaml

    try:
        saved = yaml.safe_load((paths.config_dir / f"{stage}.yaml").read_text())["stage"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return None, None

    def number(key: str) -> float | None:
        try:
            return float(saved[key])
        except (KeyError, TypeError, ValueError):
            return None

    return number("mem_gb"), number("timeout_min")


def host_status(paths: RunPaths, top: int = 10) -> dict[str, Any] | None:
    """The download's busiest hosts (requests, rate, errors, 429/503) and the hosts paused right now."""
    from herbproc.hoststats import busiest, paused_hosts, run_host_stats

    stats = run_host_stats(paths.root)
    paused = paused_hosts(paths.root, time.time())
    if not stats and not paused:
        return None
    return {"count": len(stats), "busiest": dict(busiest(stats, top)), "paused": paused}


def render_hosts(hosts: dict[str, Any]) -> list[str]:
    lines = []
    for host, h in hosts["busiest"].items():
        rate = f"{h['rate']:.2f}/s" if h.get("rate") else "-"
        reasons = ", ".join(f"{r} ({n})" for r, n in list(h["reasons"].items())[:3])
        lines.append(
            f"      host {host}: {h['requests']} requests, {rate}, {h['errors']} errors, "
            f"{h['throttled']} 429/503" + (f" [{reasons}]" if reasons else "")
        )
    if hosts["count"] > len(hosts["busiest"]):
        lines.append(f"      ... and {hosts['count'] - len(hosts['busiest'])} more hosts")
    for host, p in hosts["paused"].items():
        lines.append(
            f"      host {host} PAUSED {p['until'] - time.time():.0f} s more (HTTP {p['status']} to {p['by']})"
        )
    return lines


def stage_state(n: int, shards: dict[str, list[int]], skipped: str | None) -> str:
    """One word for the stage: skipped, failed, running, pending or done."""
    if skipped:
        return "skipped"
    for state in ("failed", "running", "pending"):
        if shards[state]:
            return state
    return "done" if n else "pending"


def saved_setting(paths: RunPaths, stage: str, key: str) -> Any:
    """A top-level value of the configuration the stage was last launched with (config/<stage>.yaml)."""
    import yaml

    try:
        doc = yaml.safe_load((paths.config_dir / f"{stage}.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return doc.get(key) if isinstance(doc, dict) else None


def gather(run_dir: str | Path) -> dict[str, Any]:
    """The run's status. With ``clean_logs=success`` it also removes the logs of finished shards whose jobs
    have ended (the launcher cannot when it returned right after submitting)."""
    paths = RunPaths(run_dir)
    if not paths.root.is_dir():
        raise FileNotFoundError(f"no run directory at {paths.root}")
    stages = paths.stages_started()
    jobs_by_stage = {s: latest_jobs(paths, s) for s in stages}
    cleaning = {s for s in stages if saved_setting(paths, s, "clean_logs") == "success"}
    by_backend: dict[str, list[str]] = {}
    for s, (backend, jobs) in jobs_by_stage.items():
        if backend is None:
            continue
        open_ids = [j for i, j in jobs.items() if not paths.marker(s, i).exists()]
        finished = cleanable_logs(paths, s, jobs) if s in cleaning else []
        by_backend.setdefault(backend, []).extend(open_ids + finished)
    sched: dict[str, str] = {}
    errors = []
    for backend, ids in by_backend.items():
        if not ids:
            continue
        try:
            sched.update(get_backend(backend).query(sorted(set(ids))))  # one call per scheduler
        except SchedulerError as e:
            errors.append(str(e))
    for s in sorted(cleaning):
        clean_success_logs(paths, s, jobs_by_stage[s][1], sched)
    out = {
        "run_dir": str(paths.root),
        "time": time.time(),
        "stages": [stage_status(paths, s, sched, *jobs_by_stage[s]) for s in stages],
        "scheduler_errors": errors,
    }
    return out


def render(status: dict[str, Any]) -> str:
    lines = [f"run {status['run_dir']}"]
    for e in status["scheduler_errors"]:
        lines.append(f"  ! scheduler: {e}")
    if not status["stages"]:
        lines.append("  no stage has been launched here yet")
    header = (f"  {'stage':<10} {'state':<8} {'shards':>6} {'done':>5} {'run':>5} {'fail':>5} {'pend':>5}"
              "   items ok/failed   rate     ETA")  # fmt: skip
    lines.append(header)
    for s in status["stages"]:
        rate = f"{s['items_per_s']:.2f}/s" if s["items_per_s"] else "-"
        eta = format_duration(s["eta_s"]) if s["eta_s"] is not None else "-"
        lines.append(
            f"  {s['stage']:<10} {s['state']:<8} {s['shards']:>6} {s['done']:>5} {s['running']:>5} {s['failed']:>5} "
            f"{s['pending']:>5}   {s['items_done']:>6}/{s['items_failed']:<6}  {rate:>8} {eta:>7}"
        )
        if s["skipped"]:
            lines.append(f"      skipped: {s['skipped']}")
        if s.get("peak_memory_gb"):
            of = f" of the {s['memory_asked_gb']:g} GB asked (stage.mem_gb)" if s.get("memory_asked_gb") else ""
            lines.append(f"      peak memory of a shard: {s['peak_memory_gb']:.2f} GB{of}")
        if s.get("slowest_shard_s"):
            limit = f" of the {s['time_asked_min']:g} min asked (stage.timeout_min)" if s.get("time_asked_min") else ""
            lines.append(f"      slowest shard: {format_duration(s['slowest_shard_s'])}{limit}")
        if s["failure_reasons"]:
            reasons = ", ".join(f"{k} ({v})" for k, v in s["failure_reasons"].items())
            lines.append(f"      failed items by reason: {reasons}")
        if s.get("hosts"):
            lines.extend(render_hosts(s["hosts"]))
        for f in s["failed_shards"]:
            lines.append(f"      shard {f['shard']} (job {f['job_id']}) FAILED: {f['reason']}")
            if f["log"]:
                lines.append(f"        log: {f['log']}")
            for t in f["tail"][-6:]:
                lines.append(f"        | {t}")
    return "\n".join(lines)


def to_json(status: dict[str, Any]) -> str:
    return json.dumps(status, indent=2, default=str)
