"""The accurate profile's entity tagger: a fine-tuned transformer encoder labelling words BIO.

A small pretrained encoder (English: all-MiniLM-L6-v2; Chinese: m3e-small) is fine-tuned in torch
by ``models/ner_accurate/train.py``; here it runs in plain numpy (:mod:`newsnlp.transformer`):

1. **Words** are split as BERT splits them (whitespace, punctuation, each CJK character), with
   their character offsets in the original text; each word is normalised and cut into WordPieces
   on its own, so every piece belongs to exactly one word.
2. **Casing.** The encoders are uncased; each word's shape (no letters, lower, Title, UPPER,
   mixed) has a learned embedding added to its pieces' input embeddings.
3. **Windows.** A long text is read in windows of at most ``max_len`` pieces that overlap by a
   quarter; each word takes its label scores from the window where it sits farthest from a cut.
4. **Decoding.** A word's scores are those of its first piece; Viterbi finds the best label
   sequence under BIO constraints (``I-X`` only after ``B-X`` or ``I-X``).

An entity is a run of words, so its offsets are those of its first and last word:
``text[start:end]`` is exactly the entity's text.

Example (a tiny random model):
    >>> tagger = random_tagger(["PERSON"], seed=0)
    >>> spans = tagger.tag(["Ada Lovelace wrote notes."])[0]
    >>> all(label == "PERSON" for _, _, label in spans)
    True
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from contextlib import nullcontext
from typing import Any, ContextManager, Sequence

import numpy as np

from newsnlp.chars import is_cjk_codepoint
from newsnlp.errors import ModelFormatError, ModelNotFoundError
from newsnlp.transformer import LAYER_PARTS, WordPiece, _is_punct, dequantize, encode_layers, quantize

logger = logging.getLogger(__name__)

TAGGER_FILE, TAGGER_ARRAYS, FORMAT = "tagger.json", "tagger.npz", "newsnlp-token-tagger"
N_SHAPES = 5  # case_shape's values
MAX_PIECES_PER_WORD = 16


def _one_blas_thread() -> ContextManager[Any]:
    """numpy's BLAS on one thread while the tagger runs: a sentence's matrices are small, and a
    second thread mostly spins (13 times slower per sentence measured on the shared machine)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # threadpoolctl comes with scikit-learn; without it BLAS keeps its default
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def case_shape(word: str) -> int:
    """0 no letters, 1 lower, 2 Title (or a single capital), 3 UPPER, 4 mixed (``iPhone``, ``McCain``)."""
    letters = [c for c in word if c.isalpha()]
    if not letters or not any(c.isupper() or c.islower() for c in letters):
        return 0
    if not any(c.isupper() for c in letters):
        return 1
    if all(c.isupper() for c in letters if c.isupper() or c.islower()):
        return 2 if len(letters) == 1 else 3
    if letters[0].isupper() and not any(c.isupper() for c in letters[1:]):
        return 2
    return 4


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word: BERT's split (whitespace, punctuation, CJK characters), offsets kept."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, ch in enumerate(text):
        cp = ord(ch)
        gap = ch.isspace() or cp == 0 or cp == 0xFFFD or unicodedata.category(ch) in ("Cc", "Cf")
        single = not gap and (is_cjk_codepoint(cp) or _is_punct(ch))
        if (gap or single) and start >= 0:
            out.append((start, i))
            start = -1
        if single:
            out.append((i, i + 1))
        elif not gap and start < 0:
            start = i
    if start >= 0:
        out.append((start, len(text)))
    return out


def word_pieces(wp: WordPiece, word: str) -> list[int]:
    """The WordPiece ids of one word (normalised on its own; never empty)."""
    ids: list[int] = []
    for part in wp.words(wp.normalize(word)):
        ids.extend(wp.pieces(part))
    return ids[:MAX_PIECES_PER_WORD] or [wp.unk]


