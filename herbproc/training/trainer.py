"""The training loop the training stages share: IELT's ``stage=train`` and phenology's separate model.

``Trainer`` runs one rank of DistributedDataParallel training over the run's store and keeps the books in
``<run_dir>/train/`` (or the subclass's folder): ``metrics.csv`` / ``metrics.json`` per epoch, ``steps.csv`` per
optimizer step, resumable checkpoints, ``best.pt`` and ``model.pt``. The randomness of a step is a function of
(seed, rank, step) and that of a sample's augmentation of (seed, epoch, position), so a resumed run follows the
uninterrupted run's loss curve exactly. ``train_settings`` builds the ``train.*`` section, which checks itself.
"""

from __future__ import annotations

import csv
import inspect
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from omegaconf import OmegaConf
from torch.nn.parallel import DistributedDataParallel

from herbproc.classes import ClassTable, load_classes
from herbproc.io import atomic_path, atomic_write_json
from herbproc.models.heads import Classifier, build_classifier, level_targets
from herbproc.schema.build import section_settings
from herbproc.schema.train import Settings as TrainSettings
from herbproc.shard import ShardError, format_duration, on_preempt
from herbproc.store.layout import StoreError
from herbproc.training import checkpoint as ckpt
from herbproc.training import dist
from herbproc.training.data import (
    Normalizer,
    Views,
    default_resize,
    index_batches,
    loader,
    split_dataset,
)
from herbproc.training.metrics import f1_counts
from herbproc.training.runfiles import METRIC_COLUMNS, open_run_store, store_variant, train_dir
from herbproc.training.safepoint import SafePoints
from herbproc.training.sampler import EpochBatches, TrainSampler, eval_shard, sample_seed
from herbproc.training.schedule import CosineSchedule, make_optimizer, parameter_count, scaled_lr

log = logging.getLogger("herbproc.train")
STEP_COLUMNS = ["step", "epoch", "loss", "lr", "top1", "images"]


# --------------------------------------------------------------------------------------------- settings


def train_settings(cfg: Any) -> TrainSettings:
    """The ``train`` section built as its dataclass, which checks every value that needs no data."""
    return section_settings(TrainSettings, "train", cfg)


# --------------------------------------------------------------------------------------------- trainer


def step_seed(seed: int, rank: int, step: int) -> int:
    return sample_seed(seed, 1_000_003 + rank, step)


@dataclass
class EpochStats:
    loss_sum: float = 0.0
    images: float = 0.0
    hits: float = 0.0

    def add(self, loss_sum: float, images: float, hits: float) -> None:
        self.loss_sum += loss_sum
        self.images += images
        self.hits += hits

    def to_list(self) -> list[float]:
        return [self.loss_sum, self.images, self.hits]


def multilabel_tables(cfg: Any, store_path: Path, n_rows: int) -> dict[str, tuple[Any, Any]]:
    """Extra multi-label targets trained with the species (head name -> (targets, known mask), numpy arrays of
    shape (store rows, labels)): phenology when ``phenology.mode=joint`` (herbproc.phenology, docs/phenology.md)."""
    phen = OmegaConf.select(cfg, "phenology", default=None)
    if phen is None or phen.get("mode") != "joint":
        return {}
    from herbproc.fields.condition_targets import manifest_targets

    return {
        "phenology": manifest_targets(
            Path(store_path).parent / "manifest.parquet", n_rows, phen.unstated_negative
        )
    }


