"""Plan a stage's shards, skip the finished ones, submit the rest as one job array, optionally wait."""

from __future__ import annotations

import contextlib
import logging
import shlex
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from omegaconf import DictConfig
from submitit.core.utils import FailedJobError, FailedSubmissionError

from herbproc import books
from herbproc import config as config_mod
from herbproc import shard as shard_mod
from herbproc.io import LockBusy, atomic_write_json, file_lock, read_json
from herbproc.paths import RunPaths
from hpc.backends import ACTIVE, COMPLETED, FAILED, Backend, SchedulerError, get_backend
from hpc.jobscript import Placeholder, compact_ranges
from hpc.task import ShardTask

log = logging.getLogger("herbproc.launch")


class LaunchError(RuntimeError):
    """The launch cannot go ahead; the message says why and what to do."""

    exit_code = 1


class StageBusy(LaunchError):
    exit_code = 3


@dataclass
class StageLaunch:
    stage: str
    shards: int
    pending: list[int]
    job_ids: dict[int, str] = field(default_factory=dict)
    failed: list[int] = field(default_factory=list)
    backend: str = "local"

    @property
    def array_ids(self) -> list[str]:
        return sorted({j.split("_")[0] for j in self.job_ids.values()})


def say(msg: str) -> None:
    print(msg, flush=True)


# ------------------------------------------------------------------------------------------ planning


def check_plan(paths: RunPaths, cfg: DictConfig) -> int:
    try:
        return books.check_plan(paths, cfg)
    except books.PlanError as e:
        raise LaunchError(str(e)) from None


def ensure_plan(paths: RunPaths, cfg: DictConfig) -> int:
    try:
        return books.ensure_plan(paths, cfg)
    except books.PlanError as e:
        raise LaunchError(str(e)) from None


def record_submission(
    paths: RunPaths, stage: str, backend: str, job_ids: dict[int, str], log_dir: Path
) -> None:
    doc = read_json(paths.jobs(stage), {"submissions": []})
    doc["submissions"].append(
        {
            "backend": backend,
            "time": time.time(),
            "log_dir": str(log_dir),
            "jobs": {str(k): v for k, v in job_ids.items()},
        }
    )
    atomic_write_json(paths.jobs(stage), doc)


def latest_jobs(paths: RunPaths, stage: str) -> tuple[str | None, dict[int, str]]:
    """Backend name and the latest job id of every shard ever submitted for ``stage``."""
    doc = read_json(paths.jobs(stage), {"submissions": []})
    jobs: dict[int, str] = {}
    backend = None
    for sub in doc["submissions"]:
        backend = sub["backend"]
        jobs.update({int(k): v for k, v in sub["jobs"].items()})
    return backend, jobs


def warn_if_stale(paths: RunPaths, cfg: DictConfig, n: int) -> None:
    """Say so when an upstream stage finished again after this stage's finished shards ran on its outputs."""
    starts = [m.get("started", 0) for m in books.StageState.read(paths, cfg.stage.name, n).markers.values()]
    if not starts:
        return
    for upstream in cfg.stage.get("after", []):
        fin = read_json(paths.finalized(upstream))
        if fin and fin.get("time", 0) > min(starts):
            say(
                f"[{cfg.stage.name}] warning: stage {upstream} finished again after {cfg.stage.name}'s finished "
                f"shards ran on its outputs; those shards are not redone. If {upstream}'s outputs changed (a new "
                f"manifest, say), use a new run_dir for a consistent run."
            )


def check_not_running(paths: RunPaths, stage: str, pending: list[int]) -> None:
    backend_name, jobs = latest_jobs(paths, stage)
    if not jobs or backend_name == "local":
        return  # local launches hold the launch lock for as long as they run
    todo = {i: j for i, j in jobs.items() if i in pending}
    if not todo:
        return
    backend = get_backend(backend_name)
    states = backend.query(list(todo.values()))
    active = sorted({j for j, s in states.items() if s in ACTIVE})
    if active:
        arrays = sorted({j.split("_")[0] for j in active})
        raise StageBusy(
            f"stage {stage} is already running in {paths.root} as {backend_name} job(s) {', '.join(arrays)}; "
            f"watch it with: python jobs/status.py run_dir={paths.root}  (or cancel: {backend.cancel_hint(active)})"
        )


