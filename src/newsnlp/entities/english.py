"""English mentions: spaCy's entities corrected by a news layer.

1. Countries and demonyms come from the gazetteer (token-aligned, case-sensitive, all-caps
   forms too): ``China`` is COUNTRY CN, ``Chinese`` a demonym of CN, whatever NER said.
2. NER labels map to ours: PERSON, ORG, GPE → COUNTRY or LOCATION, LOC/FAC → LOCATION, NORP
   → a demonym when it is one. Titles and honorifics ("President", "Mr."), a leading "the",
   country prefixes and possessives are moved out of spans. A country prefixed to a government
   body is split off ("U.S. Senate" → U.S. + Senate).
3. Platforms used as a medium ("said on Twitter") are not entities; outlets (CNN, Reuters) are ORG.
4. A line in headline case (Title Case or ALL CAPS: a headline, a "related stories" line) is
   read again by the casing-robust NER shipped beside the main one (``ner_headline``, trained
   with re-cased copies of its data); ALL CAPS is given to it in Title Case (same length, so same
   offsets), which it reads far better than capitals, where every word looks like a name.
5. Consistency inside the article: a surface form takes its majority label; a person's full name
   makes its parts (surname, first name) PERSON; every further occurrence of a known name that
   NER missed becomes a mention too.
6. A short quotation in title case is the title of a work ("Celebrity Apprentice", "Silent
   Night"): no person or organisation inside it.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

from newsnlp.document import Work
from newsnlp.entities.canonical import Candidate
from newsnlp.entities.casing import (
    is_all_caps,
    is_headline_case,
    lower_case,
    title_case,
)
from newsnlp.entities.en_ner import HEADLINE_NER
from newsnlp.entities.gazetteer import CountryGazetteer, country_gazetteer

NER_LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "LOCATION", "LOC": "LOCATION",
              "FAC": "LOCATION", "NORP": "NORP", "MISC": "MISC", "EVENT": "MISC", "LAW": "MISC",
              "WORK_OF_ART": "MISC", "PRODUCT": "MISC", "LANGUAGE": "MISC"}
_POSSESSIVE = re.compile(r"(?:['’]s?|['’])$")
_EDGE_PUNCT = ".,;:!?\"“”‘’'()[]{}-–—"
_OPENERS = {")": "(", "]": "[", "}": "{"}
_ROLE_WORDS = frozenset({"Executive", "Chairman", "Chairwoman", "CEO", "President", "Vice", "Director",
                         "Spokesman", "Spokeswoman", "Founder"})
_FACILITY_NOUNS = frozenset({"building", "hotel", "resort", "tower", "stadium", "arena", "airport", "mall",
                             "plaza", "estate", "mansion", "compound"})
_LINE = re.compile(r"[^\n]*\S[^\n]*")  # a line with text: headlines stand on lines of their own


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    raw = json.loads(resources.files("newsnlp.resources").joinpath("entity_rules_en.json").read_text("utf-8"))
    return {
        "titles": frozenset(t.lower() for t in raw["titles"]),
        "platforms": frozenset(raw["platforms"]),
        "gov_bodies": frozenset(raw["government_bodies"]),
        "generic": frozenset(raw["generic_after_country"]),
        "not_entities": frozenset(raw["not_entities"]),
        "misc_heads": frozenset(raw["misc_heads"]),
        "media_outlets": tuple(raw.get("media_outlets", ())),
    }


class EnglishMentions:
    """Builds candidate mentions for the English part of an article."""

    def __init__(self, nlp: Any, tagger: Any = None) -> None:
        from spacy.matcher import PhraseMatcher

        #: The accurate profile's :class:`~newsnlp.entities.accurate.TokenTagger`: when set, names
        #: come from it instead of ``doc.ents`` (headline-case lines are still re-read).
        self.tagger = tagger
        self.gazetteer: CountryGazetteer = country_gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        tokenizer = nlp.tokenizer
        names = list(self.gazetteer.names_en)
        demonyms = list(self.gazetteer.demonyms_en)
        self.matcher.add("COUNTRY", [tokenizer(n) for n in names])
        self.matcher.add("DEMONYM", [tokenizer(d) for d in demonyms])
        self.lex = _lexicon()
        self.matcher.add("OUTLET", [tokenizer(o) for o in self.lex["media_outlets"]])
        self.nlp = nlp

    def __call__(self, work: Work) -> list[Candidate]:
        doc, view = work.en_doc, work.en_view
        if doc is None or view is None:
            return []
        spans: list[tuple[int, int, str, str, str | None, int]] = []  # token start, end, label, form, iso, priority
        country_tokens: set[int] = set()
        outlets: list[tuple] = []  # added after the NER's spans: a longer or equal NER span wins
        for match_id, start, end in self.matcher(doc):
            kind = doc.vocab.strings[match_id]
            text = doc[start:end].text
            if kind == "OUTLET":
                if not (_in_hyphenated_word(doc, start) or _in_hyphenated_word(doc, end - 1)):
                    outlets.append((start, end, "ORG", "name", None, 1))
                continue
            iso = self.gazetteer.name_iso(text) if kind == "COUNTRY" else self.gazetteer.demonym_iso(text)
            if iso is None:
                continue
            spans.append((start, end, "COUNTRY", "name" if kind == "COUNTRY" else "demonym", iso, 3))
            country_tokens.update(range(start, end))
        for start, end, ner_label in self._entities(doc):
            label = NER_LABELS.get(ner_label)
            if label is None:
                continue
            spans.extend(self._from_ent(doc, start, end, label, country_tokens))
        spans.extend(outlets)
        spans.extend(_party_names(doc))
        spans = _outside_quoted_titles(doc, self._consistency(doc, _resolve(spans)))
        # MISC spans (events, works, laws) only block what they contain: "U.S. Open" is no country.
        return [self._candidate(work, doc, s, e, label, form, iso)
                for s, e, label, form, iso, _ in spans if label != "MISC"]

    # -- NER spans, headline-case sentences re-read -----------------------------------------
    def _entities(self, doc: Any) -> list[tuple[int, int, str]]:
        """``doc.ents`` as (token start, token end, label); a headline-case line's entities are
        those the casing-robust NER finds in it (ALL CAPS read in Title Case)."""
        # The accurate tagger (uncased encoder, trained on cased text) reads ordinary lines; a
        # headline-case line still goes to the casing-robust NER below, as in the fast profile.
        ents = self._tagged(doc) if self.tagger is not None else [(e.start, e.end, e.label_) for e in doc.ents]
        if not hasattr(self.nlp, "component_names"):  # a user's own pipeline (spaCy component): its ner stands
            return ents
        heads = []
        for match in _LINE.finditer(doc.text):
            line = doc.char_span(match.start(), match.end(), alignment_mode="contract")
            if line is not None and len(line) >= 2 and is_headline_case(match.group()):
                heads.append(line)
        if not heads:
            return ents
        texts = [title_case(lower_case(h.text)) if is_all_caps(h.text) else h.text for h in heads]
        for head, reread in zip(heads, self._headline_docs(texts)):
            found = []
            for ent in reread.ents:
                span = doc.char_span(head.start_char + ent.start_char, head.start_char + ent.end_char)
                if span is None:  # tokenised differently in the copy: keep the first reading
                    break
                found.append((span.start, span.end, ent.label_))
            else:
                ents = [e for e in ents if e[1] <= head.start or e[0] >= head.end] + found
        return sorted(ents)

    def _tagged(self, doc: Any) -> list[tuple[int, int, str]]:
        """The accurate tagger's entities as token spans (a span inside a token takes the whole token)."""
        out = []
        for start, end, label in self.tagger.tag([doc.text])[0]:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                out.append((span.start, span.end, label))
        return sorted(set(out))

    def _headline_docs(self, texts: list[str]) -> Any:
        """The headline NER (``ner_headline`` when the model ships one, else ``ner``) over texts."""
        nlp = self.nlp
        ner = HEADLINE_NER if HEADLINE_NER in nlp.component_names else "ner"
        if ner not in nlp.component_names:
            return [nlp.make_doc(t) for t in texts]
        listens = "tok2vec" in nlp.component_names and ner in nlp.get_pipe("tok2vec").listening_components
        docs = [nlp.make_doc(t) for t in texts]
        for name in (["tok2vec"] if listens else []) + [ner]:
            docs = list(nlp.get_pipe(name).pipe(docs))
        return docs

    # -- one NER span -----------------------------------------------------------------------
    def _from_ent(self, doc: Any, start: int, end: int, label: str, country_tokens: set[int]) -> list[tuple]:
        lex = self.lex
        # Trim "the", titles, possessives and punctuation at the edges.
        while start < end and (doc[start].text == "the" or doc[start].text in _EDGE_PUNCT
                               or (label == "PERSON" and doc[start].lower_.rstrip(".") in lex["titles"])):
            start += 1
        while end > start and ((doc[end - 1].text in _EDGE_PUNCT and not _closes_bracket(doc, start, end))
                               or doc[end - 1].lower_ in ("'s", "’s", "'", "’")):
            end -= 1
        for i in range(start + 1, end):
            # "Jeb Bush-spent", "Twitter @NolteNC": the name ends before the hyphen or handle.
            lower_tail = doc[i].text in ("-", "–") and all(t.is_lower or t.text in ("-", "–") for t in doc[i + 1:end])
            if (lower_tail and i + 1 < end) or doc[i].text.startswith("@"):
                end = i
                break
        if label == "ORG":
            # "Breitbart News Executive (Chairman Stephen Bannon)": a role opening a name is no
            # part of the organisation before it ("Office of the President" keeps its title).
            while end - start >= 2 and doc[end - 1].text in _ROLE_WORDS and doc[end - 2].lower_ not in ("the", "of", "for"):
                end -= 1
        if start >= end:
            return []
        text = doc[start:end].text
        if label == "ORG" and end < len(doc) and doc[end].lower_ in _FACILITY_NOUNS and doc[end].is_lower:
            label = "LOCATION"  # "the Old Post Office building", "the Trump Tower hotel": a place
        if label == "PERSON" and doc[end - 1].text in _MISC_TAILS:
            return [(start, end, "MISC", "name", None, 0)]  # "Executive Order", "Nobel Prize": no one
        if text in _GROUP_WORDS and label in ("ORG", "PERSON"):
            return [(start, end, "MISC", "name", None, 0)]  # "the Latino vote": a group, no one
        if text in lex["not_entities"]:
            return []
        if label in ("NORP", "MISC"):
            iso = self.gazetteer.demonym_iso(text)
            if iso:
                return [(start, end, "COUNTRY", "demonym", iso, 2)]
            inside = country_tokens.intersection(range(start, end))
            if not inside and self._looks_like_person(doc, start, end):
                return [(start, end, "PERSON", "name", None, 1)]
            return [(start, end, "MISC", "name", None, 4 if inside else 0)]
        if label == "PERSON" and text in self.gazetteer.ambiguous_en:
            return [(start, end, "PERSON", "name", None, 4)]  # Jordan, Holland: people here
        if text in lex["platforms"]:
            return [(start, end, "ORG", "name", None, 1)] if self._platform_is_actor(doc, start, end) else []
        if label == "LOCATION":
            iso = self.gazetteer.name_iso(text)
            if iso and text not in self.gazetteer.ambiguous_en:
                return [(start, end, "COUNTRY", "name", iso, 2)]
            # Panama City, South China: a longer place name keeps the country word inside it.
            holds_country = bool(country_tokens.intersection(range(start, end)))
            return [(start, end, "LOCATION", "name", None, 4 if holds_country else 1)]
        # A country (or demonym) at the front of a PERSON/ORG span.
        inner = start
        while inner < end and inner in country_tokens:
            inner += 1
        if inner > start and inner < end:
            rest = doc[inner:end].text
            if label == "PERSON":
                while inner < end and doc[inner].lower_.rstrip(".") in lex["titles"] | {"'s", "’s"}:
                    inner += 1
                return [(inner, end, "PERSON", "name", None, 1)] if inner < end else []
            if rest in lex["generic"]:
                return []
            if rest in lex["gov_bodies"]:
                return [(inner, end, "ORG", "name", None, 1)]
            return [(start, end, "ORG", "name", None, 4 if _clean_name(doc, start, end) else 1)]
        if label == "ORG" and country_tokens.intersection(range(start, end)):
            # Air France, Bank of Canada: the country is part of the name (a clean multi-word name).
            return [(start, end, "ORG", "name", None, 4 if _clean_name(doc, start, end) else 0)]
        if label == "PERSON":
            while start < end and doc[start].lower_.rstrip(".") in lex["titles"]:
                start += 1
            if start >= end:
                return []
        return [(start, end, label, "name", None, 1)]

    def _looks_like_person(self, doc: Any, start: int, end: int) -> bool:
        """"Pavlo Riabikin" tagged MISC: two or three title-case proper nouns with no event, work,
        group or currency word and no article before them read as a person's name."""
        tokens = doc[start:end]
        if not 2 <= len(tokens) <= 3 or (start > 0 and doc[start - 1].lower_ in ("the", "a", "an")):
            return False
        return all(t.pos_ == "PROPN" and t.is_title and t.is_alpha and t.text not in self.lex["misc_heads"]
                   and not self.gazetteer.demonym_iso(t.text) for t in tokens)

    @staticmethod
    def _platform_is_actor(doc: Any, start: int, end: int) -> bool:
        """Twitter as a company ("Twitter said", "Twitter's board") rather than a medium."""
        head = doc[end - 1]
        if head.dep_ in ("nsubj", "nsubjpass"):
            return True
        return end < len(doc) and doc[end].lower_ in ("'s", "’s", "inc", "inc.", "corp", "corp.")

    # -- article-wide consistency ------------------------------------------------------------
    def _consistency(self, doc: Any, spans: list[tuple]) -> list[tuple]:
        votes: dict[str, Counter] = defaultdict(Counter)
        for s, e, label, _form, _iso, _prio in spans:
            if label in ("PERSON", "ORG", "LOCATION"):
                votes[doc[s:e].text][label] += e - s  # longer spans are surer
        person_parts: set[str] = set()
        for text, counter in votes.items():
            parts = text.split()
            if counter.most_common(1)[0][0] == "PERSON" and len(parts) >= 2:
                # Every capitalised part: "Lula" of "Luiz Inacio Lula da Silva" too, not the particles.
                person_parts.update(w for w in parts if len(w) >= 3 and w[0].isupper())
        # "Kenji Watanabe" tagged ORG while "Watanabe" alone is a PERSON: the full name is the person.
        person_singletons = {t for t, c in votes.items() if " " not in t and c.most_common(1)[0][0] == "PERSON"}
        for s, e, label, _form, _iso, _prio in spans:
            if label in ("ORG", "LOCATION") and 2 <= e - s <= 3 and doc[e - 1].text in person_singletons and all(
                    t.pos_ == "PROPN" and t.is_title for t in doc[s:e]):
                votes[doc[s:e].text]["PERSON"] += 10
                person_parts.update(w for w in (doc[s].text, doc[e - 1].text) if len(w) >= 3)
        fixed = []
        for s, e, label, form, iso, prio in spans:
            text = doc[s:e].text
            if label in ("ORG", "LOCATION") and any(t.text in person_parts for t in doc[s:e]) and any(
                    t.lower_ in ("and", "&") or t.pos_ == "VERB" for t in doc[s:e]):
                continue  # "Xi and Zelenskyy", "Xi Jinping Calls Ukraine": people, found again below
            if label in ("PERSON", "ORG", "LOCATION"):
                if text in person_parts and e - s == 1:
                    label = "PERSON"
                else:
                    label = votes[text].most_common(1)[0][0]
            fixed.append((s, e, label, form, iso, prio))
        # Further occurrences of known names that NER missed.
        known: dict[tuple[str, ...], str] = {}
        for s, e, label, _form, _iso, _prio in fixed:
            if label in ("PERSON", "ORG") and doc[s].text[:1].isupper():
                known.setdefault(tuple(t.text for t in doc[s:e]), label)
        for part in person_parts:
            known.setdefault((part,), "PERSON")
        taken: set[int] = set()
        for s, e, *_ in fixed:
            taken.update(range(s, e))
        by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for words in known:
            by_first[words[0]].append(words)
        for i, token in enumerate(doc):
            if i in taken or token.text not in by_first or _in_hyphenated_word(doc, i):
                continue
            for words in sorted(by_first[token.text], key=len, reverse=True):
                j = i + len(words)
                if j <= len(doc) and tuple(t.text for t in doc[i:j]) == words and not taken.intersection(range(i, j)):
                    fixed.append((i, j, known[words], "name", None, 0))
                    taken.update(range(i, j))
                    break
        return _resolve(fixed)

    def _candidate(self, work: Work, doc: Any, s: int, e: int, label: str, form: str, iso: str | None) -> Candidate:
        view = work.en_view
        assert view is not None
        start_char, end_char = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        src_start, src_end = view.to_source(start_char, end_char)
        source, seen = work.text[src_start:src_end], view.text[start_char:end_char]
        return Candidate(src_start, src_end, source, label, form, iso, key=seen if seen != source else None)


