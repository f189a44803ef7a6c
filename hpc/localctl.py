"""submitit's local job controller, started so that its job's log folder exists before it opens its logs.

submitit's ``LocalExecutor`` starts ``python -m submitit.local._local <folder>`` and makes the job's folder
(``<folder>`` with ``%j`` = the controller's PID) only after that start returns. On a loaded machine the
controller can get there first: it opens ``<pid>/<pid>_0_log.out`` in a folder not made yet and the shard dies
with ``FileNotFoundError`` before it runs ("job ended without finishing the shard"). ``LocalExecutor`` here starts
this module instead, which makes the folder and then runs submitit's own ``Controller``; the rest is submitit's
(``submitit.local.local``, whose environment variables ``start_controller`` mirrors).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import submitit
from submitit.core import utils
from submitit.local.local import Controller, LocalJob


def start_controller(
    folder: Path,
    command: str,
    tasks_per_node: int = 1,
    cuda_devices: str = "",
    timeout_min: float = 5.0,
    signal_delay_s: int = 30,
    stderr_to_stdout: bool = False,
    setup: Sequence[str] = (),
) -> subprocess.Popen:
    """``submitit.local.local.start_controller``, running this module's ``main`` as the controller."""
    env = dict(os.environ)
    env.update(
        SUBMITIT_LOCAL_NTASKS=str(tasks_per_node),
        SUBMITIT_LOCAL_COMMAND=command,
        SUBMITIT_LOCAL_TIMEOUT_S=str(int(60 * timeout_min)),
        SUBMITIT_LOCAL_SIGNAL_DELAY_S=str(int(signal_delay_s)),
        SUBMITIT_LOCAL_NODEID="0",
        SUBMITIT_LOCAL_JOB_NUM_NODES="1",
        SUBMITIT_STDERR_TO_STDOUT="1" if stderr_to_stdout else "",
        SUBMITIT_EXECUTOR="local",
        CUDA_VISIBLE_DEVICES=cuda_devices,
        SUBMITIT_LOCAL_WITH_SHELL="1" if setup else "",
    )
    cmd: list[str] | str = [sys.executable, "-m", "hpc.localctl", str(folder)]
    if setup:
        cmd = " && ".join([*setup, shlex.join(cmd)])
    return subprocess.Popen(cmd, shell=bool(setup), env=env)


class LocalExecutor(submitit.LocalExecutor):
    """submitit's local executor whose controller makes its own log folder first (see the module's docstring)."""

    def _submit_command(self, command: str) -> LocalJob:
        ntasks = self.parameters.get("tasks_per_node", 1)
        n_gpus = self.parameters.get("gpus_per_node", 0)
        visible_gpus = self.parameters.get("visible_gpus", ())
        gpus = range(n_gpus) if visible_gpus == () else visible_gpus[:n_gpus]
        process = start_controller(
            folder=self.folder,
            command=command,
            tasks_per_node=ntasks,
            cuda_devices=",".join(str(k) for k in gpus),
            timeout_min=self.parameters.get("timeout_min", 2.0),
            signal_delay_s=self.parameters.get("signal_delay_s", 30),
            stderr_to_stdout=self.parameters.get("stderr_to_stdout", False),
            setup=self.parameters.get("setup", ()),
        )
        return LocalJob(folder=self.folder, job_id=str(process.pid), process=process, tasks=list(range(ntasks)))


def main(folder: str) -> None:
    controller = Controller(Path(folder))
    utils.JobPaths(controller.folder, controller.pid).folder.mkdir(parents=True, exist_ok=True)
    controller.run()


if __name__ == "__main__":
    main(sys.argv[1])
