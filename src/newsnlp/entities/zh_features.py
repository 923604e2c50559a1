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
its prefix-dict cache in ``config.default_cache_dir()`` (``~/.cache/newsnlp/``);
built lazily on first use (about 1 s, 0.2 s from cache).

The features are written as hashes in one ``Doc.from_array`` (:func:`set_char_features`).
newsnlp's entity stage calls that function itself with the words of the jieba pass its
tokenizer made already (:mod:`newsnlp.preprocess.jieba_path`), and runs the model with this
component disabled: the same features, one jieba pass fewer.

Register the factory by importing this module (or via the ``spacy_factories``
entry point) before ``spacy.load`` of the model.
"""
from __future__ import annotations

import logging
import sys
import threading
import unicodedata
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import numpy
from spacy.attrs import IDX, LEMMA, NORM, TAG
from spacy.language import Language
from spacy.tokens import Doc

from newsnlp.chars import nfkc_same_length
from newsnlp.config import default_cache_dir

FACTORY_NAME = "newsnlp_zh_features"

_LOCK = threading.Lock()
_JIEBA = None  # type: ignore[var-annotated]
_POS: Optional[Dict[str, str]] = None


def _cache_dir() -> Path:
    path = default_cache_dir()
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


@lru_cache(maxsize=65536)
def _word_tags(word: str) -> Tuple[str, ...]:
    """Lexicon tag of every character of one jieba word (B/M/E/S position + the word's POS)."""
    if word.isspace():
        return ("S-sp",) * len(word)
    t = _word_tag(word, _load_jieba()[1])
    if len(word) == 1:
        return (sys.intern("S-" + t),)  # interned: the cache holds a few hundred distinct tags
    return (sys.intern("B-" + t),) + (sys.intern("M-" + t),) * (len(word) - 2) + (sys.intern("E-" + t),)


def lexicon_tags(text: str, words: Optional[Iterable[str]] = None) -> List[str]:
    """Per-character lexicon tags of (folded) ``text``.

    ``words``: jieba's cut of ``text`` with HMM off, when the caller has it already (see
    :mod:`newsnlp.preprocess.jieba_path`); by default it is cut here.
    """
    if words is None:
        words = _load_jieba()[0].cut(text, HMM=False)
    lex = list(chain.from_iterable(map(_word_tags, words)))
    if len(lex) != len(text):  # defensive: jieba keeps every char, but never misalign
        lex = (lex + ["S-x"] * len(text))[: len(text)]
    return lex


def char_features(chars: List[str]) -> Tuple[List[str], List[str], List[str]]:
    """Features for a list of (folded) characters: (next-bigram, prev-bigram, lexicon tag)."""
    n = len(chars)
    nxt = [chars[i] + (chars[i + 1] if i + 1 < n else "</s>") for i in range(n)]
    prv = [("<s>" if i == 0 else chars[i - 1]) + chars[i] for i in range(n)]
    return nxt, prv, lexicon_tags("".join(chars))


def set_char_features(doc: Doc, text: str, words: Optional[Iterable[str]] = None) -> Doc:
    """Write the NORM / LEMMA / TAG features of ``doc``, whose folded text is ``text``.

    Same values as setting ``token.norm_`` etc. one by one, written as hashes in one
    ``Doc.from_array`` (no ``Token`` objects). ``words``: as for :func:`lexicon_tags`.
    """
    n = len(text)
    if len(doc) == 0 or n == 0:
        return doc
    nxt = list(map(str.__add__, text, text[1:]))  # bigram with the next character
    nxt.append(text[-1] + "</s>")
    first = "<s>" + text[0]  # the previous-bigram of character i > 0 is nxt[i - 1]
    lex = lexicon_tags(text, words)
    add = doc.vocab.strings.add
    hashes = {s: add(s) for s in {first, *nxt, *lex}}
    get = hashes.__getitem__
    values = numpy.empty((n, 3), dtype=numpy.uint64)
    values[:, 0] = numpy.fromiter(map(get, nxt), dtype=numpy.uint64, count=n)
    values[0, 1] = hashes[first]
    values[1:, 1] = values[:-1, 0]
    values[:, 2] = numpy.fromiter(map(get, lex), dtype=numpy.uint64, count=n)
    if len(doc) != n:  # whitespace runs are one token: each token takes its first character's
        values = values[doc.to_array(IDX).astype(numpy.intp)]
    doc.from_array([NORM, LEMMA, TAG], values)  # type: ignore[arg-type]  # uint64 hashes, as spaCy stores them
    return doc


class ZhCharFeatures:
    """spaCy component writing NORM / LEMMA / TAG char features (see module doc)."""

    def __init__(self, nlp: Language, name: str = FACTORY_NAME):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        # features are computed per character of the (folded) doc text, then each
        # token takes the features of its first character (tokens are single
        # characters, except whitespace runs the tokenizer keeps as one token)
        return set_char_features(doc, nfkc_same_length(doc.text))

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
