"""Parse PolNeAR-format articles once (preprocessing, spaCy, entities) and rerun only the quote stage.

Development tool for the recipe in ``train.py``: the parses take minutes, the quote stage seconds.
The cache holds publisher text, so it lives outside the repository (``/tmp`` by default) and is
never committed.

    python models/quotes_en/parse_cache.py build GOLD.jsonl CACHE_DIR
    python models/quotes_en/parse_cache.py quotes CACHE_DIR OUT.jsonl   # Article JSON lines

The cache is a spaCy ``DocBin`` (the English parses) plus a pickle of the pipeline's ``Work``
records; both are local scratch files written and read by this script only (no model is stored
this way: the shipped weights are ``.npz`` + JSON).
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path
from typing import Any


def _analyzer(stages: tuple[str, ...]) -> Any:
    from newsnlp.pipeline import Analyzer

    return Analyzer(stages=stages)


def build(gold: Path, cache: Path) -> None:
    """Parse every article of ``gold`` and store the parses, views and entities under ``cache``."""
    from spacy.tokens import DocBin

    from newsnlp.pipeline import Record

    cache.mkdir(parents=True, exist_ok=True)
    analyzer = _analyzer(("entities",))
    works, bin_ = [], DocBin(store_user_data=False)
    rows = [json.loads(line) for line in gold.read_text("utf-8").splitlines() if line.strip()]
    for n, row in enumerate(rows):
        work = analyzer.prepare(Record(row["text"], id=row["id"], lang=row.get("lang")))
        for stage in analyzer.stages:
            prepare = getattr(stage, "prepare", None)
            if prepare is not None:
                prepare([work])
        analyzer.preprocessor.tokenize_english([work])
        for stage in analyzer.stages:
            stage([work])
        bin_.add(work.en_doc if work.en_doc is not None else analyzer.english.make_doc(""))
        work.en_doc = None
        works.append(work)
        if n % 50 == 0:
            print(n, file=sys.stderr)
    (cache / "docs.spacy").write_bytes(bin_.to_bytes())
    (cache / "works.pkl").write_bytes(pickle.dumps(works))


def load(cache: Path) -> list[Any]:
    """The cached works with their parses restored."""
    import spacy
    from spacy.tokens import DocBin

    works = pickle.loads((cache / "works.pkl").read_bytes())
    vocab = spacy.blank("en").vocab
    for work, doc in zip(works, DocBin().from_bytes((cache / "docs.spacy").read_bytes()).get_docs(vocab)):
        work.en_doc = doc if work.en_view is not None else None
    return works


def quotes(cache: Path, out: Path) -> None:
    """Run the quote stage over the cache and write Article JSON lines to ``out``."""
    from newsnlp.config import Settings
    from newsnlp.quotes.stage import QuoteStage

    stage = QuoteStage(Settings())
    with out.open("w", encoding="utf-8") as f:
        for work in load(cache):
            work.quotes.clear()
            stage([work])
            f.write(json.dumps(work.to_article().to_dict(tokens=False), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "build":
        build(Path(args[0]), Path(args[1]))
    elif command == "quotes":
        quotes(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(__doc__)
