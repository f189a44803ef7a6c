"""Weight loaders: Google's ViT ``.npz`` (e.g. ImageNet-21k ``ViT-B_16.npz``) and official IELT checkpoints.

Both loaders check every key and shape before touching the model, so a bad file leaves the model as it was and
the error names the offending key.
"""

from __future__ import annotations

import math
import pickle
import re
import types
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from herbproc.models.ielt.config import make_config
from herbproc.models.ielt.model import IELT

_ATTN = "MultiHeadDotProductAttention_1"


# ---------------------------------------------------------------------------------------------------------------
# Google ViT .npz
# ---------------------------------------------------------------------------------------------------------------


def resize_pos_embed(posemb: Tensor, grid_size: int) -> Tensor:
    """(1, 1 + g², C) -> (1, 1 + grid_size², C): the official resize, ``scipy.ndimage.zoom(order=1)`` of the grid.

    That zoom maps output pixel i to input coordinate i·(g-1)/(grid_size-1): bilinear with aligned corners.
    """
    cls_pos, grid = posemb[:, :1], posemb[0, 1:]
    old = math.isqrt(grid.shape[0])
    if old == grid_size:
        return posemb
    grid = grid.double().reshape(old, old, -1).permute(2, 0, 1).unsqueeze(0)
    grid = F.interpolate(grid, size=(grid_size, grid_size), mode="bilinear", align_corners=True)
    grid = grid.squeeze(0).permute(1, 2, 0).reshape(1, grid_size * grid_size, -1).to(posemb.dtype)
    return torch.cat([cls_pos, grid], dim=1)


class _NpzReader:
    def __init__(self, weights: Mapping[str, Any], source: str) -> None:
        self.weights = weights
        self.source = source

    def take(self, key: str, shape: tuple[int, ...]) -> Tensor:
        if key not in self.weights:
            raise ValueError(
                f"{self.source}: missing key {key!r} (not a Google ViT checkpoint of this size?)"
            )
        array = np.asarray(self.weights[key])
        if tuple(array.shape) != shape:
            raise ValueError(f"{self.source}: key {key!r} has shape {tuple(array.shape)}, expected {shape}")
        return torch.from_numpy(np.array(array, dtype=np.float32))

    def pos_embed(self, key: str, dim: int) -> Tensor:
        if key not in self.weights:
            raise ValueError(f"{self.source}: missing key {key!r}")
        array = np.asarray(self.weights[key])
        grid = math.isqrt(max(array.shape[1] - 1, 0)) if array.ndim == 3 else 0
        if (
            array.ndim != 3
            or array.shape[0] != 1
            or array.shape[2] != dim
            or grid < 1
            or grid**2 != array.shape[1] - 1
        ):
            raise ValueError(
                f"{self.source}: key {key!r} has shape {tuple(array.shape)}, expected (1, 1 + g*g, {dim})"
            )
        return torch.from_numpy(np.array(array, dtype=np.float32))


def _npz_block(reader: _NpzReader, n: int, dst: str, heads: int, dim: int, mlp: int) -> dict[str, Tensor]:
    root = f"Transformer/encoderblock_{n}/"
    head_dim = dim // heads

    def attn(name: str) -> tuple[Tensor, Tensor]:
        kernel = reader.take(f"{root}{_ATTN}/{name}/kernel", (dim, heads, head_dim))
        bias = reader.take(f"{root}{_ATTN}/{name}/bias", (heads, head_dim))
        return kernel.reshape(dim, dim).t(), bias.reshape(dim)

    (qw, qb), (kw, kb), (vw, vb) = attn("query"), attn("key"), attn("value")
    out_kernel = reader.take(f"{root}{_ATTN}/out/kernel", (heads, head_dim, dim))
    return {
        f"{dst}norm1.weight": reader.take(f"{root}LayerNorm_0/scale", (dim,)),
        f"{dst}norm1.bias": reader.take(f"{root}LayerNorm_0/bias", (dim,)),
        f"{dst}attn.qkv.weight": torch.cat([qw, kw, vw], dim=0),
        f"{dst}attn.qkv.bias": torch.cat([qb, kb, vb], dim=0),
        f"{dst}attn.proj.weight": out_kernel.reshape(dim, dim).t(),
        f"{dst}attn.proj.bias": reader.take(f"{root}{_ATTN}/out/bias", (dim,)),
        f"{dst}norm2.weight": reader.take(f"{root}LayerNorm_2/scale", (dim,)),
        f"{dst}norm2.bias": reader.take(f"{root}LayerNorm_2/bias", (dim,)),
        f"{dst}mlp.fc1.weight": reader.take(f"{root}MlpBlock_3/Dense_0/kernel", (dim, mlp)).t(),
        f"{dst}mlp.fc1.bias": reader.take(f"{root}MlpBlock_3/Dense_0/bias", (mlp,)),
        f"{dst}mlp.fc2.weight": reader.take(f"{root}MlpBlock_3/Dense_1/kernel", (mlp, dim)).t(),
        f"{dst}mlp.fc2.bias": reader.take(f"{root}MlpBlock_3/Dense_1/bias", (dim,)),
    }


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise FileNotFoundError(f"ViT weights not found: {path}")
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ValueError("it holds a single array (.npy), not named arrays")
        with archive:
            return {key: archive[key] for key in archive.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, pickle.UnpicklingError) as exc:
        raise ValueError(f"{path}: not a readable .npz archive ({exc})") from exc


