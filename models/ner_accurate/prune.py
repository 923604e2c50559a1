#!/usr/bin/env python3
"""Recipe step: cut a trained tagger's vocabulary to the WordPieces that English news uses.

    python models/ner_accurate/prune.py /tmp/ha/en1/model -o models/en_ner_accurate/model \\
        --texts ../shared/data/ner/en/train.jsonl ../shared/data/topics/en/train.jsonl \\
                ../shared/data/topics/en/train_extra.jsonl

The word table is the largest array of the model (all-MiniLM-L6-v2: 30,522 rows). Kept: every
piece of the words of the ``--texts`` (training texts only), every single character and
``##``-character piece, and the special tokens. A word made of kept pieces is cut exactly as
before (greedy longest match finds the same pieces); other words fall back to shorter pieces,
never to ``[UNK]`` when their characters are known. ``--min-count`` keeps only the pieces seen
that often (the shipped English model: 3, to keep the wheel under PyPI's 100 MiB).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from newsnlp.entities.accurate import load_tagger, pack, save_tagger, unpack, word_pieces, word_spans  # noqa: E402
from newsnlp.transformer import WordPiece  # noqa: E402

logger = logging.getLogger("ner_accurate.prune")


def prune(tagger, texts, min_count: int = 1, word_bits: int = 8) -> int:
    """Cut ``tagger``'s vocabulary in place to pieces seen ``min_count`` times (see the module
    docstring); returns the rows kept."""
    tok = tagger.tokenizer
    words = sorted(tok.vocab, key=tok.vocab.__getitem__)
    keep = {tok.vocab[w] for w in words if w.startswith("[") and w.endswith("]") and not w.startswith("[unused")}
    keep |= {i for i, w in enumerate(words) if len(w) == 1 or (w.startswith("##") and len(w) == 3)}
    counts: Counter[int] = Counter()
    for text in texts:
        for s, e in word_spans(text):
            counts.update(word_pieces(tok, text[s:e]))
    keep |= {i for i, n in counts.items() if n >= min_count}
    rows = np.array(sorted(keep))
    tagger.tokenizer = WordPiece({words[i]: j for j, i in enumerate(rows)}, lowercase=tok.lowercase,
                                 strip_accents=tok.strip_accents)
    word, dense = unpack(tagger.packed)
    tagger.packed = pack(word[rows], dense, word_bits)
    tagger._word = tagger._dense = None
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("model", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--texts", type=Path, nargs="+", required=True, help="JSONL files with a 'text' field")
    ap.add_argument("--word-bits", type=int, choices=(4, 8), default=8, help="bits per word-table weight")
    ap.add_argument("--version", default=None, help="model version to record (the stamp reads it)")
    ap.add_argument("--min-count", type=int, default=1, help="keep pieces seen at least this often")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    tagger, meta = load_tagger(args.model)
    before = len(tagger.tokenizer.vocab)
    texts = []
    for path in args.texts:
        with path.open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    kept = prune(tagger, texts, args.min_count, args.word_bits)
    meta["vocabulary"] = {"before": before, "kept": kept, "min_count": args.min_count, "word_bits": args.word_bits, "pruned_on": [p.name for p in args.texts],
                          "recipe": "models/ner_accurate/prune.py"}
    if args.version:
        meta["version"] = args.version
    save_tagger(tagger, args.output, meta)
    logger.info("kept %d of %d pieces; saved %s", kept, before, args.output)


if __name__ == "__main__":
    main()
