"""Line recognition engines behind one interface (``Engine.read(crops) -> list[Reading]``), built from the
``ocr`` settings by ``build_engines``: ``ppocr`` (offline default), ``tesseract``, ``trocr`` (printed and/or
handwritten checkpoints), ``ensemble`` (several of them, the best reading per line kept)."""

from __future__ import annotations

from typing import Any

from herbproc.ocr.engines.base import Engine, EngineError, Reading
from herbproc.schema.ocr import ENGINES, MEMBERS


def member_names(settings: Any) -> list[str]:
    """The basic engines ``ocr.engine`` stands for (ensemble: ``ocr.ensemble``, in that order)."""
    engine = settings.engine
    if engine not in ENGINES:
        raise EngineError(f"wrong value for 'ocr.engine': '{engine}' (choices: {', '.join(ENGINES)})")
    names = list(settings.ensemble) if engine == "ensemble" else [engine]
    bad = [n for n in names if n not in MEMBERS]
    if bad or not names:
        raise EngineError(
            f"wrong value for 'ocr.ensemble': {names} (a non-empty list of {', '.join(MEMBERS)})"
        )
    return list(dict.fromkeys(names))


def build_engines(settings: Any, threads: int = 1) -> list[Engine]:
    """The engines ``settings`` (the ``ocr`` section) asks for; EngineError when one cannot run here."""
    engines: list[Engine] = []
    for name in member_names(settings):
        if name == "ppocr":
            from herbproc.ocr.engines.ppocr import get_ppocr

            engines.append(get_ppocr(threads, int(settings.ppocr_batch_size), settings.ppocr_alphabet))
        elif name == "tesseract":
            from herbproc.ocr.engines.tesseract import TesseractEngine

            engines.append(TesseractEngine(settings.tesseract_lang))
        else:
            engines.extend(trocr_engines(settings.trocr))
    return engines


def check_engines(settings: Any) -> None:
    """What ``build_engines`` needs is there (models, program, checkpoint folders), without loading anything
    heavy: the launcher calls this before submitting. EngineError otherwise."""
    import shutil

    rereading = getattr(settings, "reread", False) or getattr(settings, "reread_dates", False)
    rereads = list(getattr(settings, "reread_engines", [])) if rereading else []
    if "tesseract" in rereads and shutil.which("tesseract") is None:
        raise EngineError(
            "ocr.reread_engines names tesseract, which is not installed (apt-get install tesseract-ocr; "
            "or ocr.reread_engines=[ppocr], or ocr.reread=false ocr.reread_dates=false)"
        )
    for name in member_names(settings):
        if name == "ppocr":
            from herbproc.ocr.engines.ppocr import REC_MODEL
            from herbproc.sheet.textdet import model_path

            try:
                model_path(REC_MODEL)
            except RuntimeError as e:
                raise EngineError(str(e)) from None
        elif name == "tesseract":
            if shutil.which("tesseract") is None:
                raise EngineError("the 'tesseract' program is not installed (apt-get install tesseract-ocr)")
        else:
            from herbproc.ocr.engines.trocr import resolve_checkpoint

            paths = {
                k: getattr(settings.trocr, k)
                for k in ("printed", "handwritten")
                if getattr(settings.trocr, k)
            }
            if not paths:
                raise EngineError(TROCR_MISSING)
            for kind, path in paths.items():
                resolve_checkpoint(path, f"ocr.trocr.{kind}")


TROCR_MISSING = (
    "ocr.engine=trocr needs a checkpoint: ocr.trocr.printed=/path and/or ocr.trocr.handwritten=/path "
    "(folders written by save_pretrained; nothing is downloaded)"
)


def trocr_engines(trocr: Any) -> list[Engine]:
    from herbproc.ocr.engines.trocr import TrOCREngine

    found = [(kind, getattr(trocr, kind)) for kind in ("printed", "handwritten") if getattr(trocr, kind)]
    if not found:
        raise EngineError(TROCR_MISSING)
    return [
        TrOCREngine(
            path,
            name=f"trocr-{kind}",
            device=trocr.device,
            dtype=trocr.dtype,
            num_beams=int(trocr.num_beams),
            max_new_tokens=int(trocr.max_new_tokens),
            batch_size=int(trocr.batch_size),
            key=f"ocr.trocr.{kind}",
        )
        for kind, path in found
    ]


__all__ = ["ENGINES", "Engine", "EngineError", "Reading", "build_engines", "check_engines", "member_names"]
