"""A learned extent decision for quoted fragments: is '“outrageous practices”' a direct quote of
its own, or part of a mixed quote ('Trump blasted Disney for its “outrageous practices” in …')?

The rules call a quotation mixed only when a cue verb governs it and enough words lie outside
the marks; short fragments with no verb of their own are dropped as scare quotes. On the
PolNeAR conventions the commonest span error of the rules is the other way round: a fragment
kept alone (or dropped) where the annotation is the whole reported clause around it. Here each
quotation the rules kept as an exact direct quote, or dropped, proposes the contents of the
verbs above it (complement, object phrase, rest of sentence: the same readings as the indirect
chooser's) that contain it; a logistic regression trained on PolNeAR
(``models/quotes_en/train.py fit-fragments``) scores each: *is this clause the annotated mixed
quote, with the right speaker?* The best candidate above the threshold replaces the fragment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsnlp.quotes.english_model import AttributionModel, _bucket, _contents, _speaker_features
from newsnlp.quotes.spans import RawQuote, span_of

_ANCESTORS = 4  # how far up the parse a fragment's verb may sit ('said the deal was “a disaster”')


@dataclass
class FragmentCandidate:
    """A clause around one quotation, the rules' quote it would replace, and its features."""

    quote: RawQuote
    fragment: tuple[int, int]
    replaces: RawQuote | None
    features: list[str] = field(default_factory=list)
    score: float = 0.0


def _status(quotes: list[RawQuote], start: int, end: int) -> tuple[str, RawQuote | None]:
    """What the rules made of the quotation ``[start, end)``: an exact direct quote, part of a
    larger quote, or nothing."""
    for quote in quotes:
        if quote.start == start and quote.end == end and quote.kind == "direct":
            return "direct", quote
        if quote.start <= start and end <= quote.end:
            return "inside", quote
    return "dropped", None


def _fragment_features(doc: Any, text: str, start: int, end: int) -> list[str]:
    """What the quotation itself looks like: length, a whole sentence or a piece of one."""
    inner = text[start:end].strip("“”\"‘’'«»„ ")
    words = inner.split()
    capital = inner[:1].isupper()
    closed = inner[-1:] in ".?!,"
    tokens = doc.char_span(start, end, alignment_mode="expand")
    verb = any(t.pos_ in ("VERB", "AUX") for t in tokens) if tokens is not None else False
    before = text[max(0, start - 2):start].strip()
    return [f"fw={_bucket(len(words))}", f"cap={capital}", f"closed={closed}", f"fverb={verb}",
            f"lead={before[-1:] if before else '-'}", f"shape={capital}+{closed}+{verb}"]


