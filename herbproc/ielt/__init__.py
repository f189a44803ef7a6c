"""IELT, the fine-grained ViT classifier (Xu et al., IEEE TMM 2023), and loaders for its weights.

See docs/ielt.md for the model, the training contract and how it was checked against the official code.
"""

from herbproc.models.ielt import (
    IELT,
    OFFICIAL_SELECT_INIT,
    PRESETS,
    IELTConfig,
    IELTOutput,
    from_official_state_dict,
    load_official_checkpoint,
    load_vit_npz,
    make_config,
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
