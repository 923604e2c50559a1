#!/usr/bin/env python3
"""Recipe for the newsnlp Chinese NER model (models/zh_ner/model).

Steps (each can be run alone):
  convert  -- read the JSONL train/dev sets, apply the per-character NFKC fold,
              write spaCy DocBin files into WORK (default models/zh_ner/work/,
              git-ignored; the data itself is never copied into the repo)
  train    -- python -m spacy train config.cfg (single thread, fixed seed)
  package  -- copy WORK/output/model-best to models/zh_ner/model/ (no optimizer
              state / training-only files)
  evaluate -- exact-span micro P/R/F1 (same logic as /work/shared/eval/score_ner.py)
              overall and per label, with and without the fold, plus speed,
              load time and size -> models/zh_ner/dev_scores.json

Usage:
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
      python models/zh_ner/train.py all            # convert + train + package + evaluate
  python models/zh_ner/train.py evaluate --model models/zh_ner/model
Options: --train FILE (default /work/shared/data/ner/zh/train.jsonl; its hand-labelled
         MSRA/PD-NER records are repeated --hand-repeat times, default 2, the PKU part once),
         --dev FILE, --work DIR, --max-steps N (overrides config), --limit N (smoke test).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FEATURES = REPO / "src" / "newsnlp" / "entities" / "zh_features.py"
SHARED = Path(os.environ.get("NEWSNLP_SHARED", REPO.parent / "shared"))
DEFAULT_TRAIN = SHARED / "data" / "ner" / "zh" / "train.jsonl"
DEFAULT_DEV = SHARED / "eval" / "ner" / "zh" / "dev.jsonl"
LABELS = ("PERSON", "ORG", "LOC")

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "models"))

from ner_scores import score  # noqa: E402  (models/ner_scores.py, shared with the English recipe)

from newsnlp.chars import nfkc_same_length as fold  # noqa: E402  (the library's same-length input fold)


def read_jsonl(path: Path, limit: int = 0):
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit and i >= limit:
                break
            line = line.strip()
            if line:
                yield json.loads(line)


def to_docbin(src: Path, dst: Path, limit: int = 0, hand_repeat: int = 1) -> dict:
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank("zh")  # char segmenter: one token per character
    assert nlp.tokenizer.segmenter == "char"
    db = DocBin(store_user_data=False)
    stats = {"docs": 0, "ents": 0, "dropped_ents": 0}
    for r in read_jsonl(src, limit):
        text = fold(r["text"])
        assert len(text) == len(r["text"])
        doc = nlp.make_doc(text)
        spans = []
        for e in r["entities"]:
            if e["label"] not in LABELS:
                continue
            sp = doc.char_span(e["start"], e["end"], label=e["label"], alignment_mode="strict")
            if sp is None:
                stats["dropped_ents"] += 1
                continue
            spans.append(sp)
        kept = filter_spans(spans)
        stats["dropped_ents"] += len(spans) - len(kept)
        doc.ents = kept
        # hand-labelled MSRA / PD-NER records are repeated ``hand_repeat`` times,
        # the POS-converted PKU 1998-01 records (near-gold) once
        n = 1 if "PKU" in r.get("source", "") else hand_repeat
        for _ in range(n):
            db.add(doc)
        stats["ents"] += n * len(kept)
        stats["docs"] += n
    dst.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(dst)
    return stats


def cmd_convert(a) -> None:
    work = Path(a.work)
    for name, src in (("train", Path(a.train)), ("dev", Path(a.dev))):
        st = to_docbin(src, work / f"{name}.spacy", a.limit, a.hand_repeat if name == "train" else 1)
        print(f"[convert] {src} -> {work / (name + '.spacy')}: {st}", flush=True)


def cmd_train(a) -> None:
    work = Path(a.work)
    cmd = [sys.executable, "-m", "spacy", "train", str(HERE / "config.cfg"),
           "--output", str(work / "output"),
           "--paths.train", str(work / "train.spacy"),
           "--paths.dev", str(work / "dev.spacy"),
           "--code", str(FEATURES)]
    if a.max_steps:
        cmd += ["--training.max_steps", str(a.max_steps)]
    print("[train]", " ".join(cmd), flush=True)
    t0 = time.time()
    subprocess.run(cmd, check=True)
    print(f"[train] done in {(time.time() - t0) / 60:.1f} min", flush=True)


def cmd_package(a) -> None:
    import spacy
    import newsnlp.entities.zh_features  # noqa: F401  (registers the factory)

    src = Path(a.checkpoint) if a.checkpoint else Path(a.work) / "output" / "model-best"
    dst = Path(a.model)
    nlp = spacy.load(src)
    if dst.exists():
        shutil.rmtree(dst)
    nlp.meta["name"] = "newsnlp_zh_ner"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = ("newsnlp Chinese news NER (PERSON/ORG/LOC); char tokens + "
                               "bigram and jieba lexicon features; see models/zh_ner/README.md")
    nlp.meta["spacy_version"] = ">=3.8.0,<3.9.0"
    nlp.meta["requirements"] = ["jieba>=0.42"]
    # nlp.pipe default batch: 64 docs (~3k-40k chars) is fastest for both sentences
    # and article-length paragraphs on one CPU thread
    nlp.batch_size = 64
    nlp.config["nlp"]["batch_size"] = 64
    nlp.to_disk(dst)  # weights only: the optimizer state is not part of nlp.to_disk
    print(f"[package] {src} -> {dst}", flush=True)


def spans_of(doc):
    return {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS}


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def cmd_evaluate(a) -> dict:
    import spacy
    import newsnlp.entities.zh_features as zf

    model = Path(a.model)
    t0 = time.time()
    nlp = spacy.load(model)
    from newsnlp.entities.half import widen_half_params

    widen_half_params(nlp)  # a shipped model's tok2vec is stored in float16
    load_s = time.time() - t0
    zf._load_jieba()  # jieba dictionary load happens lazily on first doc; time it apart
    jieba_s = time.time() - t0 - load_s
    gold = list(read_jsonl(Path(a.dev), a.limit))
    res = {"model": str(model), "dev": str(a.dev), "n_sentences": len(gold),
           "spacy_version": spacy.__version__, "load_seconds": round(load_s, 3),
           "jieba_init_seconds": round(jieba_s, 3),
           "size_mb": round(dir_size(model) / 1e6, 2)}
    for name, fn in (("fold", fold), ("raw", lambda s: s)):
        texts = [fn(r["text"]) for r in gold]
        t0 = time.time()
        docs = list(nlp.pipe(texts))
        dt = time.time() - t0
        res[name] = score(gold, [spans_of(d) for d in docs], LABELS)
        res[name]["chars_per_s"] = round(sum(map(len, texts)) / dt)
    print(json.dumps(res, indent=1, ensure_ascii=False), flush=True)
    for name in ("fold", "raw"):
        print(f"== dev ({name}) ==")
        rows = [(l, res[name]["per_label"][l]) for l in LABELS] + [("MICRO", res[name]["overall_micro"])]
        for n, m in rows:
            print(f"{n:<8}{m['precision']:>8.2f}{m['recall']:>8.2f}{m['f1']:>8.2f}{m['support']:>8}")
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["convert", "train", "package", "evaluate", "all"])
    ap.add_argument("--train", default=str(DEFAULT_TRAIN))
    ap.add_argument("--dev", default=str(DEFAULT_DEV))
    ap.add_argument("--work", default=str(HERE / "work"))
    ap.add_argument("--model", default=str(HERE / "model"))
    ap.add_argument("--out", default=str(HERE / "dev_scores.json"))
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--checkpoint", default="", help="package: source (default WORK/output/model-best)")
    ap.add_argument("--hand-repeat", type=int, default=2,
                    help="repeat hand-labelled (non-PKU) train records N times (default 2)")
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    t0 = time.time()
    if a.step in ("convert", "all"):
        cmd_convert(a)
    if a.step in ("train", "all"):
        cmd_train(a)
    if a.step in ("package", "all"):
        cmd_package(a)
    if a.step in ("evaluate", "all"):
        cmd_evaluate(a)
    print(f"[{a.step}] total {(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
