"""Score Chinese quotes on our own gold articles (tests/quotes/data/zh_quotes_gold.jsonl).

    python tests/quotes/score_zh.py [--verbose]

Matching as in ../shared/eval/score_quotes.py: spans trimmed of quotation marks and punctuation,
a match when they overlap by at least half of both; a speaker is right when the spans share a
character or the resolved name equals the gold speaker_name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "data" / "zh_quotes_gold.jsonl"
STRIP = set(" \t\n\u3000,.;:!?，。；：！？、\"'“”‘’「」『』")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in STRIP:
        start += 1
    while end > start and text[end - 1] in STRIP:
        end -= 1
    return start, end


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(a[1] - a[0], b[1] - b[0], 1)


def score(verbose: bool = False) -> dict:
    import newsnlp

    tp = spk_ok = n_sys = n_gold = 0
    for line in GOLD.read_text("utf-8").splitlines():
        gold = json.loads(line)
        text = gold["text"]
        article = newsnlp.analyze(text)
        system = list(article.quotes)
        n_sys += len(system)
        n_gold += len(gold["quotes"])
        pairs = []
        for i, s in enumerate(system):
            for j, g in enumerate(gold["quotes"]):
                r = overlap(trim(text, s.start, s.end), trim(text, *g["quote"]))
                if r >= 0.5:
                    pairs.append((r, i, j))
        used_s, used_g = set(), set()
        for _ratio, i, j in sorted(pairs, reverse=True):
            if i in used_s or j in used_g:
                continue
            used_s.add(i)
            used_g.add(j)
            s, g = system[i], gold["quotes"][j]
            ok = (s.speaker is None) if g["speaker"] is None else (
                s.speaker is not None and (overlap((s.speaker.start, s.speaker.end), tuple(g["speaker"])) > 0
                                           or (s.speaker.name or s.speaker.text) == g.get("speaker_name")))
            tp += 1
            spk_ok += ok
            if verbose and not ok:
                print("SPEAKER", gold["id"], text[g["quote"][0]:g["quote"][1]][:30], g["speaker_text"], "| got", s.speaker)
        if verbose:
            for j, g in enumerate(gold["quotes"]):
                if j not in used_g:
                    print("MISSED", gold["id"], g["pattern"], text[g["quote"][0]:g["quote"][1]][:40], "|", g["speaker_text"])
            for i, s in enumerate(system):
                if i not in used_s:
                    print("EXTRA", gold["id"], s.kind, s.text[:40], "|", s.speaker and s.speaker.text)
    e2e_p = spk_ok / n_sys if n_sys else 0.0
    e2e_r = spk_ok / n_gold if n_gold else 0.0
    return {"quote_precision": tp / n_sys if n_sys else 0.0, "quote_recall": tp / n_gold if n_gold else 0.0,
            "e2e_precision": e2e_p, "e2e_recall": e2e_r, "speaker_acc": spk_ok / tp if tp else 0.0,
            "gold": n_gold, "system": n_sys}


if __name__ == "__main__":
    result = score("--verbose" in sys.argv)
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}))