# Groups of people named like nations but no country's demonym (they count as no entity).
_GROUP_WORDS = frozenset({"Latino", "Latinos", "Latina", "Latinas", "Hispanic", "Hispanics", "Asian", "Asians",
                          "African", "Africans", "European", "Europeans", "Arab", "Arabs", "Evangelical",
                          "Evangelicals", "Muslim", "Muslims", "Christian", "Christians", "Jew", "Jews",
                          "Catholic", "Catholics", "Kurd", "Kurds", "Sunni", "Sunnis", "Shiite", "Shiites"})
# Last words of names of documents and awards, never of people ("Executive Order"); not the
# misc_heads, many of which are surnames too (Law, Church, Day, English).
_MISC_TAILS = frozenset({"Order", "Orders", "Amendment", "Resolution", "Act", "Medal", "Trophy", "Prize", "Award"})
_PARTY_ADJECTIVES = frozenset({"Republican", "Democratic", "Labour", "Labor", "Conservative", "Liberal",
                               "Communist", "Green", "Socialist", "Nationalist"})


def _party_names(doc: Any) -> list[tuple]:
    """"Republican party", "the Labour party": a party named with a small p is still the party
    (NER reads the adjective alone, which names no organisation)."""
    return [(i, i + 2, "ORG", "name", None, 3) for i in range(len(doc) - 1)
            if doc[i].text in _PARTY_ADJECTIVES and doc[i + 1].text == "party"]


