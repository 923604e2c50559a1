"""A learned chooser of English quote speakers (``quotes_en/model/speakers``).

The rules name one speaker per quote: the cue verb's subject, an inverted subject, "who", a
passive agent, the previous quote's speaker for a continuation. Where they are wrong the right
speaker is usually close by: a name in the sentence before, a pronoun, the speaker of the
paragraph before. Here every nearby mention competes: heads of proper nouns, nouns and personal
pronouns in the quote's sentences and the one before and after, the rules' own choice, the
previous quote's speaker, and "no speaker". A conditional logit (a softmax over one quote's
candidates, trained on PolNeAR with ``models/quotes_en/train_speakers.py``) scores them from
string features (mention kind, entity label, dependency relation to the cue, distance in tokens
and sentences, side of the quote, whether the rules chose it, salience) and the best one replaces
the rules' speaker when it beats it by the model's ``margin``.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsnlp.quotes.english_model import read_linear, shipped_part
from newsnlp.quotes.spans import RawQuote, span_of

_PERSONAL = frozenset({"he", "she", "they", "we", "i", "you", "it", "who", "him", "her", "them", "us", "me"})
_SKIP_DEPS = frozenset({"compound", "flat", "nmod", "npadvmod", "nummod", "amod", "quantmod"})
_TOKEN_BUCKETS = (0, 2, 5, 10, 20, 40, 80)
_MAX_CANDIDATES = 40
_NEWLINE = re.compile("\n")


def _bucket(n: int, bounds: tuple[int, ...] = _TOKEN_BUCKETS) -> int:
    return bisect.bisect_left(bounds, n)  # the first bound >= n; len(bounds) past the last


@dataclass
class Mention:
    """One possible speaker of a quote (``head`` ``None``: no speaker) and its features."""

    head: int | None
    span: tuple[int, int] | None
    features: list[str] = field(default_factory=list)
    rules: bool = False


def _mention_span(doc: Any, token: Any) -> tuple[int, int]:
    """The mention's characters: a pronoun alone, a name over its entity, a noun with its left modifiers."""
    if token.pos_ == "PRON":
        return span_of(doc, token.i, token.i + 1)
    if token.ent_type_:
        start = token.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = token.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return span_of(doc, start, end)
    start = token.left_edge.i
    while start < token.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return span_of(doc, start, token.i + 1)


def _kind(token: Any | None) -> str:
    if token is None:
        return "none"
    lower = token.lower_
    if lower in _PERSONAL and token.pos_ == "PRON":
        return "pron:" + lower
    return token.pos_


def _relation(token: Any, cue: Any | None) -> str:
    """How the candidate hangs on the cue verb: its subject, object, agent, a sibling, nothing."""
    if cue is None:
        return "nocue"
    if token.i == cue.i:
        return "self"
    if token.head.i == cue.i:
        return "child:" + token.dep_
    if token.head.dep_ == "agent" and token.head.head.i == cue.i:
        return "agent"
    if token.head.i == cue.head.i and token.head.i != token.i:
        return "sibling:" + token.dep_
    if token.dep_ in ("nsubj", "nsubjpass") and cue.dep_ in ("conj", "xcomp", "advcl") and token.head.i == cue.head.i:
        return "conj_subj"
    if cue.is_ancestor(token):
        return "below"
    if token.is_ancestor(cue):
        return "above:" + token.dep_
    return "other:" + token.dep_


