"""A learned quotation filter for English (``quotes_en/model/filter``).

The rules keep most text in quotation marks as a direct quote. On the PolNeAR conventions many
of those match no annotated attribution: titles and terms in marks ('the “Fox and Friends”
show'), scare quotes, continuations joined or split differently, fragments of a longer reported
clause. Here every direct quote the rules keep (after the speaker chooser) is described by
string features (length, a finite verb, capital start, closing punctuation inside the marks, the
cue verb and its side, the speaker's kind, where it sits in its paragraph, the word or mark
before it, Title Case, the quote before it) and a logistic regression trained on PolNeAR
(``models/quotes_en/train_filter.py``) gives P(it is an annotated attribution with the right
speaker). Quotes below the model's threshold are dropped.
"""

from __future__ import annotations

import bisect
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsnlp.quotes.english_model import _speaker_features, read_linear, shipped_part
from newsnlp.quotes.spans import RawQuote

_MARKS = "“”\"‘’'«»„ "
_BUCKETS = (1, 2, 3, 5, 8, 12, 20, 40)
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_LEADS = frozenset({"said", "says", "say", "told", "called", "as", "the", "a", "an", "of", "and", "was", "is", "that",
                    "wrote", "added", "asked", "tweeted", "stated", "on", "in", "for", "to", "about", "by", "his", "her",
                    "their", "its", "so-called", "dubbed", "described", "labeled", "branded", "with", "saying", "calling"})


def _bucket(n: int) -> int:
    return bisect.bisect_left(_BUCKETS, n)


def _title_case(words: list[str]) -> bool:
    """'Fox and Friends', 'Make America Great Again': most words capitalised, no sentence end."""
    content = [w for w in words if w.lower() not in ("and", "of", "the", "a", "an", "in", "on", "to", "for", "with")]
    return bool(content) and len(words) <= 10 and all(w[:1].isupper() or not w[:1].isalpha() for w in content)


def quote_features(rules: Any, doc: Any, quotes: list[RawQuote], index: int) -> list[str]:
    """The features of ``quotes[index]`` (view offsets into ``rules._text``)."""
    text = rules._text
    quote = quotes[index]
    inner = text[quote.start:quote.end].strip(_MARKS)
    words = inner.split()
    n = _bucket(len(words))
    capital = inner[:1].isupper()
    closing = inner[-1:] if inner[-1:] in ".,?!:;—-" else "none"
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    finite = any(t.tag_ in _FINITE for t in span) if span is not None else False
    sentences = len({t.sent.start for t in span if not t.is_space}) if span is not None else 0
    p_start = text.rfind("\n", 0, quote.start) + 1
    p_end = text.find("\n", quote.end)
    p_end = len(text) if p_end < 0 else p_end
    before = text[p_start:quote.start].strip(_MARKS)
    after = text[quote.end:p_end].strip(_MARKS)
    where = ("whole" if not before and not after else "first" if not before else "last" if not after else "middle")
    lead = before.split()[-1].lower().strip(",.;:") if before.split() else "-"
    lead_word = lead if lead in _LEADS else "other"
    lead_char = before[-1:] if before else "^"
    lead_char = lead_char if not lead_char.isalnum() else "a" if lead_char.isalpha() else "9"
    title = _title_case(words)
    paragraph_no = text.count("\n\n", 0, quote.start)
    cue_side = "none"
    cue_lemma = "none"
    if quote.cue is not None:
        cue_side = "before" if quote.cue[1] <= quote.start else "after" if quote.cue[0] >= quote.end else "in"
        cue_span = doc.char_span(quote.cue[0], quote.cue[1], alignment_mode="expand")
        cue_lemma = cue_span[0].lemma_.lower() if cue_span is not None and len(cue_span) else "?"
    who = _speaker_features(doc, quote.speaker_head)
    previous = max((q for q in quotes if q.kind != "indirect" and q.end <= quote.start), key=lambda q: q.end, default=None)
    prev = "none"
    if previous is not None:
        gap = text[previous.end:quote.start]
        same = previous.speaker_head is not None and previous.speaker_head == quote.speaker_head
        prev = ("para" if "\n" not in gap else "near" if len(gap) < 400 else "far") + ("+same" if same else "")
    multi = "\n" in text[quote.start:quote.end].strip()
    hang = _hang(rules, span)
    shape = f"{min(n, 4)}+{capital}+{finite}+{closing != 'none'}"
    return ["bias", f"k={quote.kind}", f"n={n}", f"cap={capital}", f"close={closing}", f"fin={finite}",
            f"sents={min(sentences, 3)}", f"where={where}", f"lead={lead_word}", f"leadc={lead_char}",
            f"title={title}", f"head={paragraph_no == 0}", f"side={cue_side}", f"cue={cue_lemma}",
            *who, f"prev={prev}", f"multi={multi}", f"shape={shape}", f"shape+where={shape}+{where}",
            f"shape+lead={shape}+{lead_word}", f"n+fin={n}+{finite}", f"title+n={title}+{n}",
            f"side+n={cue_side}+{min(n, 4)}", f"spk+n={who[0]}+{min(n, 4)}", f"leadc+cap={lead_char}+{capital}",
            f"where+side={where}+{cue_side}", f"prev+side={prev}+{cue_side}", f"cue+n={cue_lemma}+{min(n, 4)}",
            f"k+n={quote.kind}+{n}", *hang, f"{hang[0]}+n={min(n, 4)}", f"{hang[0]}+cap={capital}",
            f"{hang[1]}+fin={finite}"]