# ------------------------------------------------------------------------------------------ submission


def asked(cfg: DictConfig) -> str:
    """What each of the stage's jobs asks for, and the settings that change it, for a refused submission."""
    s = cfg.stage
    return (
        f"each job of stage {s.name} asks for {s.cpus} CPU(s), {s.mem_gb:g} GB and {s.gpus} GPU(s) "
        f"(stage.cpus, stage.mem_gb, stage.gpus; for this stage alone: per_stage.{s.name}.stage.gpus=0 and the like)"
    )


def submit(
    cfg: DictConfig,
    backend: Backend,
    pending: list[int],
    paths: RunPaths,
    dependency: list[str] | None = None,
) -> dict[int, str]:
    """Submit ``pending`` shards as one job array (several when larger than the scheduler allows)."""
    stage = cfg.stage.name
    log_dir = paths.logs(stage)
    executor = backend.executor(cfg, log_dir / "%j")
    if dependency:
        executor.update_parameters(**backend.dependency(dependency))
    task = ShardTask(config_mod.plain(cfg))
    limit = backend.max_array_size(cfg)
    job_ids: dict[int, str] = {}
    for start in range(0, len(pending), limit):
        chunk = pending[start : start + limit]
        try:
            jobs = executor.map_array(task, chunk)
        except SchedulerError as e:  # already one line naming the scheduler's answer (the Grid Engine executor's)
            raise SchedulerError(f"{e}; {asked(cfg)}") from None
        except (FailedSubmissionError, FailedJobError) as e:
            first = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
            raise SchedulerError(
                f"{backend.name} refused the submission of stage {stage}: {first}; {asked(cfg)}"
            ) from None
        job_ids.update({i: j.job_id for i, j in zip(chunk, jobs, strict=True)})
    record_submission(paths, stage, backend.name, job_ids, log_dir)
    return job_ids


