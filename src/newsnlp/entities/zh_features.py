"""Per-character features for the Chinese NER pipeline (``models/zh_ner``).

The Chinese NER model tokenises text into single characters (``spacy.blank("zh")``
with the default ``"char"`` segmenter), so a token can never split an entity.
Characters alone carry little context, so this component, placed before the
``tok2vec``, writes three extra string features on every token which the
``MultiHashEmbed`` layer of the model embeds next to ``ORTH``:

* ``token.norm_``  -- bigram of the character with the NEXT character
  (``"</s>"`` at the end of the doc), e.g. ``北京`` on ``北``;
* ``token.lemma_`` -- bigram of the PREVIOUS character with the character
  (``"<s>"`` at the start), e.g. ``北京`` on ``京``;
* ``token.tag_``   -- lexicon feature from jieba: position of the character in
  the jieba word that contains it (``B``/``M``/``E``/``S``) plus the word's POS
  tag from jieba's dictionary (``nr`` person name, ``ns`` place, ``nt``
  organisation, ``n`` …), e.g. ``B-ns``.

Features are computed on the per-character NFKC fold of the text (full-width
forms -> ASCII), the same fold the library applies before calling the model,
so they are stable whether or not the caller folded already.

jieba: a private ``jieba.Tokenizer`` (never the global ``jieba.dt``), HMM off,
its prefix-dict cache in ``~/.cache/newsnlp/`` (or ``$NEWSNLP_CACHE_DIR``);
built lazily on first use (about 1 s, 0.2 s from cache).

Register the factory by importing this module (or via the ``spacy_factories``
entry point) before ``spacy.load`` of the model.
"""
from __future__ import annotations

import logging
import os
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

FACTORY_NAME = "newsnlp_zh_features"

_LOCK = threading.Lock()
_JIEBA = None  # type: ignore[var-annotated]
_POS: Optional[Dict[str, str]] = None


def _cache_dir() -> Path:
    d = os.environ.get("NEWSNLP_CACHE_DIR")
    path = Path(d) if d else Path.home() / ".cache" / "newsnlp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _load_jieba():
    """Return (private jieba.Tokenizer, word -> POS dict), built once per process."""
    global _JIEBA, _POS
    if _JIEBA is not None and _POS is not None:
        return _JIEBA, _POS
    with _LOCK:
        if _JIEBA is None or _POS is None:
            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)
            dict_path = Path(jieba.__file__).resolve().parent / "dict.txt"
            tok = jieba.Tokenizer(dictionary=str(dict_path))
            try:
                cache = _cache_dir()
                tok.tmp_dir = str(cache)
                tok.cache_file = str(cache / "jieba_newsnlp_zh_features.cache")
            except OSError:  # read-only home: jieba then builds in memory only
                tok.cache_file = None
            tok.initialize()
            pos: Dict[str, str] = {}
            with open(dict_path, encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 3:
                        pos[parts[0]] = parts[2]
            _JIEBA, _POS = tok, pos
    return _JIEBA, _POS


@lru_cache(maxsize=65536)
def fold_char(c: str) -> str:
    """Per-character NFKC fold (kept only when it yields exactly one char)."""
    n = unicodedata.normalize("NFKC", c)
    return n if len(n) == 1 else c


def _word_tag(word: str, pos: Dict[str, str]) -> str:
    t = pos.get(word)
    if t is not None:
        return t
    if word.isdigit():
        return "m"
    if word.isascii() and word.isalnum():
        return "eng"
    if len(word) == 1 and unicodedata.category(word)[0] in "PSZ":
        return "w"
    return "x"


def char_features(chars: List[str]) -> Tuple[List[str], List[str], List[str]]:
    """Features for a list of (folded) characters: (next-bigram, prev-bigram, lexicon tag)."""
    n = len(chars)
    nxt = [chars[i] + (chars[i + 1] if i + 1 < n else "</s>") for i in range(n)]
    prv = [("<s>" if i == 0 else chars[i - 1]) + chars[i] for i in range(n)]
    tok, pos = _load_jieba()
    lex: List[str] = []
    for w in tok.cut("".join(chars), HMM=False):
        if w.isspace():
            lex.extend(["S-sp"] * len(w))
            continue
        t = _word_tag(w, pos)
        if len(w) == 1:
            lex.append("S-" + t)
        else:
            lex.append("B-" + t)
            lex.extend(["M-" + t] * (len(w) - 2))
            lex.append("E-" + t)
    if len(lex) != n:  # defensive: jieba keeps every char, but never misalign
        lex = (lex + ["S-x"] * n)[:n]
    return nxt, prv, lex


class ZhCharFeatures:
    """spaCy component writing NORM / LEMMA / TAG char features (see module doc)."""

    def __init__(self, nlp: Language, name: str = FACTORY_NAME):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        # features are computed per character of the (folded) doc text, then each
        # token takes the features of its first character (tokens are single
        # characters, except whitespace runs the tokenizer keeps as one token)
        chars = [fold_char(c) for c in doc.text]
        nxt, prv, lex = char_features(chars)
        for t in doc:
            i = t.idx
            t.norm_ = nxt[i]
            t.lemma_ = prv[i]
            t.tag_ = lex[i]
        return doc

    # no state to serialise: the jieba dictionary comes from the installed jieba
    def to_disk(self, path, *, exclude=tuple()):
        pass

    def from_disk(self, path, *, exclude=tuple()):
        return self

    def to_bytes(self, *, exclude=tuple()):
        return b""

    def from_bytes(self, data, *, exclude=tuple()):
        return self


@Language.factory(FACTORY_NAME, default_config={})
def make_zh_features(nlp: Language, name: str) -> ZhCharFeatures:
    return ZhCharFeatures(nlp, name)
