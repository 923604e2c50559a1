"""Attribution patterns without a reporting verb in the parse: colon and dash speakers, headline
claims ("Poll: …"), parenthetical "she said", and "according to X"."""

from __future__ import annotations

import re
from typing import Any

from newsnlp.quotes.spans import RawQuote, doc_text, subtree_span

_QUOTE_CHARS = set("“”\"‘’'「」『』«»„")
_PARAGRAPH = re.compile(r"[^\n]+")
_NOT_SPEAKERS = frozenset({"note", "update", "correction", "photo", "video", "watch", "read", "related", "source",
                           "sources", "credit", "disclosure", "editor", "caption", "image", "tags", "topics", "more"})


def colon_speaker(doc: Any, span: Any, q_start: int, q_end: int) -> RawQuote | None:
    """'Rep. Trey Gowdy (R-S.C.): "…"' — a name and a colon before the quote, no verb."""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, q_start) + 1
    lead = text[line_start:q_start].rstrip()
    if not lead.endswith(":") or not (2 <= len(lead) <= 120):
        return None
    head_span = doc.char_span(line_start, line_start + len(lead) - 1, alignment_mode="contract")
    if head_span is None or not any(t.pos_ == "PROPN" for t in head_span):
        return None
    head = max((t for t in head_span if t.pos_ == "PROPN"), key=lambda t: t.i)
    colon = line_start + len(lead) - 1
    return RawQuote(q_start, q_end, "direct", (colon, colon + 1), (head_span.start_char, head_span.end_char), head.i)


def dash_speaker(doc: Any, q_start: int, q_end: int) -> RawQuote | None:
    """'“…” ― Edwin G. Monroy': a dash and a name right after the quote."""
    text = doc_text(doc)
    match = re.match(r"[ \t]*([―—–-]{1,2})[ \t]*([^\n,;.]{2,60})", text[q_end:q_end + 70])
    # '“…”¶¶- Sanders.': the fact-check convention puts the name on a line of its own.
    match = match or re.match(r"[ \t]*\n\s*([―—–-]{1,2})[ \t]*([^\n,;.]{2,60})\.?[ \t]*(?:\n|$)", text[q_end:q_end + 75])
    if not match:
        return None
    name = doc.char_span(q_end + match.start(2), q_end + match.end(2), alignment_mode="contract")
    if name is None or not any(t.pos_ == "PROPN" for t in name):
        return None
    head = max((t for t in name if t.pos_ == "PROPN"), key=lambda t: t.i)
    dash = (q_end + match.start(1), q_end + match.end(1))
    return RawQuote(q_start, q_end, "direct", dash, (name.start_char, name.end_char), head.i)


def headline_claims(doc: Any) -> list[RawQuote]:
    """'Trump: Cruz Has a Long Way to Go': a short verbless name or noun phrase, a colon, and a
    claim, opening a line (the headline convention)."""
    out = []
    text = doc_text(doc)
    for match in _PARAGRAPH.finditer(text):
        line_start, line_end = match.span()
        colon = text.find(": ", line_start, min(line_end, line_start + 60))
        if colon < 0 or text[line_start] in _QUOTE_CHARS:
            continue
        lead = doc.char_span(line_start, colon, alignment_mode="contract")
        rest = text[colon + 2:line_end].rstrip(" .")
        if lead is None or not (1 <= len(lead) <= 6) or not (3 <= len(rest.split()) <= 25) or rest[:1] in _QUOTE_CHARS:
            continue
        if lead.text.isupper() or rest.count(",") > 3 or all(t.ent_type_ in ("GPE", "LOC", "DATE") for t in lead if t.pos_ == "PROPN"):
            continue
        if any(t.pos_ in ("VERB", "AUX", "NUM") for t in lead) or not any(t.pos_ in ("PROPN", "NOUN") for t in lead):
            continue
        if lead[-1].lower_ in _NOT_SPEAKERS:
            continue
        head = max((t for t in lead if t.pos_ in ("PROPN", "NOUN")), key=lambda t: t.i)
        out.append(RawQuote(colon + 2, colon + 2 + len(rest), "indirect", (colon, colon + 1),
                            (lead.start_char, lead.end_char), head.i))
    return out


def parenthetical(doc: Any, token: Any) -> list[tuple[int, int]]:
    """'The golf industry, she said, is doing better': the clause around the parenthetical."""
    head = token.head
    h_start, h_end = subtree_span(head)
    t_start, t_end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
    text = doc_text(doc)
    parts = []
    for start, end in ((h_start, t_start), (t_end, h_end)):
        while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",.;:—–-"):
            end -= 1
        if end > start:
            parts.append((start, end))
    return parts


