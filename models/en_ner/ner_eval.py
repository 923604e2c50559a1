"""Evaluation step of the English NER recipe (``python models/en_ner/train.py evaluate``).

Dev P/R/F1 (exact span + label, micro over PERSON/ORG/LOC, the logic of
``../shared/eval/score_ner.py``), per label, on the ALL-CAPS subset and the rest; the check that
the model installed into en_core_web_sm gives the standalone pipeline's entities; speed against
bare en_core_web_sm; size. Writes ``models/en_ner/dev_scores.json``.
"""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from train import BASE, REPO, SCORED, SHARED, dir_size, is_all_caps, read_jsonl

sys.path.insert(0, str(REPO / "models"))
import ner_scores  # noqa: E402  (models/ner_scores.py, shared with the Chinese recipe)


def pred_spans(doc, label_map=None) -> set:
    label_map = label_map or {"PER": "PERSON"}
    out = set()
    for e in doc.ents:
        lab = label_map.get(e.label_, e.label_)
        if lab in SCORED:
            out.add((e.start_char, e.end_char, lab))
    return out


def score(gold_recs, preds) -> dict:
    """Exact (start, end, label) match, micro over PERSON/ORG/LOC (as score_ner.py)."""
    return {**ner_scores.score(gold_recs, preds, SCORED), "n_sentences": len(gold_recs)}


def score_subsets(gold, preds) -> dict:
    caps = [i for i, r in enumerate(gold) if is_all_caps(r["text"])]
    rest = sorted(set(range(len(gold))) - set(caps))
    return {"all": score(gold, preds),
            "all_caps": score([gold[i] for i in caps], [preds[i] for i in caps]),
            "not_caps": score([gold[i] for i in rest], [preds[i] for i in rest])}


def print_scores(title: str, res: dict) -> None:
    print(f"== {title} ==")
    for part in ("all", "all_caps", "not_caps"):
        m = res[part]
        print(f"  [{part}] n={m['n_sentences']}")
        rows = [(l, m["per_label"][l]) for l in SCORED] + [("MICRO", m["overall_micro"])]
        for n, x in rows:
            print(f"    {n:<8}P {x['precision']:6.2f}  R {x['recall']:6.2f}  F1 {x['f1']:6.2f}  n={x['support']}")
    sys.stdout.flush()


