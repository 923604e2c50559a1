#!/usr/bin/env python3
"""Recipe: fine-tune a small pretrained encoder as a BIO word tagger (the accurate profile's NER).

    pip install -e ".[encoder-training]"            # torch (CPU), for training only
    nice -n 5 python models/ner_accurate/train.py --lang en --shared ../shared \\
        --wheels build/wheels -o models/en_ner_accurate/model --minutes 40
    nice -n 5 python models/ner_accurate/train.py --lang zh --shared ../shared \\
        --wheels build/wheels -o models/zh_ner_accurate/model --minutes 40

The pretrained encoders are those of ``models/topics/train_encoder.py`` (read from PyPI wheels,
checked against sha256 sums; English all-MiniLM-L6-v2, Apache-2.0; Chinese m3e-small, research
use only). Training data: ``data/ner/en/train.jsonl`` (CoNLL-2003 eng.train; PERSON, ORG, LOC,
MISC) or ``data/ner/zh/train_nopku.jsonl``. English sentences of one article are packed into
chunks of a random length (1 sentence up to ``max_len`` pieces, drawn again every epoch), so the
tagger learns both single sentences and sentences in context.

The model is :class:`newsnlp.entities.accurate.TokenTagger`: the encoder, a casing-shape
embedding added to the input embeddings (zero at the start), a linear layer on each word's first
piece; cross-entropy on first pieces. ``--minutes`` caps the wall-clock time: every 10 steps the
number of steps is cut to what fits at the pace so far (the learning-rate schedule follows). The export is int8
(``tagger.npz``) with ``tagger.json`` (parameters, metadata, sha256 of the arrays).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "models" / "topics"))
sys.path.insert(0, str(ROOT / "src"))

from train_encoder import PRETRAINED, build_model, export, fetch_wheel, length_batches, pretrained  # noqa: E402

from newsnlp.entities.accurate import (  # noqa: E402
    N_SHAPES, TokenTagger, case_shape, pack, save_tagger, windows, word_pieces, word_spans,
)
from newsnlp.entities.casing import title_case, upper_case  # noqa: E402
from newsnlp.transformer import WordPiece  # noqa: E402

logger = logging.getLogger("ner_accurate")

TRAIN_FILES = {"en": "data/ner/en/train.jsonl", "zh": "data/ner/zh/train_nopku.jsonl"}
TYPES = {"en": ("PERSON", "ORG", "LOC", "MISC"), "zh": None}  # None: the types found in the data
HYPER = {"max_len": 128, "epochs": 3.0, "lr": 1e-4, "head_lr_factor": 5.0, "batch": 16, "warmup": 0.06,
         "weight_decay": 0.01, "dropout": 0.1, "seed": 0}


def words_of(record: dict, tok: WordPiece, label_index: dict[str, int]) -> tuple[list[list[int]], list[int], list[int]]:
    """A record's words as (pieces, case shapes, BIO label ids); an entity labels the words it overlaps."""
    text = record["text"]
    spans = word_spans(text)
    labels = [0] * len(spans)
    for ent in record.get("entities", []):
        inside = [i for i, (s, e) in enumerate(spans) if s < ent["end"] and ent["start"] < e]
        if ent["label"] in {k[2:] for k in label_index if k != "O"} and inside:
            labels[inside[0]] = label_index["B-" + ent["label"]]
            for i in inside[1:]:
                labels[i] = label_index["I-" + ent["label"]]
    pieces = [word_pieces(tok, text[s:e]) for s, e in spans]
    return pieces, [case_shape(text[s:e]) for s, e in spans], labels


def units(records: list[dict], tok: WordPiece, label_index: dict[str, int], size: int) -> list[tuple[str, tuple]]:
    """(group, words) per record, records longer than ``size`` pieces cut into overlapping windows."""
    out = []
    for r in records:
        pieces, shapes, labels = words_of(r, tok, label_index)
        if not pieces:
            continue
        spans = word_spans(r["text"])
        recased = [[case_shape(t[s:e]) for s, e in spans] for t in (title_case(r["text"]), upper_case(r["text"]))]
        for a, b in windows([len(p) for p in pieces], size):
            out.append((r.get("doc_id") or r["id"], (pieces[a:b], shapes[a:b], labels[a:b],
                                                     recased[0][a:b], recased[1][a:b])))
    return out


