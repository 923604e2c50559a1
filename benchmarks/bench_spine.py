"""Benchmark of the spine: preprocessing + tokenization against the bare tools, in one run.

Reports (not a timed test): English newsnlp (stages off) vs bare ``nlp.pipe`` of the same spaCy
pipeline on the same texts; Chinese newsnlp vs bare ``jieba.cut``; ``import newsnlp`` time.
Then, for each analysis stage that exists, the time it adds to the spine.

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
    from newsnlp.preprocess.tokenize import load_english, load_jieba

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
    ours_zh = best_of(args.runs, lambda: list(spine.pipe(Record(b) for b in zh)))
    report["zh"] = {
        "articles": len(zh), "chars": n_chars, "bare_jieba_s": bare_zh, "newsnlp_s": ours_zh,
        "bare_chars_per_s": n_chars / bare_zh, "newsnlp_chars_per_s": n_chars / ours_zh, "ratio_vs_bare": bare_zh / ours_zh,
    }

    stages = {}
    for name in registered_stages():
        # Entities run before quotes (speakers link to them), as in the default pipeline.
        names = ("entities", name) if name == "quotes" else (name,)
        with_stage = Analyzer(stages=names)
        list(with_stage.pipe(Record(b) for b in en[:20] + zh[:20]))  # load its models first
        # Interleave with the spine so that a busy machine slows both alike.
        t_en = best_of(args.runs, lambda: list(with_stage.pipe(Record(b) for b in en)))
        base_en = best_of(args.runs, lambda: list(spine.pipe(Record(b) for b in en)))
        t_zh = best_of(args.runs, lambda: list(with_stage.pipe(Record(b) for b in zh)))
        base_zh = best_of(args.runs, lambda: list(spine.pipe(Record(b) for b in zh)))
        row = {"en_added_fraction": t_en / base_en - 1, "zh_added_fraction": t_zh / base_zh - 1,
               "zh_chars_per_s_with_stage": n_chars / t_zh}
        if name == "quotes":  # report the quote stage alone: its time minus the entity stage's
            ent = stages.get("entities")
            if ent:
                row["en_added_fraction"] -= ent["en_added_fraction"]
                row["zh_added_fraction"] -= ent["zh_added_fraction"]
        if name == "entities":
            row["zh_stage_chars_per_s"] = n_chars / max(1e-9, t_zh - base_zh)
        stages[name] = row
    report["stages"] = stages
    report["import_newsnlp_s"] = import_time()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), "utf-8")
    print(f"English: newsnlp spine {report['en']['ratio_vs_bare']:.2f}x bare spaCy nlp.pipe "
          f"({len(en)} articles, bare {report['en']['bare_tokens_per_s']:.0f} tokens/s)")
    print(f"Chinese: newsnlp spine {report['zh']['ratio_vs_bare']:.2f}x bare jieba.cut "
          f"({report['zh']['newsnlp_chars_per_s']:.0f} vs {report['zh']['bare_chars_per_s']:.0f} chars/s)")
    for name, row in stages.items():
        extra = f", Chinese entity stage alone {row['zh_stage_chars_per_s']:.0f} chars/s" if "zh_stage_chars_per_s" in row else ""
        print(f"stage {name}: +{row['en_added_fraction']:.1%} English, +{row['zh_added_fraction']:.1%} Chinese{extra}")
    print(f"import newsnlp: {report['import_newsnlp_s']:.3f}s")
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
