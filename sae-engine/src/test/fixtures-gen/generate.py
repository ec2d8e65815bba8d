"""Writes the reference-library fixtures under sae-engine/src/test/resources/reference-libs/.

Run by hand (not by CI) in the venv that /work/shared/reference-libs/setup-venv.sh builds
(torch CPU, transformers 5.x, TransformerLens 3.5.1, SAELens 6.18.0):

    VENV/bin/python sae-engine/src/test/fixtures-gen/generate.py

Every model is a small random-weight model saved by transformers' own save_pretrained, every SAE a
SAELens save_model directory; reference numbers come from running those libraries, never from Lumen.
Each model directory gets reference.safetensors with
  tokens            [1, T]   token ids (as float32)
  logits            [T, V]   HF forward, float32
  hook.<name>       [T, ...] TransformerLens-semantics hook activations (see hook_reference below)
and each SAE directory gets sae_reference.safetensors with x [N, d_in], feature_acts [N, d_sae], recons [N, d_in].
"""
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
import transformers
from safetensors.torch import save_file

OUT = Path(__file__).resolve().parents[1] / "resources" / "reference-libs"
VOCAB = 512
TOKENS = torch.tensor([[1, 17, 200, 45, 300, 9, 511, 77, 2, 130, 64, 5]])


def seeded(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)