def _hang(rules: Any, span: Any) -> list[str]:
    """Where the parse hangs the quotation: its top word's relation and the word it hangs on
    ('enjoys “Modern Family”': dobj of a verb; 'against “printing money”': pobj)."""
    if span is None:
        return ["rel=-", "on=-", "onl=-"]
    top = rules._top(span, set(range(span.start, span.end)))
    if top is None:
        return ["rel=-", "on=-", "onl=-"]
    if top.head.i == top.i:
        return ["rel=ROOT", "on=-", "onl=-"]
    return [f"rel={top.dep_}", f"on={top.head.pos_}", f"onl={top.head.lemma_.lower()}"]


class FilterModel:
    """Vocabulary, weights and threshold of the quotation filter."""

    def __init__(self, vocabulary: dict[str, int], weights: np.ndarray, bias: float,
                 thresholds: dict[str, float]) -> None:
        self.vocabulary = vocabulary
        self.weights = weights
        self.bias = bias
        self.thresholds = thresholds  # per kind; kinds not listed are never dropped

    @classmethod
    def load(cls, folder: Path) -> FilterModel:
        """Read ``config.json`` and ``weights.npz`` from ``folder``."""
        config, weights = read_linear(folder, "quotation filter", ("vocabulary", "bias", "thresholds"))
        thresholds = {kind: float(value) for kind, value in config["thresholds"].items()}
        return cls(config["vocabulary"], weights, float(config["bias"]), thresholds)

    def probability(self, features: list[str]) -> float:
        """P(the quote is an annotated attribution with the right speaker)."""
        total = self.bias + sum(self.weights[i] for f in features if (i := self.vocabulary.get(f)) is not None)
        return 1.0 / (1.0 + math.exp(-total))


@lru_cache(maxsize=1)
def shipped_filter_model() -> FilterModel | None:
    """The quotation filter (``model/filter``), loaded once per process; ``None`` without it (all kept)."""
    folder = shipped_part("filter")
    return FilterModel.load(folder) if folder else None


def filter_quotes(rules: Any, doc: Any, quotes: list[RawQuote], model: FilterModel) -> list[RawQuote]:
    """``quotes`` without the direct and mixed ones the model scores below their kind's threshold."""
    kept = []
    for index, quote in enumerate(quotes):
        threshold = model.thresholds.get(quote.kind)
        if threshold is not None and model.probability(quote_features(rules, doc, quotes, index)) < threshold:
            continue
        kept.append(quote)
    return kept


__all__ = ["FilterModel", "filter_quotes", "quote_features", "shipped_filter_model"]