def chunks(sents: list[tuple[str, tuple]], size: int, rng: random.Random, pack_docs: bool,
           recase: float = 0.0) -> list[tuple]:
    """Consecutive units of one group joined up to a random length (one epoch's examples); a unit
    is read in Title Case or UPPER (only its case shapes change: the encoder is uncased) with
    probability ``recase`` (half each)."""
    out: list[tuple] = []
    cur: tuple | None = None
    group, target = None, 0
    for g, (pieces, shapes, labels, title, upper) in sents:
        draw = rng.random() if recase else 1.0
        if draw < recase:
            shapes = title if draw < recase / 2 else upper
        n = sum(map(len, pieces))
        cur_n = sum(map(len, cur[0])) if cur else 0
        if cur is not None and pack_docs and g == group and cur_n + n <= target:
            cur = (cur[0] + pieces, cur[1] + shapes, cur[2] + labels)
            continue
        if cur is not None:
            out.append(cur)
        cur, group, target = (pieces, shapes, labels), g, rng.randint(1, size)
    if cur is not None:
        out.append(cur)
    return out


def check_export(tagger: TokenTagger, records: list[dict], torch_logits, words_of, tok, label_index) -> float:
    """Share of words whose label argmax is the same in torch and in the exported numpy tagger."""
    import torch

    same = total = 0
    with torch.no_grad():
        for r in records:
            ex = words_of(r, tok, label_index)
            if not ex[0] or sum(map(len, ex[0])) > tagger.max_len - 2:
                continue
            logits = torch_logits(ex).numpy()
            firsts = np.cumsum([1] + [len(p) for p in ex[0]])[:-1]
            theirs = logits[firsts].argmax(1)
            ours = tagger.word_scores([r["text"]])[0][1].argmax(1)
            same += int((theirs == ours).sum())
            total += len(ours)
    return same / max(1, total)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--lang", choices=sorted(TRAIN_FILES), required=True)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--train", type=Path, default=None, help="training file (default: the language's, under --shared)")
    ap.add_argument("--wheels", type=Path, default=Path("build/wheels"))
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--epochs", type=float, default=HYPER["epochs"])
    ap.add_argument("--lr", type=float, default=HYPER["lr"])
    ap.add_argument("--minutes", type=float, default=0.0, help="wall-clock cap on training (0: none)")
    ap.add_argument("--recase", type=float, default=0.0,
                    help="share of sentences read in Title Case or UPPER (casing augmentation; 0: none)")
    ap.add_argument("--no-case", action="store_true", help="no casing-shape embedding (ablation)")
    ap.add_argument("--threads", type=int, default=2,
                    help="torch threads (1 on a busy machine: spinning threads slow each other down)")
    ap.add_argument("--limit", type=int, default=0, help="first N records only (smoke tests)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.set_num_threads(args.threads)
    hyper = dict(HYPER, epochs=args.epochs, lr=args.lr, case=not args.no_case, recase=args.recase)
    torch.manual_seed(hyper["seed"])
    rng = random.Random(hyper["seed"])
    spec = PRETRAINED[args.lang]
    state, vocab, digest = pretrained(args.lang, fetch_wheel(args.lang, args.wheels))
    path = args.train or args.shared / TRAIN_FILES[args.lang]
    with path.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if args.limit:
        records = records[: args.limit]
    types = TYPES[args.lang] or sorted({e["label"] for r in records for e in r.get("entities", [])})
    labels = ["O"] + [f"{bi}-{t}" for t in types for bi in "BI"]
    label_index = {lab: i for i, lab in enumerate(labels)}
    tok = WordPiece(vocab, lowercase=spec["lowercase"], strip_accents=spec["strip_accents"])
    size = hyper["max_len"] - 2
    sents = units(records, tok, label_index, size)
    logger.info("%s: %d records, %d units, labels %s", args.lang, len(records), len(sents), labels)

    model = build_model(state, len(labels), hyper["dropout"], spec["heads"])
    width = model.word.weight.shape[1]
    case = nn.Embedding(N_SHAPES, width)
    nn.init.zeros_(case.weight)
    head_params = list(model.head.parameters()) + list(case.parameters())
    body = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": body, "lr": hyper["lr"]},
                             {"params": head_params, "lr": hyper["lr"] * hyper["head_lr_factor"]}],
                            weight_decay=hyper["weight_decay"])
    per_epoch = len(chunks(sents, size, random.Random(1), args.lang == "en")) / hyper["batch"]
    plan = {"steps": max(1, int(per_epoch * hyper["epochs"]))}
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / max(1, int(hyper["warmup"] * plan["steps"])))
                                              * max(0.0, (plan["steps"] - s) / plan["steps"]))

    def forward(ids, mask, shapes):
        b, t = ids.shape
        emb = model.word(ids) + model.pos.weight[:t][None] + model.typ
        if hyper["case"]:
            emb = emb + case(shapes)
        x = model.drop(model.ln0(emb))
        bias = (1.0 - mask[:, None, None, :].float()) * -1e4
        for m in model.layers:
            q, k, v = (m[n](x).view(b, t, model.heads, -1).transpose(1, 2) for n in "qkv")
            att = model.drop((q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + bias).softmax(-1))
            x = m["ln1"](x + model.drop(m["o"]((att @ v).transpose(1, 2).reshape(b, t, width))))
            x = m["ln2"](x + model.drop(m["out"](F.gelu(m["i"](x)))))
        return model.head(model.drop(x))

    def tensors(batch):
        t = 2 + max(sum(map(len, ex[0])) for ex in batch)
        ids = torch.zeros(len(batch), t, dtype=torch.long)
        shapes = torch.zeros_like(ids)
        gold = torch.full_like(ids, -100)
        mask = torch.zeros_like(ids)
        for j, (pieces, shp, lab) in enumerate(batch):
            row, sh, gl = [tok.cls], [0], [-100]
            for p, s, g in zip(pieces, shp, lab):
                gl += [g] + [-100] * (len(p) - 1)
                row += p
                sh += [s] * len(p)
            row.append(tok.sep)
            ids[j, : len(row)] = torch.tensor(row)
            shapes[j, : len(sh)] = torch.tensor(sh)
            gold[j, : len(gl)] = torch.tensor(gl)
            mask[j, : len(row)] = 1
        return ids, mask, shapes, gold

    step, t0, epoch = 0, time.time(), 0
    model.train()
    while step < plan["steps"]:
        examples = chunks(sents, size, rng, args.lang == "en", hyper["recase"])
        for rows in length_batches(range(len(examples)), lambda i, ex=examples: sum(map(len, ex[i][0])), hyper["batch"], rng):
            ids, mask, shapes, gold = tensors([examples[i] for i in rows])
            loss = F.cross_entropy(forward(ids, mask, shapes).reshape(-1, len(labels)), gold.reshape(-1), ignore_index=-100)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if args.minutes and step % 10 == 0 and step >= 30:
                # the machine is shared: re-plan on the pace so far, never past the wall-clock cap
                fit = int(args.minutes * 60 / ((time.time() - t0) / step))
                if fit < plan["steps"]:
                    logger.info("time cap: %d of %d planned steps fit in %.0f min", fit, plan["steps"], args.minutes)
                    plan["steps"] = max(step, fit)
            if step % 50 == 0:
                logger.info("epoch %d step %d/%d loss %.4f (%.0f s)", epoch, step, plan["steps"], loss.item(), time.time() - t0)
            if step >= plan["steps"]:
                break
        epoch += 1
    model.eval()
    enc = export(model, vocab, labels, np.zeros(len(labels), dtype=np.int32), hyper["max_len"],
                 spec["lowercase"], spec["strip_accents"])
    case_w = case.weight.detach().float().numpy().copy() if hyper["case"] else np.zeros((N_SHAPES, width), np.float32)
    tagger = TokenTagger(tokenizer=enc.tokenizer, heads=enc.heads, max_len=enc.max_len, position=enc.position,
                         norms=enc.norms, case=case_w, out_w=enc.out_w, out_b=enc.out_b, labels=labels,
                         packed=pack(enc.word, enc.dense))
    agree = check_export(tagger, records[:200], lambda ex: forward(*tensors([ex])[:3])[0], words_of, tok, label_index)
    logger.info("numpy int8 export vs torch: %.4f of first-piece argmaxes agree on 200 training records", agree)
    meta = {"lang": args.lang, "pretrained": spec["name"], "pretrained_sha256": digest, "licence": spec["licence"],
            "train_file": str(path.relative_to(args.shared)) if path.is_relative_to(args.shared) else path.name,
            "records": len(records), "hyper": hyper, "steps": step, "epochs_done": round(step / per_epoch, 2),
            "seconds": round(time.time() - t0), "export_agreement": round(agree, 4), "recipe": "models/ner_accurate/train.py"}
    save_tagger(tagger, args.output, meta)
    logger.info("saved %s after %d steps (%.2f epochs, %.0f s)", args.output, step, step / per_epoch, time.time() - t0)


if __name__ == "__main__":
    main()
