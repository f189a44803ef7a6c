"""IELT, the fine-grained ViT classifier (Xu et al., IEEE TMM 2023), and loaders for its weights.

See docs/ielt.md for the model, the training contract and how it was checked against the official code.
"""

from herbproc.models import ielt as _model
from herbproc.models.ielt import *  # noqa: F403  (the documented names, from their new home)

__all__ = _model.__all__