# A short quotation in title case: the name of a show, song, film or book ("Celebrity Apprentice",
# "Silent Night", "Thelma and Louise"), which names no person or organisation.
_QUOTED = re.compile(r"[“\"]([^”\"\n]{1,60}?)[,.!?]?[”\"]")
_TITLE_SMALL_WORDS = frozenset("a an and at by for from in of on or the to with".split())


def _outside_quoted_titles(doc: Any, spans: list[tuple]) -> list[tuple]:
    """Drop PERSON and ORG spans inside a quoted title of two to six words, every one capitalised
    but the small words (a quoted name alone, "Trump", stays: one word is no title), on a line
    that is not itself in headline case."""
    titles = []
    text = doc.text
    for match in _QUOTED.finditer(text):
        words = match.group(1).split()
        line = text[text.rfind("\n", 0, match.start()) + 1:text.find("\n", match.end()) % (len(text) + 1)]
        if is_headline_case(line) or is_all_caps(line):
            continue  # a headline's words are all capitalised: its quotations look like titles
        if 2 <= len(words) <= 6 and words[0][:1].isupper() and all(
                w[:1].isupper() or w in _TITLE_SMALL_WORDS for w in words):
            titles.append(match.span(1))
    if not titles:
        return spans
    return [span for span in spans if span[2] not in ("PERSON", "ORG") or not any(
        a <= doc[span[0]].idx and doc[span[1] - 1].idx + len(doc[span[1] - 1].text) <= b for a, b in titles)]


