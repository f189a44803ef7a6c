"""Top-level keys and the stage / cluster / data profile sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from herbproc.schema.build import check_at_least, check_choice, wrong

KINDS = ("array", "single", "distributed", "pipeline")
EXECUTORS = ("local", "slurm", "sge")
STORES = ("zarr", "hdf5")  # the image store's backend (herbproc.store)
CLEAN_LOGS = ("never", "success")


@dataclass
class StageSpec:
    """What a stage is and what each of its jobs asks the scheduler for (configs/stage/<name>.yaml)."""

    name: str = MISSING
    module: str = MISSING  # Python module with run_shard(cfg, shard) [and finalize(cfg)]
    kind: str = "array"  # array: N shards as one job array; single: one job; distributed: one multi-task job
    description: str = ""
    requires: list[str] = field(default_factory=list)  # config keys that must be given for this stage
    after: list[str] = field(default_factory=list)  # stages whose outputs this stage reads
    # of those, the ones it cannot do without: when one was skipped, this stage is skipped too (None: all of after)
    needs: list[str] | None = None
    rerun: bool = False  # run again at every launch (the report), instead of skipping finished shards
    cpus: int = 1
    mem_gb: float = 4.0
    gpus: int = 0
    timeout_min: int = 60
    nodes: int = 1
    tasks_per_node: int = 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"stage {self.name}: unknown kind '{self.kind}' (choices: {', '.join(KINDS)})")
        check_at_least(self, "stage.", ("cpus", "nodes", "tasks_per_node", "timeout_min"), 1)
        check_at_least(self, "stage.", ("gpus",), 0)
        if self.mem_gb <= 0:
            raise wrong("stage.mem_gb", self.mem_gb, "must be more than 0")


@dataclass
class ClusterSpec:
    """Where jobs run (configs/cluster/<name>.yaml). Fields a scheduler does not know are ignored by it."""

    name: str = "local"
    executor: str = "local"  # local | slurm | sge
    requires: list[str] = field(default_factory=list)  # config keys this profile needs (scc: cluster.project)
    array_parallelism: int = 0  # max tasks of one array running at once; 0 = scheduler default (local: cores)
    max_array_size: int = 1000  # split arrays larger than this (SLURM MaxArraySize, SGE max_aj_tasks)
    poll_s: float = 5.0  # seconds between scheduler polls while waiting
    python: str | None = None  # interpreter on the compute nodes (default: this one)
    setup: list[str] = field(default_factory=list)  # shell lines run before each job (module load ...)
    # SLURM
    partition: str | None = None
    account: str | None = None
    qos: str | None = None
    gres: str | None = None
    constraint: str | None = None
    # Grid Engine
    project: str | None = None
    queue: str | None = None
    pe: str | None = None
    mem_resource: str | None = (
        None  # memory complex stage.mem_gb is asked with: h_vmem, mem_free, mem_per_core...
    )
    mem_per_slot: bool = True  # that complex counts per slot (h_vmem, mem_per_core), not per job
    gpu_resource: str = "gpu"  # -l <gpu_resource>=<stage.gpus> (BU SCC: gpus)
    gpu_extra: str | None = None  # more -l requests when a stage asks for GPUs (BU SCC: gpu_c=7.0)
    resources: str | None = None  # raw -l resource string for every job (site-specific: "scratch_free=10G")
    export_env: bool = True  # qsub -V: jobs see the submitting shell's environment
    use_s_rt: bool = False  # warn jobs through -l s_rt instead of their own timer (docs/hpc.md, Grid Engine)
    # site-specific scheduler flags, passed through as they are
    additional: dict[str, Any] = field(default_factory=dict)
    signal_delay_s: int = 90  # the scheduler warns this long before the time limit; shards checkpoint then

    def __post_init__(self) -> None:
        check_choice("cluster.executor", self.executor, EXECUTORS)
        if self.poll_s <= 0:
            raise wrong("cluster.poll_s", self.poll_s, "must be above 0")
        check_at_least(self, "cluster.", ("max_array_size",), 1)


@dataclass
class DataSpec:
    """A data profile (configs/data/<name>.yaml): where a run's records come from."""

    name: str = "demo"
    description: str = ""


@dataclass
class PipelineSettings:
    # the pipeline over real GBIF data (configs/data/demo.yaml puts synth first and serves its images)
    stages: list[str] = field(
        default_factory=lambda: [
            "ingest",
            "download",
            "mask",
            "train",
            "evaluate",
            "predict",
            "phenology",
            "ocr",
            "report",
        ]
    )
    serve_images: bool = False  # serve <run_dir>/synth over HTTP while the pipeline runs (the demo)
    strict: bool = False  # a stage that steps aside (skipped, with its reason) fails the run instead
    port: int = 0  # 0 = any free port


@dataclass
class TopLevel:
    run_dir: str = MISSING
    shards: int = 1
    wait: bool = False
    dry_run: bool = False
    seed: int = 0
    input: str | None = None
    store: str = "zarr"
    format: str | None = None
    nodes: int | None = None
    tasks_per_node: int | None = None
    clean_logs: str = "never"  # never | success
    retry_failed_items: bool = False
    max_consecutive_errors: int = 20
    max_item_attempts: int = 2  # an item in flight when its shard's process died this often becomes a failure row
    progress_interval_s: float = 30.0
    stage: StageSpec = field(default_factory=StageSpec)
    cluster: ClusterSpec = field(default_factory=ClusterSpec)
    data: DataSpec = field(default_factory=DataSpec)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    # settings for one stage only, applied when that stage is composed (alone or in a pipeline), by stage name:
    # per_stage.train.stage.gpus=4 per_stage.train.cluster.partition=gpu
    per_stage: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_choice("store", self.store, STORES)
        check_choice("clean_logs", self.clean_logs, CLEAN_LOGS)
        check_at_least(self, "", ("shards", "max_item_attempts"), 1)
        for key in ("nodes", "tasks_per_node"):  # given: they replace the stage's own
            if getattr(self, key) is not None and getattr(self, key) < 1:
                raise wrong(key, getattr(self, key), "must be at least 1")
        if self.progress_interval_s < 0:
            raise wrong("progress_interval_s", self.progress_interval_s, "must not be negative")
