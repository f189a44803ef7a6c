"""A tiny random TrOCR checkpoint for tests, saved exactly as a real one is (``save_pretrained``): a ViT encoder,
a TrOCR decoder, a ViT image processor and a fast tokenizer built offline from a few strings.

    path = build_tiny_trocr(tmp_path / "trocr")     # a folder the engine loads like microsoft/trocr-base-printed

Random weights read nothing sensible; tests check the code path (loading, batching, generation, decoding,
confidences), not the text.
"""

from __future__ import annotations

from pathlib import Path

TRAINING_TEXT = [
    "Carex crinita Lam.",
    "Plants of Massachusetts",
    "Middlesex Co., Concord, 12 June 1912",
    "Coll. M. L. Fernald No. 1234",
    "Quercus alba L. var. latiloba",
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:()&-'/",
]
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]  # ids 0..3, TrOCR's order (bos, pad, eos, unk)


def build_tokenizer(vocab_size: int = 120):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(TRAINING_TEXT, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    )


def build_tiny_trocr(
    out: Path,
    *,
    image_size: int = 32,
    patch_size: int = 8,
    hidden: int = 32,
    layers: int = 2,
    heads: int = 2,
    seed: int = 0,
    max_length: int = 24,
) -> Path:
    """Save a random TrOCR (model + processor) to ``out``; returns ``out``."""
    import torch
    from transformers import (
        GenerationConfig,
        TrOCRConfig,
        TrOCRProcessor,
        VisionEncoderDecoderConfig,
        VisionEncoderDecoderModel,
        ViTConfig,
        ViTImageProcessor,
    )

    tokenizer = build_tokenizer()
    encoder = ViTConfig(
        image_size=image_size,
        patch_size=patch_size,
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=2 * hidden,
    )
    decoder = TrOCRConfig(
        vocab_size=len(tokenizer),
        d_model=hidden,
        decoder_layers=layers,
        decoder_attention_heads=heads,
        decoder_ffn_dim=2 * hidden,
        max_position_embeddings=64,
        tie_word_embeddings=False,  # tied, a random decoder keeps echoing its start token (/s/): empty lines
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
    )
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    config.decoder_start_token_id = tokenizer.eos_token_id
    config.pad_token_id = tokenizer.pad_token_id
    config.eos_token_id = tokenizer.eos_token_id
    torch.manual_seed(seed)
    model = VisionEncoderDecoderModel(config=config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.bos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        max_length=max_length,
    )
    image_processor = ViTImageProcessor(
        size={"height": image_size, "width": image_size}, image_mean=[0.5] * 3, image_std=[0.5] * 3
    )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    TrOCRProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(out)
    return out


# --------------------------------------------------------------------------------------------- rendered lines

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"  # fonts-dejavu-core (scripts/setup.sh)


def render_line(text: str, size: int = 28, font: str = FONT, ink=(25, 25, 25), paper=(242, 236, 220)):
    """One printed line on label-coloured paper, RGB uint8, a few pixels of margin."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(font, size)
    x0, y0, x1, y1 = face.getbbox(text)
    im = Image.new("RGB", (x1 + 12, y1 + 12), paper)
    ImageDraw.Draw(im).text((6, 6), text, font=face, fill=ink)
    return np.asarray(im)


# --------------------------------------------------------------------------------------------- small OCR runs


def synthetic_run(
    tmp: Path,
    *,
    species: int = 2,
    sheets_per_species: int = 2,
    width: int = 800,
    seed: int = 5,
    extra: dict[str, tuple[bytes, str]] | None = None,
    **synth,
) -> tuple[Path, list[str], object]:
    """A run directory whose manifest and store hold rendered synthetic sheets (folder ingest + download), with
    their truth in ``<run_dir>/synth/truth``; ``extra`` adds images of its own (id → (JPEG bytes, scientific
    name)). Returns (run_dir, base overrides, world)."""
    import json

    from herbproc.config import compose
    from herbproc.gbif.stage import ingest, write_outputs
    from herbproc.shard import execute_shard
    from herbproc.synth import make_world, render_sheet

    world = make_world(
        {"species": species, "sheets_per_species": sheets_per_species, "width": width,
         "height": round(width * 1.5), **synth},
        seed=seed,
    )  # fmt: skip
    run_dir, folder = tmp / "run", tmp / "sheets"
    (run_dir / "synth" / "truth").mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id,scientificName,label"]
    for i, rec in enumerate(world.records()):
        sheet = render_sheet(world, i)
        gid = str(rec["gbifID"])
        (folder / f"{gid}.jpg").write_bytes(sheet.jpeg_bytes())
        (run_dir / "synth" / "truth" / f"{gid}.json").write_text(json.dumps(sheet.truth))
        species_name = sheet.truth["species"]["canonicalName"]
        lines.append(f'{gid},"{rec["scientificName"]}","{species_name}"')
    for gid, (data, name) in (extra or {}).items():
        (folder / f"{gid}.jpg").write_bytes(data)
        lines.append(f'{gid},"{name}","{name}"')
    labels = tmp / "labels.csv"
    labels.write_text("\n".join(lines) + "\n")
    base = [f"run_dir={run_dir}", "shards=1"]  # one shard reads every sheet (the demo data config says 2)
    cfg = compose(["stage=ingest", *base, f"input={folder}", "ingest.source=folder",
                   f"ingest.labels_csv={labels}", "ingest.val_fraction=0", "ingest.test_fraction=0"])  # fmt: skip
    write_outputs(cfg, ingest(cfg))
    small_store = ["storage.height=64", "storage.width=48", "storage.zarr_shard_images=4"]
    execute_shard(compose(["stage=download", *base, *small_store]), 0)
    return run_dir, base, world


def blank_sheet(width: int = 600, height: int = 900, seed: int = 0) -> bytes:
    """A sheet of bare paper (no label, no plant), JPEG bytes."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(seed)
    paper = np.full((height, width, 3), (228, 233, 238), np.float32)  # BGR of a cream paper
    paper += rng.normal(0, 1.5, size=paper.shape)
    ok, buf = cv2.imencode(".jpg", np.clip(paper, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return buf.tobytes()


def damage_original(run_dir: Path, gbif_id: str, keep: int = 400) -> None:
    """Cut the stored original bytes of one sheet short (a corrupt file in the store)."""
    import pandas as pd

    from herbproc.store import open_store

    manifest = pd.read_parquet(run_dir / "manifest.parquet")
    row = int(manifest.loc[manifest["gbifID"].astype(str) == gbif_id, "row"].iloc[0])
    store = open_store(run_dir / "store", variant="raw", writable=True)
    data = store.original(row)
    with store.writer("core") as writer:
        writer.put(row, original=data[:keep])
