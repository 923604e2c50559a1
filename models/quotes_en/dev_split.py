"""The fixed tuning/report split of the English quote dev gold, and a scorer for both parts.

An article belongs to the REPORT part when the first byte of ``sha256(id)`` is even, else to the
TUNING part (about half each; it depends on nothing but the id, so it never changes). Rules,
thresholds and model choices are tuned on the tuning part only; quality gates and model cards
quote the report part.

    python models/quotes_en/dev_split.py write OUT_DIR            # OUT_DIR/{tuning,report}.jsonl
    python models/quotes_en/dev_split.py score ARTICLES.jsonl     # scores an annotate output on both parts
    python models/quotes_en/dev_split.py run                      # annotates dev with newsnlp, then scores

The written parts hold publisher text: keep them outside the repository.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "eval" / "quotes" / "dev.jsonl"
EVALUATE = SHARED / "eval" / "evaluate.py"
METRICS = ("direct_e2e_f1", "direct_mixed_e2e_f1", "all_e2e_f1")


def part_of(article_id: str) -> str:
    """``"report"`` or ``"tuning"`` for a dev article id."""
    return "report" if hashlib.sha256(article_id.encode("utf-8")).digest()[0] % 2 == 0 else "tuning"


def write_parts(out_dir: Path, dev: Path = DEV) -> dict[str, Path]:
    """Write the two parts of ``dev`` as gold JSONL files under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[str]] = {"tuning": [], "report": []}
    for line in dev.read_text("utf-8").splitlines():
        if line.strip():
            lines[part_of(json.loads(line)["id"])].append(line)
    paths = {}
    for name, rows in lines.items():
        paths[name] = out_dir / f"{name}.jsonl"
        paths[name].write_text("\n".join(rows) + "\n", "utf-8")
    return paths


def score(articles: Path) -> dict[str, dict[str, float]]:
    """End-to-end F1 (direct, direct+mixed, all) of ``articles`` on each part."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, gold in write_parts(Path(tmp)).items():
            done = subprocess.run([sys.executable, str(EVALUATE), "quotes", "--gold", str(gold), "--articles",
                                   str(articles)], capture_output=True, text=True, check=True)
            summary = dict(pair.split("=") for pair in done.stdout.strip().splitlines()[-1].split()[1:])
            results[name] = {m: float(summary[m]) for m in METRICS}
    return results


def run() -> dict[str, dict[str, float]]:
    """Annotate the whole dev gold with ``newsnlp annotate`` (through ``evaluate.py``) and score both parts."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(EVALUATE), "quotes", "--keep", tmp], capture_output=True, text=True, check=True)
        return score(Path(tmp) / "output.jsonl")


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["help"]
    if command == "write":
        print(write_parts(Path(args[0])))
    elif command in ("score", "run"):
        for part, metrics in (score(Path(args[0])) if command == "score" else run()).items():
            print(part, " ".join(f"{k}={v:.4f}" for k, v in metrics.items()))
    else:
        raise SystemExit(__doc__)
