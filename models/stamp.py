"""Write each shipped model's stamp, ``newsnlp-model.json``: name, version, terms, file sizes and sha256.

Run after training or replacing any shipped model (a test fails while a stamp is out of date)::

    python models/stamp.py            # all shipped models
    python models/stamp.py topics     # one

The version comes from the model's own metadata (spaCy ``meta.json`` or the topic model's
``model.json``); the terms are kept from the existing stamp, else taken from ``TERMS`` below
(each model card says more).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsnlp.shipped import SHIPPED_MODELS, STAMP, digest_of, file_digests  # noqa: E402

TERMS = {
    "en_ner": "Research use only: trained on CoNLL-2003 (Reuters RCV1, NIST research agreement); "
              "initialised from en_core_web_sm (MIT). See models/en_ner/README.md.",
    "en_ner_accurate": "Research use only: trained on CoNLL-2003 (Reuters RCV1, NIST research agreement); "
                       "initialised from all-MiniLM-L6-v2 (Apache-2.0). See models/en_ner_accurate/README.md.",
    "zh_ner": "Research use only: trained on MSRA NER and People's Daily 1998 (research use, no licence on "
              "the mirrors). See models/zh_ner/README.md.",
    "topics": "Research use only: trained on HuffPost, AG News, BBC, MasakhaNEWS, THUCNews, NLPCC 2017 and "
              "TNEWS (research terms); encoders all-MiniLM-L6-v2 (Apache-2.0) and m3e-small. "
              "See models/topics/README.md.",
    "pages": "Research use only: trained on L3S-GN1 (research-use licence), newspaper4k test pages, the Chinese "
             "Web Content Extraction Dataset and GeneralNewsExtractor test pages; byline ranker also on the train "
             "part of trafilatura's evaluation pages (Apache-2.0 repository; pages belong to their publishers). "
             "See models/pages/README.md.",
    "quotes_en": "Research use only: trained on PolNeAR (US political news 2015-16; no stated licence, research "
                 "and evaluation use). See models/quotes_en/README.md.",
}


def _version(folder: Path) -> str:
    for meta in ("meta.json", "model.json", "config.json", "tagger.json"):
        path = folder / meta
        if path.is_file():
            data = json.loads(path.read_text("utf-8"))
            version = data.get("version") or (data.get("metadata") or {}).get("version")
            if version:
                return str(version)
            metadata = data.get("metadata") or {}
            if metadata.get("name"):
                return f"{metadata['name']} ({str(metadata.get('trained_at', '?'))[:10]})"
    return "unknown"


def stamp(name: str) -> Path:
    folder = ROOT / "models" / SHIPPED_MODELS[name]
    path = folder / STAMP
    old = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    files = file_digests(folder)
    data = {"name": name, "version": old.get("version_override") or _version(folder),
            "terms": old.get("terms") or TERMS.get(name, ""), "sha256": digest_of(files), "files": files}
    if old.get("version_override"):
        data["version_override"] = old["version_override"]
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


if __name__ == "__main__":
    for model in sys.argv[1:] or list(SHIPPED_MODELS):
        print(stamp(model))