def fragment_candidates(rules: Any, doc: Any, quotes: list[RawQuote],
                        quotations: list[tuple[int, int]]) -> list[FragmentCandidate]:
    """Every clause of a verb above a fragment that contains it, for each quotation the rules kept
    as an exact direct quote or dropped; clauses that cut another quote are left out."""
    text = rules._text
    out: list[FragmentCandidate] = []
    for q_start, q_end in quotations:
        status, replaces = _status(quotes, q_start, q_end)
        if status == "inside":
            continue
        span = doc.char_span(q_start, q_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        inside = set(range(span.start, span.end))
        top = rules._top(span, inside)
        if top is None:
            continue
        shape = _fragment_features(doc, text, q_start, q_end)
        others = [q for q in quotes if q is not replaces]
        verb, depth, seen = top.head, 1, set()
        while depth <= _ANCESTORS and verb.i not in inside and verb.i not in seen:
            seen.add(verb.i)
            if verb.pos_ in ("VERB", "AUX") and verb.i not in rules._quoted_tokens:
                out.extend(_around(rules, doc, verb, depth, span, status, replaces, shape, others))
            if verb.head.i == verb.i:
                break
            verb, depth = verb.head, depth + 1
    return out


def _readings(rules: Any, doc: Any, verb: Any, span: Any) -> list[tuple[str, tuple[int, int]]]:
    """The spans ``verb`` may attribute: the indirect chooser's contents, the verb's right-hand
    dependents up to the one holding the quotation (the rules' mixed reading), and its whole
    right-hand phrase to the end of the clause."""
    out = [(kind, found) for kind, found, _size in _contents(rules, doc, verb)]
    host = rules._host_span(doc, verb, span, set(range(span.start, span.end)))
    if host is not None:
        out.append(("host", host))
    rights = [c for c in verb.rights if c.dep_ not in ("punct", "cc", "conj")]
    if rights:
        end = rights[-1].right_edge.i + 1
        while end - 1 > verb.i and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in "”\"’'":
            end -= 1
        if end > verb.i + 1:
            out.append(("phrase", span_of(doc, verb.i + 1, end)))
    return out


def _around(rules: Any, doc: Any, verb: Any, depth: int, span: Any, status: str,
            replaces: RawQuote | None, shape: list[str], others: list[RawQuote]) -> list[FragmentCandidate]:
    """``verb``'s readings that hold the quotation ``span`` and more, as candidates."""
    q_start, q_end = span.start_char, span.end_char
    lemma = verb.lemma_.lower()
    listed = ("cue" if rules.is_cue(verb) else "frag" if lemma in rules.fragment_lemmas
              else "att" if lemma in rules.attitude_lemmas else "vol" if lemma in rules.volitional else "-")
    speaker, head = rules._speaker(verb)
    who = _speaker_features(doc, head)
    out = []
    seen = set()
    for kind, (start, end) in _readings(rules, doc, verb, span):
        if (start, end) in seen or replaces is not None and (start, end) == (replaces.start, replaces.end):
            continue
        seen.add((start, end))
        if not (start <= q_start + 1 and q_end - 1 <= end) or (end - start) - (q_end - q_start) < 4:
            continue
        if any(q.start < end and start < q.end and not (start <= q.start and q.end <= end and q.kind == "direct")
               for q in others):
            continue  # it would cut, or swallow, another speaker's quote
        outside = len(rules._text[start:end].split()) - len(rules._text[q_start:q_end].split())
        share = (q_end - q_start) / max(end - start, 1)
        position = "start" if q_start <= start + 1 else "end" if q_end >= end - 1 else "middle"
        where = "before" if verb.idx < start else "after" if verb.idx >= end else "within"
        feats = ["bias", f"l={lemma}", f"list={listed}", f"k={kind}", f"st={status}", f"depth={min(depth, 3)}",
                 f"out={_bucket(max(outside, 0))}", f"share={min(int(share * 5), 4)}", f"pos={position}",
                 f"verb={where}", f"dep={verb.dep_}", *who, *shape,
                 f"l+k={lemma}+{kind}", f"list+k={listed}+{kind}", f"st+k={status}+{kind}", f"list+st={listed}+{status}",
                 f"st+share={status}+{min(int(share * 5), 4)}", f"k+pos={kind}+{position}", f"list+spk={listed}+{who[0]}",
                 f"st+{shape[-1]}", f"list+{shape[-1]}", f"k+depth={kind}+{min(depth, 3)}", f"l+st={lemma}+{status}"]
        quote = RawQuote(start, end, "mixed", span_of(doc, verb.i, verb.i + 1), speaker, head)
        out.append(FragmentCandidate(quote, (q_start, q_end), replaces, feats))
    return out


def expand(model: AttributionModel, candidates: list[FragmentCandidate], quotes: list[RawQuote]) -> list[RawQuote]:
    """``quotes`` with each fragment replaced by its best clause when the model is confident enough.

    Direct quotes a chosen clause swallows go; a clause never overlaps a quote kept or another
    chosen clause.
    """
    for candidate in candidates:
        candidate.score = model.probability(candidate.features)
    kept = list(quotes)
    done: set[tuple[int, int]] = set()
    for candidate in sorted(candidates, key=lambda c: -c.score):
        if candidate.score < model.threshold:
            break
        if candidate.fragment in done:
            continue
        new = candidate.quote
        swallowed = [q for q in kept if q is candidate.replaces
                     or new.start <= q.start and q.end <= new.end and q.kind == "direct"]
        if any(q.start < new.end and new.start < q.end for q in kept if q not in swallowed):
            continue
        kept = [q for q in kept if q not in swallowed] + [new]
        done.add(candidate.fragment)
    return sorted(kept, key=lambda q: q.start)


__all__ = ["FragmentCandidate", "expand", "fragment_candidates"]