def _closes_bracket(doc: Any, start: int, end: int) -> bool:
    """The span's last token closes a bracket the span opened: "Mladost (L)" keeps its ")"."""
    opener = _OPENERS.get(doc[end - 1].text)
    return opener is not None and any(t.text == opener for t in doc[start:end - 1])


def _in_hyphenated_word(doc: Any, i: int) -> bool:
    """Ata in Ata-ur-Rehman: a token glued to a hyphen is part of a longer word."""
    before = i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_
    after = i + 1 < len(doc) and doc[i + 1].text == "-" and not doc[i].whitespace_
    return before or after


def _clean_name(doc: Any, start: int, end: int) -> bool:
    """A multi-word name without dashes, brackets, digits or commas (not a run-together NER span)."""
    return end - start >= 2 and not any(t.is_punct and t.text not in (".", "&", "'", "-") or t.like_num for t in doc[start:end])


def _resolve(spans: list[tuple]) -> list[tuple]:
    """Drop overlaps: higher priority first, then longer spans."""
    chosen: list[tuple] = []
    taken: set[int] = set()
    for item in sorted(spans, key=lambda x: (-x[5], -(x[1] - x[0]), x[0])):
        s, e = item[0], item[1]
        if taken.intersection(range(s, e)):
            continue
        chosen.append(item)
        taken.update(range(s, e))
    return sorted(chosen, key=lambda x: x[0])
