"""IELT, the fine-grained ViT classifier (Xu et al., IEEE TMM 2023): presets, the model, its weights loaders.
``herbproc.ielt`` re-exports these names (docs/ielt.md). They load on first use, so the settings schema can read
the presets (``herbproc.models.ielt.config``) without importing torch."""

from __future__ import annotations

from herbproc.lazy import lazy_names

_HOMES = {
    "OFFICIAL_SELECT_INIT": "config",
    "PRESETS": "config",
    "IELTConfig": "config",
    "make_config": "config",
    "IELT": "model",
    "IELTOutput": "model",
    "from_official_state_dict": "weights",
    "load_official_checkpoint": "weights",
    "load_vit_npz": "weights",
    "resize_pos_embed": "weights",
}

__all__ = sorted(_HOMES)


__getattr__, __dir__ = lazy_names(__name__, _HOMES)
