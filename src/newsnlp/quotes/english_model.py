"""A learned chooser of English indirect attributions (the ``quotes_en`` shipped model).

The rules find direct and mixed quotes well; reported speech without quotation marks is where
they guess. Here every verb of the parse proposes candidate contents (its clausal complement, its
object phrase, the rest of its sentence, the clause before an inverted 'he said'), the rules'
own indirect quotes join them, and a logistic regression trained on PolNeAR
(``models/quotes_en/train.py``) scores each candidate: does it match an annotated attribution
with the right speaker? The best candidates above a threshold win, never overlapping each
other or a direct or mixed quote.

Features are strings (cue lemma, candidate kind, dependency labels, speaker kind and entity
type, length, position, headline, …); the weights are a vocabulary (JSON) and an ``.npz`` of
coefficients, loaded once per process.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsnlp.errors import ModelFormatError
from newsnlp.quotes.english_cues import ACT_OBJECT_VERBS, MOSTLY_ACTS
from newsnlp.quotes.english_mixed import FRAME_NOUNS, FRAME_PREPS
from newsnlp.quotes.spans import RawQuote, span_of

_QUOTE_CHARS = set("“”\"‘’'«»„")
_EDGE = set(" \t\n,.;:—–-")
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "it", "who", "that", "which", "this"})
_LENGTHS = (2, 5, 10, 20, 40)
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_FIRST_WORDS = frozenset({"that", "to", "the", "a", "he", "she", "they", "it", "there", "for", "on", "about", "if",
                          "whether", "how", "what", "why", "his", "her", "their", "trump", "clinton", "we", "i", "as"})


@dataclass
class Candidate:
    """One proposed attribution (view offsets) and the features that describe it."""

    quote: RawQuote
    features: list[str] = field(default_factory=list)
    score: float = 0.0


def _bucket(n: int) -> int:
    return next((i for i, top in enumerate(_LENGTHS) if n <= top), len(_LENGTHS))


def _trim(doc: Any, start: int, end: int, skip: set[int] | frozenset[int] = frozenset()) -> tuple[int, int] | None:
    """Token range ``[start, end)`` without edge punctuation and spaces (nor leading ``skip``
    tokens: the dateline), in characters."""
    while start < end and start in skip:
        start += 1
    while start < end and (doc[start].is_punct or doc[start].is_space) and doc[start].text not in _QUOTE_CHARS:
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in _QUOTE_CHARS:
        end -= 1
    return span_of(doc, start, end) if end > start else None


def _contents(rules: Any, doc: Any, verb: Any) -> list[tuple[str, tuple[int, int], bool]]:
    """(kind, character span, whether it ends with a framing adjunct) of the contents ``verb`` may attribute."""
    out = []
    sent = verb.sent
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            span = _trim(doc, child.left_edge.i, child.right_edge.i + 1, rules._dateline_tokens)
            if span:
                out.append((child.dep_ + ("_left" if child.i < verb.i else ""), span, False))
    found = rules._object_content(doc, verb)  # the rules' object reading: no listeners, no acts
    if found is not None:
        out.append(("object", (found.start, found.end), False))
    lemma = verb.lemma_.lower()
    if verb.i + 1 < sent.end and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children) and not (
            lemma in ACT_OBJECT_VERBS or lemma in MOSTLY_ACTS):
        span = _trim(doc, verb.i + 1, sent.end)  # a misparse: what follows the verb in its sentence
        if span:
            out.append(("after", span, False))
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    first = min([verb.i] + [subject.left_edge.i] if subject is not None else [verb.i])
    if first > sent.start and any(t.text in (",", "—", "–", ":") for t in doc[max(sent.start, first - 2):first]):
        span = _trim(doc, sent.start, first, rules._dateline_tokens)  # '…, he said': the clause before an inverted attribution
        if span:
            out.append(("before", span, False))
    # 'called for [more school investment] in a statement on Thursday': the object or sentence-rest reading
    # cut before the first adjunct that frames the report (a time, a medium, a circumstance) rather than
    # carrying it; the uncut reading is marked as framed (PolNeAR's contents mostly leave such adjuncts out).
    frame = _frame_adjunct(verb)
    if frame is not None:
        cut_at, why = frame
        cut_char = doc[cut_at].idx
        for n, (kind, (start, end), _framed) in enumerate(list(out)):
            if kind not in ("object", "after") or not start < cut_char < end:
                continue
            tokens = doc.char_span(start, end, alignment_mode="expand")
            if tokens is not None:
                span = _trim(doc, tokens.start, cut_at)
                if span:
                    out.append((kind + "_cut:" + why, span, False))
                    out[n] = (kind, (start, end), True)
    seen, unique = set(), []
    for item in out:
        if item[1] not in seen:
            seen.add(item[1])
            unique.append(item)
    return unique


def _frame_adjunct(verb: Any) -> tuple[int, str] | None:
    """The first right-hand adjunct of ``verb`` that frames a report ('on Thursday', 'in a statement',
    'during the debate', 'on MSNBC'): its first token and what it is."""
    for child in verb.rights:
        if child.dep_ == "npadvmod" and child.ent_type_ in ("DATE", "TIME"):
            return child.left_edge.i, "date"
        if child.dep_ != "prep":
            continue
        if child.lower_ in FRAME_PREPS:
            return child.left_edge.i, "prep"
        heads = [c for c in child.children if c.dep_ == "pobj"]
        if any(h.ent_type_ in ("DATE", "TIME") for h in heads):
            return child.left_edge.i, "date"
        if any(h.lemma_.lower() in FRAME_NOUNS for h in heads):
            return child.left_edge.i, "medium"
        if child.lower_ in ("on", "in") and any(h.ent_type_ == "ORG" for h in heads):
            return child.left_edge.i, "org"
    return None


def after_dateline(doc: Any, quote: RawQuote, dateline: set[int]) -> RawQuote:
    """``quote`` starting after the dateline it may open with ('OTTAWA (Wire) - Canada and Japan agreed …')."""
    if not dateline:
        return quote
    tokens = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if tokens is None or tokens[0].i not in dateline:
        return quote
    first = next((t for t in tokens if t.i not in dateline and not t.is_space and not t.is_punct), None)
    if first is not None:
        quote.start = first.idx
    return quote


def headline_case(line: str) -> bool:
    """Whether ``line`` is set like a headline: at least three words and nearly every word of
    four letters or more capitalised ('City Council Approves New Bike Lanes'). Trailing
    punctuation does not matter (PolNeAR's titles end with a full stop, scraped ones do not)."""
    words = [w.strip("“”\"‘’'.,:;!?()") for w in line.split()]
    long = [w for w in words if len(w) >= 4 and w[:1].isalpha()]
    return len(words) >= 3 and len(long) >= 2 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _in_headline(text: str, at: int, known: dict[int, bool] | None = None) -> bool:
    """Whether the line holding offset ``at`` is set like a headline (``known``: answers by line start,
    so that a paragraph's many verbs read it once)."""
    start = text.rfind("\n", 0, at) + 1
    if known is not None and start in known:
        return known[start]
    end = text.find("\n", at)
    found = headline_case(text[start:len(text) if end < 0 else end])
    if known is not None:
        known[start] = found
    return found


def _speaker_features(doc: Any, head: int | None) -> list[str]:
    if head is None:
        return ["spk=none"]
    token = doc[head]
    lower = token.lower_
    kind = "pron:" + lower if lower in _PRONOUNS else token.pos_
    feats = ["spk=" + kind, "spk_ent=" + (token.ent_type_ or "-")]
    if token.pos_ == "NOUN":
        feats.append("spk_noun=" + token.lemma_.lower())
    return feats


def _verb_features(rules: Any, verb: Any, who: list[str], kind: str) -> list[str]:
    """The cue verb's features and their conjunctions with the candidate ``kind``."""
    lemma = verb.lemma_.lower()
    listed = "cue" if rules.is_cue(verb) else "att" if lemma in rules.attitude_lemmas else "vol" if lemma in rules.volitional else "-"
    neg = any(c.dep_ == "neg" for c in verb.children)
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    particle = next((c.lower_ for c in verb.rights if c.dep_ in ("prep", "prt")), "-")
    # Competition: a clause of its own makes the verb's other contents unlikely; a reporting verb
    # above it ('said Trump wants …') usually owns the attribution (PolNeAR does not nest them).
    has_clause = any(c.dep_ == "ccomp" for c in verb.children)
    nested = any(rules.is_cue(a) for a in list(verb.ancestors)[:3])
    feats = [f"l={lemma}", f"list={listed}", f"dep={verb.dep_}", f"tag={verb.tag_}", f"hpos={verb.head.pos_}",
             f"neg={neg}", f"modal={modal}", f"pass={passive}", f"l+prt={lemma}+{particle}",
             f"clause={has_clause}", f"nested={nested}", f"l+nested={lemma}+{nested}",
             f"k={kind}", f"l+k={lemma}+{kind}", f"list+k={listed}+{kind}", f"dep+k={verb.dep_}+{kind}",
             f"spk+k={who[0]}+{kind}", f"l+dep={lemma}+{verb.dep_}", f"l+tag={lemma}+{verb.tag_}",
             f"ent+k={who[1] if len(who) > 1 else '-'}+{kind}", f"list+spk={listed}+{who[0]}",
             f"list+dep+k={listed}+{verb.dep_}+{kind}", f"clause+k={has_clause}+{kind}", f"nested+k={nested}+{kind}"]
    if verb.dep_ == "xcomp":
        feats.append("governor=" + verb.head.lemma_.lower())
    return feats


def read_linear(folder: Path, what: str, required: tuple[str, ...]) -> tuple[dict[str, Any], np.ndarray]:
    """A linear scorer's ``config.json`` and its ``coef`` array from ``weights.npz`` (no pickle).

    Shared by the English quote stage's learned parts; anything missing or unreadable is a
    :class:`~newsnlp.errors.ModelFormatError` naming the ``what`` and the folder.
    """
    try:
        config = json.loads((folder / "config.json").read_text("utf-8"))
        with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
            weights = arrays["coef"].astype(np.float64)
    except (OSError, KeyError, ValueError) as error:
        raise ModelFormatError(f"cannot load the English {what} from {folder}: {error}") from error
    missing = [key for key in required if key not in config]
    if missing:
        raise ModelFormatError(f"cannot load the English {what} from {folder}: config.json lacks {', '.join(missing)}")
    return config, weights


class AttributionModel:
    """Vocabulary, weights and threshold of the indirect-attribution scorer."""

    def __init__(self, vocabulary: dict[str, int], weights: np.ndarray, bias: float, threshold: float) -> None:
        self.vocabulary = vocabulary
        self.weights = weights
        self.bias = bias
        self.threshold = threshold

    @classmethod
    def load(cls, folder: Path) -> AttributionModel:
        """Read ``config.json`` and ``weights.npz`` from ``folder``."""
        config, weights = read_linear(folder, "attribution model", ("vocabulary", "bias", "threshold"))
        return cls(config["vocabulary"], weights, float(config["bias"]), float(config["threshold"]))

    def probability(self, features: list[str]) -> float:
        """P(the candidate is an annotated attribution with the right speaker)."""
        total = self.bias + sum(self.weights[i] for f in features if (i := self.vocabulary.get(f)) is not None)
        return 1.0 / (1.0 + math.exp(-total))

    def select(self, candidates: list[Candidate], taken: list[tuple[int, int]]) -> list[RawQuote]:
        """The best-scoring candidates above the threshold that overlap nothing taken."""
        for candidate in candidates:
            candidate.score = self.probability(candidate.features)
        spans = list(taken)
        chosen = []
        for candidate in sorted(candidates, key=lambda c: -c.score):
            if candidate.score < self.threshold:
                break
            quote = candidate.quote
            if all(quote.end <= s or quote.start >= e for s, e in spans):
                chosen.append(quote)
                spans.append((quote.start, quote.end))
        return sorted(chosen, key=lambda q: q.start)


def shipped_part(part: str = "") -> Path | None:
    """The folder of one part of the shipped ``quotes_en`` model (``""`` the attribution scorer,
    ``"fragments"``, ``"speakers"``, ``"filter"``); ``None`` when it holds no weights."""
    from newsnlp.shipped import model_dir

    folder = model_dir("quotes_en") / part if part else model_dir("quotes_en")
    return folder if (folder / "weights.npz").is_file() else None


@lru_cache(maxsize=1)
def shipped_model() -> AttributionModel | None:
    """The shipped model, loaded once per process; ``None`` when its folder is absent (rules only).

    A missing folder stops the :class:`~newsnlp.pipeline.Analyzer` at start-up unless the caller
    chose ``Settings(allow_missing_models=True)``: only then do the rules run alone.
    """
    folder = shipped_part()
    return AttributionModel.load(folder) if folder else None


@lru_cache(maxsize=1)
def shipped_fragment_model() -> AttributionModel | None:
    """The fragment-extent scorer (``model/fragments``), loaded once; ``None`` without it (the rules'
    extent stands)."""
    folder = shipped_part("fragments")
    return AttributionModel.load(folder) if folder else None


def candidates(rules: Any, doc: Any, quotes: list[RawQuote], proposed: list[RawQuote]) -> list[Candidate]:
    """Every verb's possible contents plus the rules' ``proposed`` indirect quotes, with features.

    ``rules`` is the :class:`~newsnlp.quotes.english.EnglishQuotes` that parsed ``doc`` (its cue
    lists, quoted tokens and speaker finder). Candidates overlapping a direct or mixed quote of
    ``quotes``, or holding such a quote's cue ('the government said [Xi told Zelenskyy]': the frame
    of a quotation, not a report of its own), are left out.
    """
    taken = [(q.start, q.end) for q in quotes]
    cues = [q.cue[0] for q in quotes if q.cue]
    text = rules._text
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    by_span: dict[tuple[int, int], Candidate] = {}

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken) and not any(start <= c < end for c in cues)

    def add(quote: RawQuote, features: list[str], lemma: str, kind: str, who: str) -> None:
        key = (quote.start, quote.end)
        if key in by_span:
            by_span[key].features.extend(f for f in features if f.startswith("rule"))
            return
        content = text[quote.start:quote.end]
        words = content.split()
        first = words[0].lower().strip("“”\"‘’',") if words else ""
        first = first if first in _FIRST_WORDS else "-"
        size = _bucket(len(words))
        place = "title" if quote.start < title_end else "body"
        tokens = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        finite = any(t.tag_ in _FINITE for t in tokens) if tokens is not None else False
        sentence_end = tokens is not None and tokens.end >= tokens[-1].sent.end - 1
        side = "before" if quote.cue and quote.cue[0] >= quote.end else "after"
        by_span[key] = Candidate(quote, ["bias", *features, f"len={size}", f"first={first}", place,
                                         "quotechar" if any(c in _QUOTE_CHARS for c in content) else "noquote",
                                         f"finite={finite}", f"send={sentence_end}", f"side={side}",
                                         f"l+first={lemma}+{first}", f"k+first={kind}+{first}", f"k+len={kind}+{size}",
                                         f"l+spk={lemma}+{who}", f"k+place={kind}+{place}", f"k+finite={kind}+{finite}",
                                         f"l+side={lemma}+{side}", f"k+send={kind}+{sentence_end}",
                                         f"spk+place={who}+{place}"])

    for quote in proposed:
        quote = after_dateline(doc, quote, rules._dateline_tokens)
        if not free(quote.start, quote.end):
            continue
        cue = doc.char_span(*quote.cue, alignment_mode="expand") if quote.cue else None
        root = cue.root if cue is not None and len(cue) else None
        lemma = root.lemma_.lower() if root is not None else "-"
        who = _speaker_features(doc, quote.speaker_head)
        feats = ["rule", "rule_l=" + lemma, *who]
        if root is not None and root.pos_ in ("VERB", "AUX"):
            feats += _verb_features(rules, root, who, "rule")
        add(quote, feats, lemma, "rule", who[0])
    headline_lines: dict[int, bool] = {}
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX") or verb.i in rules._quoted_tokens or verb.lemma_ in ("be", "have", "do"):
            continue
        listed = rules.is_cue(verb) or verb.lemma_.lower() in rules.attitude_lemmas or verb.lemma_.lower() in rules.volitional
        if not listed and _in_headline(text, verb.idx, headline_lines):
            # 'City Council Approves New Bike Lanes': in a line set like a headline only a reporting
            # verb of the cue lists attributes (PolNeAR train: 19 of 270 candidates of unlisted verbs there are).
            continue
        speaker, head = rules._speaker(verb)
        who = _speaker_features(doc, head)
        lemma = verb.lemma_.lower()
        for kind, (start, end), framed in _contents(rules, doc, verb):
            if free(start, end) and end - start >= 4:
                tail = [f"tail={kind}", f"tail+l={lemma}"] if framed else []
                add(RawQuote(start, end, "indirect", span_of(doc, verb.i, verb.i + 1), speaker, head),
                    [*who, *_verb_features(rules, verb, who, kind), *tail], lemma, kind, who[0])
    return list(by_span.values())


__all__ = ["AttributionModel", "Candidate", "after_dateline", "candidates", "headline_case", "shipped_fragment_model", "shipped_model"]