def randomize(model, seed):
    """Random weights everywhere (biases and norm gains too), so that no parameter is at a neutral default."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name or "ln" in name:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
    return model


def rms_normalized(x, eps):
    """RMSNorm without its gain: TransformerLens hook_normalized after fold_ln (RMSNormPre)."""
    xf = x.float()
    return xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)


def ln_normalized(x, eps):
    """LayerNorm without gain/bias: TransformerLens hook_normalized after fold_ln (LayerNormPre)."""
    x = x - x.mean(-1, keepdim=True)
    return x / (x.pow(2).mean(-1, keepdim=True) + eps).sqrt()


def llama_hooks(model, tokens):
    """Hook activations with TransformerLens definitions, read from the HF modules by forward hooks."""
    cfg = model.config
    acts = {}
    handles = []
    for l, layer in enumerate(model.model.layers):
        def pre(mod, args, kwargs, l=l):
            acts[f"blocks.{l}.hook_resid_pre"] = args[0] if args else kwargs["hidden_states"]
        def attn_out(mod, args, out, l=l):
            acts[f"blocks.{l}.hook_attn_out"] = out[0]
        def z(mod, args, l=l):
            acts[f"blocks.{l}.attn.hook_z"] = args[0].reshape(*args[0].shape[:-1], cfg.num_attention_heads, -1)
        def mlp_post(mod, args, l=l):
            acts[f"blocks.{l}.mlp.hook_post"] = args[0]
        def mlp_out(mod, args, out, l=l):
            acts[f"blocks.{l}.hook_mlp_out"] = out
        def post(mod, args, out, l=l):
            acts[f"blocks.{l}.hook_resid_post"] = out[0] if isinstance(out, tuple) else out
        handles += [layer.register_forward_pre_hook(pre, with_kwargs=True),
                    layer.self_attn.register_forward_hook(attn_out),
                    layer.self_attn.o_proj.register_forward_pre_hook(z),
                    layer.mlp.down_proj.register_forward_pre_hook(mlp_post),
                    layer.mlp.register_forward_hook(mlp_out),
                    layer.register_forward_hook(post)]
    def final(mod, args):
        acts["ln_final.hook_normalized"] = rms_normalized(args[0], cfg.rms_norm_eps)
    handles.append(model.model.norm.register_forward_pre_hook(final))
    with torch.no_grad():
        logits = model(tokens).logits[0]
    for h in handles:
        h.remove()
    for l in range(cfg.num_hidden_layers):
        acts[f"blocks.{l}.hook_resid_mid"] = acts[f"blocks.{l}.hook_resid_pre"] + acts[f"blocks.{l}.hook_attn_out"]
        acts[f"blocks.{l}.ln1.hook_normalized"] = rms_normalized(acts[f"blocks.{l}.hook_resid_pre"], cfg.rms_norm_eps)
        acts[f"blocks.{l}.ln2.hook_normalized"] = rms_normalized(acts[f"blocks.{l}.hook_resid_mid"], cfg.rms_norm_eps)
    return logits, acts


def neox_hooks(model, tokens):
    cfg = model.config
    acts = {}
    handles = []
    for l, layer in enumerate(model.gpt_neox.layers):
        def pre(mod, args, kwargs, l=l):
            acts[f"blocks.{l}.hook_resid_pre"] = args[0] if args else kwargs["hidden_states"]
        def attn_out(mod, args, out, l=l):
            acts[f"blocks.{l}.hook_attn_out"] = out[0]
        def mlp_out(mod, args, out, l=l):
            acts[f"blocks.{l}.hook_mlp_out"] = out
        def mlp_post(mod, args, l=l):
            acts[f"blocks.{l}.mlp.hook_post"] = args[0]
        def z(mod, args, l=l):
            acts[f"blocks.{l}.attn.hook_z"] = args[0].reshape(*args[0].shape[:-1], cfg.num_attention_heads, -1)
        def post(mod, args, out, l=l):
            acts[f"blocks.{l}.hook_resid_post"] = out[0] if isinstance(out, tuple) else out
        handles += [layer.register_forward_pre_hook(pre, with_kwargs=True),
                    layer.attention.dense.register_forward_pre_hook(z),
                    layer.attention.register_forward_hook(attn_out),
                    layer.mlp.register_forward_hook(mlp_out),
                    layer.mlp.dense_4h_to_h.register_forward_pre_hook(mlp_post),
                    layer.register_forward_hook(post)]
    def final(mod, args):
        acts["ln_final.hook_normalized"] = ln_normalized(args[0], cfg.layer_norm_eps)
    handles.append(model.gpt_neox.final_layer_norm.register_forward_pre_hook(final))
    with torch.no_grad():
        logits = model(tokens).logits[0]
    for h in handles:
        h.remove()
    for l in range(cfg.num_hidden_layers):
        pre = acts[f"blocks.{l}.hook_resid_pre"]
        acts[f"blocks.{l}.ln1.hook_normalized"] = ln_normalized(pre, cfg.layer_norm_eps)
        if cfg.use_parallel_residual:
            acts[f"blocks.{l}.ln2.hook_normalized"] = ln_normalized(pre, cfg.layer_norm_eps)
        else:
            acts[f"blocks.{l}.hook_resid_mid"] = pre + acts[f"blocks.{l}.hook_attn_out"]
            acts[f"blocks.{l}.ln2.hook_normalized"] = ln_normalized(acts[f"blocks.{l}.hook_resid_mid"], cfg.layer_norm_eps)
    return logits, acts


def generic_hooks(model, tokens, layers, parts, final_norm, normalize):
    """parts(layer) -> dict of hook suffix -> (module, kind) with kind 'in' (forward-pre input) or 'out' (output)."""
    acts = {}
    handles = []
    heads = model.config.num_attention_heads
    for l, layer in enumerate(layers):
        def pre(mod, args, kwargs, l=l):
            acts[f"blocks.{l}.hook_resid_pre"] = args[0] if args else kwargs["hidden_states"]
        def post(mod, args, out, l=l):
            acts[f"blocks.{l}.hook_resid_post"] = out[0] if isinstance(out, tuple) else out
        handles += [layer.register_forward_pre_hook(pre, with_kwargs=True), layer.register_forward_hook(post)]
        for suffix, (module, kind) in parts(layer).items():
            name = f"blocks.{l}.{suffix}"
            if kind == "in":
                def fn(mod, args, name=name):
                    a = args[0]
                    acts[name] = a.reshape(*a.shape[:-1], heads, -1) if name.endswith("hook_z") else a
                handles.append(module.register_forward_pre_hook(fn))
            else:
                def fn(mod, args, out, name=name):
                    acts[name] = out[0] if isinstance(out, tuple) else out
                handles.append(module.register_forward_hook(fn))
    def final(mod, args):
        acts["ln_final.hook_normalized"] = normalize(args[0])
    handles.append(final_norm.register_forward_pre_hook(final))
    with torch.no_grad():
        logits = model(tokens).logits[0]
    for h in handles:
        h.remove()
    for l in range(len(layers)):
        acts[f"blocks.{l}.hook_resid_mid"] = acts[f"blocks.{l}.hook_resid_pre"] + acts[f"blocks.{l}.hook_attn_out"]
        acts[f"blocks.{l}.ln1.hook_normalized"] = normalize(acts[f"blocks.{l}.hook_resid_pre"])
        acts[f"blocks.{l}.ln2.hook_normalized"] = normalize(acts[f"blocks.{l}.hook_resid_mid"])
    return logits, acts


def gpt2_hooks(model, tokens):
    eps = model.config.layer_norm_epsilon
    return generic_hooks(model, tokens, model.transformer.h, lambda b: {
        "attn.hook_z": (b.attn.c_proj, "in"), "hook_attn_out": (b.attn, "out"), "mlp.hook_post": (b.mlp.c_proj, "in"),
        "hook_mlp_out": (b.mlp, "out")}, model.transformer.ln_f, lambda x: ln_normalized(x, eps))


def gemma2_hooks(model, tokens):
    eps = model.config.rms_norm_eps
    # Lumen's attn_out / mlp_out are after Gemma 2's post-norms, which is what reaches the residual stream
    return generic_hooks(model, tokens, model.model.layers, lambda b: {
        "attn.hook_z": (b.self_attn.o_proj, "in"), "hook_attn_out": (b.post_attention_layernorm, "out"),
        "mlp.hook_post": (b.mlp.down_proj, "in"), "hook_mlp_out": (b.post_feedforward_layernorm, "out")},
        model.model.norm, lambda x: rms_normalized(x, eps))


def save_reference(directory, tokens, logits, acts):
    tensors = {"tokens": tokens.float().contiguous(), "logits": logits.float().contiguous()}
    for name, a in acts.items():
        tensors["hook." + name] = (a[0] if a.dim() > 2 and a.shape[0] == 1 else a).float().clone().contiguous()
    save_file(tensors, str(directory / "reference.safetensors"))


def write_model(name, model, hooks_fn):
    d = OUT / "models" / name
    shutil.rmtree(d, ignore_errors=True)
    model.eval()
    model.save_pretrained(d)
    logits, acts = hooks_fn(model, TOKENS)
    save_reference(d, TOKENS, logits, acts)
    for extra in ("generation_config.json",):
        if (d / extra).exists():
            (d / extra).unlink()
    print(name, sorted(json.loads((d / "config.json").read_text()).keys()))
    return d


def llama(name, seed, **kw):
    from transformers import LlamaConfig, LlamaForCausalLM
    seeded(seed)
    base = dict(vocab_size=VOCAB, hidden_size=48, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5, bos_token_id=1, eos_token_id=2)
    base.update(kw)
    model = randomize(LlamaForCausalLM(LlamaConfig(**base)), seed)
    return write_model(name, model, llama_hooks)


def neox(name, seed, **kw):
    from transformers import GPTNeoXConfig, GPTNeoXForCausalLM
    seeded(seed)
    base = dict(vocab_size=VOCAB, hidden_size=48, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                max_position_embeddings=64, layer_norm_eps=1e-5, bos_token_id=1, eos_token_id=2, hidden_act="gelu")
    base.update(kw)
    model = randomize(GPTNeoXForCausalLM(GPTNeoXConfig(**base)), seed)
    return write_model(name, model, neox_hooks)


def tokenizer():
    """A 512-word WordLevel tokenizer.json (the tokenizers library's own writer), which the tests copy into each model."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for i in range(3, VOCAB):
        vocab[f"w{i}"] = i
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    (OUT / "tokenizer").mkdir(parents=True, exist_ok=True)
    tok.save(str(OUT / "tokenizer" / "tokenizer.json"))


def share_weights(directory, source):
    """A layout variant keeps only its config.json; the tests take weights and reference numbers from `source`."""
    (directory / "model.safetensors").unlink()
    (directory / "reference.safetensors").unlink()
    (directory / "same-weights-as.txt").write_text(source + "\n")


def models():
    tokenizer()
    # transformers 5 layout: rope_parameters with llama3 scaling; every bias; head_dim != hidden/heads; untied
    d = llama("llama-tf5", 1, head_dim=16, attention_bias=True, mlp_bias=True, tie_word_embeddings=False,
              rope_parameters=dict(rope_type="llama3", rope_theta=500000.0, factor=8.0, low_freq_factor=1.0,
                                   high_freq_factor=4.0, original_max_position_embeddings=16))
    # the same weights as transformers 4.x wrote the config: top-level rope_theta and rope_scaling
    legacy = OUT / "models" / "llama-tf4-layout"
    shutil.rmtree(legacy, ignore_errors=True)
    shutil.copytree(d, legacy)
    cfg = json.loads((d / "config.json").read_text())
    rope = cfg.pop("rope_parameters")
    cfg["rope_theta"] = rope.pop("rope_theta")
    cfg["rope_scaling"] = rope
    cfg["transformers_version"] = "4.46.0"
    cfg["torch_dtype"] = cfg.pop("dtype", "float32")
    (legacy / "config.json").write_text(json.dumps(cfg, indent=2))
    share_weights(legacy, "llama-tf5")
    llama("llama-linear-tied", 2, tie_word_embeddings=True,
          rope_parameters=dict(rope_type="linear", rope_theta=10000.0, factor=2.0))
    # a long pre-training context puts yarn's interpolation ramp on dims whose angles differ within the prompt
    llama("llama-yarn", 3, head_dim=16, rope_parameters=dict(rope_type="yarn", rope_theta=10000.0, factor=4.0,
                                                              original_max_position_embeddings=4096))
    llama("llama-dynamic", 4, rope_parameters=dict(rope_type="dynamic", rope_theta=10000.0, factor=2.0))
    neox("neox-sequential", 5, partial_rotary_factor=0.5, use_parallel_residual=False,
         rope_parameters=dict(rope_type="default", rope_theta=10000.0, partial_rotary_factor=0.5))
    neox("neox-parallel", 6, hidden_size=64, partial_rotary_factor=0.25, use_parallel_residual=True,
         rope_parameters=dict(rope_type="default", rope_theta=1000.0, partial_rotary_factor=0.25))
    from transformers import GPT2Config, GPT2LMHeadModel, Gemma2Config, Gemma2ForCausalLM
    seeded(7)
    write_model("gpt2", randomize(GPT2LMHeadModel(GPT2Config(vocab_size=VOCAB, n_embd=48, n_layer=2, n_head=4,
                                                              n_positions=64, bos_token_id=1, eos_token_id=2)), 7),
                gpt2_hooks)
    seeded(8)
    # eager attention: transformers' default sdpa silently skips Gemma 2's attention logit soft-capping
    gemma = Gemma2ForCausalLM(Gemma2Config(attn_implementation="eager", vocab_size=VOCAB, hidden_size=48, intermediate_size=64, num_hidden_layers=2,
                                           num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                                           max_position_embeddings=64, sliding_window=4, query_pre_attn_scalar=16,
                                           attn_logit_softcapping=5.0, final_logit_softcapping=3.0, bos_token_id=1,
                                           eos_token_id=2, pad_token_id=0))
    write_model("gemma2", randomize(gemma, 8), gemma2_hooks)
    # GPT-NeoX as transformers 4.x wrote it (Pythia): rotary_pct and rotary_emb_base at the top level
    legacy = OUT / "models" / "neox-tf4-layout"
    shutil.rmtree(legacy, ignore_errors=True)
    shutil.copytree(OUT / "models" / "neox-parallel", legacy)
    cfg = json.loads((legacy / "config.json").read_text())
    rope = cfg.pop("rope_parameters")
    cfg.pop("partial_rotary_factor")
    cfg.pop("rope_theta", None)
    cfg["rotary_pct"] = rope["partial_rotary_factor"]
    cfg["rotary_emb_base"] = rope["rope_theta"]
    cfg["transformers_version"] = "4.24.0"
    (legacy / "config.json").write_text(json.dumps(cfg, indent=2))
    share_weights(legacy, "neox-parallel")


def transformer_lens_references():
    """TransformerLens' own run_with_cache on models it converts exactly (its HF conversion checked against transformers'
    logits first): tl_reference.safetensors as from_pretrained_no_processing gives them, tl_processed.safetensors as
    from_pretrained's defaults (fold_ln, center_writing_weights, center_unembed, fold_value_biases) give them, which is
    what SAELens SAEs trained on TransformerLens activations saw. TransformerLens 3.5.1 reads transformers 5's
    rope_parameters and use_parallel_residual only partly, so the models below stay within what it reads."""
    import transformer_lens.loading_from_pretrained as loading
    from transformer_lens import HookedTransformer
    from transformers import (AutoModelForCausalLM, AutoTokenizer, GPT2Config, GPTNeoXConfig, GPTNeoXForCausalLM,
                              LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast)
    loading.get_official_model_name = lambda name: name  # a local directory, not a Hub name
    GPT2Config.n_ctx = property(lambda self: self.n_positions)  # TransformerLens reads the 4.x attribute
    seeded(9)
    neox_cfg = GPTNeoXConfig(vocab_size=VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
                             num_attention_heads=4, max_position_embeddings=64, layer_norm_eps=1e-5, bos_token_id=1,
                             eos_token_id=2, hidden_act="gelu", use_parallel_residual=True,
                             rope_parameters=dict(rope_type="default", rope_theta=10000.0, partial_rotary_factor=0.25))
    write_model("tl-neox", randomize(GPTNeoXForCausalLM(neox_cfg), 9), neox_hooks)
    seeded(10)
    llama_cfg = LlamaConfig(vocab_size=VOCAB, hidden_size=48, intermediate_size=64, num_hidden_layers=2,
                            num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5,
                            bos_token_id=1, eos_token_id=2, tie_word_embeddings=False,
                            rope_parameters=dict(rope_type="default", rope_theta=10000.0))
    write_model("tl-llama", randomize(LlamaForCausalLM(llama_cfg), 10), llama_hooks)
    tok = PreTrainedTokenizerFast(tokenizer_file=str(OUT / "tokenizer" / "tokenizer.json"), bos_token="<s>",
                                  eos_token="</s>", unk_token="<unk>")
    for name in ("gpt2", "tl-neox", "tl-llama"):
        d = OUT / "models" / name
        work = Path("/tmp/lumen-tl") / name.replace("llama", "l").replace("gpt2", "g")  # TL special-cases "llama" names
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(d, work)
        tok.save_pretrained(work)
        for processed, kwargs in ((False, {}), (True, dict(fold_ln=True, center_writing_weights=True,
                                                             center_unembed=True, fold_value_biases=True))):
            hf = AutoModelForCausalLM.from_pretrained(work, attn_implementation="eager").eval()
            if hasattr(hf, "gpt_neox"):
                hf.embed_out = hf.lm_head  # TransformerLens reads the 4.x attribute name
            load = HookedTransformer.from_pretrained if processed else HookedTransformer.from_pretrained_no_processing
            tl = load(str(work), hf_model=hf, tokenizer=AutoTokenizer.from_pretrained(work), device="cpu",
                      dtype=torch.float32, **kwargs)
            with torch.no_grad():
                logits, cache = tl.run_with_cache(TOKENS)
                ref = hf(TOKENS).logits
            gap = (torch.log_softmax(logits, -1) - torch.log_softmax(ref, -1)).abs().max().item()
            assert gap < 1e-4, f"{name}: TransformerLens does not compute this model as transformers does ({gap})"
            tensors = {"tokens": TOKENS.float().contiguous(), "logits": logits[0].float().contiguous()}
            for key, a in cache.items():
                if ".hook_rot_" in key or key.startswith("hook_"):
                    continue  # not offered by Lumen (rotated q/k, embed hooks)
                tensors["hook." + key] = a[0].float().clone().contiguous()
            out = "tl_processed.safetensors" if processed else "tl_reference.safetensors"
            save_file(tensors, str(d / out))
            print(name, out, len(tensors), "tensors, log-prob gap to transformers", gap)


def sae_reference(sae, directory, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(16, sae.cfg.d_in, generator=g)
    with torch.no_grad():
        f = sae.encode(x)
        r = sae.decode(f)
    save_file({"x": x, "feature_acts": f.contiguous(), "recons": r.contiguous()}, str(directory / "sae_reference.safetensors"))


def randomize_sae(sae, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sae.named_parameters():
            if name == "threshold":
                p.copy_(0.3 * torch.rand(p.shape, generator=g))
            elif name in ("b_enc", "b_gate", "b_mag"):
                p.copy_(0.3 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=g))
    return sae


def saes():
    from sae_lens import (GatedSAE, GatedSAEConfig, JumpReLUSAE, JumpReLUSAEConfig, StandardSAE, StandardSAEConfig,
                          TopKSAE, TopKSAEConfig)
    from sae_lens.saes.sae import SAEMetadata
    from sae_lens.saes.batchtopk_sae import BatchTopKTrainingSAE, BatchTopKTrainingSAEConfig
    from sae_lens.saes.matryoshka_batchtopk_sae import (MatryoshkaBatchTopKTrainingSAE,
                                                        MatryoshkaBatchTopKTrainingSAEConfig)
    meta = lambda: SAEMetadata(model_name="tiny", hook_name="blocks.1.hook_resid_post", context_size=16)
    root = OUT / "saes"
    shutil.rmtree(root, ignore_errors=True)
    specs = {
        "standard": lambda: StandardSAE(StandardSAEConfig(d_in=48, d_sae=96, metadata=meta())),
        "standard-no-bdec-input": lambda: StandardSAE(StandardSAEConfig(d_in=48, d_sae=96, apply_b_dec_to_input=False,
                                                                        metadata=meta())),
        "jumprelu": lambda: JumpReLUSAE(JumpReLUSAEConfig(d_in=48, d_sae=96, metadata=meta())),
        "gated": lambda: GatedSAE(GatedSAEConfig(d_in=48, d_sae=96, metadata=meta())),
        "topk": lambda: TopKSAE(TopKSAEConfig(d_in=48, d_sae=96, k=8, metadata=meta())),
        "topk-rescaled": lambda: TopKSAE(TopKSAEConfig(d_in=48, d_sae=96, k=8, rescale_acts_by_decoder_norm=True,
                                                       metadata=meta())),
        "standard-constant-norm": lambda: StandardSAE(StandardSAEConfig(d_in=48, d_sae=96,
                                                                        normalize_activations="constant_norm_rescale",
                                                                        metadata=meta())),
    }
    for i, (name, make) in enumerate(specs.items()):
        sae = randomize_sae(make(), 100 + i)
        d = root / name
        sae.save_model(d)
        sae_reference(sae, d, 200 + i)
        print(name, sorted(json.loads((d / "cfg.json").read_text()).keys()))
    # BatchTopK and Matryoshka train with a batch-level rule and SAELens saves them for inference as JumpReLU with
    # the learned global threshold: the training save (what a checkpoint holds) and that inference save both go here
    for name, cls, cfg in (
            ("batchtopk", BatchTopKTrainingSAE, BatchTopKTrainingSAEConfig(d_in=48, d_sae=96, k=8, metadata=meta())),
            ("matryoshka-batchtopk", MatryoshkaBatchTopKTrainingSAE,
             MatryoshkaBatchTopKTrainingSAEConfig(d_in=48, d_sae=96, k=8, matryoshka_widths=[32, 96], metadata=meta()))):
        sae = randomize_sae(cls(cfg), 300)
        sae.topk_threshold = torch.tensor(0.4, dtype=torch.double)
        d = root / (name + "-training")
        sae.save_model(d)
        inference = root / (name + "-inference")
        sae.save_inference_model(inference)
        loaded = JumpReLUSAE.load_from_disk(inference)
        sae_reference(loaded, d, 400)
        shutil.copy(d / "sae_reference.safetensors", inference / "sae_reference.safetensors")
        print(name, sorted(json.loads((d / "cfg.json").read_text()).keys()))


def gemma_scope():
    """A Gemma Scope params.npz written as Google wrote them (np.savez of W_enc, W_dec, b_enc, b_dec, threshold, float32),
    loaded by SAELens' own gemma_2 loader (hf_hub_download pointed at the local file; d_in/d_sae given as cfg_overrides,
    since the real 2304 x 16384 would not fit a fixture) into its JumpReLUSAE, whose encode/decode are the reference.
    saelens_cfg.json is the config SAELens derives for the release folder itself (no overrides); two refused variants
    (an unknown array, a float64 array) are written beside it."""
    import sae_lens.loading.pretrained_sae_loaders as loaders
    from sae_lens import JumpReLUSAE, JumpReLUSAEConfig
    d = OUT / "saes" / "gemma-scope-npz"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    g = torch.Generator().manual_seed(500)
    arrays = {"W_enc": 0.3 * torch.randn(48, 96, generator=g), "W_dec": 0.3 * torch.randn(96, 48, generator=g),
              "b_enc": 0.3 * torch.randn(96, generator=g), "b_dec": 0.3 * torch.randn(48, generator=g),
              "threshold": 0.3 * torch.rand(96, generator=g)}
    np.savez(d / "params.npz", **{k: v.numpy().astype(np.float32) for k, v in arrays.items()})
    np.savez(d / "params-extra-array.npz", **{k: v.numpy().astype(np.float32) for k, v in arrays.items()},
             W_extra=np.zeros((2, 2), np.float32))
    np.savez(d / "params-float64.npz", **{k: v.numpy().astype(np.float64 if k == "W_enc" else np.float32)
                                          for k, v in arrays.items()})
    repo, folder = "google/gemma-scope-2b-pt-res", "layer_3/width_16k/average_l0_50"
    loaders.hf_hub_download = lambda **kw: str(d / "params.npz")
    cfg, state, _ = loaders.gemma_2_sae_huggingface_loader(repo, folder, cfg_overrides={"d_in": 48, "d_sae": 96})
    cfg = loaders.handle_config_defaulting(cfg)  # what SAE.from_pretrained does next
    cfg.pop("device", None)
    sae = JumpReLUSAE(JumpReLUSAEConfig.from_dict(cfg))
    sae.load_state_dict(state)
    sae_reference(sae, d, 501)
    real = loaders.get_gemma_2_config_from_hf(repo, folder, device=None)
    (d / "saelens_cfg.json").write_text(json.dumps({"repo_id": repo, "folder": folder, "cfg": real}, indent=2))
    print("gemma-scope-npz", sorted(real.keys()))


def tokenizers_unigram():
    """A SentencePiece Unigram model (sentencepiece's trainer) and a Unigram tokenizer.json (tokenizers' trainer),
    with the ids those libraries give a test sentence."""
    import sentencepiece as spm
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers, decoders
    d = OUT / "tokenizers"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    text = ("Once upon a time there was a little girl named Lily. She liked to play in the park with her dog. "
            "One day the sun was shining and the birds were singing in the tall green trees. ") * 20
    corpus = d / "corpus.txt"
    corpus.write_text("\n".join(text.split(". ")))
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(d / "unigram"), vocab_size=40,
                                   model_type="unigram")
    (d / "unigram.vocab").unlink()
    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.train([str(corpus)], trainers.UnigramTrainer(vocab_size=40, special_tokens=["<unk>"], unk_token="<unk>"))
    corpus.unlink()
    tok.save(str(d / "tokenizer.json"))
    sentence = "Once upon a time a little dog liked the green park."
    (d / "expected.json").write_text(json.dumps({"text": sentence, "ids": tok.encode(sentence).ids}))


if __name__ == "__main__":
    print("transformers", transformers.__version__, "torch", torch.__version__)
    what = sys.argv[1:] or ["models", "transformer-lens", "saes", "gemma-scope", "tokenizers"]
    if "models" in what:
        models()
    if "transformer-lens" in what:
        transformer_lens_references()
    if "saes" in what:
        saes()
    if "gemma-scope" in what:
        gemma_scope()
    if "tokenizers" in what:
        tokenizers_unigram()