class Trainer:
    """Subclasses train other models with the same loop, data feed, DDP, checkpoints and resume by overriding
    ``output_dir``, ``make_views``, ``make_datasets``, ``build_model``, ``compute_loss``, ``step_hits``,
    ``after_update``, ``evaluate``, ``meta`` and ``metric_columns`` / ``best_metric``
    (``herbproc.phenology.train``)."""

    metric_columns: list[str] = METRIC_COLUMNS  # metrics.csv; metrics.json keeps every key of each epoch
    train_accuracy_key = "train_top1"
    val_keys: tuple[str, ...] = ("val_loss", "val_top1", "val_top5", "val_macro_f1")
    best_metric = "val_top1"  # the epoch with its highest value is best.pt / model.pt (keep_best)

    def __init__(self, cfg: Any) -> None:
        self.cfg = cfg
        self.s = s = cfg.train
        self.seed = int(cfg.seed)
        self.pid = os.getpid()
        self.settings = train_settings(cfg)
        self.out = self.output_dir()
        self.ckpt_dir = self.out / "checkpoints"
        try:
            self.classes: ClassTable = load_classes(cfg.run_dir)
            store = open_run_store(cfg.run_dir)
            self.variant = store_variant(store, s.use_masked)
            store_path, n_rows = store.path, len(store)
            store.close()
            self.multilabel = multilabel_tables(cfg, store_path, n_rows)
        except (FileNotFoundError, ValueError, StoreError) as e:
            raise ShardError(str(e)) from None
        self.views = self.make_views()
        self.train_set, self.val_set = self.make_datasets(store_path)
        if len(self.train_set) == 0:
            raise ShardError(
                f"no training images: the manifest's train split has no {self.variant} image in {store_path}"
            )
        if int(self.train_set.labels.max()) >= self.classes.num_classes:
            raise ShardError("the store's labels do not match classes.csv (a label beyond the class table)")

        self.ctx = dist.init(s.device, s.dist_backend, s.dist_timeout_s)
        torch.set_num_threads(dist.cpu_threads(s.threads, cfg.stage.cpus))
        if s.deterministic:
            torch.use_deterministic_algorithms(True)
        torch.manual_seed(self.seed)
        device = self.ctx.device

        self.sampler = TrainSampler(
            self.train_set.labels,
            batch_size=s.batch_size,
            rank=self.ctx.rank,
            world=self.ctx.world,
            seed=self.seed,
            balanced=s.balanced,
        )
        self.steps_per_epoch = self.sampler.steps_per_epoch
        self.total_steps = s.epochs * self.steps_per_epoch
        if s.max_steps:
            self.total_steps = min(self.total_steps, int(s.max_steps))
        self.model = self.build_model()
        self.model.to(device)
        if s.compile:
            self.model.ielt.compile_blocks()
        self.precision = (
            s.precision if s.precision != "auto" else ("bf16" if device.type == "cuda" else "fp32")
        )
        self.amp_dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision)
        self.scaler = torch.amp.GradScaler(device.type, enabled=self.precision == "fp16")
        self.global_batch = s.batch_size * self.ctx.world
        self.base_lr = scaled_lr(s.lr, s.lr_batch, self.global_batch)
        self.optimizer = make_optimizer(self.model.parameters(), s, self.base_lr, device)
        self.schedule = CosineSchedule(
            self.optimizer,
            self.base_lr,
            self.total_steps,
            warmup_steps=int(round(s.warmup_epochs * self.steps_per_epoch)),
            min_lr=s.min_lr,
            warmup_scale=s.warmup_lr_scale,
        )
        self.normalize = Normalizer(device)
        self.lookups = {lv: self.classes.lookup(lv, device) for lv in s.levels}
        self.multilabel_on_device = {
            name: (torch.from_numpy(t).to(device), torch.from_numpy(k).to(device))
            for name, (t, k) in self.multilabel.items()
        }
        self.epoch = self.step = self.global_step = 0
        self.stats = EpochStats()
        self.history: list[dict[str, Any]] = []
        self.best: dict[str, Any] | None = None
        self.resumed_from: str | None = None
        self.resume()
        self.ddp = self._wrap(self.model)
        self.safe: SafePoints | None = None
        self._steps_file = None
        self._t_start = time.monotonic()
        self._images_here = 0
        self._last_log = time.monotonic()

    # ----------------------------------------------------------------------------------------- hooks

    def output_dir(self) -> Path:
        return train_dir(self.cfg.run_dir)

    def make_views(self) -> Any:
        s = self.s
        config = self.settings.ielt_config()
        return Views(config.img_size, s.resize or default_resize(config.img_size), s.color_jitter, s.hflip)

    def make_datasets(self, store_path: Path) -> tuple[Any, Any]:
        """The training and validation datasets: items ``(uint8 image, label, store row)``."""
        return (
            split_dataset(store_path, "train", self.variant, self.views),
            split_dataset(store_path, "val", self.variant, self.views),
        )

    def build_model(self) -> torch.nn.Module:
        s = self.s
        warm = int(round(s.update_warm_epochs * self.steps_per_epoch))
        model = build_classifier(
            self.settings.model_spec(),
            self.classes.num_classes,
            levels=list(s.levels),
            level_sizes={lv: len(self.classes.level_names[lv]) for lv in s.levels},
            level_weight=s.level_weight,
            multilabel_sizes={name: int(t.shape[1]) for name, (t, _k) in self.multilabel.items()},
            multilabel_weight=float(OmegaConf.select(self.cfg, "phenology.joint_weight", default=1.0)),
            update_warm=warm,
        )
        if s.pretrained:
            from herbproc.models.ielt.weights import load_vit_npz

            load_vit_npz(model.ielt, Path(s.pretrained).expanduser())
        return model

    def compute_loss(self, out: Any, y: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        extra = {}
        if self.multilabel_on_device:
            index = rows.to(self.ctx.device)
            extra = {name: (t[index], k[index]) for name, (t, k) in self.multilabel_on_device.items()}
        return self.model.criterion(out, y, level_targets(y, self.lookups), extra)

    def step_hits(self, out: Any, y: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        """The batch's correct predictions (a float tensor), summed over ranks into the step's accuracy."""
        return (out.ielt.logits.detach().argmax(-1) == y).sum().float()

    def after_update(self, out: Any) -> None:
        """After the optimizer step: IELT's Dynamic Selection moves its token budgets."""
        self.model.ielt.dsm_step(out.ielt.final_idx)

    def model_description(self) -> str:
        return f"IELT {self.s.model}"

    def model_settings(self) -> dict[str, Any]:
        """What metrics.json says about the model (the report's model line)."""
        return self.settings.model_spec()

    def _wrap(self, model: Classifier) -> torch.nn.Module:
        """DDP around the model (when there are several ranks). The DSM buffers are equal on every rank by
        construction (``dsm_step`` sums the layer shares over ranks): no buffer sync in the forward pass."""
        if not self.ctx.distributed:
            return model
        device = self.ctx.device
        params = inspect.signature(DistributedDataParallel).parameters
        sync = (
            {"forward_sync_buffers": False}
            if "forward_sync_buffers" in params
            else {"broadcast_buffers": False}
        )
        return DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None, **sync
        )

    # ----------------------------------------------------------------------------------------- resume

    @property
    def is_main(self) -> bool:
        return self.ctx.is_main

    def meta(self) -> dict[str, Any]:
        return ckpt.model_meta(
            self.model,
            classes=self.classes.to_json(),
            views={"crop": self.views.crop, "resize": self.views.resize},
            variant=self.variant,
            epoch=self.epoch,
            global_step=self.global_step,
        )

    def resume(self) -> None:
        found = ckpt.latest(self.ckpt_dir)
        if found is None:
            return
        path, state = found
        try:
            self.model.load_state_dict(state["model"])
            self.optimizer.load_state_dict(state["optimizer"])
        except (RuntimeError, ValueError, KeyError) as e:
            raise ShardError(
                f"{path} does not fit this model / optimizer ({e}); the settings changed since it was written: "
                f"restore them, or move {self.ckpt_dir} away to start afresh"
            ) from None
        if state.get("scaler"):
            self.scaler.load_state_dict(state["scaler"])
        pos = state["position"]
        self.epoch, self.step = int(pos["epoch"]), int(pos["step"])
        if (pos["world"], pos["batch_size"]) != (self.ctx.world, self.s.batch_size):
            seen = self.step * int(pos["world"]) * int(pos["batch_size"])
            self.step = min(self.steps_per_epoch, seen // self.global_batch)
            log.warning(
                "resuming with %d rank(s) x batch %d where the checkpoint had %d x %d: epoch %d continues at step %d "
                "(the rest of the run no longer matches an uninterrupted one exactly)",
                self.ctx.world, self.s.batch_size, pos["world"], pos["batch_size"], self.epoch + 1, self.step,
            )  # fmt: skip
        self.global_step = self.epoch * self.steps_per_epoch + self.step
        self.schedule.load_state_dict(state["scheduler"])
        self.schedule.set_step(self.global_step)
        self.stats = EpochStats(*state.get("epoch_stats", [0.0, 0.0, 0.0]))
        rng = state.get("rng", {}).get(str(self.ctx.rank))
        if rng is not None:
            ckpt.set_rng_state(rng)
        self.history = list(state.get("history", []))
        self.best = state.get("best")
        self.resumed_from = str(path)
        if self.is_main:
            self._truncate_steps(self.global_step)
            log.info(
                "[train] resumed from %s (%s): epoch %d, step %d/%d, global step %d/%d",
                path.name, state.get("reason", "?"), self.epoch + 1, self.step, self.steps_per_epoch,
                self.global_step, self.total_steps,
            )  # fmt: skip

    def _truncate_steps(self, upto: int) -> None:
        path = self.out / "steps.csv"
        if not path.exists():
            return
        with open(path, newline="") as f:
            rows = [r for r in csv.DictReader(f) if int(r["step"]) <= upto]
        with atomic_path(path) as tmp:
            with open(tmp, "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=STEP_COLUMNS)
                w.writeheader()
                w.writerows(rows)

    # ----------------------------------------------------------------------------------------- saving

    def save(self, reason: str, collective: bool = True) -> Path | None:
        """A resumable checkpoint at the current position (rank 0 writes). ``collective=False`` (the
        pre-emption hook, which runs on rank 0 alone) stores rank 0's random state only."""
        rngs = dist.gather_objects(self.ctx, ckpt.rng_state()) if collective else [ckpt.rng_state()]
        if not self.is_main:
            return None
        state = {
            "format": ckpt.TRAIN_FORMAT,
            "version": 1,
            "reason": reason,
            "time": time.time(),
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.schedule.state_dict(),
            "scaler": self.scaler.state_dict() if self.scaler.is_enabled() else None,
            "position": {
                "epoch": self.epoch,
                "step": self.step,
                "global_step": self.global_step,
                "world": self.ctx.world,
                "batch_size": self.s.batch_size,
                "steps_per_epoch": self.steps_per_epoch,
            },
            "epoch_stats": self.stats.to_list(),
            "rng": {str(r): rank_state for r, rank_state in enumerate(rngs)},
            "history": self.history,
            "best": self.best,
            "meta": self.meta(),
        }
        path = ckpt.save_atomic(state, ckpt.checkpoint_path(self.ckpt_dir, self.global_step))
        ckpt.prune(self.ckpt_dir, self.s.keep_checkpoints)
        log.info("[train] checkpoint %s (%s)", path.name, reason)
        return path

    def _on_preempt(self) -> None:
        if os.getpid() != self.pid:  # a forked loader worker: not ours to save
            return
        if self._steps_file is not None:
            self._steps_file.flush()
        self.save("preempt", collective=False)

    # ----------------------------------------------------------------------------------------- loop

    def run(self) -> dict[str, Any]:
        self.out.mkdir(parents=True, exist_ok=True)
        if self.is_main:
            log.info(
                "[train] %d train / %d val images (%s), %d classes, %s %.2f M parameters, %d rank(s) x batch "
                "%d, %d steps/epoch, %d steps, lr %.3g, %s on %s",
                len(self.train_set), len(self.val_set), self.variant, self.classes.num_classes,
                self.model_description(),
                parameter_count(self.model) / 1e6, self.ctx.world, self.s.batch_size, self.steps_per_epoch,
                self.total_steps, self.base_lr, self.precision, self.ctx.device,
            )  # fmt: skip
            self._steps_file = open(self.out / "steps.csv", "a", newline="")
            if self._steps_file.tell() == 0:
                csv.writer(self._steps_file).writerow(STEP_COLUMNS)
        unhook = on_preempt(self._on_preempt) if self.is_main else (lambda: None)
        self._loaders()
        try:
            with SafePoints() as self.safe:
                while not (self.global_step >= self.total_steps and self.step == 0):
                    if self.step < self.steps_per_epoch and self.global_step < self.total_steps:
                        self._train_epoch()
                    self._end_epoch()
            return self._finish()
        finally:
            unhook()
            if self._steps_file is not None:
                self._steps_file.close()
                self._steps_file = None

    def _deliver(self) -> None:
        if self.safe is not None:
            self.safe.deliver()

    def _loaders(self) -> None:
        """One train and one validation loader for the whole run: their workers persist across epochs."""
        pin = self.ctx.device.type == "cuda"
        self._batches = EpochBatches([])
        self._train_loader = loader(self.train_set, self._batches, self.s.workers, pin, persistent=True)
        size = self.s.eval_batch_size or 2 * self.s.batch_size
        indices = eval_shard(len(self.val_set), self.ctx.rank, self.ctx.world)
        self._val_loader = loader(
            self.val_set, index_batches(indices, size), self.s.workers, pin, persistent=True
        )

    def _train_epoch(self) -> None:
        self._batches.chunks = self.sampler.batches(self.epoch, self.step).chunks
        self.ddp.train()
        self._epoch_t0 = time.monotonic()
        for images, target, rows in self._train_loader:
            if self.global_step >= self.total_steps:
                break
            self._one_step(images, target, rows)
            self._after_step(len(target))
            self._deliver()

    def _autocast(self):
        return torch.autocast(
            self.ctx.device.type, dtype=self.amp_dtype or torch.float32, enabled=self.amp_dtype is not None
        )

    def _one_step(self, images: torch.Tensor, target: torch.Tensor, rows: torch.Tensor) -> None:
        torch.manual_seed(step_seed(self.seed, self.ctx.rank, self.global_step))
        device = self.ctx.device
        x = self.normalize(images)
        y = target.to(device, non_blocking=True)
        lr = self.schedule.lr
        with self._autocast():
            out = self.ddp(x)
            loss = self.compute_loss(out, y, rows)
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        if self.s.grad_clip > 0:
            self.scaler.unscale_(self.optimizer)
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.s.grad_clip)
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.schedule.step()
        self.after_update(out)
        n = float(len(y))
        hits = self.step_hits(out, y, rows)
        totals = dist.all_sum(self.ctx, torch.stack([loss.detach().float() * n, hits.new_tensor(n), hits]))
        loss_sum, images_all, hits_all = totals.tolist()
        self.stats.add(loss_sum, images_all, hits_all)
        self.step += 1
        self.global_step += 1
        if self._steps_file is not None:
            row = [self.global_step, self.epoch + 1, f"{loss_sum / images_all:.8f}", f"{lr:.8g}",
                   f"{hits_all / images_all:.6f}", int(images_all)]  # fmt: skip
            csv.writer(self._steps_file).writerow(row)
            self._steps_file.flush()

    def _after_step(self, n: int) -> None:
        self._images_here += n
        if self.s.checkpoint_every and self.global_step % self.s.checkpoint_every == 0:
            self.save("periodic")
        now = time.monotonic()
        if self.is_main and now - self._last_log >= float(self.cfg.progress_interval_s):
            self._last_log = now
            rate = self._images_here * self.ctx.world / max(1e-9, now - self._t_start)
            left = (self.total_steps - self.global_step) * self.global_batch / max(rate, 1e-9)
            mean = self.stats.loss_sum / max(1.0, self.stats.images)
            log.info(
                "[train] epoch %d/%d step %d/%d (%d/%d), loss %.4f, lr %.4g, %.1f img/s, ETA %s",
                self.epoch + 1, self.s.epochs, self.step, self.steps_per_epoch, self.global_step, self.total_steps,
                mean, self.schedule.lr, rate, format_duration(left),
            )  # fmt: skip

    # ----------------------------------------------------------------------------------------- epochs

    def _eval_due(self) -> bool:
        last = self.global_step >= self.total_steps
        return len(self.val_set) > 0 and (last or (self.epoch + 1) % self.s.eval_every == 0)

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        """Validation on all ranks (each takes every world-th image), counts summed over ranks."""
        model, device = self.model, self.ctx.device
        model.eval()
        c = self.classes.num_classes
        totals = torch.zeros(4, dtype=torch.float64, device=device)  # loss, n, top1, top5
        tp, fp, fn = (torch.zeros(c, dtype=torch.float64) for _ in range(3))  # counted on the CPU: CUDA's
        # bincount has no deterministic implementation (train.deterministic)
        heads = self.multilabel_on_device
        ml = torch.zeros(len(heads), 2, dtype=torch.float64, device=device)  # per head: correct, known
        for images, target, rows in self._val_loader:
            x, y = self.normalize(images), target.to(device, non_blocking=True)
            with self._autocast():
                if heads:
                    logits, ml_logits = model.forward_multilabel(x)
                    logits = logits.float()
                else:
                    logits = model(x).float()
            for i, (name, (table, known)) in enumerate(heads.items()):
                index = rows.to(device)
                ok = ((ml_logits[name].float() > 0) == table[index].bool()) & known[index]
                ml[i] += torch.stack([ok.sum().double(), known[index].sum().double()])
            k = min(5, c)
            top = logits.topk(k, dim=-1).indices
            hit = top == y.unsqueeze(-1)
            pred = top[:, 0]
            totals += torch.stack([
                F.cross_entropy(logits, y, reduction="sum").double(),
                torch.tensor(float(len(y)), dtype=torch.float64, device=device),
                hit[:, 0].sum().double(),
                hit.any(-1).sum().double(),
            ])  # fmt: skip
            pred, y = pred.cpu(), y.cpu()
            ok = pred == y
            tp += torch.bincount(y[ok], minlength=c).double()
            fp += torch.bincount(pred[~ok], minlength=c).double()
            fn += torch.bincount(y[~ok], minlength=c).double()
            self._deliver()
        packed = dist.all_sum(self.ctx, torch.cat([totals, torch.cat([tp, fp, fn]).to(device), ml.flatten()]))
        packed = packed.cpu().numpy()
        loss, n, top1, top5 = packed[:4]
        macro_f1, _ = f1_counts(packed[4 : 4 + c], packed[4 + c : 4 + 2 * c], packed[4 + 2 * c : 4 + 3 * c])
        n = max(n, 1.0)
        out = {
            "val_loss": float(loss / n),
            "val_top1": float(top1 / n),
            "val_top5": float(top5 / n),
            "val_macro_f1": macro_f1,
        }
        for i, name in enumerate(heads):  # accuracy over the known labels of each multi-label head
            correct, known_n = packed[4 + 3 * c + 2 * i : 4 + 3 * c + 2 * i + 2]
            out[f"val_{name}_acc"] = float(correct / known_n) if known_n else None
        return out

    def _end_epoch(self) -> None:
        seconds = time.monotonic() - getattr(self, "_epoch_t0", time.monotonic())
        val = self.evaluate() if self._eval_due() else {}
        images = max(1.0, self.stats.images)
        record: dict[str, Any] = {
            "epoch": self.epoch + 1,
            "steps": self.global_step,
            "train_loss": self.stats.loss_sum / images,
            self.train_accuracy_key: self.stats.hits / images,
        }
        record.update({k: val.get(k) for k in self.val_keys})
        record.update({k: v for k, v in val.items() if k not in record})
        record.update(
            lr=self.schedule.lr,
            seconds=round(seconds, 3),
            images_per_s=round(self.stats.images / seconds, 2) if seconds > 0 else None,
        )
        self.history.append(record)
        key = self.best_metric
        improved = val and (self.best is None or val[key] > self.best[key])
        if improved:
            self.best = {"epoch": record["epoch"], key: val[key]}
            if "val_macro_f1" in val:
                self.best["val_macro_f1"] = val["val_macro_f1"]
        if self.is_main:
            if improved:
                ckpt.save_model(self.out / "best.pt", self.model, self.meta() | {"epoch": record["epoch"]})
            self.write_metrics()
            shown = ", ".join(
                f"{k} {v:.4f}"
                for k, v in record.items()
                if k.startswith(("train_", "val_")) and v is not None
            )
            log.info("[train] epoch %d/%d done: %s", record["epoch"], self.s.epochs, shown)
        self.epoch += 1
        self.step = 0
        self.stats = EpochStats()
        self.save("epoch")

    def write_metrics(self, final: dict[str, Any] | None = None) -> None:
        with atomic_path(self.out / "metrics.csv") as tmp:
            with open(tmp, "w", newline="") as f:
                columns = self.metric_columns
                w = csv.DictWriter(f, fieldnames=columns)
                w.writeheader()
                w.writerows(
                    {k: ("" if r.get(k) is None else r.get(k)) for k in columns} for r in self.history
                )
        body: dict[str, Any] = {
            "epochs": self.history,
            "best": self.best,
            "classes": self.classes.num_classes,
            "train_images": len(self.train_set),
            "val_images": len(self.val_set),
            "variant": self.variant,
            "world_size": self.ctx.world,
            "batch_size": self.s.batch_size,
            "precision": self.precision,
            "model": self.model_settings(),
        }
        if final:
            body.update(final)
        atomic_write_json(self.out / "metrics.json", body)

    def _finish(self) -> dict[str, Any]:
        summary: dict[str, Any] = {"epochs_done": len(self.history), "steps": self.global_step}
        if self.is_main:
            best = self.out / "best.pt"
            target = self.out / "model.pt"
            if self.s.keep_best and self.best is not None and best.exists():
                with atomic_path(target) as tmp:
                    shutil.copyfile(best, tmp)
                summary["model"] = f"best epoch {self.best['epoch']}"
            else:
                ckpt.save_model(target, self.model, self.meta())
                summary["model"] = "last epoch"
            last = self.history[-1] if self.history else {}
            summary[f"final_{self.best_metric}"] = last.get(self.best_metric)
            summary["final_train_loss"] = last.get("train_loss")
            self.write_metrics(final={"final": summary})
            log.info("[train] finished: %s -> %s", summary["model"], target)
        dist.barrier(self.ctx)
        return summary

    def close(self) -> None:
        dist.shutdown(self.ctx)
