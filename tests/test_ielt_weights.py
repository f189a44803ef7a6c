"""IELT weight loaders: Google ViT .npz (as the official load_from) and official IELT state dicts / checkpoint.bin."""

from __future__ import annotations

import dataclasses
import sys
import types

import numpy as np
import pytest
import torch
from ielt_reference import build_reference, randomize_

from herbproc.ielt import (
    IELT,
    from_official_state_dict,
    load_official_checkpoint,
    load_vit_npz,
    make_config,
    resize_pos_embed,
)

ATTN = "MultiHeadDotProductAttention_1"


def google_npz(cfg, grid: int, blocks: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Random arrays in the key layout and shapes of Google's ViT-B_16.npz, at the sizes of ``cfg``."""
    rng = np.random.default_rng(seed)
    c, h, m, p = cfg.hidden_size, cfg.num_heads, cfg.mlp_dim, cfg.patch_size
    d = c // h

    def arr(*shape):
        return (0.3 * rng.standard_normal(shape)).astype(np.float32)

    w = {
        "embedding/kernel": arr(p, p, 3, c),
        "embedding/bias": arr(c),
        "cls": arr(1, 1, c),
        "Transformer/posembed_input/pos_embedding": arr(1, 1 + grid * grid, c),
        "Transformer/encoder_norm/scale": arr(c),  # present in the real file, unused by IELT
        "head/kernel": arr(c, 21843),
    }
    for n in range(blocks):
        root = f"Transformer/encoderblock_{n}/"
        for name in ("query", "key", "value"):
            w[f"{root}{ATTN}/{name}/kernel"] = arr(c, h, d)
            w[f"{root}{ATTN}/{name}/bias"] = arr(h, d)
        w[f"{root}{ATTN}/out/kernel"] = arr(h, d, c)
        w[f"{root}{ATTN}/out/bias"] = arr(c)
        for ln in ("LayerNorm_0", "LayerNorm_2"):
            w[f"{root}{ln}/scale"] = 1 + arr(c)
            w[f"{root}{ln}/bias"] = arr(c)
        w[f"{root}MlpBlock_3/Dense_0/kernel"] = arr(c, m)
        w[f"{root}MlpBlock_3/Dense_0/bias"] = arr(m)
        w[f"{root}MlpBlock_3/Dense_1/kernel"] = arr(m, c)
        w[f"{root}MlpBlock_3/Dense_1/bias"] = arr(c)
    return w


def tiny(**overrides):
    return make_config({"preset": "tiny", "dropout": 0.0, **overrides})


def write_npz(tmp_path, weights, name="ViT-B_16.npz"):
    path = tmp_path / name
    np.savez(path, **weights)
    return path


def state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in model.state_dict().items()}


# --------------------------------------------------------------------------------------------------------------
# Google ViT .npz
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("npz_grid", [4, 3, 6])  # same grid as the model (4x4), and resized up / down
@pytest.mark.parametrize("dataset", ["cub", "dog"])
def test_npz_loads_like_the_official_load_from(tmp_path, npz_grid, dataset):
    pytest.importorskip(
        "scipy", reason="the reference resizes the position embedding with scipy.ndimage.zoom"
    )
    cfg = tiny(clr_from_backbone=dataset == "dog")
    path = write_npz(tmp_path, google_npz(cfg, npz_grid, blocks=cfg.depth))
    torch.manual_seed(0)
    ref = build_reference(cfg, dataset)
    ref.load_from(np.load(path))
    ours = IELT(cfg)
    assert load_vit_npz(ours, path) is ours

    expected = from_official_state_dict(ref.state_dict(), **dataclasses.asdict(cfg)).state_dict()
    fresh_in_official = ("clr_block.", "key_block.") if dataset == "cub" else ()  # random init on both sides
    compared = 0
    for key, value in ours.state_dict().items():
        if key.startswith(fresh_in_official) or key.startswith("selection."):
            continue
        torch.testing.assert_close(value, expected[key], atol=1e-6, rtol=0, msg=key)
        compared += 1
    assert compared > 40
    assert not ours.head.weight.any() and not ours.head.bias.any()


def test_npz_accepts_a_mapping_and_keeps_the_last_block_out_of_the_backbone():
    cfg = tiny()
    weights = google_npz(cfg, 4, blocks=cfg.depth)
    model = load_vit_npz(IELT(cfg), weights)
    last = weights[f"Transformer/encoderblock_{cfg.depth - 1}/LayerNorm_0/scale"]
    assert len(model.blocks) == cfg.depth - 1
    assert not np.allclose(model.clr_block.norm1.weight.detach().numpy(), last)
    dog = load_vit_npz(IELT(tiny(clr_from_backbone=True)), weights)
    np.testing.assert_array_equal(dog.clr_block.norm1.weight.detach().numpy(), last)
    np.testing.assert_array_equal(dog.key_block.norm1.weight.detach().numpy(), last)


