#!/usr/bin/env python3
"""Silver NER data for the fast English NER: news sentences tagged by the accurate tagger.

Distillation (issue #20): the accurate profile's tagger (models/en_ner_accurate, CoNLL-2003
conventions, 92.7 on the ner-en report part) labels sentences of cased English news that the fast
model never saw, and the fast model trains on them beside the gold (``train.py convert --silver``).

Sources (cased news text only; HuffPost in the topics data is lower-cased and left out):
  * MasakhaNews English (BBC news 2019-2022), ``../shared/data/topics/en/train_extra.jsonl``;
  * BBC News 2004-05, ``../shared/data/topics/en/train.jsonl``.
Terms: research use (see ``../shared/provenance/topics.md`` and ``topics-extra.md``); the texts are
the BBC's. Nothing of them is written into the repository: the output goes to the git-ignored
``models/en_ner/corpus/silver.jsonl``. No dev or eval text is read.

Sentences: paragraphs split at newlines, then at sentence-final punctuation followed by a capital;
kept when 25-400 characters long, not starting in lower case (some MasakhaNews paragraphs
lost their first letters) and not in headline case or capitals (``newsnlp.entities.english`` decides
headline case; the cased NER reads ordinary sentences). A sentence is kept only when the tagger is
sure of every word (each word's best label has probability >= ``--min-prob``, default 0.6, fixed
before any run): low-confidence silver teaches the tagger's mistakes.

Usage:
  python models/en_ner/silver.py --max-sentences 30000
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = Path(os.environ.get("NEWSNLP_SHARED", REPO.parent / "shared"))
SOURCES = {
    "masakhanews_eng": SHARED / "data" / "topics" / "en" / "train_extra.jsonl",
    "bbc": SHARED / "data" / "topics" / "en" / "train.jsonl",
}
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018]?[A-Z])")
SEED = 13


def sentences(text: str) -> list[str]:
    out = []
    for para in text.split("\n"):
        para = para.strip()
        start = 0
        for m in SENTENCE_END.finditer(para):
            out.append(para[start:m.start() + len(m.group(0).rstrip())].strip())
            start = m.end()
        out.append(para[start:].strip())
    return [s for s in out if s]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(HERE / "corpus" / "silver.jsonl"))
    ap.add_argument("--max-sentences", type=int, default=30000)
    ap.add_argument("--min-prob", type=float, default=0.6)
    ap.add_argument("--model", default="", help="accurate tagger folder (default: the shipped one)")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--skip", type=int, default=0, help="skip the first N shuffled sentences (a second batch)")
    a = ap.parse_args()

    from newsnlp.entities.accurate import accurate_tagger, spans_from_labels, viterbi
    from newsnlp.entities.casing import is_all_caps, is_headline_case

    pool: list[tuple[str, str, str]] = []
    for source, path in SOURCES.items():
        for line in open(path, encoding="utf-8"):
            rec = json.loads(line)
            if rec["source"] != source:
                continue
            for s in sentences(rec["text"]):
                if 25 <= len(s) <= 400 and not s[0].islower() and not is_headline_case(s) and not is_all_caps(s):
                    pool.append((source, rec["id"], s))
    rng = random.Random(SEED)
    rng.shuffle(pool)
    pool = pool[a.skip:]
    print(f"[silver] {len(pool)} candidate sentences", flush=True)
    tagger = accurate_tagger(a.model or None, "en_ner_accurate")
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = seen = 0
    t0 = time.time()
    tmp = out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for b in range(0, len(pool), a.batch):
            chunk = pool[b:b + a.batch]
            for (source, rid, text), (spans, scores) in zip(chunk, tagger.word_scores([t for _, _, t in chunk])):
                seen += 1
                if not spans:
                    continue
                if float(np.exp(scores.max(axis=1)).min()) < a.min_prob:
                    continue
                path = viterbi(scores, tagger.labels)
                ents = spans_from_labels(spans, [tagger.labels[j] for j in path])
                sid = hashlib.sha1(text.encode()).hexdigest()[:12]
                f.write(json.dumps({"id": f"silver-{sid}", "doc_id": rid, "lang": "en", "text": text,
                                    "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in ents],
                                    "source": f"silver:{source}"},
                                   ensure_ascii=False) + "\n")
                kept += 1
            print(f"[silver] {seen} read, {kept} kept, {time.time() - t0:.0f} s", flush=True)
            if kept >= a.max_sentences:
                break
    tmp.replace(out)
    print(f"[silver] wrote {kept} sentences of {seen} to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
