"""Grid Engine (SGE) support: a submitit executor plugin and herbproc's ``sge`` backend.

submitit finds the executor and the job environment through the ``submitit`` entry-point group
(pyproject.toml); importing this package registers the backend with ``hpc.backends``.
"""

from hpc.backends import register
from hpc.sge.backend import SgeBackend
from hpc.sge.environment import SgeJobEnvironment
from hpc.sge.executor import SgeExecutor, SgeJob

register("sge", SgeBackend)

__all__ = ["SgeBackend", "SgeExecutor", "SgeJob", "SgeJobEnvironment"]