_SOURCE_NOUNS = frozenset({"poll", "survey", "statement", "report", "interview", "study", "letter", "memo", "email",
                           "tweet", "post", "editorial", "column", "op-ed", "filing", "complaint", "lawsuit", "speech",
                           "release", "analysis", "document", "documents", "polls", "surveys", "emails", "tweets"})
_FRAME_VERBS = frozenset({"seem", "appear"})


def impression(doc: Any, token: Any) -> RawQuote | None:
    """'The race appears closer', 'Obama is expected to join': the writer's or an unnamed
    source's view of the subject (PolNeAR attributes it to no one; the content is the subject)."""
    lemma = token.lemma_.lower()
    if lemma in _FRAME_VERBS:
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if not any(c.dep_ in ("xcomp", "acomp") for c in token.children):
            return None
    elif lemma == "expect":
        subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
        if not any(c.dep_ == "xcomp" for c in token.children):
            return None
    else:
        return None
    if subject is None:
        return None
    start, end = subtree_span(subject)
    return RawQuote(start, end, "indirect", (token.idx, token.idx + len(token.text)), None, None)


def source_phrase(doc: Any, token: Any) -> RawQuote | None:
    """'In the poll, Clinton's support has risen': a sentence set in a poll, statement or report
    says what that source says."""
    if token.lower_ != "in" or token.dep_ != "prep" or token.head.pos_ not in ("VERB", "AUX"):
        return None
    obj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lemma_.lower() not in _SOURCE_NOUNS:
        return None
    return _rest_of_sentence(doc, token, obj)


def according(doc: Any, token: Any) -> RawQuote | None:
    to = doc[token.i + 1]
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    found = _rest_of_sentence(doc, token, obj)
    if found is not None:
        found.cue = (token.idx, to.idx + len(to.text))
    return found


def according_source(doc: Any, start: int, end: int) -> tuple[tuple[int, int], int] | None:
    """The source of an 'according to X' phrase between ``start`` and ``end`` (view offsets)."""
    span = doc.char_span(start, end, alignment_mode="contract")
    for token in span or []:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            obj = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
            if obj is not None and obj.right_edge.idx < end:
                return subtree_span(obj), obj.i
    return None


def _rest_of_sentence(doc: Any, token: Any, obj: Any) -> RawQuote | None:
    """Content on the longer side of the phrase ``token … obj`` in its sentence; ``obj`` speaks."""
    s_start, s_end = subtree_span(obj)
    sent = token.sent
    phrase_start, phrase_end = token.idx, s_end
    text = doc_text(doc)
    # The content is the rest of the sentence on the longer side of the phrase.
    left = (sent.start_char, phrase_start)
    right = (phrase_end, sent.end_char)
    start, end = left if left[1] - left[0] >= right[1] - right[0] else right
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",.;:—–-"):
        end -= 1
    if end <= start:
        return None
    return RawQuote(start, end, "indirect", (token.idx, token.idx + len(token.text)), (s_start, s_end), obj.i)


_TITLE_LEADS = frozenset({"on", "with", "of", "told", "watch", "watching", "watched"})
_TITLE_NOUNS = frozenset({"show", "program", "programme", "podcast", "book", "novel", "film", "movie", "series",
                          "documentary", "column", "newspaper", "magazine", "blog", "album", "song"})
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "as", "&"})


def is_title(text: str, q_start: int, q_end: int) -> bool:
    """'told “Fox and Friends”', 'on NBC's “Meet the Press.”', 'author of “Going Viral”': a short
    title-case span after a preposition, a possessive or a work noun names a show or a book."""
    inner = text[q_start:q_end].strip("“”\"‘’' ,.;:")
    words = re.findall(r"[\w&][\w'’&.-]*", inner)
    if not (1 <= len(words) <= 7) or any(c in inner for c in "?!"):
        return False
    if not all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL_WORDS for w in words) or not words[0][0].isupper():
        return False
    lead = re.search(r"([\w’'&.-]+),?[ \t]*$", text[max(0, q_start - 40):q_start])
    if lead is None:
        return False
    word = lead.group(1)
    lower = word.lower()
    return (lower in _TITLE_LEADS or lower in _TITLE_NOUNS
            or (lower.endswith(("'s", "’s")) and word[:1].isupper()))
