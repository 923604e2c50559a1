"""How entity keys link the shared articles: merges across articles and languages, and a sample to check.

Reads the Articles of ``newsnlp annotate ../shared/articles/en ../shared/articles/zh -o OUT.jsonl``
(the 300 shared articles), builds the tables (``to_frames``: a key per entity) and reports

* entities, distinct keys, keys found in two or more articles, keys found in both languages;
* merges: a key under which two or more different canonical names meet (Beijing / 北京), and the
  corpus merges of :func:`newsnlp.corpus.corpus_keys` (Trump → Donald Trump);
* a random sample (seed 0) of merges to check by hand: each line is the key and the names joined.

Only entity names are printed, never article text.

    python benchmarks/entity_keys_shared.py OUT.jsonl [--sample 50]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from newsnlp.corpus import corpus_keys
    from newsnlp.frames import to_frames
    from newsnlp.model import articles_from_jsonl

    with open(args.articles, encoding="utf-8") as handle:
        frames = to_frames(articles_from_jsonl(handle))
    entities = frames["entities"]
    lang = dict(zip(frames["articles"]["article_id"], frames["articles"]["lang"]))
    entities = entities.assign(lang=entities["article_id"].map(lang))
    merges = corpus_keys(frames)
    entities = entities.assign(corpus_key=[merges.get(k, k) for k in entities["key"]])

    names: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    langs: dict[str, set[str]] = defaultdict(set)
    for row in entities.itertuples():
        names[row.corpus_key].add(row.name)
        articles[row.corpus_key].add(row.article_id)
        langs[row.corpus_key].add(row.lang)
    multi_name = {k: v for k, v in names.items() if len(v) > 1}
    report = {
        "articles": len(frames["articles"]),
        "entities": len(entities),
        "distinct_keys": entities["key"].nunique(),
        "distinct_corpus_keys": len(names),
        "keys_in_2plus_articles": sum(len(a) > 1 for a in articles.values()),
        "entities_sharing_a_key_with_another_article": int(sum(
            len(articles[k]) > 1 for k in entities["corpus_key"])),
        "keys_in_both_languages": sorted(k for k, v in langs.items() if {"en", "zh"} <= v),
        "keys_joining_2plus_names": len(multi_name),
        "corpus_merges": len(merges),
    }
    report["n_keys_in_both_languages"] = len(report["keys_in_both_languages"])
    print(json.dumps(report, ensure_ascii=False, indent=1))
    pool = [("names", key, sorted(v)) for key, v in sorted(multi_name.items())]
    pool += [("corpus", short, [full]) for short, full in sorted(merges.items())]
    random.Random(args.seed).shuffle(pool)
    print(f"\nsample of {min(args.sample, len(pool))} merges of {len(pool)}:")
    for kind, key, joined in pool[:args.sample]:
        print(f"{kind}\t{key}\t{' | '.join(joined)}")


if __name__ == "__main__":
    main()
