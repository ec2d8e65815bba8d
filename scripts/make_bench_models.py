#!/usr/bin/env python3
"""Writes the extraction benchmark's inputs (outside the repository): a random-weight GPT-2-small-shaped Hugging
Face model (768 wide, 12 layers, vocab 50257) and SAELens-format standard SAEs on a hook, with encoder biases
calibrated on the model's own activations so that about --l0 features fire per token.

Usage: make_bench_models.py OUT_DIR --tokenizer DIR [--widths 24576,131072] [--hook-layer 8] [--l0 60]
       make_bench_models.py OUT_DIR --demo-sae --widths 4096,262144   (SAEs for the demo model, d_in 128; the
       calibration then uses isotropic Gaussian inputs of RMS --demo-scale per dimension, so the real L0 differs:
       the benchmark reports the L0 measured by the extraction itself, sum of densities)
Needs torch, transformers, safetensors, numpy.
"""
import argparse
import json
import os
import shutil

import numpy as np
import torch
from safetensors.torch import save_file


def gpt2(out, tokenizer_dir, seed):
    from transformers import GPT2Config, GPT2LMHeadModel
    path = os.path.join(out, "gpt2-small-random")
    if os.path.exists(os.path.join(path, "config.json")):
        return path
    torch.manual_seed(seed)
    cfg = GPT2Config(n_embd=768, n_layer=12, n_head=12, vocab_size=50257, n_positions=1024)
    model = GPT2LMHeadModel(cfg).eval()
    model.save_pretrained(path)
    for f in ("vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if os.path.exists(os.path.join(tokenizer_dir, f)):
            shutil.copy(os.path.join(tokenizer_dir, f), path)
    return path


def hook_inputs(model_path, layer, tokens):
    """resid_pre of block `layer` (= hidden_states[layer]) on random token ids: [tokens, 768]."""
    from transformers import GPT2LMHeadModel
    model = GPT2LMHeadModel.from_pretrained(model_path).eval()
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(0, 50257, (tokens // 128, 128), generator=g)
    with torch.no_grad():
        hs = model(ids, output_hidden_states=True).hidden_states[layer]
    return hs[:, 1:, :].reshape(-1, hs.shape[-1])  # position 0 is the window's first token (excluded like BOS)


def sae(out, name, d_in, d_sae, hook, layer, model_name, x, l0, seed):
    path = os.path.join(out, name)
    if os.path.exists(os.path.join(path, "cfg.json")):
        return path
    os.makedirs(path, exist_ok=True)
    g = torch.Generator().manual_seed(seed)
    w_dec = torch.randn(d_sae, d_in, generator=g)
    w_dec /= w_dec.norm(dim=1, keepdim=True)
    w_enc = w_dec.t().contiguous()
    b_dec = torch.zeros(d_in)
    # one bias for all features: the (1 - l0 / d_sae) quantile of pre-activations over a sample of features
    sample = w_enc[:, torch.randperm(d_sae, generator=g)[:4096]]
    pre = (x - b_dec) @ sample
    q = torch.quantile(pre.flatten()[: 16_000_000].float(), 1 - l0 / d_sae)
    b_enc = torch.full((d_sae,), -float(q))
    save_file({"W_enc": w_enc, "b_enc": b_enc, "W_dec": w_dec, "b_dec": b_dec},
              os.path.join(path, "sae_weights.safetensors"))
    cfg = {"architecture": "standard", "d_in": d_in, "d_sae": d_sae, "dtype": "float32", "device": "cpu",
           "apply_b_dec_to_input": True, "normalize_activations": "none", "model_name": model_name,
           "hook_name": hook, "hook_layer": layer, "hook_head_index": None, "context_size": 128, "prepend_bos": True}
    with open(os.path.join(path, "cfg.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    active = ((x[:512] - b_dec) @ w_enc + b_enc > 0).sum(dim=1).float()
    print(f"{name}: L0 on calibration tokens median {active.median():.0f}, min {active.min():.0f}, max {active.max():.0f}")
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--tokenizer", help="directory with GPT-2's vocab.json/merges.txt (tokenizer.json)")
    p.add_argument("--widths", default="24576,131072")
    p.add_argument("--hook-layer", type=int, default=8)
    p.add_argument("--l0", type=float, default=60)
    p.add_argument("--calibration-tokens", type=int, default=4096)
    p.add_argument("--demo-sae", action="store_true")
    p.add_argument("--demo-scale", type=float, default=0.11,
                   help="RMS per dimension of the demo hook (|x| ~ 1.24 from the demo SAE's scaling factor 9.09)")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    widths = [int(w) for w in args.widths.split(",")]
    if args.demo_sae:
        x = torch.randn(4096, 128, generator=torch.Generator().manual_seed(2)) * args.demo_scale
        for w in widths:
            sae(args.out, f"demo-sae-{w}", 128, w, "blocks.1.hook_resid_post", 1, "tinystories-1m", x, args.l0, w)
        return
    model = gpt2(args.out, args.tokenizer, 0)
    x = hook_inputs(model, args.hook_layer, args.calibration_tokens)
    hook = f"blocks.{args.hook_layer}.hook_resid_pre"
    for w in widths:
        sae(args.out, f"gpt2-sae-{w}", 768, w, hook, args.hook_layer, "gpt2-small-random", x, args.l0, w)


if __name__ == "__main__":
    main()
