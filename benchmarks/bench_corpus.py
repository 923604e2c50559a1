"""Corpus benchmark: memory against corpus size (streaming), and workers on small inputs.

Not a timed test: it prints what it measures and writes it to JSON.

* ``rss``: peak RSS of a fresh process that reads a JSONL corpus record by record
  (:func:`newsnlp.io.readers.iter_inputs`), preprocesses every record (decode, structure,
  languages, views: :meth:`Analyzer.prepare`), freezes it into an Article and writes its dict
  as a JSON line, at two corpus sizes (20 MB and 200 MB by default). Streaming means the two
  peaks are close; reading the file whole would add the file's size.
* ``workers``: ``newsnlp annotate`` (every stage) on N records with ``--workers 1`` and ``2``,
  at the default batch size and at 8: wall time of each, median of ``--runs`` interleaved runs; once with records
  of one sample text (about 700 characters) and once with ten joined (about 7,000).

The corpora are made in a temporary folder from the project's own ``data/samples`` texts (each
record has a fresh id and fields of its own: date, url, outlet) and deleted afterwards.

    python benchmarks/bench_corpus.py [--sizes-mb 20,200] [--workers-n 40] [--runs 2] [--only rss|workers]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
BATCHES = ["64", "8"]

STREAM = """
import json, resource, sys, time
from newsnlp.io.readers import iter_inputs
from newsnlp.pipeline import Analyzer, Record
analyzer = Analyzer(stages=())
started = time.perf_counter()
n = failed = 0
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for item in iter_inputs([sys.argv[1]]):
        if not isinstance(item, Record):
            failed += 1
            continue
        article = analyzer.prepare(item).to_article()
        out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\\n")
        n += 1
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"records": n, "failed": failed, "seconds": time.perf_counter() - started, "peak_rss_mb": peak}))
"""


def make_corpus(path: Path, megabytes: float) -> int:
    """A JSONL corpus of about ``megabytes`` MB from the sample texts; returns its record count."""
    texts = [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    target = int(megabytes * 1024 * 1024)
    written = n = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            record = {"id": f"r{n}", "text": texts[n % len(texts)], "date": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                      "url": f"https://example.org/news/{n}", "outlet": ("Daily", "Herald", "日报")[n % 3]}
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def rss(sizes: list[float], folder: Path) -> dict:
    results = {}
    for size in sizes:
        corpus = folder / f"corpus{size:g}.jsonl"
        records = make_corpus(corpus, size)
        out = folder / f"out{size:g}.jsonl"
        run = subprocess.run([sys.executable, "-c", STREAM, str(corpus), str(out)], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        measured = json.loads(run.stdout.strip().splitlines()[-1])
        measured.update({"corpus_mb": round(corpus.stat().st_size / 2**20, 1), "made_records": records})
        results[f"{size:g}MB"] = measured
        print(f"rss {size:g} MB: {measured}", flush=True)
        corpus.unlink()
        out.unlink()
    peaks = [r["peak_rss_mb"] for r in results.values()]
    results["difference"] = max(peaks) / min(peaks) - 1
    return results


def workers(n: int, runs: int, folder: Path, repeat: int = 1, shared: Path | None = None) -> dict:
    """Wall time of ``newsnlp annotate`` on ``n`` records (each ``repeat`` sample texts long), or on
    the first ``n`` of the shared articles, English and Chinese alternating, when ``shared`` is given."""
    corpus = folder / "workers.jsonl"
    if shared is not None:
        en, zh = (sorted((shared / "articles" / lang).glob("*.txt")) for lang in ("en", "zh"))
        paths = [p for pair in zip(en, zh) for p in pair][:n]
        records = [{"id": str(p), "text": p.read_text("utf-8")} for p in paths]
    else:
        texts = [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
        records = [{"id": f"w{i}", "text": "\n\n".join(texts[(i + j) % len(texts)] for j in range(repeat))}
                   for i in range(n)]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    results: dict = {"records": len(records), "characters": sum(len(r["text"]) for r in records)}
    for batch in BATCHES:
        times: dict[str, list[float]] = {"1": [], "2": []}
        for _ in range(runs):  # interleaved, so a change in the machine's load hits both alike
            for count in times:
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "newsnlp", "annotate", str(corpus), "-o", str(folder / "w.jsonl"),
                                "-q", "--workers", count, "--batch-size", batch], check=True, cwd=ROOT)
                times[count].append(round(time.perf_counter() - started, 2))
        for count, seconds in times.items():
            results[f"batch{batch}_workers{count}"] = {"median": statistics.median(seconds), "runs": seconds}
            print(f"{len(records)} records {'shared' if shared else f'x{repeat}'}: workers {count}, batch {batch}: "
                  f"median {statistics.median(seconds):.1f} s of {seconds}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes-mb", default="20,200")
    parser.add_argument("--workers-n", type=int, default=40)
    parser.add_argument("--repeats", default="1,10", help="Sample texts per record, one workers run each.")
    parser.add_argument("--shared", type=Path, help="Run the workers step on the shared articles instead.")
    parser.add_argument("--batches", default="64,8")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--only", choices=("rss", "workers"))
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "corpus.json"))
    args = parser.parse_args()
    BATCHES[:] = args.batches.split(",")
    report: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                "load_average": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="newsnlp-corpus-") as tmp:
        if args.only in (None, "rss"):
            report["rss"] = rss([float(s) for s in args.sizes_mb.split(",")], Path(tmp))
        if args.only in (None, "workers"):
            if args.shared:
                report["workers"] = {"shared": workers(args.workers_n, args.runs, Path(tmp), shared=args.shared)}
            else:
                report["workers"] = {f"x{r}": workers(args.workers_n, args.runs, Path(tmp), int(r))
                                     for r in args.repeats.split(",")}
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
