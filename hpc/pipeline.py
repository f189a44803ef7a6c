"""``stage=pipeline``: the stages of ``pipeline.stages`` in order.

Locally each stage runs to completion before the next starts. On a cluster every stage is submitted at once,
each waiting for the one before through a scheduler dependency, so the user can log out.
"""

from __future__ import annotations

import contextlib

from omegaconf import DictConfig

from herbproc import config as config_mod
from herbproc.paths import RunPaths
from herbproc.shard import skip_reason
from hpc.backends import get_backend
from hpc.launcher import LaunchError, StageLaunch, dry_run_stage, launch_stage, say, wait_cluster


def launch_pipeline(cfg: DictConfig, overrides: list[str]) -> int:
    stages = list(cfg.pipeline.stages)
    if not stages:
        raise config_mod.ConfigError("pipeline.stages is empty (give pipeline.stages=[synth,ingest,...])")
    backend = get_backend(cfg.cluster.executor)
    paths = RunPaths(cfg.run_dir)
    on_cluster = not backend.needs_launcher
    if on_cluster and cfg.pipeline.serve_images and not cfg.wait:
        raise config_mod.ConfigError(
            "pipeline.serve_images needs wait=true on a cluster (the server lives here)"
        )
    base = [o for o in overrides if not o.startswith("stage=")]
    # compose every stage first: a typo in any stage's settings stops the run before anything is submitted
    cfgs = {s: config_mod.compose(base, stage=s, check_inputs=(i == 0)) for i, s in enumerate(stages)}
    if cfg.dry_run:
        dry_run_pipeline(cfgs, on_cluster, serve=cfg.pipeline.serve_images)
        return 0
    with contextlib.ExitStack() as stack:
        if cfg.pipeline.serve_images:
            from herbproc.serve import FileServer

            try:
                server = stack.enter_context(FileServer(paths.stage_dir("synth"), port=cfg.pipeline.port))
            except OSError as e:
                raise LaunchError(
                    f"cannot serve {paths.stage_dir('synth')} on port {cfg.pipeline.port}: {e.strerror or e} "
                    f"(another demo, or another program, holds it?); stop that one, or give pipeline.port=<free "
                    f"port> to a new run_dir (a run begun on one port downloads its images from that one)"
                ) from None
            say(f"[pipeline] serving {paths.stage_dir('synth')} at {server.url}")
            base = base + [f"synth.base_url={server.url}"]
            if on_cluster:  # locally every stage is composed again just before it runs
                cfgs = {s: config_mod.compose(base, stage=s, check_inputs=(i == 0)) for i, s in enumerate(stages)}
        if not on_cluster:
            for s in stages:
                # now that the stages before it have run, the stage's inputs can be checked
                result = launch_stage(config_mod.compose(base, stage=s))
                if result.failed:
                    say(f"[pipeline] stopped: stage {s} has failed shards")
                    return 1
        else:
            launched: list[tuple[DictConfig, StageLaunch]] = []
            previous: list[str] = []
            for s in stages:
                scfg = cfgs[s]
                scfg.wait = False
                result = launch_stage(scfg, dependency=previous)
                launched.append((scfg, result))
                if result.job_ids:
                    previous = list(result.job_ids.values())
            if not cfg.wait:
                say(f"status: python jobs/status.py run_dir={paths.root}")
                return 0
            for i, (scfg, result) in enumerate(launched):
                if not result.job_ids:
                    continue
                wait_cluster(scfg, backend, result, paths)
                if result.failed:
                    later = [j for _, r in launched[i + 1 :] for j in r.job_ids.values()]
                    if later:
                        say(
                            f"[pipeline] stage {scfg.stage.name} failed; cancelling the stages after it: "
                            f"{backend.cancel_hint(later)}"
                        )
                        backend.cancel(later)
                    return 1
    for s in stages:
        reason = skip_reason(paths, s)
        if reason:
            say(f"[pipeline] stage {s} was skipped: {reason}")
    report = paths.report_dir / "index.html"
    if report.exists():
        say(f"[pipeline] done. Report: {report}")
    else:
        say(f"[pipeline] done. Run directory: {paths.root}")
    return 0


def dry_run_pipeline(cfgs: dict[str, DictConfig], on_cluster: bool, *, serve: bool) -> None:
    """Print every stage's submissions; on a cluster each waits for the placeholders of the one before."""
    if serve:
        say("[pipeline] would serve <run_dir>/synth over HTTP while the stages run (synth.base_url)")
    previous: list[str] = []
    for scfg in cfgs.values():
        placeholders = dry_run_stage(scfg, previous if on_cluster else None)
        if placeholders:
            previous = placeholders


__all__ = ["launch_pipeline", "LaunchError"]
