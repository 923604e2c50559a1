"""Chinese quote gold on real news, stored as offsets only (tests/quotes/gold_zh/annotations.jsonl).

The article texts belong to their publishers and stay in ``../shared/articles/zh``; the project
keeps, per article file, the SHA-256 of its text, the split, and the annotated spans (offsets into
the text, canonical speaker names). ``load`` reads each text back, checks the checksum and
rebuilds records in the format of ``../shared/eval/quotes/dev.jsonl``, so
``../shared/eval/score_quotes.py`` and ``evaluate.py quotes --gold`` score them unchanged.

    python tests/quotes/zh_gold.py OUT_DIR      # writes OUT_DIR/zh_{tuning,report,all}.jsonl

The split is fixed by a rule, not by looking at results: the 40 annotated articles are the first
40 files of ``articles/zh`` by name (0001.txt .. 0079.txt); sorted by the SHA-256 of the file name,
the first 20 are the tuning part and the other 20 the report part (see gold_zh/README.md).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ANNOTATIONS = Path(__file__).resolve().parent / "gold_zh" / "annotations.jsonl"
# Articles annotated later (0081..), for tuning only: they never enter the report part.
EXTRA = Path(__file__).resolve().parent / "gold_zh" / "annotations_extra.jsonl"
# Direct quotations only (every quotation of 0241-0299, no other kinds): for direct scores only.
DIRECT = Path(__file__).resolve().parent / "gold_zh" / "annotations_direct.jsonl"
SPLITS = ("tuning", "report", "extra", "direct")


class GoldChecksumError(ValueError):
    """An article's text is not the text that was annotated."""


def split_of(file_name: str, all_names: list[str]) -> str:
    """The split rule: by SHA-256 of the file name, the first half of the names is tuning."""
    order = sorted(all_names, key=lambda n: hashlib.sha256(n.encode("utf-8")).hexdigest())
    return "tuning" if order.index(file_name) < len(order) // 2 else "report"


def load(articles_dir: Path, split: str | None = None) -> list[dict]:
    """Gold records ``{"id", "lang", "text", "quotes", "meta"}`` for ``split`` (None: tuning and report;
    ``direct``: articles whose direct quotations only are annotated, for direct scores only)."""
    rows = [json.loads(line) for line in ANNOTATIONS.read_text("utf-8").splitlines() if line.strip()]
    names = [row["file"] for row in rows]
    for more in (EXTRA, DIRECT):
        if more.exists():
            rows += [json.loads(line) for line in more.read_text("utf-8").splitlines() if line.strip()]
    records = []
    for row in rows:
        if row["file"] in names and split_of(row["file"], names) != row["split"]:
            raise ValueError(f"{row['file']}: stored split {row['split']} disagrees with the split rule")
        if (split is None and row["split"] in ("extra", "direct")) or (split is not None and row["split"] != split):
            continue
        text = (articles_dir / row["file"]).read_text("utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != row["sha256"]:
            raise GoldChecksumError(f"{row['file']}: text changed since it was annotated")
        records.append({"id": f"zh/{row['file']}", "lang": "zh", "text": text, "quotes": row["quotes"],
                        "meta": {"split": row["split"], "source": "shared/articles/zh"}})
    return records


def main(argv: list[str]) -> None:
    out_dir = Path(argv[1]) if len(argv) > 1 else Path("/tmp")
    articles = Path(argv[2]) if len(argv) > 2 else Path(__file__).resolve().parents[2].parent / "shared" / "articles" / "zh"
    out_dir.mkdir(parents=True, exist_ok=True)
    for part in (*SPLITS, None):
        records = load(articles, part)
        path = out_dir / f"zh_{part or 'all'}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(path, len(records), "articles", sum(len(r["quotes"]) for r in records), "quotes")


if __name__ == "__main__":
    main(sys.argv)