def load_vit_npz(model: IELT, source: str | Path | Mapping[str, Any]) -> IELT:
    """Load Google ViT weights (``Transformer/encoderblock_{n}/...`` layout) into ``model`` as the official code does.

    Blocks 0..depth-2 come from ``encoderblock_0..depth-2``; the position embedding is resized to the model's grid;
    the head is zeroed; the CLR and key blocks keep their fresh initialisation unless ``clr_from_backbone`` (then
    both start from ``encoderblock_{depth-1}``). ``Transformer/encoder_norm`` and ``head`` are not used.
    """
    if isinstance(source, Mapping):
        weights, name = source, "ViT weights"
    else:
        weights, name = _read_npz(Path(source)), str(source)
    c = model.config
    dim, reader = c.hidden_size, _NpzReader(weights, name)
    p = c.patch_size
    new: dict[str, Tensor] = {
        "patch_embed.weight": reader.take("embedding/kernel", (p, p, c.in_chans, dim)).permute(3, 2, 0, 1),
        "patch_embed.bias": reader.take("embedding/bias", (dim,)),
        "cls_token": reader.take("cls", (1, 1, dim)),
        "pos_embed": resize_pos_embed(
            reader.pos_embed("Transformer/posembed_input/pos_embedding", dim), c.grid_size
        ),
        "head.weight": torch.zeros(c.num_classes, dim),
        "head.bias": torch.zeros(c.num_classes),
    }
    for n in range(c.depth - 1):
        new.update(_npz_block(reader, n, f"blocks.{n}.", c.num_heads, dim, c.mlp_dim))
    if c.clr_from_backbone:
        for dst in ("clr_block.", "key_block."):
            new.update(_npz_block(reader, c.depth - 1, dst, c.num_heads, dim, c.mlp_dim))
    result = model.load_state_dict(new, strict=False)
    assert not result.unexpected_keys, result.unexpected_keys
    return model


# ---------------------------------------------------------------------------------------------------------------
# Official IELT state dict (mobulan/IELT checkpoint.bin)
# ---------------------------------------------------------------------------------------------------------------

_OFFICIAL_BLOCK = {
    "attention_norm.weight": "norm1.weight",
    "attention_norm.bias": "norm1.bias",
    "attn.out.weight": "attn.proj.weight",
    "attn.out.bias": "attn.proj.bias",
    "ffn_norm.weight": "norm2.weight",
    "ffn_norm.bias": "norm2.bias",
    "ffn.fc1.weight": "mlp.fc1.weight",
    "ffn.fc1.bias": "mlp.fc1.bias",
    "ffn.fc2.weight": "mlp.fc2.weight",
    "ffn.fc2.bias": "mlp.fc2.bias",
}
_OFFICIAL_QKV = ("attn.query", "attn.key", "attn.value")
_OFFICIAL_SINGLE = {
    "embeddings.patch_embeddings.weight": "patch_embed.weight",
    "embeddings.patch_embeddings.bias": "patch_embed.bias",
    "embeddings.position_embeddings": "pos_embed",
    "embeddings.cls_token": "cls_token",
    "encoder.clr_encoder.clr_norm.weight": "clr_norm.weight",
    "encoder.clr_encoder.clr_norm.bias": "clr_norm.bias",
    "encoder.key_norm.weight": "key_norm.weight",
    "encoder.key_norm.bias": "key_norm.bias",
    "head.weight": "head.weight",
    "head.bias": "head.bias",
}
_BLOCK_KEYS = [*_OFFICIAL_BLOCK, *(f"{n}.{p}" for n in _OFFICIAL_QKV for p in ("weight", "bias"))]