class SpeakerModel:
    """Vocabulary, weights and override margin of the speaker chooser."""

    def __init__(self, vocabulary: dict[str, int], weights: np.ndarray, margin: float, kinds: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self.weights = weights
        # Feature -> weight, zero weights left out: one dictionary lookup per feature when scoring.
        self.table = {f: float(weights[i]) for f, i in vocabulary.items() if weights[i] != 0.0}
        self.margin = margin
        self.kinds = kinds

    @classmethod
    def load(cls, folder: Path) -> SpeakerModel:
        """Read ``config.json`` and ``weights.npz`` from ``folder``."""
        config, weights = read_linear(folder, "speaker model", ("vocabulary", "margin"))
        return cls(config["vocabulary"], weights, float(config["margin"]), frozenset(config.get("kinds", ["direct", "mixed"])))

    def scores(self, mentions: list[Mention]) -> list[float]:
        """Softmax probabilities of one quote's candidates."""
        get, zeros = self.table.get, itertools.repeat(0.0)
        raw = [sum(map(get, m.features, zeros)) for m in mentions]
        top = max(raw)
        exps = [math.exp(r - top) for r in raw]
        total = sum(exps)
        return [e / total for e in exps]

    def choose(self, mentions: list[Mention]) -> Mention | None:
        """The candidate that replaces the rules' choice, or ``None`` to keep it."""
        if len(mentions) < 2:
            return None
        probs = self.scores(mentions)
        best = max(range(len(mentions)), key=probs.__getitem__)
        rules = next((i for i, m in enumerate(mentions) if m.rules), None)
        if best == rules or (rules is not None and probs[best] - probs[rules] < self.margin):
            return None
        return mentions[best]


@lru_cache(maxsize=1)
def shipped_speaker_model() -> SpeakerModel | None:
    """The speaker chooser (``model/speakers``), loaded once per process; ``None`` without it (the rules choose)."""
    folder = shipped_part("speakers")
    return SpeakerModel.load(folder) if folder else None


class _Context:
    """What every quote of one document shares: sentence index per token, mention tokens, salience."""

    def __init__(self, rules: Any, doc: Any, quotes: list[RawQuote]) -> None:
        self.doc = doc
        self.text = rules._text
        self.breaks = [m.start() for m in _NEWLINE.finditer(self.text)]
        self.sents = list(doc.sents)
        self.sent_of = [0] * len(doc)
        for n, sent in enumerate(self.sents):
            self.sent_of[sent.start:sent.end] = [n] * (sent.end - sent.start)
        quoted = set(rules._quoted_tokens) | set(rules._dateline_tokens)
        for q in quotes:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None:
                quoted.update(range(span.start, span.end))
        self.quoted = quoted
        self._static: dict[int, tuple[str, str, list[str]]] = {}
        from spacy.symbols import NOUN, PRON, PROPN  # spaCy is loaded by now: the doc is its parse

        strings = doc.vocab.strings
        skip = np.array(sorted({strings.add(d) for d in _SKIP_DEPS} - {strings.add("npadvmod")}), dtype=np.uint64)
        attrs = doc.to_array(["POS", "DEP"]).astype(np.uint64).reshape(-1, 2)  # one pass in C, not per token
        pos, dep = attrs[:, 0], attrs[:, 1]
        nominal = ((pos == PROPN) | (pos == NOUN) & (dep != strings.add("npadvmod"))) & ~np.isin(dep, skip) | (pos == PRON)
        self.nominals: list[int] = []
        self.counts: dict[str, int] = {}
        for i in np.flatnonzero(nominal).tolist():
            if i in quoted:
                continue
            token = doc[i]
            if pos[i] == PRON:
                if token.lower_ in _PERSONAL:
                    self.nominals.append(i)
                continue
            self.nominals.append(i)
            if pos[i] == PROPN:
                self.counts[token.lower_] = self.counts.get(token.lower_, 0) + 1

    def paragraph_start(self, char: int) -> int:
        """Where the line holding ``char`` starts (``text.rfind('\\n', 0, char) + 1``, by bisection)."""
        index = bisect.bisect_left(self.breaks, char) - 1
        return self.breaks[index] + 1 if index >= 0 else 0

    def static(self, token: Any) -> tuple[str, str, list[str]]:
        """A mention's kind, entity label and the features that do not depend on the quote (kept per token:
        a token is a candidate of several quotes)."""
        found = self._static.get(token.i)
        if found is None:
            kind, label = _kind(token), token.ent_type_ or "-"
            salience = _bucket(self.counts.get(token.lower_, 0) if token.pos_ == "PROPN" else 0, (0, 1, 2, 4, 8))
            word = token.lemma_.lower() if token.pos_ == "NOUN" else "-"
            found = (kind, label, ["k=" + kind, "ent=" + label, "dep=" + token.dep_, f"sal={salience}", "noun=" + word,
                                   f"cap={token.text[:1].isupper()}+k={kind}", f"sal={salience}+ent={label}"])
            self._static[token.i] = found
        return found


def candidates(rules: Any, doc: Any, quotes: list[RawQuote], context: _Context | None = None) -> list[list[Mention]]:
    """Every quote's speaker candidates with features, the rules' choice marked (``rules=True``)."""
    ctx = context or _Context(rules, doc, quotes)
    out = []
    previous: RawQuote | None = None
    current, last, paragraph_speaker = -1, None, None  # the last speaker head of an earlier paragraph
    for quote in sorted(quotes, key=lambda q: q.start):
        para = ctx.paragraph_start(quote.start)
        if para != current:
            paragraph_speaker = last if last is not None else paragraph_speaker
            current, last = para, None
        out.append(_quote_candidates(rules, ctx, quote, previous, paragraph_speaker, para))
        previous = quote
        if quote.speaker_head is not None:
            last = quote.speaker_head
    order = sorted(range(len(quotes)), key=lambda i: quotes[i].start)
    result: list[list[Mention]] = [[] for _ in quotes]
    for n, i in enumerate(order):
        result[i] = out[n]
    return result


def _quote_candidates(rules: Any, ctx: _Context, quote: RawQuote, previous: RawQuote | None,
                      paragraph_speaker: int | None, para: int) -> list[Mention]:
    doc = ctx.doc
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    cue = None
    if quote.cue is not None:
        cue_span = doc.char_span(quote.cue[0], quote.cue[1], alignment_mode="expand")
        cue = cue_span.root if cue_span is not None and len(cue_span) else None
    first_sent, last_sent = ctx.sent_of[span.start], ctx.sent_of[span.end - 1]
    # Who the quotation speaks as ('I', 'we', or neither), and the words it names (rarely its speaker).
    words = {t.lower_ for t in span}
    person = "I" if words & {"i", "my", "me"} else "we" if words & {"we", "our", "us"} else "-"
    lo = ctx.sents[max(0, first_sent - 1)].start
    hi = ctx.sents[min(len(ctx.sents) - 1, last_sent + 1)].end
    anchor = cue.i if cue is not None else span.start
    prev_head = previous.speaker_head if previous is not None else None
    heads: dict[int | None, Mention] = {}
    rules_head = quote.speaker_head if quote.speaker is not None else None
    tokens = ctx.nominals[bisect.bisect_left(ctx.nominals, lo):bisect.bisect_left(ctx.nominals, hi)]
    tokens.sort(key=lambda i: abs(i - anchor))
    tokens = tokens[:_MAX_CANDIDATES]
    for extra in (rules_head, prev_head, paragraph_speaker):
        if extra is not None and extra not in tokens:
            tokens.append(extra)
    person_rank = {"before": 0, "after": 0}
    for i in sorted(tokens, key=lambda i: abs(i - anchor)):
        token = doc[i]
        side = "before" if i < span.start else "after" if i >= span.end else "inside"
        feats = _features(ctx, quote, token, cue, span, side, first_sent, last_sent, para)
        kind = feats[0]
        speaks = token.dep_ in ("nsubj", "nsubjpass") and token.head.i != (cue.i if cue is not None else -1) \
            and rules.is_cue(token.head)
        feats += [f"person={person}+{kind}", f"named_inside={token.lower_ in words}+{kind}",
                  f"other_cue_subj={speaks}+{feats[5]}"]
        label = token.ent_type_ or "-"
        if label in ("PERSON", "ORG", "NORP", "GPE") and side in person_rank:
            rank = person_rank[side]
            person_rank[side] += 1
            feats += [f"erank={side}:{label}:{min(rank, 2)}"]
        if i == prev_head:
            feats += ["prev", f"prev+q={quote.kind}", f"prev+cue={cue is not None}"]
        if i == paragraph_speaker:
            feats += ["para_spk", f"para_spk+cue={cue is not None}"]
        if prev_head is not None and doc[prev_head].lower_ == token.lower_ and i != prev_head:
            feats.append("prev_same_word")
        is_rules = i == rules_head
        if is_rules:
            feats += ["rules", f"rules+k={_kind(token)}", f"rules+q={quote.kind}", f"rules+cue={cue is not None}",
                      f"rules+{feats[3]}", f"rules+{feats[5]}"]
        span_chars = quote.speaker if is_rules and quote.speaker is not None else _mention_span(doc, token)
        heads[i] = Mention(i, span_chars, feats, is_rules)
    none = ["k=none", f"none+q={quote.kind}", f"none+cue={cue is not None}", f"none+n={_bucket(len(heads), (0, 2, 5, 10, 20))}"]
    if rules_head is None:
        none += ["rules", "rules+k=none", f"rules+q={quote.kind}", f"rules+cue={cue is not None}"]
    if cue is not None:
        none.append("none+l=" + cue.lemma_.lower())
    heads[None] = Mention(None, None, none, rules_head is None)
    if quote.kind != "indirect":  # quotation marks: the same features again, weighted for these quotes alone
        for mention in heads.values():
            mention.features += ["D|" + f for f in mention.features]
    return list(heads.values())


def _features(ctx: _Context, quote: RawQuote, token: Any, cue: Any | None, span: Any, side: str,
              first_sent: int, last_sent: int, para: int) -> list[str]:
    kind, label, static = ctx.static(token)
    rel = _relation(token, cue)
    sent = ctx.sent_of[token.i]
    sdist = "same" if first_sent <= sent <= last_sent else "prev" if sent < first_sent else "next"
    if sent < first_sent - 1 or sent > last_sent + 1:
        sdist = "far"
    gap = span.start - token.i if side == "before" else token.i - span.end + 1 if side == "after" else 0
    cue_gap = abs(token.i - cue.i) if cue is not None else -1
    same_para = ctx.paragraph_start(token.idx) == para
    # 'Carl Bialik: “…”', 'Trump (on Twitter): “…”': a name handing over to the quotation with a colon.
    between = ctx.text[token.idx + len(token.text):span.start_char] if side == "before" and gap <= 6 else ""
    colon = between.rstrip().endswith(":") and "\n" not in between
    cue_side = "-" if cue is None else "before" if cue.i < span.start else "after" if cue.i >= span.end else "inside"
    gap_bucket = _bucket(gap)
    return [
        static[0], static[1], static[2], "rel=" + rel, "side=" + side, "sdist=" + sdist,
        f"gap={gap_bucket}", f"cgap={_bucket(cue_gap) if cue_gap >= 0 else 'x'}", f"para={same_para}",
        *static[3:], f"q={quote.kind}+k={kind}",
        f"q={quote.kind}+rel={rel}", f"k={kind}+rel={rel}", f"ent={label}+rel={rel}", f"side={side}+sdist={sdist}",
        f"k={kind}+side={side}+sdist={sdist}", f"ent={label}+side={side}+sdist={sdist}", f"cside={cue_side}+side={side}",
        f"rel={rel}+cside={cue_side}", f"k={kind}+gap={gap_bucket}", f"ent={label}+gap={gap_bucket}",
        f"para={same_para}+side={side}+k={kind}", f"colon={colon}", f"colon={colon}+k={kind}",
    ]


def choose_speakers(rules: Any, doc: Any, quotes: list[RawQuote], model: SpeakerModel) -> list[RawQuote]:
    """``quotes`` with the model's speaker where it overrides the rules (kinds of ``model.kinds``)."""
    for quote, mentions in zip(quotes, candidates(rules, doc, quotes)):
        if quote.kind not in model.kinds:
            continue
        best = model.choose(mentions)
        if best is not None:
            quote.speaker, quote.speaker_head = best.span, best.head
    return quotes
