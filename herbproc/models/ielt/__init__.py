"""IELT, the fine-grained ViT classifier (Xu et al., IEEE TMM 2023): presets, the model, its weights loaders.
``herbproc.ielt`` re-exports these names (docs/ielt.md)."""

from herbproc.models.ielt.config import OFFICIAL_SELECT_INIT, PRESETS, IELTConfig, make_config
from herbproc.models.ielt.model import IELT, IELTOutput
from herbproc.models.ielt.weights import (
    from_official_state_dict,
    load_official_checkpoint,
    load_vit_npz,
    resize_pos_embed,
)

__all__ = [
    "IELT",
    "IELTConfig",
    "IELTOutput",
    "OFFICIAL_SELECT_INIT",
    "PRESETS",
    "from_official_state_dict",
    "load_official_checkpoint",
    "load_vit_npz",
    "make_config",
    "resize_pos_embed",
]