def _unwrap(state_dict: Mapping[str, Any]) -> dict[str, Tensor]:
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"expected a state dict (a mapping), got {type(state_dict).__name__}")
    if "model" in state_dict and isinstance(state_dict["model"], Mapping):
        state_dict = state_dict["model"]
    out: dict[str, Tensor] = {}
    for key, value in state_dict.items():
        name = str(key)
        while name.startswith(("module.", "_orig_mod.")):  # saved from DDP / torch.compile wrappers
            name = name.split(".", 1)[1]
        if not isinstance(value, Tensor):
            raise ValueError(
                f"official IELT state dict: key {key!r} holds a {type(value).__name__}, not a tensor"
            )
        out[name] = value
    return out


def _require(sd: Mapping[str, Tensor], key: str, ndim: int) -> Tensor:
    if key not in sd:
        raise ValueError(f"official IELT state dict: missing key {key!r}")
    if sd[key].ndim != ndim:
        raise ValueError(
            f"official IELT state dict: key {key!r} has shape {tuple(sd[key].shape)}, expected {ndim}-d"
        )
    return sd[key]


def _same_block(sd: Mapping[str, Tensor], a: str, b: str) -> bool:
    return all(
        f"{a}{k}" in sd
        and f"{b}{k}" in sd
        and sd[f"{a}{k}"].shape == sd[f"{b}{k}"].shape
        and torch.equal(sd[f"{a}{k}"], sd[f"{b}{k}"])
        for k in _BLOCK_KEYS
    )


def _layout(sd: Mapping[str, Tensor]) -> tuple[dict[str, int], int, bool]:
    """Sizes readable from the shapes, the number of voting layers, and whether it is the 'dog' layout."""
    patch = _require(sd, "embeddings.patch_embeddings.weight", 4)
    pos = _require(sd, "embeddings.position_embeddings", 3)
    head = _require(sd, "head.weight", 2)
    fc1 = _require(sd, "encoder.layer.0.ffn.fc1.weight", 2)
    grid = math.isqrt(pos.shape[1] - 1)
    if grid * grid != pos.shape[1] - 1:
        raise ValueError(
            f"official IELT state dict: embeddings.position_embeddings has {pos.shape[1]} tokens, not 1 + g*g"
        )
    indices = sorted({int(m.group(1)) for k in sd if (m := re.match(r"encoder\.layer\.(\d+)\.", k))})
    if indices != list(range(len(indices))):
        raise ValueError(f"official IELT state dict: encoder.layer indices {indices} are not 0..n-1")
    n = len(indices)
    # 'dog'/'nabrids' runs keep the CLR and key blocks inside encoder.layer as its last two entries.
    dog = (
        n >= 3
        and _same_block(sd, f"encoder.layer.{n - 2}.", "encoder.clr_layer.")
        and _same_block(sd, f"encoder.layer.{n - 1}.", "encoder.key_layer.")
    )
    voting = n - 2 if dog else n
    sizes = {
        "hidden_size": patch.shape[0],
        "in_chans": patch.shape[1],
        "patch_size": patch.shape[-1],
        "img_size": grid * patch.shape[-1],
        "num_classes": head.shape[0],
        "mlp_dim": fc1.shape[0],
        "depth": voting + 1,
    }
    return sizes, voting, dog


def _map_block(sd: dict[str, Tensor], sources: list[str], dst: str, used: set[str]) -> dict[str, Tensor]:
    present = [s for s in sources if any(k.startswith(s) for k in sd)]
    if not present:
        raise ValueError(f"official IELT state dict: missing block {sources[0]!r}")
    src = present[0]
    for alias in present[1:]:
        if not _same_block(sd, src, alias):
            raise ValueError(
                f"official IELT state dict: {alias!r} should be the same module as {src!r} but differs"
            )
        used.update(f"{alias}{k}" for k in _BLOCK_KEYS)
    missing = [f"{src}{k}" for k in _BLOCK_KEYS if f"{src}{k}" not in sd]
    if missing:
        raise ValueError(f"official IELT state dict: missing key(s) {missing}")
    used.update(f"{src}{k}" for k in _BLOCK_KEYS)
    out = {f"{dst}{ours}": sd[f"{src}{theirs}"] for theirs, ours in _OFFICIAL_BLOCK.items()}
    for part in ("weight", "bias"):
        out[f"{dst}attn.qkv.{part}"] = torch.cat([sd[f"{src}{n}.{part}"] for n in _OFFICIAL_QKV], dim=0)
    return out


