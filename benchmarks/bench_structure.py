"""Benchmark of the page structure finder: its share of the English pipeline's time, in one run.

Reports (not a timed test): for the English articles in ``../shared/articles/en`` (clean texts) and,
when present, the English pages of ``../shared/data/pages/dev`` rendered to visible text (scraped
pages: many more lines), the time of the full English pipeline (every default stage) and the time
of :func:`~newsnlp.preprocess.structure.find_structure` on the same texts, best of ``--runs`` (alternating).
The issue's budget: structure ≤ 5% of the English pipeline's time.

    python benchmarks/bench_structure.py [--shared ../shared] [--runs 2] [--pages 40] [--out benchmarks/results/structure.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from pathlib import Path

from bench_spine import best_of  # the benchmarks folder is the script's own


def rendered_pages(shared: Path, limit: int) -> list[str]:
    """English dev pages as visible text, with the scorer's own ``render_text`` (imported by path)."""
    folder = shared / "data" / "pages" / "dev"
    scorer_path = shared / "eval" / "score_pages.py"
    if not (folder / "index.jsonl").is_file() or not scorer_path.is_file():
        return []
    spec = importlib.util.spec_from_file_location("score_pages", scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)  # type: ignore[union-attr]
    records = [json.loads(line) for line in (folder / "index.jsonl").read_text("utf-8").splitlines() if line.strip()]
    english = [r for r in records if r.get("lang") == "en"][:limit]
    return [scorer.render_text((folder / r["file"]).read_bytes()) for r in english]


def measure(analyzer, texts: list[str], runs: int) -> dict:
    from newsnlp.pipeline import Record
    from newsnlp.preprocess.structure import find_structure

    list(analyzer.pipe(Record(t) for t in texts[:5]))  # load every model first
    # Runs alternate (pipeline, structure, pipeline, …) so that both see the same machine load.
    pipeline_s = structure_s = float("inf")
    for _ in range(runs):
        pipeline_s = min(pipeline_s, best_of(1, lambda: list(analyzer.pipe(Record(t) for t in texts))))
        structure_s = min(structure_s, best_of(1, lambda: [find_structure(t) for t in texts]))
    lines = sum(len(find_structure(t).blocks) for t in texts)
    return {"texts": len(texts), "lines": lines, "pipeline_s": pipeline_s, "structure_s": structure_s,
            "structure_share": structure_s / pipeline_s, "structure_ms_per_text": 1000 * structure_s / len(texts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "structure.json")
    args = parser.parse_args()

    from newsnlp.pipeline import Analyzer
    from newsnlp.preprocess.structure import default_labeller

    load_start = time.perf_counter()
    labeller = default_labeller()
    report: dict = {"labeller": labeller is not None, "labeller_load_s": time.perf_counter() - load_start}
    analyzer = Analyzer()
    articles = [f.read_text("utf-8") for f in sorted((args.shared / "articles" / "en").glob("*.txt"))]
    report["articles_en"] = measure(analyzer, articles, args.runs)
    pages = rendered_pages(args.shared, args.pages)
    if pages:
        report["scraped_pages_en"] = measure(analyzer, pages, args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), "utf-8")
    for name in ("articles_en", "scraped_pages_en"):
        if name in report:
            row = report[name]
            print(f"{name}: structure {row['structure_s']:.3f}s of the English pipeline's {row['pipeline_s']:.2f}s = "
                  f"{row['structure_share']:.1%} ({row['texts']} texts, {row['lines']} lines, "
                  f"{row['structure_ms_per_text']:.1f} ms per text)")
    print(f"labeller load: {report['labeller_load_s']:.3f}s; report: {args.out}")


if __name__ == "__main__":
    main()
