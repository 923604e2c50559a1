"""Text normalisation, language detection and sparse TF-IDF features for the topic model.

The feature pipeline is written so that training and prediction run exactly the same code:
``CountVectorizer`` (from scikit-learn) only tokenises and counts against a fixed vocabulary;
sublinear term frequency, IDF weighting and L2 normalisation are applied here with numpy, so a
saved model needs nothing but its vocabulary and IDF arrays.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, repeat
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from newsnlp.chars import is_cjk_codepoint

WORD_TOKEN_PATTERN = r"(?u)\b\w+\b"
_WORD_TOKENS = re.compile(WORD_TOKEN_PATTERN)
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's char analyzer folds runs of whitespace
ANALYZER_KINDS = ("word", "char", "char_wb")


def normalize_text(text: str) -> str:
    """Return ``text`` folded with NFKC (full-width forms → ASCII) and lower-cased."""
    return unicodedata.normalize("NFKC", text).lower()


def cjk_ratio(text: str, sample: int = 2000) -> float:
    """Share of CJK ideographs among the letters of the first ``sample`` characters.

    Returns 0.0 for text without letters.
    """
    cjk = letters = 0
    for ch in text[:sample]:
        if is_cjk_codepoint(ord(ch)):
            cjk += 1
            letters += 1
        elif ch.isalpha():
            letters += 1
    return cjk / letters if letters else 0.0


@dataclass
class AnalyzerSpec:
    """One block of features: an n-gram analyzer and its fitted vocabulary and IDF."""

    kind: str
    ngram_range: tuple[int, int]
    min_df: int = 2
    max_features: int | None = None
    vocabulary: list[str] = field(default_factory=list)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    def __post_init__(self) -> None:
        if self.kind not in ANALYZER_KINDS:
            raise ValueError(f"unknown analyzer kind {self.kind!r}; expected one of {ANALYZER_KINDS}")
        self.ngram_range = (int(self.ngram_range[0]), int(self.ngram_range[1]))
        self._counter: Any = None  # the vocabulary lookup, or the char_wb vocabulary and word cache

    def params(self) -> dict[str, Any]:
        """JSON-able parameters (everything except the vocabulary and IDF)."""
        return {
            "kind": self.kind,
            "ngram_range": list(self.ngram_range),
            "min_df": self.min_df,
            "max_features": self.max_features,
        }

    def _make_counter(self, vocabulary: dict[str, int] | None, min_df: int = 1) -> CountVectorizer:
        return CountVectorizer(
            analyzer=self.kind,
            ngram_range=self.ngram_range,
            lowercase=False,  # texts are normalised before they get here
            token_pattern=WORD_TOKEN_PATTERN if self.kind == "word" else None,
            min_df=min_df,
            max_features=None if vocabulary is not None else self.max_features,
            vocabulary=vocabulary,
            dtype=np.float32,
        )

    def fit(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Learn vocabulary and IDF from normalised ``texts``; return their feature matrix."""
        min_df = self.min_df if len(texts) >= 4 * self.min_df else 1
        counter = self._make_counter(None, min_df=min_df)
        counts = counter.fit_transform(texts).tocsr()
        vocab = counter.vocabulary_
        self.vocabulary = [""] * len(vocab)
        for term, idx in vocab.items():
            self.vocabulary[idx] = term
        df = np.bincount(counts.indices, minlength=len(vocab)).astype(np.float64)
        n = counts.shape[0]
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        self._counter = None
        return self._weight(counts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Feature matrix for normalised ``texts`` against the fitted vocabulary."""
        if self.kind == "char_wb":
            return self._weight(self._char_wb_counts(texts))
        return self._weight(self._ngram_counts(texts))

    def _ngram_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Counts identical to ``CountVectorizer.transform`` (``word`` or ``char``) against the fitted vocabulary.

        The n-grams are made as scikit-learn makes them, but with ``zip``/``map``, counted by
        ``Counter`` (no Python loop per n-gram) and looked up once per distinct n-gram.
        """
        if self._counter is None:
            self._counter = dict(zip(self.vocabulary, range(len(self.vocabulary)))).get
        lookup = self._counter
        lo, hi = self.ngram_range
        split: Callable[[str], Any]
        join: Callable[[Iterable[str]], str]
        if self.kind == "word":
            split, join = _WORD_TOKENS.findall, " ".join
        else:  # char: n-grams run over the whole text, whitespace runs folded to one space
            split, join = partial(_WHITE_SPACES.sub, " "), "".join
        indptr: list[int] = [0]
        indices: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
        counts: list[np.ndarray] = [np.zeros(0, dtype=np.float32)]
        for text in texts:
            units = split(text)
            grams = Counter(chain.from_iterable(
                units if n == 1 else map(join, zip(*(units[k:] for k in range(n)))) for n in range(lo, hi + 1)))
            ids = np.fromiter(map(lookup, grams, repeat(-1)), dtype=np.int32, count=len(grams))
            known = ids >= 0
            indices.append(ids[known])
            counts.append(np.fromiter(grams.values(), dtype=np.float32, count=len(grams))[known])
            indptr.append(indptr[-1] + int(known.sum()))
        matrix = sp.csr_matrix((np.concatenate(counts), np.concatenate(indices), np.asarray(indptr, dtype=np.int64)),
                               shape=(len(texts), len(self.vocabulary)))
        matrix.sort_indices()
        return matrix

    def _char_wb_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Counts identical to ``CountVectorizer(analyzer="char_wb")``, computed per distinct word.

        Articles repeat words, and words repeat across articles, so the n-gram ids of each word are
        computed once and cached; this is several times faster than scikit-learn's generic path.
        """
        if self._counter is None or not isinstance(self._counter, dict):
            self._counter = {"vocab": dict(zip(self.vocabulary, range(len(self.vocabulary)))), "cache": {}}
        lookup = self._counter["vocab"].get
        cache: dict[str, array] = self._counter["cache"]
        lo, hi = self.ngram_range
        sizes = range(lo, hi + 1)
        # Typed arrays and one np.repeat for the counts: no per-word Python lists on the hot path.
        indptr, indices, counts, lengths = [0], array("i"), array("f"), array("i")
        for text in texts:
            for word, count in Counter(text.split()).items():
                ids = cache.get(word)
                if ids is None:
                    padded = f" {word} "
                    width = len(padded)
                    if width > hi:
                        grams = [padded[i: i + n] for n in sizes for i in range(width - n + 1)]
                    else:  # scikit-learn counts a short word once, whole, at the first n that reaches its length
                        grams = [padded[i: i + n] for n in range(lo, width) for i in range(width - n + 1)]
                        grams.append(padded)
                    ids = array("i", [i for i in map(lookup, grams) if i is not None])
                    if len(cache) > 500_000:
                        cache.clear()
                    cache[word] = ids
                indices.extend(ids)
                counts.append(count)
                lengths.append(len(ids))
            indptr.append(len(indices))
        data = np.repeat(np.frombuffer(counts, dtype=np.float32), np.frombuffer(lengths, dtype=np.int32))
        matrix = sp.csr_matrix((data, np.frombuffer(indices, dtype=np.int32).copy(), np.asarray(indptr, dtype=np.int64)),
                               shape=(len(texts), len(self.vocabulary)))
        matrix.sum_duplicates()
        return matrix

    def _weight(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        x = counts.astype(np.float32)
        np.log(x.data, out=x.data)  # sublinear tf: 1 + log(tf)
        x.data += 1.0
        x = x @ sp.diags(self.idf, format="csr")
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ x, dtype=np.float32)


def featurize(specs: Iterable[AnalyzerSpec], texts: Sequence[str], fit: bool = False) -> sp.csr_matrix:
    """Stack the blocks of every analyzer (each block L2-normalised on its own)."""
    blocks = [s.fit(texts) if fit else s.transform(texts) for s in specs]
    return sp.hstack(blocks, format="csr", dtype=np.float32)
