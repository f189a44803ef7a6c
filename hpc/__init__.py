"""The scheduler edge: submitit executors (local, SLURM, Grid Engine), job arrays, resume, status."""