def test_pos_embed_resize_equals_scipy_zoom_order_1():
    ndimage = pytest.importorskip("scipy.ndimage")
    posemb = torch.randn(1, 1 + 14 * 14, 8)
    resized = resize_pos_embed(posemb, 28)
    grid = ndimage.zoom(posemb[0, 1:].reshape(14, 14, 8).numpy(), (2, 2, 1), order=1)
    assert resized.shape == (1, 1 + 28 * 28, 8)
    assert torch.equal(resized[:, :1], posemb[:, :1])
    np.testing.assert_allclose(resized[0, 1:].numpy(), grid.reshape(-1, 8), atol=1e-6)
    assert resize_pos_embed(posemb, 14) is posemb


def test_npz_missing_key_is_named_and_model_is_untouched(tmp_path):
    cfg = tiny()
    weights = google_npz(cfg, 4, blocks=cfg.depth)
    del weights[f"Transformer/encoderblock_2/{ATTN}/value/bias"]
    model = IELT(cfg)
    before = state(model)
    with pytest.raises(ValueError, match=f"missing key 'Transformer/encoderblock_2/{ATTN}/value/bias'"):
        load_vit_npz(model, write_npz(tmp_path, weights))
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_npz_with_too_few_blocks_names_the_first_missing_block(tmp_path):
    cfg = tiny()
    with pytest.raises(ValueError, match="encoderblock_2/"):
        load_vit_npz(IELT(cfg), google_npz(cfg, 4, blocks=2))


def test_npz_wrong_shapes_are_named(tmp_path):
    cfg = tiny()
    weights = google_npz(cfg, 4, blocks=cfg.depth)
    weights["embedding/kernel"] = weights["embedding/kernel"][:4]
    with pytest.raises(ValueError, match="'embedding/kernel' has shape"):
        load_vit_npz(IELT(cfg), weights)
    other_heads = google_npz(tiny(num_heads=2), 4, blocks=cfg.depth)  # same width, 2 heads instead of 4
    with pytest.raises(ValueError, match="encoderblock_0/MultiHeadDotProductAttention_1/query/kernel"):
        load_vit_npz(IELT(cfg), other_heads)
    weights = google_npz(cfg, 4, blocks=cfg.depth)
    weights["Transformer/posembed_input/pos_embedding"] = weights["Transformer/posembed_input/pos_embedding"][
        :, :-2
    ]
    with pytest.raises(ValueError, match="pos_embedding"):
        load_vit_npz(IELT(cfg), weights)


def test_npz_bad_files(tmp_path):
    model = IELT(tiny())
    with pytest.raises(FileNotFoundError, match="ViT weights not found"):
        load_vit_npz(model, tmp_path / "absent.npz")
    (tmp_path / "junk.npz").write_bytes(b"this is not a zip archive" * 20)
    with pytest.raises(ValueError, match="not a readable .npz"):
        load_vit_npz(model, tmp_path / "junk.npz")
    np.save(tmp_path / "single.npy", np.zeros(3))
    with pytest.raises(ValueError, match="not a readable .npz"):
        load_vit_npz(model, tmp_path / "single.npy")


# --------------------------------------------------------------------------------------------------------------
# Official IELT state dict / checkpoint.bin
# --------------------------------------------------------------------------------------------------------------


def reference(dataset: str = "cub", seed: int = 0, **overrides):
    cfg = tiny(**overrides)
    torch.manual_seed(seed)
    return randomize_(build_reference(cfg, dataset), seed).eval(), cfg


