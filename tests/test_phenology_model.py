"""The masked loss, the phenology networks and their views (herbproc.phenology.model, herbproc.models.heads)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from herbproc.models.heads import build_classifier, masked_bce
from herbproc.phenology.files import BUILT_IN_NAMES
from herbproc.phenology.model import (
    BUILT_IN,
    PhenologyNet,
    SheetViews,
    SpotNet,
    create_backbone,
    load_phenology_model,
    phenology_meta,
)
from herbproc.training.checkpoint import CheckpointError, classifier_from_meta, model_meta, save_model


def scrambled(targets: torch.Tensor, known: torch.Tensor, fill: torch.Tensor) -> torch.Tensor:
    """The same known targets, anything (NaN, 0, 1, 7) where unknown."""
    return torch.where(known, targets, fill)


def test_masked_bce_ignores_unknown_targets_in_loss_and_gradients():
    torch.manual_seed(0)
    logits = torch.randn(6, 3, requires_grad=True)
    known = torch.tensor([[1, 1, 0], [0, 0, 0], [1, 0, 1], [1, 1, 1], [0, 1, 0], [1, 0, 0]], dtype=torch.bool)
    targets = torch.randint(0, 2, (6, 3)).float()
    results = []
    for fill in (torch.tensor(float("nan")), torch.tensor(0.0), torch.tensor(1.0), torch.tensor(7.0)):
        logits.grad = None
        loss = masked_bce(logits, scrambled(targets, known, fill), known)
        loss.backward()
        results.append((loss.detach().clone(), logits.grad.clone()))
    for loss, grad in results[1:]:
        assert torch.equal(loss, results[0][0]) and torch.equal(grad, results[0][1])
    assert torch.isfinite(results[0][0]) and not results[0][1][~known].any(), "no gradient where unknown"
    expected = torch.nn.functional.binary_cross_entropy_with_logits(logits[known], targets[known])
    assert results[0][0] == pytest.approx(expected.item(), rel=1e-6)
    none = masked_bce(logits, targets, torch.zeros_like(known))
    assert none.item() == 0.0


def test_joint_head_loss_and_gradients_do_not_see_unknown_targets():
    torch.manual_seed(1)
    model = build_classifier({"preset": "tiny", "img_size": 32}, 4, multilabel_sizes={"phenology": 3})
    torch.nn.init.normal_(model.multilabel["phenology"].weight, std=0.1)
    model.train()
    x, y = torch.randn(4, 3, 32, 32), torch.tensor([0, 1, 2, 3])
    known = torch.tensor([[1, 0, 0], [0, 0, 0], [1, 1, 1], [0, 1, 0]], dtype=torch.bool)
    targets = torch.tensor([[1.0, 0, 0], [0, 0, 0], [0, 1, 1], [0, 0, 0]])
    grads = []
    for fill in (torch.tensor(float("nan")), torch.tensor(1.0)):
        model.zero_grad()
        torch.manual_seed(5)  # same dropout
        out = model(x)
        loss = model.criterion(out, y, {}, {"phenology": (scrambled(targets, known, fill), known)})
        loss.backward()
        grads.append(
            (loss.item(), {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None})
        )
    assert grads[0][0] == grads[1][0]
    assert grads[0][1].keys() == grads[1][1].keys() and "multilabel.phenology.weight" in grads[0][1]
    assert all(torch.equal(grads[0][1][k], grads[1][1][k]) for k in grads[0][1])


def test_joint_head_is_saved_and_read_back_with_the_model(tmp_path):
    model = build_classifier({"preset": "tiny", "img_size": 32}, 4, multilabel_sizes={"phenology": 3},
                             multilabel_weight=0.5)  # fmt: skip
    meta = model_meta(model)
    assert meta["multilabel_sizes"] == {"phenology": 3} and meta["multilabel_weight"] == 0.5
    again = classifier_from_meta(meta)
    again.load_state_dict(model.state_dict())
    logits, heads = again.eval().forward_multilabel(torch.randn(2, 3, 32, 32))
    assert logits.shape == (2, 4) and heads["phenology"].shape == (2, 3)
    plain = build_classifier({"preset": "tiny", "img_size": 32}, 4)
    assert plain.multilabel_sizes() == {} and "multilabel" not in "".join(plain.state_dict())


def test_sheet_views_keep_the_whole_sheet_and_repeat_per_seed():
    image = torch.randint(0, 256, (3, 150, 100), dtype=torch.uint8)
    views = SheetViews(96, 64, jitter=0.2, hflip=True, min_scale=0.8)
    assert views.test(image).shape == (3, 96, 64) and views.resize == 64
    a, b, c = views.train(image, 11), views.train(image, 11), views.train(image, 12)
    assert a.shape == (3, 96, 64) and a.dtype == torch.uint8
    assert torch.equal(a, b) and not torch.equal(a, c)
    whole = SheetViews(96, 64, jitter=0.0, hflip=False, min_scale=1.0)
    assert torch.equal(whole.train(image, 3), whole.test(image)), (
        "min_scale 1, no jitter / flip: the test view"
    )
    for bad in ({"height": 8, "width": 64}, {"height": 96, "width": 64, "jitter": 1.0},
                {"height": 96, "width": 64, "min_scale": 0.1}):  # fmt: skip
        with pytest.raises(ValueError):
            SheetViews(**bad)


def test_spotnet_and_timm_models_give_one_logit_per_label():
    x = torch.randn(2, 3, 48, 32)
    assert SpotNet()(x).shape == (2, 3)
    assert PhenologyNet("spotnet")(x).shape == (2, 3)
    wide = PhenologyNet("spotnet_wide")
    assert wide(x).shape == (2, 3)
    assert sum(isinstance(m, torch.nn.Conv2d) and m.kernel_size == (3, 3) for m in wide.modules()) == 2
    assert wide.backbone.head.in_features == 32
    assert PhenologyNet("test_resnet")(x).shape == (2, 3)
    with pytest.raises(ValueError, match="not a timm model"):
        create_backbone("resnet_9000", 3)
    with pytest.raises(ValueError, match="no pretrained weights"):
        create_backbone("spotnet", 3, "/tmp/weights.pth")
    with pytest.raises(ValueError, match="is not a file"):
        create_backbone("test_resnet", 3, "/nonexistent/weights.pth")


def test_timm_weights_come_from_a_local_file(tmp_path):
    import timm
    from safetensors.torch import save_file

    source = timm.create_model("test_resnet", num_classes=10)
    path = tmp_path / "weights.safetensors"
    save_file(source.state_dict(), str(path))
    net = create_backbone("test_resnet", 3, str(path)).eval()
    first = next(k for k in source.state_dict() if k.endswith("weight"))
    assert torch.equal(net.state_dict()[first], source.state_dict()[first])
    assert net(torch.randn(1, 3, 32, 32)).shape == (1, 3), "classifier replaced for 3 labels"


@pytest.mark.parametrize("name", ["spotnet", "spotnet_wide"])
def test_phenology_model_file_round_trip_and_wrong_files(tmp_path, name):
    model = PhenologyNet(name).eval()
    views = SheetViews(48, 32)
    path = save_model(tmp_path / "model.pt", model, phenology_meta(model, views, variant="raw", epoch=3))
    loaded, meta = load_phenology_model(path)
    x = torch.randn(2, 3, 48, 32)
    assert torch.equal(loaded(x), model(x)) and meta["views"] == {"height": 48, "width": 32}
    ielt = build_classifier({"preset": "tiny", "img_size": 32}, 2)
    save_model(tmp_path / "ielt.pt", ielt, model_meta(ielt))
    with pytest.raises(CheckpointError, match="not a phenology model"):
        load_phenology_model(tmp_path / "ielt.pt")
    (tmp_path / "torn.pt").write_bytes(b"torn")
    with pytest.raises(CheckpointError):
        load_phenology_model(tmp_path / "torn.pt")
    assert np.isfinite(loaded(x).detach().numpy()).all()


def test_the_stage_checks_know_the_built_in_models_by_name():
    """``herbproc.phenology.files`` names them without torch, for the checks that keep timm's import for others."""
    assert tuple(BUILT_IN) == BUILT_IN_NAMES
