"""The ``ocr`` settings, as ``herbproc.ocr`` has always exported them; they live with their schema."""

from herbproc.schema.ocr import REGION_KINDS, check, ocr_settings

__all__ = ["REGION_KINDS", "check", "ocr_settings"]
