"""Benchmark of the shipped topic model: size, load time and prediction speed, against bare spaCy.

Reports (not a timed test), in one process and one run:

* the model folder's size and ``TopicModel.load`` time (best of ``--runs``);
* full articles (``shared/articles/{en,zh}``) per second, wall clock and per CPU-second: a freshly
  loaded model's first call on half of them (cold: builds the vocabulary lookups), then the other
  half (steady state; no article is seen twice by one model, since the featurizer caches per
  word); best of ``--runs`` freshly loaded models;
* short texts (``shared/eval/topics/*/dev.jsonl``, mostly headlines; these go through the encoder);
* bare ``nlp.pipe`` of the English spaCy pipeline on the same English articles, as the yardstick.

    OMP_NUM_THREADS=1 python benchmarks/bench_topics.py [--shared ../shared] [--out benchmarks/results/topics.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path


def timed(fn) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def read_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--model", type=Path, default=None, help="a topic model folder (default: the shipped one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "topics.json")
    args = parser.parse_args()

    from newsnlp.topics.model import TopicModel, default_model_path

    folder = args.model or default_model_path()
    repo = Path(__file__).resolve().parents[1]
    shown = folder.resolve().relative_to(repo) if folder.resolve().is_relative_to(repo) else folder
    report: dict = {"python": platform.python_version(), "model": str(shown),
                    "size_mb": sum(p.stat().st_size for p in folder.iterdir()) / 1e6}
    report["load_s"] = min(timed(lambda: TopicModel.load(folder))[0] for _ in range(args.runs))

    for lang in ("en", "zh"):
        articles = [p.read_text(encoding="utf-8") for p in sorted((args.shared / "articles" / lang).glob("*.txt"))]
        # The featurizer caches each word's n-gram ids, so repeated texts would flatter it: the cold
        # call and the steady call each read articles the model has not seen.
        first, second = articles[::2], articles[1::2]
        short = read_texts(args.shared / "eval" / "topics" / lang / "dev.jsonl")
        cold, steady = [], []
        for _ in range(args.runs):  # each run: a freshly loaded model, so no run sees the same articles twice
            model = TopicModel.load(folder)
            cold.append(timed(lambda: model.predict_proba(first, [lang] * len(first))))
            steady.append(timed(lambda: model.predict_proba(second, [lang] * len(second))))
        (cold_wall, cold_cpu), (steady_wall, steady_cpu) = min(cold), min(steady)
        short_wall, short_cpu = timed(lambda: model.predict_proba(short, [lang] * len(short)))
        report[lang] = {
            "cold_articles": len(first), "cold_articles_per_s": len(first) / cold_wall,
            "cold_articles_per_cpu_s": len(first) / cold_cpu, "steady_articles": len(second),
            "steady_articles_per_s": len(second) / steady_wall, "steady_articles_per_cpu_s": len(second) / steady_cpu,
            "short_texts": len(short), "short_texts_per_s": len(short) / short_wall,
            "short_texts_per_cpu_s": len(short) / short_cpu,
        }

    import spacy

    from newsnlp.config import Settings
    from newsnlp.preprocess.tokenize import english_model_name

    nlp = spacy.load(english_model_name(Settings.from_env().english_model))
    en_articles = [p.read_text(encoding="utf-8") for p in sorted((args.shared / "articles" / "en").glob("*.txt"))]
    list(nlp.pipe(en_articles[:20]))  # warm-up
    bare = min(timed(lambda: list(nlp.pipe(en_articles, batch_size=64)))[0] for _ in range(max(1, args.runs - 1)))
    report["bare_spacy_en_articles_per_s"] = len(en_articles) / bare
    report["en"]["steady_vs_bare_spacy"] = report["en"]["steady_articles_per_s"] / report["bare_spacy_en_articles_per_s"]

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), "utf-8")
    print(f"model {shown}: {report['size_mb']:.1f} MB, load {report['load_s']:.2f} s")
    for lang in ("en", "zh"):
        r = report[lang]
        print(f"{lang}: full articles, a fresh model's first call ({r['cold_articles']}): "
              f"{r['cold_articles_per_s']:.0f}/s ({r['cold_articles_per_cpu_s']:.0f} per CPU-second); then "
              f"{r['steady_articles']} other articles {r['steady_articles_per_s']:.0f}/s "
              f"({r['steady_articles_per_cpu_s']:.0f} per CPU-second); {r['short_texts']} short texts "
              f"{r['short_texts_per_s']:.0f}/s")
    print(f"bare spaCy nlp.pipe, same English articles: {report['bare_spacy_en_articles_per_s']:.1f}/s; "
          f"topics = {report['en']['steady_vs_bare_spacy']:.0f}x that")
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
