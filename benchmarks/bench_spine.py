"""Benchmark of the spine: preprocessing + tokenization against the bare tools, in one run.

Reports (not a timed test): English newsnlp (stages off) vs bare ``nlp.pipe`` of the same spaCy
pipeline on the same texts; Chinese newsnlp vs bare ``jieba.cut``; ``import newsnlp`` time.
Then each analysis stage's own time (the analyzer's per-stage clock) as a share of the spine's
time in the same run, per language, and the Chinese entity stage's speed alone.

    python benchmarks/bench_spine.py [--shared ../shared] [--repeat 2] [--out benchmarks/results/spine.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import time
from pathlib import Path


def load_corpus(shared: Path, lang: str, repeat: int) -> list[bytes]:
    files = sorted((shared / "articles" / lang).glob("*.txt"))
    return [f.read_bytes() for f in files] * repeat


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def import_time() -> float:
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import newsnlp"], capture_output=True, text=True)
    cumulative = [int(m.group(1)) for m in re.finditer(r"\|\s+(\d+) \|\s+newsnlp$", out.stderr, re.M)]
    return cumulative[-1] / 1e6 if cumulative else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "spine.json")
    args = parser.parse_args()

    from newsnlp.pipeline import Analyzer, Record, registered_stages
    from newsnlp.entities.en_pipeline import load_english
    from newsnlp.preprocess.tokenize import load_jieba

    report: dict = {"python": platform.python_version(), "repeat": args.repeat}
    import spacy

    from newsnlp.preprocess.tokenize import english_model_name

    spine = Analyzer(stages=())
    load_english(spine.settings.english_model, spine.settings.en_ner_model)
    nlp = spacy.load(english_model_name(spine.settings.english_model))  # bare: as installed, nothing of ours
    jieba_tk = load_jieba(spine.settings.cache_dir)

    en = load_corpus(args.shared, "en", args.repeat)
    en_texts = [b.decode("utf-8") for b in en]
    n_tokens = sum(len(d) for d in nlp.pipe(en_texts[:50]))  # warm-up
    bare_en = best_of(args.runs, lambda: sum(len(d) for d in nlp.pipe(en_texts, batch_size=64)))
    ours_en = best_of(args.runs, lambda: list(spine.pipe(Record(b) for b in en)))
    n_tokens = sum(len(d) for d in nlp.pipe(en_texts))
    report["en"] = {
        "articles": len(en), "bare_spacy_s": bare_en, "newsnlp_s": ours_en,
        "bare_tokens_per_s": n_tokens / bare_en, "ratio_vs_bare": bare_en / ours_en,
    }

    zh = load_corpus(args.shared, "zh", args.repeat)
    zh_texts = [b.decode("utf-8") for b in zh]
    n_chars = sum(map(len, zh_texts))
    bare_zh = best_of(args.runs, lambda: [list(jieba_tk.cut(t)) for t in zh_texts])
    # Part-of-speech tagging is the closest bare tool to an entity stage (jieba tags nr/ns/nt).
    import jieba.posseg

    posseg = jieba.posseg.POSTokenizer(jieba_tk)
    bare_posseg = best_of(args.runs, lambda: [list(posseg.cut(t)) for t in zh_texts])
    ours_zh = best_of(args.runs, lambda: list(spine.pipe(Record(b) for b in zh)))
    report["zh"] = {
        "articles": len(zh), "chars": n_chars, "bare_jieba_s": bare_zh, "newsnlp_s": ours_zh,
        "bare_chars_per_s": n_chars / bare_zh, "newsnlp_chars_per_s": n_chars / ours_zh, "ratio_vs_bare": bare_zh / ours_zh,
    }

    # Each stage's own time, from the analyzer's per-stage clock, against the spine time of the same
    # run (the run's time minus every stage's): one run, no difference of two noisy timings.
    full = Analyzer(stages=tuple(registered_stages()))
    list(full.pipe(Record(b) for b in en[:20] + zh[:20]))  # load every model first
    stages: dict = {}
    for lang, corpus in (("en", en), ("zh", zh)):
        best = None
        for _ in range(args.runs):
            full.stage_seconds.clear()
            start = time.perf_counter()
            list(full.pipe(Record(b) for b in corpus))
            total = time.perf_counter() - start
            if best is None or total < best[0]:
                best = (total, dict(full.stage_seconds))
        total, seconds = best
        spine_s = total - sum(v for k, v in seconds.items() if k != "tokenize")
        for name in registered_stages():
            row = stages.setdefault(name, {})
            row[f"{lang}_stage_s"] = seconds.get(name, 0.0)
            row[f"{lang}_added_fraction"] = seconds.get(name, 0.0) / spine_s
        if lang == "zh":
            stages["entities"]["zh_stage_chars_per_s"] = n_chars / max(1e-9, seconds.get("entities", 0.0))
            stages["entities"]["zh_stage_vs_bare_posseg"] = bare_posseg / max(1e-9, seconds.get("entities", 0.0))
            report["zh"]["bare_posseg_chars_per_s"] = n_chars / bare_posseg
        report[f"{lang}_full_run_s"] = total
        report[f"{lang}_spine_s_in_full_run"] = spine_s
    report["stages"] = stages
    report["import_newsnlp_s"] = import_time()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), "utf-8")
    print(f"English: newsnlp spine {report['en']['ratio_vs_bare']:.2f}x bare spaCy nlp.pipe "
          f"({len(en)} articles, bare {report['en']['bare_tokens_per_s']:.0f} tokens/s)")
    print(f"Chinese: newsnlp spine {report['zh']['ratio_vs_bare']:.2f}x bare jieba.cut "
          f"({report['zh']['newsnlp_chars_per_s']:.0f} vs {report['zh']['bare_chars_per_s']:.0f} chars/s)")
    for name, row in stages.items():
        extra = (f", Chinese entity stage alone {row['zh_stage_chars_per_s']:.0f} chars/s = "
                 f"{row['zh_stage_vs_bare_posseg']:.2f}x bare jieba.posseg ({report['zh']['bare_posseg_chars_per_s']:.0f} chars/s)"
                 if "zh_stage_chars_per_s" in row else "")
        print(f"stage {name}: +{row['en_added_fraction']:.1%} English, +{row['zh_added_fraction']:.1%} Chinese{extra}")
    print(f"import newsnlp: {report['import_newsnlp_s']:.3f}s")
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
