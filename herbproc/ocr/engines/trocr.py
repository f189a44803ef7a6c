"""TrOCR (a ViT encoder and a text decoder, ``transformers.VisionEncoderDecoderModel``) from a local checkpoint.

The checkpoint is a folder written by ``save_pretrained`` (model + processor), e.g. a copy of
microsoft/trocr-base-printed or -handwritten, or such a repository id already in the Hugging Face cache. Nothing
is downloaded: the hub is switched offline and every load is ``local_files_only``.

Lines are prepared the way the checkpoint's image processor says (its size, resampling, mean and std), resized
with PIL on the CPU as the processor does but normalised on the device, and decoded in batches in bf16 on a GPU
(fp32 on the CPU), greedily or with beam search. The next batch is prepared on a thread while the device
works. Confidence: the geometric mean of the chosen tokens' probabilities (the beam's length-normalised score
with beam search).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from transformers import LogitsProcessor

from herbproc.ocr.engines.base import EngineError, Reading, check_crop, usable
from herbproc.schema.ocr import DEVICES, DTYPES

log = logging.getLogger("herbproc.ocr")
_REPO_ID = re.compile(r"^[\w.-]+/[\w.-]+$")


def resolve_checkpoint(path: str, key: str = "ocr.trocr") -> str:
    """A checkpoint folder, or a repository id present in the Hugging Face cache; a clear error otherwise."""
    if not path or not str(path).strip():
        raise EngineError(
            f"{key} is empty: give a checkpoint folder (save_pretrained) or a cached repository id"
        )
    p = Path(str(path)).expanduser()
    if p.is_dir():
        if not (p / "config.json").is_file():
            raise EngineError(
                f"{key}={path}: the folder has no config.json (not a save_pretrained checkpoint)"
            )
        return str(p)
    if p.exists():
        raise EngineError(f"{key}={path} is a file, not a checkpoint folder")
    if _REPO_ID.match(str(path)):
        try:
            from huggingface_hub import snapshot_download

            return snapshot_download(str(path), local_files_only=True)
        except Exception:
            raise EngineError(
                f"{key}={path}: not a folder and not in the local Hugging Face cache (nothing is downloaded; "
                "copy the checkpoint here and give its folder)"
            ) from None
    raise EngineError(f"{key}={path}: checkpoint folder not found")


def pick_device(device: str) -> str:
    import torch

    if device not in DEVICES:
        raise EngineError(f"unknown TrOCR device '{device}' (choices: {', '.join(DEVICES)})")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise EngineError("ocr.trocr.device=cuda but no CUDA device is visible")
    return device


def pick_dtype(dtype: str, device: str):
    import torch

    if dtype not in DTYPES:
        raise EngineError(f"unknown TrOCR dtype '{dtype}' (choices: {', '.join(DTYPES)})")
    if dtype == "auto":
        dtype = "bf16" if device == "cuda" else "fp32"
    return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[dtype]


class TrOCREngine:
    """One TrOCR checkpoint. ``name`` tells readings of the printed and the handwritten model apart."""

    def __init__(
        self,
        path: str,
        *,
        name: str = "trocr",
        device: str = "auto",
        dtype: str = "auto",
        num_beams: int = 1,
        max_new_tokens: int = 64,
        batch_size: int = 64,
        key: str = "ocr.trocr",
    ):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        if num_beams < 1 or max_new_tokens < 1 or batch_size < 1:
            raise EngineError("TrOCR num_beams, max_new_tokens and batch_size must be at least 1")
        source = resolve_checkpoint(path, key)
        import torch
        import transformers
        from transformers import AutoProcessor, VisionEncoderDecoderModel

        transformers.utils.logging.disable_progress_bar()
        self.name = name
        self.device = pick_device(device)
        self.dtype = pick_dtype(dtype, self.device)
        try:
            processor = AutoProcessor.from_pretrained(source, local_files_only=True)
            model = VisionEncoderDecoderModel.from_pretrained(source, local_files_only=True, dtype=self.dtype)
        except Exception as e:  # OSError, ValueError, safetensors and tokenizers errors: all "cannot load"
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise EngineError(f"{key}={path}: cannot load the TrOCR checkpoint: {first}") from None
        self.tokenizer = processor.tokenizer
        self.image_processor = processor.image_processor
        self.model = model.to(self.device).eval()
        self.num_beams = int(num_beams)
        self.max_new_tokens = int(max_new_tokens)
        self.batch_size = int(batch_size)
        self.size, self.resample = _input_size(self.image_processor)
        ip = self.image_processor
        mean = ip.image_mean if getattr(ip, "do_normalize", True) else [0.0, 0.0, 0.0]
        std = ip.image_std if getattr(ip, "do_normalize", True) else [1.0, 1.0, 1.0]
        factor = float(ip.rescale_factor) if getattr(ip, "do_rescale", True) else 1.0
        # x' = (x * factor - mean) / std  ==  x * scale + shift
        scale = torch.tensor([factor / s for s in std], dtype=torch.float32)
        shift = torch.tensor([-m / s for m, s in zip(mean, std, strict=True)], dtype=torch.float32)
        self._scale = scale.view(1, 3, 1, 1).to(self.device)
        self._shift = shift.view(1, 3, 1, 1).to(self.device)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trocr-prep")
        # PIL resizes without the GIL: a batch is prepared by several threads (the next while the device works)
        workers = max(1, min(8, (os.cpu_count() or 2) // 2))
        self._resize_pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="trocr-resize")

    # ------------------------------------------------------------------ preparing lines

    def prepare(self, crops: Sequence[np.ndarray]):
        """uint8 N x H x W x 3 tensor of the lines resized as the processor does (pinned when on a GPU)."""
        import torch
        from PIL import Image

        h, w = self.size
        batch = np.empty((len(crops), h, w, 3), np.uint8)

        def resize(k: int) -> None:
            batch[k] = np.asarray(Image.fromarray(crops[k]).resize((w, h), resample=self.resample))

        list(self._resize_pool.map(resize, range(len(crops))))
        tensor = torch.from_numpy(batch)
        return tensor.pin_memory() if self.device == "cuda" else tensor

    def pixel_values(self, prepared):
        """Normalised model input (N x 3 x H x W, the model's dtype) on the device."""
        x = prepared.to(self.device, non_blocking=True).permute(0, 3, 1, 2).float()
        return (x * self._scale + self._shift).to(self.dtype)

    # ------------------------------------------------------------------ reading

    def read(self, crops: Sequence[np.ndarray]) -> list[Reading]:
        crops = [check_crop(c) for c in crops]
        out = [Reading("", 0.0, self.name)] * len(crops)
        todo = [i for i, c in enumerate(crops) if usable(c)]
        chunks = [todo[s : s + self.batch_size] for s in range(0, len(todo), self.batch_size)]
        if not chunks:
            return out
        pending = self._pool.submit(self.prepare, [crops[i] for i in chunks[0]])
        for n, chunk in enumerate(chunks):
            prepared = pending.result()
            if n + 1 < len(chunks):
                pending = self._pool.submit(self.prepare, [crops[i] for i in chunks[n + 1]])
            for i, reading in zip(chunk, self.generate(prepared), strict=True):
                out[i] = reading
        return out

    def generate(self, prepared) -> list[Reading]:
        import torch

        with torch.inference_mode():
            pixels = self.pixel_values(prepared)
            if self.num_beams > 1:
                result = self.model.generate(
                    pixel_values=pixels,
                    num_beams=self.num_beams,
                    max_new_tokens=self.max_new_tokens,
                    max_length=None,
                    output_scores=True,
                    return_dict_in_generate=True,
                )
                sequences = result.sequences
                confidence = result.sequences_scores.float().exp()
            else:
                recorder = _TokenProbability()
                sequences = self.model.generate(
                    pixel_values=pixels,
                    num_beams=1,
                    do_sample=False,
                    max_new_tokens=self.max_new_tokens,
                    max_length=None,
                    logits_processor=[recorder],
                )
                confidence = recorder.confidence(sequences, self.model.generation_config.eos_token_id)
        texts = self.tokenizer.batch_decode(sequences, skip_special_tokens=True)
        conf = confidence.clamp(0, 1).cpu().tolist()
        return [Reading(t.strip(), round(float(c), 4), self.name) for t, c in zip(texts, conf, strict=True)]


class _TokenProbability(LogitsProcessor):
    """A logits processor that only watches: the log-probability of the greedy choice at each step."""

    def __init__(self) -> None:
        self.steps: list[Any] = []

    def __call__(self, input_ids, scores):
        self.steps.append(scores.float().log_softmax(-1).max(-1).values)
        return scores

    def confidence(self, sequences, eos_token_id):
        import torch

        if not self.steps:
            return torch.zeros(sequences.shape[0], device=sequences.device)
        logp = torch.stack(self.steps, 1)  # N x steps
        generated = sequences[:, -logp.shape[1] :]
        eos = eos_token_id[0] if isinstance(eos_token_id, (list, tuple)) else eos_token_id
        # count steps up to and including the first end-of-sequence token
        ended = (generated == eos).long().cumsum(1)
        keep = (ended == 0) | ((ended == 1) & (generated == eos))
        keep = keep.to(logp.dtype)
        return ((logp * keep).sum(1) / keep.sum(1).clamp(min=1)).exp()


def _input_size(image_processor) -> tuple[tuple[int, int], int]:
    from PIL import Image

    size = getattr(image_processor, "size", None) or {"height": 384, "width": 384}
    get = (lambda k: size.get(k)) if isinstance(size, dict) else (lambda k: getattr(size, k, None))
    if isinstance(size, int):
        hw = (size, size)
    elif get("height") and get("width"):
        hw = (int(get("height")), int(get("width")))
    elif get("shortest_edge"):
        hw = (int(get("shortest_edge")), int(get("shortest_edge")))
    else:
        raise EngineError(f"unsupported image processor size {size}")
    resample = getattr(image_processor, "resample", Image.Resampling.BILINEAR)
    return hw, int(resample)