def windows(n_pieces: Sequence[int], size: int) -> list[tuple[int, int]]:
    """Word ranges [a, b) of at most ``size`` pieces each, overlapping by about a quarter, covering all words."""
    out: list[tuple[int, int]] = []
    n, a = len(n_pieces), 0
    starts = np.concatenate([[0], np.cumsum(n_pieces)]).astype(int)
    while a < n:
        b = a + 1
        while b < n and starts[b + 1] - starts[a] <= size:
            b += 1
        out.append((a, b))
        if b >= n:
            break
        target = starts[a] + max(1, (size * 3) // 4)
        nxt = int(np.searchsorted(starts, target, side="left"))
        a = max(a + 1, min(nxt, b - 1))  # overlap by one word at least, when the window has two
    return out


def viterbi(scores: np.ndarray, labels: Sequence[str]) -> list[int]:
    """Best label index per word under BIO constraints; ``scores`` are log-probabilities (words × labels)."""
    n, k = scores.shape
    allowed = np.ones((k, k), dtype=bool)  # allowed[prev, cur]
    start_ok = np.ones(k, dtype=bool)
    for j, lab in enumerate(labels):
        if lab.startswith("I-"):
            start_ok[j] = False
            allowed[:, j] = [p in (f"B-{lab[2:]}", lab) for p in labels]
    trans = np.where(allowed, 0.0, -1e9)
    best = np.where(start_ok, scores[0], -1e9) if n else np.zeros(k)
    back = np.zeros((n, k), dtype=np.int64)
    for i in range(1, n):
        cand = best[:, None] + trans
        back[i] = cand.argmax(axis=0)
        best = cand[back[i], np.arange(k)] + scores[i]
    path = [int(best.argmax())] if n else []
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


def spans_from_labels(spans: Sequence[tuple[int, int]], path: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entities (char start, char end, type) from word spans and their BIO labels."""
    out: list[tuple[int, int, str]] = []
    cur: list[Any] | None = None
    for (s, e), lab in zip(spans, path):
        if lab.startswith("I-") and cur is not None and cur[2] == lab[2:]:
            cur[1] = e
            continue
        if cur is not None:
            out.append((cur[0], cur[1], cur[2]))
            cur = None
        if lab != "O":
            cur = [s, e, lab[2:]]
    if cur is not None:
        out.append((cur[0], cur[1], cur[2]))
    return out


@dataclass
class TokenTagger:
    """A fine-tuned encoder with a casing embedding and a BIO output layer (see the module docstring)."""

    tokenizer: WordPiece
    heads: int
    max_len: int
    position: np.ndarray  # (max_len, width), token type 0 added
    norms: list[np.ndarray]
    case: np.ndarray  # (N_SHAPES, width)
    out_w: np.ndarray  # (width, n_labels)
    out_b: np.ndarray
    labels: list[str]
    packed: dict[str, np.ndarray]  # int8 word table and dense layers (see :func:`pack`)
    batch_size: int = 32
    _word: np.ndarray | None = None
    _dense: list[dict[str, tuple[np.ndarray, np.ndarray]]] | None = None

    def _unpacked(self) -> tuple[np.ndarray, list[dict[str, tuple[np.ndarray, np.ndarray]]]]:
        if self._word is None or self._dense is None:
            self._word, self._dense = unpack(self.packed)
        return self._word, self._dense

    def prepare(self, text: str) -> tuple[list[tuple[int, int]], list[list[int]], list[int]]:
        """Word spans, their piece ids and their case shapes."""
        spans = word_spans(text)
        words = [text[s:e] for s, e in spans]
        return spans, [word_pieces(self.tokenizer, w) for w in words], [case_shape(w) for w in words]

    def word_scores(self, texts: Sequence[str]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """Per text: word spans and the words' label log-probabilities (words × labels)."""
        with _one_blas_thread():
            return self._word_scores(texts)

    def _word_scores(self, texts: Sequence[str]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        word, dense = self._unpacked()
        prepared = [self.prepare(t) for t in texts]
        jobs: list[tuple[int, int, int]] = []  # (text, first word, end word)
        for ti, (_, pieces, _) in enumerate(prepared):
            jobs.extend((ti, a, b) for a, b in windows([len(p) for p in pieces], self.max_len - 2))
        out = [np.zeros((len(p[0]), len(self.labels)), dtype=np.float32) for p in prepared]
        margin = [np.full(len(p[0]), -1.0) for p in prepared]
        sizes = [sum(len(prepared[ti][1][w]) for w in range(a, b)) for ti, a, b in jobs]
        order = np.argsort(sizes, kind="stable")
        for s in range(0, len(order), self.batch_size):
            rows = [jobs[int(j)] for j in order[s: s + self.batch_size]]
            batch, shapes, firsts = [], [], []
            for ti, a, b in rows:
                _, pieces, shp = prepared[ti]
                ids, sh, first = [self.tokenizer.cls], [0], []
                for w in range(a, b):
                    first.append(len(ids))
                    ids.extend(pieces[w])
                    sh.extend([shp[w]] * len(pieces[w]))
                batch.append(ids + [self.tokenizer.sep])
                shapes.append(sh + [0])
                firsts.append(first)
            t = max(len(x) for x in batch)
            extra = np.zeros((len(batch), t, self.case.shape[1]), dtype=np.float32)
            for i, sh in enumerate(shapes):
                extra[i, : len(sh)] = self.case[sh]
            states, _ = encode_layers(word, self.position, self.norms, dense, self.heads, batch, extra)
            for i, (ti, a, b) in enumerate(rows):
                logits = states[i, firsts[i]] @ self.out_w + self.out_b
                logits -= logits.max(axis=1, keepdims=True)
                logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
                n_words = len(prepared[ti][0])
                pos = np.asarray(firsts[i], dtype=float)
                left = pos if a > 0 else np.full(len(pos), np.inf)
                right = (len(batch[i]) - pos) if b < n_words else np.full(len(pos), np.inf)
                room = np.minimum(left, right)
                idx = np.arange(a, b)
                better = room > margin[ti][idx]
                out[ti][idx[better]] = logp[better]
                margin[ti][idx[better]] = room[better]
        return [(p[0], o) for p, o in zip(prepared, out)]

    def tag(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """Entities of each text as (char start, char end, type); ``text[start:end]`` is the entity."""
        results = []
        for spans, scores in self.word_scores(texts):
            path = viterbi(scores, self.labels) if len(spans) else []
            results.append(spans_from_labels(spans, [self.labels[j] for j in path]))
        return results

    @property
    def types(self) -> list[str]:
        return sorted({lab[2:] for lab in self.labels if lab != "O"})


# ---- storage ------------------------------------------------------------------------------------
def quantize4(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """4-bit rows (values -7..7, two per byte, high nibble first) with a float32 scale per row."""
    scale = np.abs(w).max(axis=1) / 7.0
    scale[scale == 0] = 1.0
    q = (np.clip(np.rint(w / scale[:, None]), -7, 7) + 8).astype(np.uint8)
    if q.shape[1] % 2:
        raise ValueError("4-bit rows need an even width")
    return (q[:, 0::2] << 4) | q[:, 1::2], scale.astype(np.float32)


def dequantize4(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    out = np.empty((q.shape[0], 2 * q.shape[1]), dtype=np.float32)
    out[:, 0::2] = (q >> 4).astype(np.float32) - 8.0
    out[:, 1::2] = (q & 15).astype(np.float32) - 8.0
    out *= scale[:, None]
    return out


def pack(word: np.ndarray, dense: Sequence[dict[str, tuple[np.ndarray, np.ndarray]]], word_bits: int = 8) -> dict[str, np.ndarray]:
    """Word table in int8 or (``word_bits=4``) 4 bits, a scale per row; int8 dense weights, a scale
    per output column."""
    q, s = quantize(word, axis=1) if word_bits == 8 else quantize4(word)
    arrays = {"word_q" if word_bits == 8 else "word_q4": q, "word_s": s}
    for layer, parts in enumerate(dense):
        for part in LAYER_PARTS:
            w, b = parts[part]
            q, s = quantize(w, axis=0)
            arrays[f"{layer}_{part}_q"], arrays[f"{layer}_{part}_s"] = q, s
            arrays[f"{layer}_{part}_b"] = b.astype(np.float32)
    return arrays


def unpack(packed: dict[str, np.ndarray]) -> tuple[np.ndarray, list[dict[str, tuple[np.ndarray, np.ndarray]]]]:
    """The float32 word table and dense layers of :func:`pack`'s arrays."""
    layers = sum(1 for key in packed if key.endswith("_qkv_q"))
    dense = [{part: (dequantize(packed[f"{n}_{part}_q"], packed[f"{n}_{part}_s"], axis=0), packed[f"{n}_{part}_b"])
              for part in LAYER_PARTS} for n in range(layers)]
    if "word_q4" in packed:
        return dequantize4(packed["word_q4"], packed["word_s"]), dense
    return dequantize(packed["word_q"], packed["word_s"], axis=1), dense


def save_tagger(tagger: TokenTagger, folder: str | os.PathLike[str], metadata: dict[str, Any]) -> Path:
    """Write ``tagger.json`` (parameters, metadata, sha256 of the arrays) and ``tagger.npz``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    vocab = sorted(tagger.tokenizer.vocab, key=tagger.tokenizer.vocab.__getitem__)
    arrays = dict(tagger.packed, vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
                  position=tagger.position.astype(np.float32), norms=np.stack(tagger.norms).astype(np.float32),
                  case=tagger.case.astype(np.float32), out_w=tagger.out_w.astype(np.float32),
                  out_b=tagger.out_b.astype(np.float32))
    np.savez(out / TAGGER_ARRAYS, **arrays)  # type: ignore[arg-type]  # numpy stubs: **arrays vs allow_pickle
    layers = sum(1 for key in tagger.packed if key.endswith("_qkv_q"))
    params = {"labels": tagger.labels, "layers": layers, "heads": tagger.heads, "max_len": tagger.max_len,
              "width": int(tagger.position.shape[1]), "vocab_size": len(vocab),
              "lowercase": tagger.tokenizer.lowercase, "strip_accents": tagger.tokenizer.strip_accents}
    doc = {"format": FORMAT, "params": params, "metadata": metadata,
           "arrays_sha256": hashlib.sha256((out / TAGGER_ARRAYS).read_bytes()).hexdigest()}
    (out / TAGGER_FILE).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def load_tagger(folder: str | os.PathLike[str]) -> tuple[TokenTagger, dict[str, Any]]:
    """Read what :func:`save_tagger` wrote; a missing model is a ModelNotFoundError, a changed or
    malformed one a ModelFormatError."""
    src = Path(folder)
    if not (src / TAGGER_FILE).is_file() or not (src / TAGGER_ARRAYS).is_file():
        raise ModelNotFoundError(f"no accurate entity tagger in {src}: train it with models/ner_accurate/train.py",
                                 source=str(src))
    doc = json.loads((src / TAGGER_FILE).read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise ModelFormatError(f"{src / TAGGER_FILE}: not a newsnlp token tagger", source=str(src))
    blob = (src / TAGGER_ARRAYS).read_bytes()
    if hashlib.sha256(blob).hexdigest() != doc.get("arrays_sha256"):
        raise ModelFormatError(f"{src / TAGGER_ARRAYS}: sha256 does not match {TAGGER_FILE}", source=str(src))
    with np.load(src / TAGGER_ARRAYS, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    p = doc["params"]
    width, layers, n_labels = p["width"], p["layers"], len(p["labels"])
    expect = {"position": (p["max_len"], width), "norms": (1 + 2 * layers, 2, width), "case": (N_SHAPES, width),
              "out_w": (width, n_labels), "out_b": (n_labels,), "word_s": (p["vocab_size"],)}
    if "word_q4" in arrays:
        expect["word_q4"] = (p["vocab_size"], width // 2)
    else:
        expect["word_q"] = (p["vocab_size"], width)
    for key, shape in expect.items():
        if key not in arrays or arrays[key].shape != shape:
            raise ModelFormatError(f"{src / TAGGER_ARRAYS}: {key!r} missing or not of shape {shape}", source=str(src))
    vocab = arrays.pop("vocab").tobytes().decode("utf-8").split("\n")
    tokenizer = WordPiece({w: i for i, w in enumerate(vocab)}, lowercase=bool(p["lowercase"]),
                          strip_accents=bool(p["strip_accents"]))
    fixed = {k: arrays.pop(k) for k in ("position", "norms", "case", "out_w", "out_b")}
    tagger = TokenTagger(tokenizer=tokenizer, heads=p["heads"], max_len=p["max_len"], position=fixed["position"],
                         norms=list(fixed["norms"]), case=fixed["case"], out_w=fixed["out_w"], out_b=fixed["out_b"],
                         labels=list(p["labels"]), packed=arrays)
    return tagger, doc.get("metadata") or {}


def random_tagger(types: Sequence[str], seed: int = 0, width: int = 16, layers: int = 1, heads: int = 2,
                  max_len: int = 16) -> TokenTagger:
    """A tiny tagger with random weights over a toy vocabulary (tests and examples)."""
    rng = np.random.default_rng(seed)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + list("abcdefghijklmnopqrstuvwxyz.,") + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz"]
    labels = ["O"] + [f"{bi}-{t}" for t in types for bi in "BI"]

    def r(*shape: int) -> np.ndarray:
        return np.asarray(rng.normal(0, 0.5, shape), dtype=np.float32)

    dense = [{"qkv": (r(width, 3 * width), r(3 * width)), "o": (r(width, width), r(width)),
              "i": (r(width, 2 * width), r(2 * width)), "out": (r(2 * width, width), r(width))} for _ in range(layers)]
    norms = [np.stack([np.ones(width, np.float32), np.zeros(width, np.float32)]) for _ in range(1 + 2 * layers)]
    return TokenTagger(tokenizer=WordPiece({w: i for i, w in enumerate(vocab)}), heads=heads, max_len=max_len,
                       position=r(max_len, width), norms=norms, case=r(N_SHAPES, width), out_w=r(width, len(labels)),
                       out_b=r(len(labels)), labels=labels, packed=pack(r(len(vocab), width), dense))


@lru_cache(maxsize=4)
def _load(path: str) -> TokenTagger:
    tagger, meta = load_tagger(path)
    logger.info("accurate tagger: loaded %s (%s)", path, meta.get("pretrained", "?"))
    return tagger


def accurate_tagger(folder: str | None, name: str) -> TokenTagger:
    """The tagger in ``folder``, else the shipped model ``name`` (loaded once per process)."""
    from newsnlp.shipped import model_dir

    return _load(str(Path(folder) if folder else model_dir(name)))