def assert_same_logits(ref, model, cfg) -> None:
    x = torch.randn(3, 3, cfg.img_size, cfg.img_size, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        torch.testing.assert_close(model.eval()(x), ref(x), atol=1e-4, rtol=0)


@pytest.mark.parametrize("dataset", ["cub", "dog"])
def test_checkpoint_bin_with_and_without_model_wrapper(tmp_path, dataset):
    ref, cfg = reference(dataset)
    sd = ref.state_dict()
    if dataset == "dog":  # the CLR and key blocks are also encoder.layer.3 and .4
        assert "encoder.layer.4.attn.query.weight" in sd
    torch.save({"model": sd, "epoch": 7, "max_accuracy": 0.9}, tmp_path / "checkpoint.bin")
    torch.save(sd, tmp_path / "bare.bin")
    for name in ("checkpoint.bin", "bare.bin"):
        model = load_official_checkpoint(tmp_path / name, preset="tiny")
        assert model.config.depth == cfg.depth and model.config.num_classes == cfg.num_classes
        assert_same_logits(ref, model, cfg)


def test_state_dict_saved_from_ddp_or_compile():
    ref, cfg = reference()
    wrapped = {f"module.{k}": v for k, v in ref.state_dict().items()}
    assert_same_logits(ref, from_official_state_dict({"model": wrapped}, preset="tiny"), cfg)
    compiled = {f"_orig_mod.{k}": v for k, v in ref.state_dict().items()}
    assert_same_logits(ref, from_official_state_dict(compiled, preset="tiny"), cfg)


def test_sizes_are_read_from_the_tensors():
    ref, _ = reference(num_classes=5, mlp_dim=48)
    model = from_official_state_dict(ref.state_dict(), preset="tiny")
    assert (model.config.num_classes, model.config.mlp_dim, model.config.img_size) == (5, 48, 32)
    with pytest.raises(ValueError, match="num_classes: the checkpoint has 5"):
        from_official_state_dict(ref.state_dict(), preset="tiny", num_classes=200)
    with pytest.raises(ValueError, match="img_size"):
        from_official_state_dict(ref.state_dict(), preset="tiny", img_size=64)


def test_official_state_dict_errors_name_the_key():
    ref, _ = reference()
    sd = dict(ref.state_dict())
    with pytest.raises(ValueError, match="unexpected key.*encoder.extra.weight"):
        from_official_state_dict({**sd, "encoder.extra.weight": torch.zeros(1)}, preset="tiny")
    with pytest.raises(ValueError, match="fix=False"):
        from_official_state_dict(
            {**sd, "encoder.patch_select.conv.weight": torch.zeros(1, 1, 3, 3)}, preset="tiny"
        )
    missing = {k: v for k, v in sd.items() if k != "encoder.key_norm.bias"}
    with pytest.raises(ValueError, match="missing key 'encoder.key_norm.bias'"):
        from_official_state_dict(missing, preset="tiny")
    no_value = {k: v for k, v in sd.items() if not k.startswith("encoder.layer.1.attn.value")}
    with pytest.raises(ValueError, match="encoder.layer.1.attn.value"):
        from_official_state_dict(no_value, preset="tiny")
    differing = {**sd, "encoder.clr_encoder.clr_layer.ffn.fc1.bias": sd["encoder.clr_layer.ffn.fc1.bias"] + 1}
    with pytest.raises(ValueError, match="should be the same module"):
        from_official_state_dict(differing, preset="tiny")
    with pytest.raises(ValueError, match="holds a str"):
        from_official_state_dict({**sd, "encoder.note": "hello"}, preset="tiny")
    bad_head = {**sd, "encoder.key_norm.weight": torch.ones(7)}
    with pytest.raises(ValueError, match="key_norm.weight"):
        from_official_state_dict(bad_head, preset="tiny")
    with pytest.raises(TypeError):
        from_official_state_dict([1, 2, 3])


def test_checkpoint_with_pickled_config_needs_trust(tmp_path, monkeypatch):
    """The official checkpoint.bin pickles its yacs CfgNode; here a class from a module that is gone on load."""
    ref, cfg = reference()
    fake = types.ModuleType("fake_yacs_config")

    class CfgNode(dict):
        pass

    CfgNode.__module__, CfgNode.__qualname__ = "fake_yacs_config", "CfgNode"
    fake.CfgNode = CfgNode
    monkeypatch.setitem(sys.modules, "fake_yacs_config", fake)
    torch.save({"model": ref.state_dict(), "config": CfgNode(lr=0.02)}, tmp_path / "checkpoint.bin")
    monkeypatch.delitem(sys.modules, "fake_yacs_config")
    with pytest.raises(ValueError, match="trust_pickle=True"):
        load_official_checkpoint(tmp_path / "checkpoint.bin", preset="tiny")
    model = load_official_checkpoint(tmp_path / "checkpoint.bin", trust_pickle=True, preset="tiny")
    assert_same_logits(ref, model, cfg)


def test_checkpoint_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="IELT checkpoint not found"):
        load_official_checkpoint(tmp_path / "absent.bin")
    (tmp_path / "junk.bin").write_bytes(b"not a checkpoint at all " * 10)
    with pytest.raises(ValueError, match="not a torch checkpoint"):
        load_official_checkpoint(tmp_path / "junk.bin")
    (tmp_path / "empty.bin").write_bytes(b"")
    with pytest.raises(ValueError, match="not a torch checkpoint"):
        load_official_checkpoint(tmp_path / "empty.bin")
