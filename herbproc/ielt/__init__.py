"""IELT, the fine-grained ViT classifier (Xu et al., IEEE TMM 2023), and loaders for its weights.

See docs/ielt.md for the model, the training contract and how it was checked against the official code.
The names load on first use (from ``herbproc.models.ielt``, their new home), so importing a stage module of
this package (``herbproc.ielt.train``: what the launcher checks and the report reads) does not import torch.
"""

from herbproc.models import ielt as _model

__all__ = _model.__all__


def __getattr__(name: str):
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_model, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
