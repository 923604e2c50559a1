"""Bulk benchmark: the whole pipeline against the bare tools, workers, memory, start-up — one run.

Reports (it is not a timed test), on the shared articles repeated to N:

* bare ``en_core_web_sm`` ``nlp.pipe`` tokens/s and bare ``jieba.posseg`` chars/s;
* newsnlp's full pipeline (every stage) per language, as a ratio to those;
* ``newsnlp annotate`` with 1 and 2 workers on the same records (speed-up);
* peak RSS of ``newsnlp annotate`` at two corpus sizes (growth between them);
* ``import newsnlp`` time and first-article latency in a fresh process.

Results are printed and written to JSON after every step (a long run that is stopped keeps what
it measured).

    python benchmarks/bench_bulk.py [--shared ../shared] [--workers-n 5000] [--rss-sizes 1000,10000]
    python benchmarks/bench_bulk.py --only zh --runs 3   # one step (or a list: startup,en,zh,workers,rss),
                                                         # best of 3 turns of bare tool and pipeline
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("startup", "en", "zh", "workers", "rss")


def corpus(shared: Path, lang: str | None = None) -> list[dict]:
    records = []
    for folder in ("en", "zh"):
        if lang and folder != lang:
            continue
        for path in sorted((shared / "articles" / folder).glob("*.txt")):
            records.append({"id": f"{folder}/{path.name}", "text": path.read_text("utf-8"), "lang": folder})
    return records


def repeated(records: list[dict], n: int) -> list[dict]:
    return [dict(records[i % len(records)], id=f"{i}:{records[i % len(records)]['id']}") for i in range(n)]


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_pair(runs: int, bare, full) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Best seconds of the bare tool and of newsnlp, run in turns: a busy machine slows both alike."""
    times = [(timed(bare), timed(full)) for _ in range(max(1, runs))]
    return min(t for t, _ in times), min(t for _, t in times)


def annotate_cli(inp: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one ``newsnlp annotate`` run in its own process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:]); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, r.returncode)")
    command = [sys.executable, "-c", probe, sys.executable, "-m", "newsnlp", "annotate", str(inp), "-o", str(out), "-q", *extra]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds, rss, code = result.stdout.split()
    if int(code) not in (0, 1):
        raise RuntimeError(f"newsnlp annotate exited {code}")
    return float(seconds), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the shared articles for the per-language ratios")
    parser.add_argument("--workers-n", type=int, default=5000)
    parser.add_argument("--rss-sizes", default="1000,10000")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "bulk.json")
    parser.add_argument("--only", default=",".join(STEPS), help=f"comma list of steps to run, of {', '.join(STEPS)}")
    parser.add_argument("--runs", type=int, default=1, help="per-language timings: best of this many turns")
    args = parser.parse_args()
    steps = {s.strip() for s in args.only.split(",") if s.strip()}
    if steps - set(STEPS):
        parser.error(f"unknown step(s) {sorted(steps - set(STEPS))}; choose from {', '.join(STEPS)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report: dict = {"python": platform.python_version()}

    def save(step: str) -> None:
        args.out.write_text(json.dumps(report, indent=2), "utf-8")
        print(f"[{step}] " + json.dumps({k: v for k, v in report.items() if k == step}), flush=True)

    if "startup" in steps:  # in a fresh process each
        text = (ROOT / "data" / "samples" / "en_trade_talks.txt").read_text("utf-8")
        probe = ("import time; t = time.perf_counter(); import newsnlp; i = time.perf_counter() - t; "
                 f"newsnlp.analyze({text!r}); print(i, time.perf_counter() - t)")
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
        report["startup"] = {"import_newsnlp_s": float(out[0]), "first_article_s": float(out[1])}
        save("startup")
    if steps & {"en", "zh"}:
        per_language(args, steps, report, save)
    if steps & {"workers", "rss"}:
        bulk_cli(args, steps, report, save)
    print(f"report: {args.out}")


def per_language(args: argparse.Namespace, steps: set[str], report: dict, save) -> None:  # type: ignore[no-untyped-def]
    """Bare tool vs newsnlp's full pipeline, in-process, for each language asked for."""
    import jieba.posseg
    import spacy

    from newsnlp.pipeline import Analyzer, Record
    from newsnlp.preprocess.tokenize import english_model_name, load_jieba

    full = Analyzer()
    en = [r["text"] for r in corpus(args.shared, "en")] * args.repeat
    zh = [r["text"] for r in corpus(args.shared, "zh")] * args.repeat
    list(full.pipe(Record(t) for t in en[:10] + zh[:10]))  # load every model first
    if "en" in steps:
        bare = spacy.load(english_model_name(full.settings.english_model))
        list(bare.pipe(en[:50]))
        t_bare, t_full_en = best_pair(args.runs, lambda: list(bare.pipe(en, batch_size=64)),
                                      lambda: list(full.pipe(Record(t) for t in en)))
        tokens = sum(len(d) for d in bare.pipe(en, batch_size=64))
        report["en"] = {"articles": len(en), "bare_tokens_per_s": tokens / t_bare, "full_tokens_per_s": tokens / t_full_en,
                        "full_articles_per_s": len(en) / t_full_en, "ratio_vs_bare_sm": t_bare / t_full_en}
        save("en")
    if "zh" in steps:
        tokenizer = jieba.posseg.POSTokenizer(load_jieba(full.settings.cache_dir))
        chars = sum(map(len, zh))
        t_posseg, t_full_zh = best_pair(args.runs, lambda: [list(tokenizer.cut(t)) for t in zh],
                                        lambda: list(full.pipe(Record(t) for t in zh)))
        report["zh"] = {"articles": len(zh), "bare_posseg_chars_per_s": chars / t_posseg, "full_chars_per_s": chars / t_full_zh,
                        "ratio_vs_bare_posseg": t_posseg / t_full_zh}
        save("zh")


def bulk_cli(args: argparse.Namespace, steps: set[str], report: dict, save) -> None:  # type: ignore[no-untyped-def]
    """``newsnlp annotate`` in its own process: 1 vs 2 workers, and peak RSS at two sizes."""
    base = corpus(args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "workers" in steps:
            records = write_jsonl(repeated(base, args.workers_n), folder / "workers.jsonl")
            one, _ = annotate_cli(records, folder / "one.jsonl", "--workers", "1")
            two, _ = annotate_cli(records, folder / "two.jsonl", "--workers", "2")
            report["workers"] = {"articles": args.workers_n, "one_worker_s": one, "two_workers_s": two, "speedup": one / two}
            save("workers")
        if "rss" not in steps:
            return
        rss = {}
        for size in [int(s) for s in args.rss_sizes.split(",")]:
            path = write_jsonl(repeated(base, size), folder / f"rss{size}.jsonl")
            seconds, peak = annotate_cli(path, folder / f"rss{size}.out.jsonl", "--workers", "1")
            rss[str(size)] = {"peak_rss_mb": peak, "seconds": seconds}
            report["rss"] = rss
            save("rss")
        sizes = list(rss)
        if len(sizes) >= 2:
            report["rss"]["growth"] = rss[sizes[-1]]["peak_rss_mb"] / rss[sizes[0]]["peak_rss_mb"] - 1
            save("rss")


if __name__ == "__main__":
    main()
