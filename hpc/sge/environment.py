"""What a submitit job sees when Grid Engine runs it (registered through the ``submitit`` entry-point group).

Checkpoint and requeue: Grid Engine's soft runtime limit (``-l s_rt``) and the job's own timer (armed here from
``SUBMITIT_SGE_DEADLINE``, ``signal_delay_s`` before ``h_rt``) both deliver SIGUSR1. submitit's handler then calls
the callable's ``checkpoint()`` and writes the new DelayedSubmission; ``_requeue`` exits with status 99, which
Grid Engine answers by rescheduling the job (same job id and task, ``RESTARTED=1``). A job rescheduled by
``qmod -rj`` is killed and simply starts again: the callable resumes from its own on-disk state.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from submitit.core import job_environment, logger
from submitit.core.utils import DelayedSubmission, JobPaths

#: exit status that makes Grid Engine reschedule a job
REQUEUE_EXIT_CODE = 99


def _task_id() -> int | None:
    raw = os.environ.get("SGE_TASK_ID", "undefined")
    return None if raw in ("", "undefined") else int(raw)


class SgeJobEnvironment(job_environment.JobEnvironment):
    _env = {
        "job_id": "JOB_ID",
        "num_tasks": "SUBMITIT_SGE_NTASKS",
        "num_nodes": "SUBMITIT_SGE_NNODES",
        "node": "SUBMITIT_SGE_NODEID",
        "global_rank": "SUBMITIT_SGE_GLOBAL_RANK",
        "local_rank": "SUBMITIT_SGE_LOCAL_RANK",
    }
    # s_rt's warning signal; SUBMITIT_PREEMPT_SIGNAL (submitit's own knob) chooses another
    USR_SIG = os.environ.get("SUBMITIT_PREEMPT_SIGNAL", "USR1")

    @property
    def array_job_id(self) -> str | None:
        return os.environ.get("JOB_ID") if _task_id() is not None else None

    @property
    def array_task_id(self) -> str | None:
        task = _task_id()
        return None if task is None else str(task - 1)  # Grid Engine counts tasks from 1, submitit from 0

    @property
    def restarted(self) -> bool:
        """True when Grid Engine runs this job again (after exit 99 or qmod -rj)."""
        return os.environ.get("RESTARTED", "0") == "1"

    def _handle_signals(self, paths: JobPaths, submission: DelayedSubmission) -> None:
        handler = job_environment.SignalHandler(self, paths, submission)
        signal.signal(signal.SIGTERM, handler.bypass)
        signal.signal(signal.SIGCONT, handler.bypass)
        signal.signal(self._usr_sig(), handler.checkpoint_and_try_requeue)
        if self.restarted:
            logger.get_logger().info("Grid Engine restarted this job (RESTARTED=1): resuming")
        self._arm_deadline_timer()

    def _arm_deadline_timer(self) -> None:
        """Send ourselves the warning signal at SUBMITIT_SGE_DEADLINE (epoch seconds), when the script set it."""
        deadline = os.environ.get("SUBMITIT_SGE_DEADLINE")
        if not deadline:
            return
        delay = max(0.0, float(deadline) - time.time())
        sig = self._usr_sig()
        timer = threading.Timer(delay, os.kill, args=(os.getpid(), sig))
        timer.daemon = True
        timer.start()
        logger.get_logger().info(f"Will checkpoint in {delay:.0f} s (before the h_rt limit)")

    def _requeue(self, countdown: int) -> None:
        logger.get_logger().info(
            f"Exiting with status {REQUEUE_EXIT_CODE}: Grid Engine reschedules job {self.job_id} "
            f"({countdown} timeouts left)"
        )
        raise SystemExit(REQUEUE_EXIT_CODE)
