#!/usr/bin/env python
"""OCR stage benchmarks: TrOCR throughput against bare ``model.generate``, and reading quality on synthetic sheets.

speed — the engine the stage uses (``TrOCREngine.read``: PIL resize as the checkpoint's processor does, device
normalisation, a prefetch thread, greedy generate with the token-probability recorder, decoding) against bare
``model.generate`` on the same batches already on the device, lines/s side by side and the ratio (goal >= 0.9).
A random TrOCR-base-shaped model (ViT-B/16 at 384 px, 12-layer 1024-wide decoder, 50,265-token vocabulary)
or a tiny one is built and saved first; nothing is downloaded.

    python bench/ocr.py speed --device cuda --dtype bf16 --model base --lines 2048 --batch 256 --tokens 32
    python bench/ocr.py speed --device cpu --model tiny --lines 256 --batch 32 --tokens 16

quality — CER per line, field accuracy and taxon accuracy on rendered sheets (``herbproc.synth``), read by the
stage's reader; with ``--prior-accuracy A`` also with a simulated classifier whose top-1 is right with
probability A (the same readings, the taxon resolved with and without the prior: with whole names only, with
partial evidence as by default, and with the image fallback), averaged over ``--prior-draws`` simulated top-k
lists per sheet. ``--species`` sets the taxonomy's size (the run's classes); sheet i shows taxon i, so most
names are distractors.

    python bench/ocr.py quality --sheets 24 --handwriting 0
    python bench/ocr.py quality --sheets 36 --species 200 --blur 1.5 --fading 0.5 --occlusion 0.5 \
        --handwriting 0.5 --downsample 2 --prior-accuracy 0.5 0.7 0.9 --prior-draws 20

real — the real-sheet baselines of docs/benchmarks.md: the 13 ``<scientific name><index>.jpeg`` GBIF thumbnails
(500 x 750 px) of ../shared/fixtures/real_sheets, candidate names = their 13 names, the truth = the file name less
its index. rapidocr's own pipeline (its defaults: det + cls + rec; ``--no-cls``: det + rec) on the whole sheet,
then ``resolve_taxon`` at herbproc.fields' defaults; the same on the sheet enlarged 2x (cubic); herbproc's
``LabelReader`` at the OCR defaults (as tests/test_ocr_real_sheets.py). Right / wrong / abstained per method and
seconds per sheet.

    python bench/ocr.py real [--threads 2] [--no-cls] [--show-errors]

rereads — ``ocr.reread`` (the taxon lines of unsure sheets read again at other scales and by the other engine):
the same sheets read by ``LabelReader`` once per variant (``--variants``, each a space-separated list of ocr
key=value overrides; the first is the baseline), side by side: binomial right / wrong / abstained, the names
given at confidence >= 0.5 / 0.8 / 0.9 / 0.95 and how many of them are right, the sheets re-read, and CPU seconds
per sheet (this process and its children, i.e. tesseract, from ``os.times``) and wall seconds. ``--source``:
synthetic (``--sheets`` at ``--width`` 500 x 750 of synth seed ``--seed``, half clean, half blurred 0.8 and
downsampled 1.5x as bench/confusions.py renders them; candidates = the world's names + ``--twins`` near-miss
congeners per name), real (the 13 thumbnails, their 13 names) or aocr (the 30 NYBG sheets of aocr_gold, its
names.txt; right = the label's or a determination slip's name, as bench/confusions.py; ``--aocr-folder`` another
folder laid out alike). ``ocr.reread_dates`` (a date line that gives a year and no day read again) is measured
the same way: eventDate right / wrong / abstained against the truth (synthetic, aocr; ``-`` for real) and the
sheets that had a date line re-read.

    python bench/ocr.py rereads --source synthetic --seed 2 --sheets 40 --twins 2 \
        --variants "reread=false" "reread=true"
    python bench/ocr.py rereads --source real --variants "reread=false" "reread=true"
    python bench/ocr.py rereads --source aocr --aocr-folder thumbs/aocr70_dev \
        --variants "reread_dates=false" "reread_dates=true"
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

SHAPES = {
    # encoder hidden/layers/heads/image/patch, decoder width/layers/heads/ffn, vocabulary
    "base": {"hidden": 768, "layers": 12, "heads": 12, "image": 384, "patch": 16,
             "d_model": 1024, "dec_layers": 12, "dec_heads": 16, "ffn": 4096, "vocab": 50265},
    "tiny": {"hidden": 64, "layers": 2, "heads": 2, "image": 64, "patch": 16,
             "d_model": 64, "dec_layers": 2, "dec_heads": 2, "ffn": 128, "vocab": 2000},
}  # fmt: skip


# --------------------------------------------------------------------------------------------- speed


def build_model(out: Path, shape: str, seed: int = 0) -> Path:
    """A random TrOCR of ``shape`` with a word-level tokenizer of the same vocabulary, saved like a checkpoint."""
    import torch
    import transformers
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import (
        GenerationConfig,
        PreTrainedTokenizerFast,
        TrOCRConfig,
        TrOCRProcessor,
        VisionEncoderDecoderConfig,
        VisionEncoderDecoderModel,
        ViTConfig,
        ViTImageProcessor,
    )

    transformers.utils.logging.disable_progress_bar()
    s = SHAPES[shape]
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    vocab.update({f"w{i}": i for i in range(4, s["vocab"])})
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    )
    encoder = ViTConfig(image_size=s["image"], patch_size=s["patch"], hidden_size=s["hidden"],
                        num_hidden_layers=s["layers"], num_attention_heads=s["heads"],
                        intermediate_size=4 * s["hidden"])  # fmt: skip
    decoder = TrOCRConfig(vocab_size=s["vocab"], d_model=s["d_model"], decoder_layers=s["dec_layers"],
                          decoder_attention_heads=s["dec_heads"], decoder_ffn_dim=s["ffn"],
                          max_position_embeddings=512, tie_word_embeddings=False, pad_token_id=1, bos_token_id=0,
                          eos_token_id=2, decoder_start_token_id=2)  # fmt: skip
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    config.decoder_start_token_id, config.pad_token_id, config.eos_token_id = 2, 1, 2
    torch.manual_seed(seed)
    model = VisionEncoderDecoderModel(config=config)
    model.generation_config = GenerationConfig(decoder_start_token_id=2, bos_token_id=0, pad_token_id=1,
                                               eos_token_id=2)  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    processor = ViTImageProcessor(size={"height": s["image"], "width": s["image"]}, image_mean=[0.5] * 3,
                                  image_std=[0.5] * 3)  # fmt: skip
    TrOCRProcessor(image_processor=processor, tokenizer=tokenizer).save_pretrained(out)
    return out


def line_crops(n: int, seed: int = 0) -> list[np.ndarray]:
    """Rendered label-like lines, 28-48 px tall, 120-900 px wide."""
    from PIL import Image, ImageDraw, ImageFont

    rng = np.random.default_rng(seed)
    words = (
        "Carex crinita Lam. Middlesex County Concord Coll. Fernald No. 1234 June 1912 wet meadow near".split()
    )
    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    out = []
    for _ in range(n):
        text = " ".join(rng.choice(words, size=int(rng.integers(2, 9))))
        size = int(rng.integers(20, 34))
        font = ImageFont.truetype(font_path, size) if Path(font_path).exists() else ImageFont.load_default()
        x0, y0, x1, y1 = font.getbbox(text)
        im = Image.new("RGB", (x1 + 10, y1 + 10), (240, 235, 220))
        ImageDraw.Draw(im).text((5, 5), text, font=font, fill=(25, 25, 25))
        out.append(np.asarray(im))
    return out


def speed(args: argparse.Namespace) -> None:
    import torch

    from herbproc.ocr.engines.trocr import TrOCREngine

    torch.set_num_threads(max(1, args.threads))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = build_model(Path(tmp) / "trocr", args.model)
        print(f"built and saved a random {args.model}-shaped TrOCR in {time.perf_counter() - t0:.1f} s")
        engine = TrOCREngine(str(path), device=args.device, dtype=args.dtype, num_beams=1,
                             max_new_tokens=args.tokens, batch_size=args.batch)  # fmt: skip
    crops = line_crops(args.lines)
    model = engine.model
    batches = [crops[i : i + args.batch] for i in range(0, len(crops), args.batch)]
    ready = [engine.pixel_values(engine.prepare(b)) for b in batches]  # the bare loop gets these for free

    def sync() -> None:
        if engine.device == "cuda":
            torch.cuda.synchronize()

    def bare() -> float:
        sync()
        t = time.perf_counter()
        with torch.inference_mode():
            for pv in ready:
                model.generate(pixel_values=pv, num_beams=1, do_sample=False, max_new_tokens=args.tokens,
                               max_length=None)  # fmt: skip
        sync()
        return time.perf_counter() - t

    def ours() -> float:
        sync()
        t = time.perf_counter()
        engine.read(crops)
        sync()
        return time.perf_counter() - t

    engine.read(crops[: args.batch])  # warm-up: kernels, allocator, thread
    bare_s, ours_s = [], []
    for _ in range(args.repeats):
        bare_s.append(bare())
        ours_s.append(ours())
    b, o = len(crops) / min(bare_s), len(crops) / min(ours_s)
    print(f"device {engine.device} ({torch.cuda.get_device_name() if engine.device == 'cuda' else 'cpu'}), "
          f"dtype {engine.dtype}, {len(crops)} lines, batch {args.batch}, {args.tokens} new tokens, "
          f"best of {args.repeats}")  # fmt: skip
    print(f"bare model.generate      {b:9.1f} lines/s")
    print(f"stage engine (read)      {o:9.1f} lines/s")
    print(f"ratio stage / bare       {o / b:9.3f}")


# --------------------------------------------------------------------------------------------- quality


def twin_names(
    names: list[str], per_name: int, rng: np.random.Generator, other_authors: bool = False
) -> list[str]:
    """Congeners one letter away from each name's epithet (a dense flora: Carex crinita, C. crinata ...); with
    ``other_authors`` each twin gets another authorship from the synthetic world's pool (real congeners mostly
    have their own), else the name's own."""
    from herbproc.fields import parse_name
    from herbproc.synthetic.names import AUTHORS

    letters = "aeiounrtls"
    out = []
    for name in names:
        parsed = parse_name(name)
        if parsed is None or not parsed.specific_epithet:
            continue
        for _ in range(per_name):
            ep = parsed.specific_epithet
            k = int(rng.integers(1, len(ep)))
            twin = ep[:k] + str(rng.choice([c for c in letters if c != ep[k]])) + ep[k + 1 :]
            author = parsed.authorship
            if other_authors:
                author = str(rng.choice([a for a in AUTHORS if a != author]))
            out.append(f"{parsed.genus} {twin} {author}".strip())
    return out