def _local_parallelism(cfg: DictConfig) -> int:
    if cfg.cluster.array_parallelism > 0:
        return cfg.cluster.array_parallelism
    import os

    return max(1, (os.cpu_count() or 1) // max(1, cfg.stage.cpus))


def run_local(cfg: DictConfig, backend: Backend, pending: list[int], paths: RunPaths) -> StageLaunch:
    """Run shards as local processes, at most ``array_parallelism`` at a time, showing progress; a stage that
    needs one that stepped aside steps aside here, without a process per shard."""
    stage = cfg.stage.name
    n = shard_mod.planned_shards(cfg)
    if shard_mod.skipped_need(cfg) is not None:
        return skip_here(cfg, pending, paths)
    executor = backend.executor(cfg, paths.logs(stage) / "%j")
    task = ShardTask(config_mod.plain(cfg))
    parallel = _local_parallelism(cfg) if cfg.stage.kind == "array" else 1
    queue = list(pending)
    running: dict[int, object] = {}
    result = StageLaunch(stage, n, list(pending), backend="local")
    bar = _progress_bar(stage, len(pending))
    last_line = time.monotonic()
    try:
        while queue or running:
            while queue and len(running) < parallel:
                idx = queue.pop(0)
                job = executor.submit(task, idx)
                running[idx] = job
                result.job_ids[idx] = job.job_id
                record_submission(paths, stage, "local", {idx: job.job_id}, paths.logs(stage))
            time.sleep(cfg.cluster.poll_s)
            for idx, job in list(running.items()):
                if job.done():
                    del running[idx]
                    if not paths.marker(stage, idx).exists():
                        result.failed.append(idx)
                    bar.update(1)
            if bar.disable and time.monotonic() - last_line > cfg.progress_interval_s:
                last_line = time.monotonic()
                say(
                    f"[{stage}] {len(pending) - len(queue) - len(running)}/{len(pending)} shards finished, "
                    f"{len(running)} running"
                )
    except KeyboardInterrupt:
        for job in running.values():
            with contextlib.suppress(Exception):
                job.cancel()
        bar.close()
        raise
    bar.close()
    with contextlib.suppress(OSError):
        (paths.logs(stage) / "%j").rmdir()  # submitit's local executor creates it and leaves it empty
    return result


def skip_here(cfg: DictConfig, pending: list[int], paths: RunPaths) -> StageLaunch:
    """The shards' skip markers written by this process (``execute_shard``, which steps aside before it imports
    the stage's code); a shard that fails to (``pipeline.strict=true``) is a failed shard."""
    stage = cfg.stage.name
    result = StageLaunch(stage, shard_mod.planned_shards(cfg), list(pending), backend="local")
    for idx in pending:
        with contextlib.suppress(shard_mod.ShardError):
            shard_mod.execute_shard(config_mod.plain(cfg), idx)
        if not paths.marker(stage, idx).exists():
            result.failed.append(idx)
    return result


def _progress_bar(stage: str, total: int):
    from tqdm import tqdm

    return tqdm(
        total=total, desc=f"{stage} shards", unit="shard", disable=not sys.stderr.isatty(), dynamic_ncols=True
    )


def wait_cluster(cfg: DictConfig, backend: Backend, launch: StageLaunch, paths: RunPaths) -> StageLaunch:
    """Poll until every submitted shard has a marker or its job has ended without one."""
    stage = cfg.stage.name
    unresolved = dict(launch.job_ids)
    last_line = 0.0
    while unresolved:
        for idx in list(unresolved):
            if paths.marker(stage, idx).exists():
                del unresolved[idx]
        if not unresolved:
            break
        states = backend.query(list(unresolved.values()))
        for idx, jid in list(unresolved.items()):
            state = states.get(jid)
            if state in (FAILED, COMPLETED) and not paths.marker(stage, idx).exists():
                time.sleep(0.5)  # the marker may land a moment after the scheduler's bookkeeping
                if not paths.marker(stage, idx).exists():
                    launch.failed.append(idx)
                del unresolved[idx]
        if time.monotonic() - last_line > cfg.progress_interval_s:
            last_line = time.monotonic()
            done = len(launch.job_ids) - len(unresolved)
            say(f"[{stage}] {done}/{len(launch.job_ids)} shards finished")
        if unresolved:
            time.sleep(cfg.cluster.poll_s)
    return launch


def clean_logs(cfg: DictConfig, paths: RunPaths, launch: StageLaunch, backend: Backend) -> None:
    if cfg.clean_logs != "success":
        return
    if backend.needs_launcher:  # local jobs have all ended by now
        states = dict.fromkeys(launch.job_ids.values(), COMPLETED)
    else:
        states = query_quietly(backend, cleanable_logs(paths, cfg.stage.name, launch.job_ids))
    clean_success_logs(paths, cfg.stage.name, launch.job_ids, states)


def clean_earlier_logs(paths: RunPaths, stage: str) -> None:
    """Logs of earlier submissions whose shards have finished since (a launch that did not wait)."""
    backend_name, jobs = latest_jobs(paths, stage)
    if backend_name is not None:
        states = query_quietly(get_backend(backend_name), cleanable_logs(paths, stage, jobs))
        clean_success_logs(paths, stage, jobs, states)


def query_quietly(backend: Backend, job_ids: list[str]) -> dict[str, str]:
    """Job states, or none when the scheduler does not answer (then nothing is cleaned)."""
    try:
        return backend.query(job_ids) if job_ids else {}
    except SchedulerError:
        return {}


def cleanable_logs(paths: RunPaths, stage: str, jobs: dict[int, str]) -> list[str]:
    """Jobs of finished shards (markers) that still have a log folder."""
    logs = paths.logs(stage)
    return sorted({j for i, j in jobs.items() if paths.marker(stage, i).exists() and (logs / j).is_dir()})


def clean_success_logs(
    paths: RunPaths, stage: str, jobs: dict[int, str], states: dict[str, str]
) -> list[str]:
    """Remove the log folders of finished shards whose jobs have ended (``clean_logs=success``).

    A job may still write its result next to its logs for a moment after its shard's marker: only jobs whose
    state (``states``, from the scheduler) says they have ended lose their folder; the others wait for a later
    call (the next launch of the stage, or jobs/status.py).
    """
    logs = paths.logs(stage)
    removed = [j for j in cleanable_logs(paths, stage, jobs) if j in states and states[j] not in ACTIVE]
    for jid in removed:
        shutil.rmtree(logs / jid, ignore_errors=True)
    for base in {j.split("_")[0] for j in removed if "_" in j}:
        if not any(logs.glob(f"{base}_*")):  # an array's own folder holds only its job script
            shutil.rmtree(logs / base, ignore_errors=True)
    for link in logs.glob(".submission_file_*.sh"):
        if link.is_symlink() and not link.exists():
            link.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        (logs / "%j").rmdir()  # submitit's local executor leaves this folder behind, empty
    return removed


def report_failures(cfg: DictConfig, paths: RunPaths, launch: StageLaunch) -> None:
    from hpc.status import shard_failure_reason

    for idx in sorted(launch.failed):
        jid = launch.job_ids.get(idx, "?")
        reason, log_file, tail = shard_failure_reason(paths, cfg.stage.name, idx, jid)
        say(f"  shard {idx} (job {jid}) FAILED: {reason}")
        if log_file:
            say(f"    log: {log_file}")
        for line in tail[-5:]:
            say(f"    | {line}")


# ------------------------------------------------------------------------------------------ entry points


def launch_stage(cfg: DictConfig, *, dependency: list[str] | None = None) -> StageLaunch:
    """Launch one stage. Local runs block until done; cluster runs return once submitted unless wait=true."""
    stage = cfg.stage.name
    paths = RunPaths(cfg.run_dir)
    backend = get_backend(cfg.cluster.executor)
    # a value that cannot go into a job script stops the launch before anything is written
    backend.preview(cfg, paths.logs(stage) / "%j", shard_mod.planned_shards(cfg), dependency or [])
    try:
        with file_lock(paths.launch_lock(stage), blocking=False):
            n = ensure_plan(paths, cfg)
            pending = list(range(n)) if cfg.stage.rerun else books.StageState.read(paths, stage, n).not_done
            check_not_running(paths, stage, pending)  # before stage.rerun deletes anything a running job writes
            if cfg.stage.rerun:
                for i in range(n):
                    paths.marker(stage, i).unlink(missing_ok=True)
                    paths.journal(stage, i).unlink(missing_ok=True)
            else:
                for line in shard_mod.verify_done_shards(cfg):  # markers over outputs a crash lost
                    say(line)
                pending = books.StageState.read(paths, stage, n).not_done
            warn_if_stale(paths, cfg, n)
            books.save_config(paths, cfg)
            if cfg.clean_logs == "success":
                clean_earlier_logs(paths, stage)
            if not pending:
                shard_mod.maybe_finalize(cfg)
                skipped = shard_mod.skip_reason(paths, stage)
                say(
                    f"[{stage}] skipped earlier in {paths.root}: {skipped} (to decide again: stage.rerun=true)"
                    if skipped
                    else f"[{stage}] all {n} shards already complete in {paths.root}; nothing to do"
                )
                return StageLaunch(stage, n, [], backend=backend.name)
            if n > 1:
                say(
                    f"[{stage}] {n} shards, {n - len(pending)} complete, {len(pending)} to run ({backend.name})"
                )
            if backend.needs_launcher:
                launch = run_local(cfg, backend, pending, paths)
            else:
                job_ids = submit(cfg, backend, pending, paths, dependency)
                launch = StageLaunch(stage, n, pending, job_ids, backend=backend.name)
                say(
                    f"[{stage}] submitted {len(pending)} shard(s) as {backend.name} job array(s) "
                    f"{', '.join(launch.array_ids)}; logs in {paths.logs(stage)}"
                )
                if not cfg.wait:
                    return launch
                launch = wait_cluster(cfg, backend, launch, paths)
    except LockBusy:
        raise StageBusy(
            f"stage {stage} is already being launched or run in {paths.root} by another process "
            f"(lock {paths.launch_lock(stage)}); watch it with: python jobs/status.py run_dir={paths.root}"
        ) from None
    shard_mod.maybe_finalize(cfg)
    clean_logs(cfg, paths, launch, backend)
    if launch.failed:
        say(f"[{stage}] {len(launch.failed)} of {len(pending)} shard(s) failed:")
        report_failures(cfg, paths, launch)
    else:
        fin = read_json(paths.finalized(stage), {})
        extra = (
            f", {fin.get('failed', 0)} failed item(s) in {paths.failures(stage)}" if fin.get("failed") else ""
        )
        skipped = shard_mod.skip_reason(paths, stage)
        say(f"[{stage}] skipped: {skipped}" if skipped else f"[{stage}] done: {n} shard(s){extra}")
    return launch


def dry_run_stage(cfg: DictConfig, dependency: list[str] | None = None) -> list[str]:
    """Print what launching the stage would submit: per submission, the command line and the job script.

    Writes nothing and submits nothing. Returns placeholders for the job ids the submissions would get
    (``<stage#k>``), which a pipeline's later stages show in their dependencies.
    """
    stage = cfg.stage.name
    paths = RunPaths(cfg.run_dir)
    backend = get_backend(cfg.cluster.executor)
    folder = paths.logs(stage) / "%j"
    n = check_plan(paths, cfg)
    done = [] if cfg.stage.rerun else books.StageState.read(paths, stage, n).done
    pending = [i for i in range(n) if i not in done]
    say(f"[{stage}] {n} shard(s), {len(done)} complete, {len(pending)} to run ({backend.name})")
    if not pending:
        return []
    try:
        check_not_running(paths, stage, pending)
    except StageBusy as e:
        say(f"[{stage}] a launch now would be refused: {e}")
    if backend.needs_launcher:
        parallel = _local_parallelism(cfg) if cfg.stage.kind == "array" else 1
        command = shlex.join(backend.preview(cfg, folder, 1, []).command)
        say(
            f"[{stage}] would run shard(s) {compact_ranges(pending)} here, {parallel} at a time, each as: {command}"
        )
        return []
    limit = backend.max_array_size(cfg)
    chunks = [pending[i : i + limit] for i in range(0, len(pending), limit)]
    placeholders = []
    for k, chunk in enumerate(chunks, 1):
        submission = backend.preview(cfg, folder, len(chunk), dependency or [])
        placeholders.append(Placeholder(f"<{stage}#{k}>"))
        tasks = f"array tasks 0-{len(chunk) - 1} run" if len(chunk) > 1 else "one job runs"
        say(
            f"\n# [{stage}] submission {k} of {len(chunks)}, job id {placeholders[-1]}: {tasks} shard(s) "
            f"{compact_ranges(chunk)}"
        )
        say(f"$ {shlex.join(submission.command)}")
        say(f"# {submission.script_path}:")
        say(submission.script.rstrip("\n"))
    return placeholders


def launch(overrides: list[str]) -> int:
    """``jobs/launch.py``: compose the config, then launch a stage or the pipeline. Returns the exit code."""
    cfg = config_mod.compose(overrides)
    if cfg.dry_run:
        say("# dry run: the scripts and commands a launch would submit; nothing is submitted or written")
    if cfg.stage.kind == "pipeline":
        from hpc.pipeline import launch_pipeline

        return launch_pipeline(cfg, overrides)
    if cfg.dry_run:
        dry_run_stage(cfg)
        return 0
    result = launch_stage(cfg)
    waited = cfg.wait or get_backend(cfg.cluster.executor).needs_launcher
    if not waited:
        say(f"status: python jobs/status.py run_dir={RunPaths(cfg.run_dir).root}")
    return 1 if result.failed else 0
