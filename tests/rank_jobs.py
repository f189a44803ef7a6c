"""Functions that multi-rank test jobs run. The jobs cannot import the tests: a test ships this module by value
(``cloudpickle.register_pickle_by_value``)."""

from __future__ import annotations

import time

import submitit


def rank_one_fails_while_rank_zero_hangs() -> int:
    env = submitit.JobEnvironment()
    if env.global_rank == 1:
        raise ValueError("rank 1 gives up")
    time.sleep(300)  # stuck where no collective notices, e.g. on a hung loader worker
    return env.global_rank