def world_collectors():
    """The synthetic world's collectors with its determiners as distractors: a herbarium's list of people."""
    from herbproc.fields.collectors import CollectorIndex
    from herbproc.synthetic.names import COLLECTORS, DETERMINERS

    return CollectorIndex([*COLLECTORS, *DETERMINERS])


def quality(args: argparse.Namespace) -> None:
    from herbproc.fields import TaxonIndex, to_darwin_core
    from herbproc.fields.collectors import apply_collectors
    from herbproc.ocr.evaluate import cer_summary, field_table, line_errors, same_taxon, simulated_prior
    from herbproc.ocr.reader import LabelReader
    from herbproc.ocr.settings import ocr_settings
    from herbproc.synth import make_world, render_sheet

    synth = {"species": args.species, "sheets_per_species": -(-args.sheets // args.species), "width": args.width,
             "height": round(args.width * 1.5), "handwriting_share": args.handwriting, "blur": args.blur,
             "fading": args.fading, "occlusion_share": args.occlusion, "downsample": args.downsample}  # fmt: skip
    world = make_world(synth, seed=args.seed)
    names = sorted({r["scientificName"] for r in world.records()})
    names += twin_names(names, args.twins, np.random.default_rng(args.seed + 1))
    overrides = {"engine": args.engine}
    if args.temperature is not None:
        overrides["temperature"] = args.temperature
    reader = LabelReader(ocr_settings(**overrides), names=TaxonIndex(names), threads=args.threads)
    # the same readings resolved the way the fusion worked before partial evidence, and with the image fallback
    fusions = {
        "whole names only": LabelReader(ocr_settings(**overrides, partial_names=False), names=reader.names,
                                        engines=reader.engines),
        "+ partial evidence (default)": reader,
        "+ image fallback": LabelReader(ocr_settings(**overrides, image_fallback=True), names=reader.names,
                                        engines=reader.engines),
    }  # fmt: skip
    rng = np.random.default_rng(args.seed)
    accuracies = list(args.prior_accuracy or [])
    collectors = world_collectors() if args.collectors else None
    listed_pairs: list[tuple[dict, dict[str, str]]] = []
    errors, printed, handwritten, pairs, text_only, seconds = [], [], [], [], [], []
    outcomes: dict[tuple[str, float], list[tuple[bool, bool]]] = {
        (f, a): [] for f in fusions for a in accuracies
    }
    for i in range(args.sheets):
        sheet = render_sheet(world, i)
        truth = sheet.truth
        expected = truth["species"]["scientificName"]
        t = time.perf_counter()
        result = reader.read(sheet.image)
        seconds.append(time.perf_counter() - t)
        lines = [ln.to_json() for ln in result.lines]
        errors.extend(line_errors(truth, lines))
        printed.extend(line_errors(truth, lines, handwritten=False))
        handwritten.extend(line_errors(truth, lines, handwritten=True))
        pairs.append((truth, result.darwin_core()))
        if collectors is not None:  # the same fields, recordedBy read against the world's people
            fields = dict(result.fields)
            apply_collectors(fields, result.texts, collectors)
            listed_pairs.append((truth, to_darwin_core(fields)))
        text_only.append(same_taxon(result.taxon_ocr.name if result.taxon_ocr else "", expected))
        for _ in range(args.prior_draws):  # the same readings, resolved with a simulated classifier's top-k
            for a in accuracies:
                prior = simulated_prior(expected, names, a, rng)
                for label, fusion in fusions.items():
                    found = fusion.resolve(result.lines, prior)
                    if found.name is None:
                        found = fusion.image_fallback(prior) or found
                    right = same_taxon(found.name or "", expected)
                    outcomes[label, a].append((right, found.name is not None and not right))
    print(f"{args.sheets} sheets {args.width} px wide, engine {args.engine}, degradations: "
          f"handwriting {args.handwriting}, blur {args.blur}, fading {args.fading}, occlusion {args.occlusion}, "
          f"downsample {args.downsample}; {np.mean(seconds):.2f} s per sheet")  # fmt: skip
    print("lines:", cer_summary(errors))
    print("printed lines:", cer_summary(printed))
    print("handwritten lines:", cer_summary(handwritten))
    print(field_table(pairs).to_string(index=False))
    if collectors is not None:
        table, listed = field_table(pairs), field_table(listed_pairs)
        before, after = (t.set_index("term").loc["recordedBy"] if "recordedBy" in t.term.values else None
                         for t in (table, listed))  # fmt: skip
        if before is not None and after is not None:
            print(f"recordedBy against a list of the world's {len(collectors)} people: accuracy "
                  f"{before.accuracy:.3f} -> {after.accuracy:.3f}, similarity {before.similarity:.3f} -> "
                  f"{after.similarity:.3f} ({int(after.sheets)} sheets)")  # fmt: skip
    print(f"taxonomy of {len(names)} names; taxon right, text alone: {np.mean(text_only):.3f}")
    for (label, a), rows in outcomes.items():
        right, wrong = np.mean([r for r, _ in rows]), np.mean([w for _, w in rows])
        print(f"simulated classifier top-1 {a}, {label:30s} taxon right {right:.3f}, wrong name {wrong:.3f} "
              f"({args.prior_draws} draws)")  # fmt: skip
    if args.show_errors:
        for ref, hyp, e in errors:
            if e:
                print(f"  {e:3d}  {ref!r} -> {hyp!r}")


# --------------------------------------------------------------------------------------------- real sheets


def real(args: argparse.Namespace) -> None:
    """The real-sheet baselines: rapidocr's own pipeline on the whole sheet (as is, and enlarged), the names
    resolved by ``resolve_taxon`` at herbproc.fields' defaults, against herbproc's ``LabelReader``."""
    import datetime
    import platform
    import re

    import cv2
    from rapidocr import RapidOCR

    from herbproc.fields import TaxonIndex, parse_name, resolve_taxon
    from herbproc.ocr.reader import LabelReader
    from herbproc.ocr.settings import ocr_settings

    files = sorted(args.images.glob("*.jpeg"))
    if not files:
        sys.exit(f"no <scientific name><index>.jpeg sheets in {args.images}")
    truth = [re.sub(r"\d+$", "", p.stem) for p in files]
    names = TaxonIndex(truth)
    cv2.setNumThreads(args.threads)

    def binomial(name: str | None) -> str:
        parsed = parse_name(name) if name else None
        return parsed.binomial if parsed else ""

    # rapidocr as it comes (det + cls + rec, its config.yaml; --no-cls: without cls), with the thread count fixed
    engine = RapidOCR(params={"Global.log_level": "critical",
                              "EngineConfig.onnxruntime.intra_op_num_threads": args.threads,
                              "EngineConfig.onnxruntime.inter_op_num_threads": 1})  # fmt: skip

    def tool(scale: float):
        def read(rgb: np.ndarray) -> str | None:
            bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
            if scale != 1:
                bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
            out = engine(
                bgr, use_det=True, use_cls=True, use_rec=True
            )  # flags stick in rapidocr 3.10: pass all
            return resolve_taxon(list(out.txts or ()), names).name

        return read

    reader = LabelReader(ocr_settings(), names=names, threads=args.threads)

    def ours(rgb: np.ndarray) -> str | None:
        return reader.read(rgb).darwin_core()["scientificName"] or None

    cls = " (no cls)" if args.no_cls else ""
    methods = {
        f"rapidocr{cls}, whole sheet + resolve_taxon": tool(1.0),
        f"rapidocr{cls}, sheet enlarged 2x + resolve_taxon": tool(2.0),
        "herbproc LabelReader (defaults)": ours,
    }
    sheets = [cv2.cvtColor(cv2.imread(str(p)), cv2.COLOR_BGR2RGB) for p in files]
    tool(1.0)(sheets[0])  # sessions and caches built before the clock starts
    print(f"# {platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, {datetime.date.today()}, {args.threads} threads")  # fmt: skip
    print(f"# {len(files)} sheets of {args.images} ({sheets[0].shape[1]} x {sheets[0].shape[0]} px), "
          f"candidates: their {len(names.names)} names; right = same binomial as the file name")  # fmt: skip
    got: dict[str, list[str | None]] = {}
    for label, method in methods.items():
        t0 = time.perf_counter()
        got[label] = [method(rgb) for rgb in sheets]
        seconds = (time.perf_counter() - t0) / len(sheets)
        right = sum(binomial(g) == binomial(t) for g, t in zip(got[label], truth, strict=True))
        abstained = sum(not g for g in got[label])
        print(f"{label:54} right {right:2d} / {len(sheets)}, wrong {len(sheets) - right - abstained:2d}, "
              f"abstained {abstained:2d}, {seconds:.2f} s/sheet", flush=True)  # fmt: skip
    if args.show_errors:
        for k, t in enumerate(truth):
            marks = [
                "ok " if binomial(g[k]) == binomial(t) else ("-- " if not g[k] else "BAD")
                for g in got.values()
            ]
            print(
                f"  {t:45} "
                + "  ".join(
                    f"{m} {str(g[k] or '')[:32]:32}" for m, g in zip(marks, got.values(), strict=True)
                )
            )


# --------------------------------------------------------------------------------------------- rereads


def _overrides(text: str) -> dict[str, object]:
    import json

    out: dict[str, object] = {}
    for item in text.split():
        key, _, value = item.partition("=")
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
    return out


def _sheets(args: argparse.Namespace) -> tuple[list[tuple[str, list[str], object, str | None]], list[str]]:
    """(id, truth names, image-maker, truth eventDate or None where not known) per sheet, and the candidate
    names."""
    import re

    fixtures = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
    if args.source == "synthetic":
        from herbproc.synth import make_world, render_sheet

        per = -(-args.sheets // args.species)
        sheets, names = [], []
        for part, degrade in enumerate(({}, {"blur": 0.8, "downsample": 1.5})):
            n = args.sheets // 2 if part == 0 else args.sheets - args.sheets // 2
            synth = {"species": args.species, "sheets_per_species": per, "width": args.width,
                     "height": round(args.width * 1.5), **degrade}  # fmt: skip
            world = make_world(synth, seed=args.seed * 10 + part)
            names += sorted({r["scientificName"] for r in world.records()})
            for i in range(n):
                sheet = render_sheet(world, i)
                sheets.append((f"s{args.seed}-{part}-{i}", [sheet.truth["species"]["scientificName"]],
                               lambda sheet=sheet: sheet.image, sheet.truth["dwc"]["eventDate"]))  # fmt: skip
        names = sorted(set(names))
        names += twin_names(names, args.twins, np.random.default_rng(len(names))) if args.twins else []
        return sheets, names
    from herbproc.mask.stage import decode_original

    def loader(path: Path):
        return lambda: decode_original(path.read_bytes(), 150_000_000)

    if args.source == "real":
        files = sorted((fixtures / "real_sheets").glob("*.jpeg"))
        truths = [[re.sub(r"\d+$", "", p.stem)] for p in files]
        return [(p.stem, t, loader(p), None) for p, t in zip(files, truths, strict=True)], [t[0] for t in truths]
    # bench/aocr.py: how the gold names and dates a sheet
    from aocr import aocr_names, aocr_sheets, aocr_truth

    folder = args.aocr_folder or fixtures / "aocr_gold"
    if not (folder / "names.txt").is_file() or not any((folder / "parsed").glob("*.csv")):
        raise SystemExit(f"bench/ocr.py rereads: {folder} holds no gold sheets (parsed/*.csv) or no names.txt")
    days = {image.name: row["eventDate"] for image, row in aocr_truth(folder)}
    sheets = [(image.stem, aocr_names(rows), loader(image), days[image.name]) for image, rows in aocr_sheets(folder)]
    return sheets, (folder / "names.txt").read_text().splitlines()


def rereads(args: argparse.Namespace) -> None:
    import datetime
    import subprocess

    from herbproc.fields import TaxonIndex, parse_name
    from herbproc.fields.score import judge
    from herbproc.ocr.reader import LabelReader
    from herbproc.ocr.settings import ocr_settings

    def binomial(name: str | None) -> str:
        parsed = parse_name(name) if name else None
        return parsed.binomial.lower() if parsed else ""

    def cpu() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    sheets, names = _sheets(args)
    index = TaxonIndex(names)
    readers = {v: LabelReader(ocr_settings(**_overrides(v)), names=index, threads=args.threads)
               for v in args.variants}  # fmt: skip
    first = next(iter(readers.values()))
    for r in readers.values():  # one engine of each kind for all variants
        r._reread_engines.update(first._reread_engines)
    first.read(sheets[0][2]())  # sessions built before the clock starts
    git = ["git", "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, capture_output=True, text=True).stdout.strip()
    print(f"# {args.source}: {len(sheets)} sheets, {len(index)} candidate names; {os.cpu_count()} CPUs, load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, {datetime.date.today()}, commit {commit}, "
          f"{args.threads} threads")  # fmt: skip
    rows: dict[str, list[tuple[str, list[str], str | None, float, int]]] = {v: [] for v in readers}
    days: dict[str, list[str | None]] = {v: [] for v in readers}  # eventDate's verdict, None where unknown
    dated = {v: 0 for v in readers}  # sheets with a date line re-read
    seconds = {v: [0.0, 0.0] for v in readers}
    for sid, truth, make, day in sheets:
        image = make()
        for v, reader in readers.items():
            c, t = cpu(), time.perf_counter()
            result = reader.read(image)
            seconds[v][0] += cpu() - c
            seconds[v][1] += time.perf_counter() - t
            taxon = result.taxon
            name = taxon.name if taxon is not None and taxon.evidence == "label" else None
            rows[v].append((sid, truth, name, taxon.confidence if taxon else 0.0, result.rereads))
            read_day = result.darwin_core().get("eventDate", "")
            days[v].append(judge("eventDate", day, read_day) if day is not None else None)
            dated[v] += result.date_rereads > 0
        if args.verbose:
            print(f"  {sid:28} {truth[0][:30]:30} " + "  ".join(
                f"{str(r[-1][2] or '-')[:28]:28} {r[-1][3]:.2f} {r[-1][4]:3d}" for r in rows.values()),
                flush=True)  # fmt: skip
    print("| variant | right | wrong | abstained | given >= 0.5 / 0.8 / 0.9 / 0.95 (right) | sheets re-read "
          "| eventDate right / wrong / abstained | sheets' dates re-read | CPU s / sheet | wall s / sheet |")  # fmt: skip
    print("|---|---:|---:|---:|---|---:|---|---:|---:|---:|")
    for v, got in rows.items():
        ok = [bool(n) and any(binomial(n) == binomial(t) for t in truth) for _, truth, n, _, _ in got]
        named = [bool(n) for _, _, n, _, _ in got]
        given = " / ".join(
            f"{sum(nm and c >= p for nm, (*_, c, _) in zip(named, got, strict=True))} "
            f"({sum(o and c >= p for o, (*_, c, _) in zip(ok, got, strict=True))})"
            for p in (0.5, 0.8, 0.9, 0.95)
        )
        reread = sum(r > 0 for *_, r in got)
        n = len(got)
        verdicts = [d for d in days[v] if d is not None]
        day = " / ".join(str(verdicts.count(k)) for k in ("right", "wrong", "abstained")) if verdicts else "-"
        print(f"| {v} | {sum(ok)} | {sum(named) - sum(ok)} | {n - sum(named)} | {given} | {reread} "
              f"| {day} | {dated[v]} | {seconds[v][0] / n:.2f} | {seconds[v][1] / n:.2f} |", flush=True)  # fmt: skip
        for (sid, truth, name, c, _), o, nm in zip(got, ok, named, strict=True):
            if nm and not o:
                print(f"    WRONG {sid}: {name} ({c:.3f}), truth {truth}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("speed")
    sp.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    sp.add_argument("--dtype", default="auto", choices=["auto", "bf16", "fp16", "fp32"])
    sp.add_argument("--model", default="tiny", choices=list(SHAPES))
    sp.add_argument("--lines", type=int, default=256)
    sp.add_argument("--batch", type=int, default=32)
    sp.add_argument("--tokens", type=int, default=16)
    sp.add_argument("--repeats", type=int, default=3)
    sp.add_argument("--threads", type=int, default=1)
    sp.set_defaults(func=speed)
    qp = sub.add_parser("quality")
    qp.add_argument("--sheets", type=int, default=12)
    qp.add_argument("--species", type=int, default=6)
    qp.add_argument("--width", type=int, default=1500)
    qp.add_argument("--seed", type=int, default=0)
    qp.add_argument("--engine", default="ppocr", choices=["ppocr", "tesseract", "ensemble"])
    qp.add_argument("--handwriting", type=float, default=0.0)
    qp.add_argument("--blur", type=float, default=0.0)
    qp.add_argument("--fading", type=float, default=0.0)
    qp.add_argument("--occlusion", type=float, default=0.0)
    qp.add_argument("--downsample", type=float, default=1.0)
    qp.add_argument("--twins", type=int, default=0, help="near-twin congeners added per name to the taxonomy")
    qp.add_argument("--prior-accuracy", type=float, nargs="*", default=None, help="simulated classifier(s)")
    qp.add_argument("--prior-draws", type=int, default=1, help="simulated top-k lists per sheet and accuracy")
    qp.add_argument(
        "--temperature", type=float, default=None, help="ocr.temperature (default herbproc.fields')"
    )
    qp.add_argument("--threads", type=int, default=1)
    qp.add_argument("--show-errors", action="store_true")
    qp.add_argument(
        "--collectors",
        action="store_true",
        help="also score recordedBy read against the world's people (ocr.collectors_file)",
    )
    qp.set_defaults(func=quality)
    rp = sub.add_parser("real")
    rp.add_argument(
        "--images",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real_sheets",
    )
    rp.add_argument("--threads", type=int, default=2)
    rp.add_argument(
        "--no-cls", action="store_true", help="rapidocr without its angle classifier (on by default)"
    )
    rp.add_argument("--show-errors", action="store_true")
    rp.set_defaults(func=real)
    xp = sub.add_parser("rereads")
    xp.add_argument("--source", default="synthetic", choices=["synthetic", "real", "aocr"])
    xp.add_argument("--variants", nargs="+", default=["reread=false", "reread=true"])
    xp.add_argument("--sheets", type=int, default=40)
    xp.add_argument("--species", type=int, default=20)
    xp.add_argument("--width", type=int, default=500)
    xp.add_argument("--seed", type=int, default=2)
    xp.add_argument("--twins", type=int, default=2)
    xp.add_argument("--threads", type=int, default=2)
    xp.add_argument("--verbose", action="store_true")
    xp.add_argument(
        "--aocr-folder", type=Path, default=None, help="--source aocr: a folder laid out as aocr_gold (images/, "
        "parsed/, names.txt), e.g. the thumbnails bench/thumbnails.py makes",
    )
    xp.set_defaults(func=rereads)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(getattr(args, "threads", 1)))
    args.func(args)


if __name__ == "__main__":
    main()