def score_parts(nlp, gold: list[dict], preds: list[set]) -> dict:
    """Micro scores on the fixed tuning and report parts of dev (benchmarks/entity_splits.py) and
    on Title Case and UPPER copies of each part (same offsets, the model re-run on them)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from entity_splits import part_of, recased, split_key

    out = {}
    for part in ("tune", "report"):
        idx = [i for i, r in enumerate(gold) if part_of(split_key("ner-en", r)) == part]
        out[part] = score([gold[i] for i in idx], [preds[i] for i in idx])["overall_micro"]
        for kind in ("title", "upper"):
            copies = [recased(gold[i], kind) for i in idx]
            got = [pred_spans(d) for d in nlp.pipe([c["text"] for c in copies], batch_size=256)]
            out[f"{part}-{kind}"] = score(copies, got)["overall_micro"]
    for name, m in out.items():
        print(f"  [{name}] P {m['precision']:6.2f}  R {m['recall']:6.2f}  F1 {m['f1']:6.2f}", flush=True)
    return out


def article_texts(dev: list[dict]) -> dict[str, list[str]]:
    """Realistic inputs for timing: dev sentences re-joined into their articles, and the
    shared English sample articles."""
    by_doc: dict[str, list[str]] = defaultdict(list)
    for r in dev:
        by_doc[r.get("doc_id") or r["id"]].append(r["text"])
    sets = {"dev_articles": ["\n".join(v) for _, v in sorted(by_doc.items())]}
    folder = SHARED / "articles" / "en"
    if folder.is_dir():
        sets["shared_articles_en"] = [p.read_text("utf-8", errors="replace")
                                      for p in sorted(folder.glob("*.txt"))]
    return sets


def bench(pipes: dict, texts: list[str], reps: int) -> dict:
    best = {k: float("inf") for k in pipes}
    for _ in range(reps):  # interleaved, best of reps
        for k, nlp in pipes.items():
            t0 = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=64):
                pass
            best[k] = min(best[k], time.perf_counter() - t0)
    return {k: round(v, 3) for k, v in best.items()}


def cmd_evaluate(a) -> dict:
    import spacy

    from newsnlp.entities.en_ner import install_newsnlp_ner

    model = Path(a.model)
    gold = read_jsonl(Path(a.dev), a.limit)
    texts = [r["text"] for r in gold]
    res: dict = {"model": str(model), "dev": str(a.dev), "spacy_version": spacy.__version__,
                 "base": BASE, "size_mb": round(dir_size(model) / 1e6, 2), "date": time.strftime("%Y-%m-%d")}
    meta = json.loads((model / "meta.json").read_text())
    res["description"] = meta.get("description")

    t0 = time.perf_counter()
    alone = spacy.load(model)
    res["load_seconds"] = round(time.perf_counter() - t0, 3)
    docs = list(alone.pipe(texts, batch_size=256))
    preds = [pred_spans(d) for d in docs]
    res["dev"] = score_subsets(gold, preds)
    print_scores("dev, standalone model", res["dev"])
    res["dev_parts"] = score_parts(alone, gold, preds)
    if "ner_headline" in alone.component_names:
        # the casing-robust ner alone on every sentence (the library runs it on headline-case lines)
        head = spacy.load(model)
        head.disable_pipe("ner")
        head.enable_pipe("ner_headline")
        head_preds = [pred_spans(d) for d in head.pipe(texts, batch_size=256)]
        print("== dev parts, ner_headline alone ==", flush=True)
        res["dev_parts_ner_headline"] = score_parts(head, gold, head_preds)

    # Installed into en_core_web_sm (shared tok2vec). Wiring check: with the parser switched off
    # the entities must equal the standalone model's exactly (same tok2vec weights, same
    # features). With the parser on, its sentence boundaries constrain the NER (spaCy's NER
    # never lets an entity cross a sentence start), so a few sentences may differ: that full
    # pipeline is what the library runs, and it is scored too.
    sm = install_newsnlp_ner(spacy.load(BASE), model)
    n_check = min(len(texts), a.check_n)
    with sm.select_pipes(disable=["parser"]):
        inst = [pred_spans(d) for d in sm.pipe(texts[:n_check], batch_size=256)]
    mismatch = sum(p != q for p, q in zip(inst, preds[:n_check]))
    full = [pred_spans(d) for d in sm.pipe(texts, batch_size=256)]
    res["installed_vs_standalone"] = {
        "sentences": n_check, "differing_parser_off": mismatch,
        "differing_full_pipeline": sum(p != q for p, q in zip(full, preds)), "of": len(texts)}
    print(f"[evaluate] installed in {BASE}: {json.dumps(res['installed_vs_standalone'])}", flush=True)
    res["dev_installed_in_sm"] = score_subsets(gold, full)
    print_scores(f"dev, installed in {BASE} (full pipeline)", res["dev_installed_in_sm"])

    if a.baseline:
        base = spacy.load(BASE)
        bmap = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
        bpreds = [pred_spans(d, bmap) for d in base.pipe(texts, batch_size=256)]
        res["baseline_en_core_web_sm"] = score_subsets(gold, bpreds)
        print_scores(f"dev, off-the-shelf {BASE} (GPE+LOC -> LOC)", res["baseline_en_core_web_sm"])

    if a.speed:
        pipes = {"sm_bare": spacy.load(BASE),
                 "sm_without_ner": spacy.load(BASE, exclude=["ner"]),
                 "sm_with_newsnlp_ner": install_newsnlp_ner(spacy.load(BASE), model)}
        speed = {}
        for name, ts in article_texts(gold).items():
            for nlp in pipes.values():  # warm-up
                list(nlp.pipe(ts[:5]))
            t = bench(pipes, ts, a.reps)
            speed[name] = {"texts": len(ts), "chars": sum(map(len, ts)), "seconds_best_of": a.reps, **t,
                           "extra_vs_bare_pct": round(100 * (t["sm_with_newsnlp_ner"] / t["sm_bare"] - 1), 1),
                           "ner_share_of_bare_pct": round(100 * (1 - t["sm_without_ner"] / t["sm_bare"]), 1)}
            print(f"[speed] {name}: {json.dumps(speed[name])}", flush=True)
        res["speed_one_thread"] = speed
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return res