def from_official_state_dict(state_dict: Mapping[str, Any], **config: Any) -> IELT:
    """Build an IELT from a mobulan/IELT state dict (``checkpoint.bin`` as saved, with or without ``model``).

    Sizes readable from the tensors (hidden, patch, image size, classes, MLP, depth) are taken from them; the rest
    (heads, vote_perhead, select_init, …) from ``config`` on top of the ``vit_b16_448`` preset (or ``preset=``).
    The official checkpoint does not store the DSM budgets: the model starts from ``select_init``.
    """
    sd = _unwrap(state_dict)
    learned = sorted(k for k in sd if k.startswith("encoder.patch_select.conv."))
    if learned:
        raise ValueError(
            f"official IELT state dict: {learned} belong to a learned vote smoothing (fix=False), "
            "which is not supported: only the fixed 3x3 kernel is"
        )
    sizes, voting, dog = _layout(sd)
    for key, value in sizes.items():
        if key in config and config[key] != value:
            raise ValueError(f"{key}: the checkpoint has {value}, the config asks for {config[key]}")
    model = IELT(make_config({**sizes, **config}))

    used: set[str] = set()
    new: dict[str, Tensor] = {}
    for theirs, ours in _OFFICIAL_SINGLE.items():
        if theirs not in sd:
            raise ValueError(f"official IELT state dict: missing key {theirs!r}")
        new[ours] = sd[theirs]
        used.add(theirs)
    for n in range(voting):
        new.update(_map_block(sd, [f"encoder.layer.{n}."], f"blocks.{n}.", used))
    clr_sources = ["encoder.clr_layer.", "encoder.clr_encoder.clr_layer."]
    key_sources = ["encoder.key_layer."]
    if dog:
        clr_sources.append(f"encoder.layer.{voting}.")
        key_sources.append(f"encoder.layer.{voting + 1}.")
    new.update(_map_block(sd, clr_sources, "clr_block.", used))
    new.update(_map_block(sd, key_sources, "key_block.", used))

    unexpected = sorted(set(sd) - used)
    if unexpected:
        raise ValueError(
            f"official IELT state dict: unexpected key(s) {unexpected[:10]}"
            f"{' …' if len(unexpected) > 10 else ''} (a different model or version?)"
        )
    ours = model.state_dict()
    for key, value in new.items():
        if value.shape != ours[key].shape:
            raise ValueError(
                f"official IELT state dict: {key!r} (ours) gets shape {tuple(value.shape)}, expected "
                f"{tuple(ours[key].shape)}; check num_heads and the other sizes"
            )
    new.update({k: v for k, v in ours.items() if k.startswith("selection.")})
    model.load_state_dict(new, strict=True)
    return model


class _LenientUnpickler(pickle.Unpickler):
    """Stands in a plain dict subclass for classes that cannot be imported (e.g. the yacs config it stores)."""

    def find_class(self, module: str, name: str) -> Any:
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            return type(name, (dict,), {"__module__": f"missing.{module}"})


_LENIENT_PICKLE = types.SimpleNamespace(
    __name__="herbproc_lenient_pickle",
    Unpickler=_LenientUnpickler,
    load=lambda file, **kwargs: _LenientUnpickler(file, **kwargs).load(),
)


def load_official_checkpoint(path: str | Path, *, trust_pickle: bool = False, **config: Any) -> IELT:
    """Read an official ``checkpoint.bin`` and build the model (see :func:`from_official_state_dict`).

    The official file also pickles its yacs config, optimizer and scheduler, so a tensors-only load refuses it;
    ``trust_pickle=True`` allows the full unpickler (only for files you trust), with unimportable classes stubbed.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"IELT checkpoint not found: {path}")
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except (
        Exception
    ) as exc:  # torch raises KeyError/EOFError/RuntimeError/UnpicklingError for non-checkpoints
        # torch.save writes a zip archive; only then is a refused tensors-only load about pickled objects.
        objects = zipfile.is_zipfile(path) and "Weights only load failed" in str(exc)
        if not objects:
            raise ValueError(
                f"{path}: not a torch checkpoint ({type(exc).__name__}: {str(exc)[:200]})"
            ) from exc
        if not trust_pickle:
            raise ValueError(
                f"{path}: holds Python objects besides tensors (the official checkpoint.bin pickles its config); "
                "pass trust_pickle=True if you trust this file"
            ) from exc
        try:
            obj = torch.load(path, map_location="cpu", weights_only=False, pickle_module=_LENIENT_PICKLE)
        except Exception as inner:
            raise ValueError(f"{path}: could not be unpickled ({type(inner).__name__}: {inner})") from inner
    return from_official_state_dict(obj, **config)
