"""A deliberately naive, literal re-implementation of the official IELT (mobulan/IELT), for equivalence tests.

Written from a reading of ``models/IELT.py``, ``models/modules.py`` and ``models/vit.py`` of mobulan/IELT: the same
module tree and parameter names (so it produces and loads the official state-dict layout), eager full attention
matrices, a Python loop over the batch for the vote counts and the token gathering, the same DSM arithmetic.

Changes from the official code, none of which alters the arithmetic:
- no hard-coded ``device='cuda'`` / ``.half()``: tensors follow the input's device; the vote counts and the 3x3
  kernel are float32 instead of float16 (counts are small integers, exact in both);
- ``select_init`` (the official hard-coded [16, 14, …, 16]) and ``key_select`` (the hard-coded 24) are arguments,
  so that tiny test models can be built;
- ties in the vote counts are ordered by ``torch.sort(..., stable=True)`` (lower patch index first); the official
  ``torch.sort`` leaves the order of ties to the device's sort algorithm;
- ``assess``, ``cam=False`` and ``fix=False`` (learned smoothing) are left out.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import torch
from torch import nn
from torch.nn import Conv2d, CrossEntropyLoss, Dropout, LayerNorm, Linear, Softmax

ATTENTION_Q = "MultiHeadDotProductAttention_1/query"
ATTENTION_K = "MultiHeadDotProductAttention_1/key"
ATTENTION_V = "MultiHeadDotProductAttention_1/value"
ATTENTION_OUT = "MultiHeadDotProductAttention_1/out"
FC_0 = "MlpBlock_3/Dense_0"
FC_1 = "MlpBlock_3/Dense_1"
ATTENTION_NORM = "LayerNorm_0"
MLP_NORM = "LayerNorm_2"


def vit_config(
    hidden_size=768, num_heads=12, mlp_dim=3072, num_layers=12, patches=16, dropout_rate=0.1, att_dropout=0.0
):
    """The fields of the official ``get_b16_config()``."""
    return SimpleNamespace(
        hidden_size=hidden_size,
        num_heads=num_heads,
        mlp_dim=mlp_dim,
        num_layers=num_layers,
        patches=(patches, patches),
        dropout_rate=dropout_rate,
        att_dropout=att_dropout,
    )


def np2th(weights, conv=False):
    if conv:
        weights = weights.transpose([3, 2, 0, 1])
    return torch.from_numpy(np.ascontiguousarray(weights))


class LabelSmoothing(nn.Module):
    """NLL loss with label smoothing, as the official modules.py."""

    def __init__(self, smoothing=0.0):
        super().__init__()
        self.confidence = 1.0 - smoothing
        self.smoothing = smoothing

    def forward(self, x, target):
        logprobs = torch.nn.functional.log_softmax(x, dim=-1)
        nll_loss = -logprobs.gather(dim=-1, index=target.unsqueeze(1))
        nll_loss = nll_loss.squeeze(1)
        smooth_loss = -logprobs.mean(dim=-1)
        loss = self.confidence * nll_loss + self.smoothing * smooth_loss
        return loss.mean()


class Mlp(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.fc1 = Linear(config.hidden_size, config.mlp_dim)
        self.fc2 = Linear(config.mlp_dim, config.hidden_size)
        self.act_fn = torch.nn.functional.gelu
        self.dropout = Dropout(config.dropout_rate)
        nn.init.xavier_uniform_(self.fc1.weight)
        nn.init.xavier_uniform_(self.fc2.weight)
        nn.init.normal_(self.fc1.bias, std=1e-6)
        nn.init.normal_(self.fc2.bias, std=1e-6)

    def forward(self, x):
        x = self.fc1(x)
        x = self.act_fn(x)
        x = self.dropout(x)
        x = self.fc2(x)
        x = self.dropout(x)
        return x


class Embeddings(nn.Module):
    def __init__(self, config, img_size, in_channels=3):
        super().__init__()
        patch = config.patches
        n_patches = (img_size // patch[0]) * (img_size // patch[1])
        self.patch_embeddings = Conv2d(in_channels, config.hidden_size, kernel_size=patch, stride=patch)
        self.position_embeddings = nn.Parameter(torch.zeros(1, n_patches + 1, config.hidden_size))
        self.cls_token = nn.Parameter(torch.zeros(1, 1, config.hidden_size))
        self.dropout = Dropout(config.dropout_rate)

    def forward(self, x):
        b = x.shape[0]
        cls_tokens = self.cls_token.expand(b, -1, -1)
        x = self.patch_embeddings(x)
        x = x.flatten(2)
        x = x.transpose(-1, -2)
        x = torch.cat((cls_tokens, x), dim=1)
        embeddings = x + self.position_embeddings
        return self.dropout(embeddings)


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_attention_heads = config.num_heads
        self.attention_head_size = int(config.hidden_size / self.num_attention_heads)
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        self.query = Linear(config.hidden_size, self.all_head_size)
        self.key = Linear(config.hidden_size, self.all_head_size)
        self.value = Linear(config.hidden_size, self.all_head_size)
        self.out = Linear(config.hidden_size, config.hidden_size)
        self.attn_dropout = Dropout(config.att_dropout)
        self.proj_dropout = Dropout(config.att_dropout)
        self.softmax = Softmax(dim=-1)

    def transpose_for_scores(self, x):
        new_shape = x.size()[:-1] + (self.num_attention_heads, self.attention_head_size)
        return x.view(*new_shape).permute(0, 2, 1, 3)

    def forward(self, hidden_states):
        query_layer = self.transpose_for_scores(self.query(hidden_states))
        key_layer = self.transpose_for_scores(self.key(hidden_states))
        value_layer = self.transpose_for_scores(self.value(hidden_states))
        attention_scores = torch.matmul(query_layer, key_layer.transpose(-1, -2))
        attention_scores = attention_scores / math.sqrt(self.attention_head_size)
        attention_probs = self.softmax(attention_scores)
        weights = attention_probs
        attention_probs = self.attn_dropout(attention_probs)
        context_layer = torch.matmul(attention_probs, value_layer)
        context_layer = context_layer.permute(0, 2, 1, 3).contiguous()
        context_layer = context_layer.view(*(context_layer.size()[:-2] + (self.all_head_size,)))
        attention_output = self.proj_dropout(self.out(context_layer))
        return attention_output, weights


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.hidden_size = config.hidden_size
        self.attention_norm = LayerNorm(config.hidden_size, eps=1e-6)
        self.ffn_norm = LayerNorm(config.hidden_size, eps=1e-6)
        self.ffn = Mlp(config)
        self.attn = Attention(config)

    def forward(self, x):
        h = x
        x = self.attention_norm(x)
        x, weights = self.attn(x)
        x = x + h
        h = x
        x = self.ffn_norm(x)
        x = self.ffn(x)
        x = x + h
        return x, weights

    def load_from(self, weights, n_block):
        root = f"Transformer/encoderblock_{n_block}"
        hs = self.hidden_size
        with torch.no_grad():
            self.attn.query.weight.copy_(np2th(weights[f"{root}/{ATTENTION_Q}/kernel"]).view(hs, hs).t())
            self.attn.key.weight.copy_(np2th(weights[f"{root}/{ATTENTION_K}/kernel"]).view(hs, hs).t())
            self.attn.value.weight.copy_(np2th(weights[f"{root}/{ATTENTION_V}/kernel"]).view(hs, hs).t())
            self.attn.out.weight.copy_(np2th(weights[f"{root}/{ATTENTION_OUT}/kernel"]).view(hs, hs).t())
            self.attn.query.bias.copy_(np2th(weights[f"{root}/{ATTENTION_Q}/bias"]).view(-1))
            self.attn.key.bias.copy_(np2th(weights[f"{root}/{ATTENTION_K}/bias"]).view(-1))
            self.attn.value.bias.copy_(np2th(weights[f"{root}/{ATTENTION_V}/bias"]).view(-1))
            self.attn.out.bias.copy_(np2th(weights[f"{root}/{ATTENTION_OUT}/bias"]).view(-1))
            self.ffn.fc1.weight.copy_(np2th(weights[f"{root}/{FC_0}/kernel"]).t())
            self.ffn.fc2.weight.copy_(np2th(weights[f"{root}/{FC_1}/kernel"]).t())
            self.ffn.fc1.bias.copy_(np2th(weights[f"{root}/{FC_0}/bias"]).t())
            self.ffn.fc2.bias.copy_(np2th(weights[f"{root}/{FC_1}/bias"]).t())
            self.attention_norm.weight.copy_(np2th(weights[f"{root}/{ATTENTION_NORM}/scale"]))
            self.attention_norm.bias.copy_(np2th(weights[f"{root}/{ATTENTION_NORM}/bias"]))
            self.ffn_norm.weight.copy_(np2th(weights[f"{root}/{MLP_NORM}/scale"]))
            self.ffn_norm.bias.copy_(np2th(weights[f"{root}/{MLP_NORM}/bias"]))


class MultiHeadVoting(nn.Module):
    def __init__(self, config, vote_perhead=24):
        super().__init__()
        self.num_heads = config.num_heads
        self.vote_perhead = vote_perhead
        self.kernel_values = [[1, 2, 1], [2, 4, 2], [1, 2, 1]]

    def forward(self, x, select_num=None, last=False):
        b, patch_num = x.shape[0], x.shape[3] - 1
        select_num = self.vote_perhead if select_num is None else select_num
        count = torch.zeros((b, patch_num), dtype=torch.float32, device=x.device)
        score = x[:, :, 0, 1:]
        _, select = torch.topk(score, self.vote_perhead, dim=-1)
        select = select.reshape(b, -1)
        for i, ballots in enumerate(select):
            count[i, :] += torch.bincount(ballots, minlength=patch_num)
        if not last:
            count = self.enhance_local(count)
        _, patch_idx = torch.sort(count, dim=-1, descending=True, stable=True)
        patch_idx += 1
        return patch_idx[:, :select_num], count

    def enhance_local(self, count):
        b, h = count.shape[0], math.ceil(math.sqrt(count.shape[1]))
        count = count.reshape(b, h, h)
        kernel = torch.tensor(self.kernel_values, dtype=count.dtype, device=count.device)[None, None]
        return torch.nn.functional.conv2d(count.unsqueeze(1), kernel, stride=1, padding=1).reshape(b, -1)


class CrossLayerRefinement(nn.Module):
    def __init__(self, config, clr_layer):
        super().__init__()
        self.clr_layer = clr_layer
        self.clr_norm = LayerNorm(config.hidden_size, eps=1e-6)

    def forward(self, x, cls):
        out = [torch.stack(token) for token in x]
        out = torch.stack(out).squeeze(1)
        out = torch.cat((cls, out), dim=1)
        out, weights = self.clr_layer(out)
        out = self.clr_norm(out)
        return out, weights


class IELTEncoder(nn.Module):
    def __init__(self, config, update_warm=500, vote_perhead=24, dataset="cub", dsm=True, total_num=126,
                 select_init=(16, 14, 12, 10, 8, 6, 8, 10, 12, 14, 16), key_select=24):  # fmt: skip
        super().__init__()
        self.warm_steps = update_warm
        self.layer = nn.ModuleList()
        self.layer_num = config.num_layers
        self.vote_perhead = vote_perhead
        self.dataset = dataset
        self.dsm = dsm
        self.key_select = key_select
        for _ in range(self.layer_num - 1):
            self.layer.append(Block(config))
        if self.dataset == "dog" or self.dataset == "nabrids":
            self.layer.append(Block(config))
            self.clr_layer = self.layer[-1]
            self.layer.append(Block(config))
            self.key_layer = self.layer[-1]
        else:
            self.clr_layer = Block(config)
            self.key_layer = Block(config)
        self.key_norm = LayerNorm(config.hidden_size, eps=1e-6)
        self.patch_select = MultiHeadVoting(config, self.vote_perhead)
        self.total_num = total_num
        self.select_rate = torch.tensor(list(select_init)) / self.total_num
        self.select_num = self.select_rate * self.total_num
        self.clr_encoder = CrossLayerRefinement(config, self.clr_layer)
        self.count = 0
        self.last_selected = None  # test hook: the indices picked by each layer and by the CLR vote

    def forward(self, hidden_states, test_mode=False):
        self.select_rate = self.select_rate.to(hidden_states.device)
        self.select_num = self.select_num.to(hidden_states.device)
        if not test_mode:
            self.count += 1
        b = hidden_states.shape[0]
        complements = [[] for _ in range(b)]
        layer_selected = []
        for t in range(self.layer_num - 1):
            layer = self.layer[t]
            select_num = torch.round(self.select_num[t]).int()
            hidden_states, weights = layer(hidden_states)
            select_idx, _ = self.patch_select(weights, select_num)
            for i in range(b):
                complements[i].extend(hidden_states[i, select_idx[i, :]])
            layer_selected.append(select_idx)
        cls_token = hidden_states[:, 0].unsqueeze(1)

        clr, weights = self.clr_encoder(complements, cls_token)
        sort_idx, _ = self.patch_select(weights, select_num=self.key_select, last=True)
        self.last_selected = (layer_selected, sort_idx)

        if not test_mode and self.count >= self.warm_steps and self.dsm:
            layer_count = self.count_patch(sort_idx)
            self.update_layer_select(layer_count)

        out = []
        for i in range(b):
            out.append(clr[i, sort_idx[i, :]])
        out = torch.stack(out).squeeze(1)
        out = torch.cat((cls_token, out), dim=1)
        out, _ = self.key_layer(out)
        key = self.key_norm(out)
        return key[:, 0], clr[:, 0]

    def update_layer_select(self, layer_count):
        alpha = 1e-3
        new_rate = layer_count / layer_count.sum()
        self.select_rate = self.select_rate * (1 - alpha) + alpha * new_rate
        self.select_rate /= self.select_rate.sum()
        self.select_num = self.select_rate * self.total_num

    def count_patch(self, sort_idx):
        layer_count = torch.cumsum(self.select_num, dim=-1)
        sort_idx = (sort_idx - 1).reshape(-1)
        for i in range(self.layer_num - 1):
            mask = sort_idx < layer_count[i]
            layer_count[i] = mask.sum()
        cum_count = torch.cat((torch.tensor([0], device=sort_idx.device), layer_count[:-1]))
        layer_count -= cum_count
        return layer_count.int()


class InterEnsembleLearningTransformer(nn.Module):
    def __init__(self, config, img_size=448, num_classes=200, dataset="cub", smooth_value=0.0, loss_alpha=0.4,
                 dsm=True, update_warm=500, vote_perhead=24, total_num=126,
                 select_init=(16, 14, 12, 10, 8, 6, 8, 10, 12, 14, 16), key_select=24):  # fmt: skip
        super().__init__()
        self.smooth_value = smooth_value
        self.num_classes = num_classes
        self.loss_alpha = loss_alpha
        self.embeddings = Embeddings(config, img_size=img_size)
        self.encoder = IELTEncoder(
            config, update_warm, vote_perhead, dataset, dsm, total_num, select_init, key_select
        )
        self.head = Linear(config.hidden_size, num_classes)
        self.softmax = Softmax(dim=-1)

    def forward(self, x, labels=None):
        test_mode = labels is None
        x = self.embeddings(x)
        x, xc = self.encoder(x, test_mode)
        complement_logits = self.head(xc)
        probability = self.softmax(complement_logits)
        weight = self.head.weight
        assist_logit = probability * (weight.sum(-1))
        part_logits = self.head(x) + assist_logit
        if test_mode:
            return part_logits
        if self.smooth_value == 0:
            loss_fct = CrossEntropyLoss()
        else:
            loss_fct = LabelSmoothing(self.smooth_value)
        loss_p = loss_fct(part_logits.view(-1, self.num_classes), labels.view(-1))
        loss_c = loss_fct(complement_logits.view(-1, self.num_classes), labels.view(-1))
        alpha = self.loss_alpha
        return part_logits, (1 - alpha) * loss_p + alpha * loss_c

    def load_from(self, weights):
        from scipy import ndimage

        with torch.no_grad():
            nn.init.zeros_(self.head.weight)
            nn.init.zeros_(self.head.bias)
            self.embeddings.patch_embeddings.weight.copy_(np2th(weights["embedding/kernel"], conv=True))
            self.embeddings.patch_embeddings.bias.copy_(np2th(weights["embedding/bias"]))
            self.embeddings.cls_token.copy_(np2th(weights["cls"]))
            posemb = np2th(weights["Transformer/posembed_input/pos_embedding"])
            posemb_new = self.embeddings.position_embeddings
            if posemb.size() == posemb_new.size():
                self.embeddings.position_embeddings.copy_(posemb)
            else:
                ntok_new = posemb_new.size(1) - 1
                posemb_tok, posemb_grid = posemb[:, :1], posemb[0, 1:]
                gs_old = int(np.sqrt(len(posemb_grid)))
                gs_new = int(np.sqrt(ntok_new))
                posemb_grid = posemb_grid.reshape(gs_old, gs_old, -1)
                zoom = (gs_new / gs_old, gs_new / gs_old, 1)
                posemb_grid = ndimage.zoom(posemb_grid, zoom, order=1)
                posemb_grid = posemb_grid.reshape((1, gs_new * gs_new, -1))
                posemb = np.concatenate([posemb_tok, posemb_grid], axis=1)
                self.embeddings.position_embeddings.copy_(np2th(posemb))
            for bname, block in self.encoder.named_children():
                for uname, unit in block.named_children():
                    if not bname.startswith("key") and not bname.startswith("clr"):
                        if uname == str(self.encoder.layer_num):
                            uname = str(self.encoder.layer_num - 1)
                        unit.load_from(weights, n_block=uname)


# ---------------------------------------------------------------------------------------------------------------
# Test support: build the reference for an IELTConfig and give it weights that make attention peaky.
# ---------------------------------------------------------------------------------------------------------------


def build_reference(cfg, dataset: str = "cub") -> InterEnsembleLearningTransformer:
    """The reference model with the sizes of a herbproc ``IELTConfig``."""
    vit = vit_config(cfg.hidden_size, cfg.num_heads, cfg.mlp_dim, cfg.depth, cfg.patch_size, cfg.dropout,
                     cfg.attn_dropout)  # fmt: skip
    return InterEnsembleLearningTransformer(
        vit,
        img_size=cfg.img_size,
        num_classes=cfg.num_classes,
        dataset=dataset,
        smooth_value=cfg.label_smoothing,
        loss_alpha=cfg.loss_alpha,
        dsm=cfg.dsm,
        update_warm=cfg.update_warm,
        vote_perhead=cfg.vote_perhead,
        total_num=cfg.total_num,
        select_init=cfg.select_init,
        key_select=cfg.key_tokens,
    )


@torch.no_grad()
def randomize_(module: nn.Module, seed: int, std: float = 0.3) -> nn.Module:
    """Random weights large enough that attention rows are far from uniform (no near-ties in the votes)."""
    gen = torch.Generator().manual_seed(seed)
    for name, param in module.named_parameters():
        noise = torch.randn(param.shape, generator=gen)
        if "norm" in name:  # LayerNorm: scale near 1
            param.copy_(1.0 + 0.2 * noise if name.endswith("weight") else 0.2 * noise)
        else:
            param.copy_(std * noise)
    return module
