"""The ``entities`` stage: mentions per language, then canonical entities per article.

English mentions come from the article's spaCy parse (:mod:`newsnlp.entities.english`), their
names from its NER, or, in the accurate profile, from the transformer tagger
(:mod:`newsnlp.entities.accurate`);
Chinese ones from the Chinese stage when its model is installed. The byline's author is a
PERSON mention too. Grouping (:mod:`newsnlp.entities.canonical`) is shared by both languages.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property
from typing import Any

from newsnlp.config import Settings
from newsnlp.document import Work
from newsnlp.entities.canonical import Candidate, group_entities
from newsnlp.entities.gazetteer import country_gazetteer
from newsnlp.registry import register_stage


class EntityStage:
    """Finds PERSON, ORG, COUNTRY (with ISO code) and LOCATION entities."""

    name = "entities"

    def __init__(self, settings: Settings, english_nlp: Any = None) -> None:
        self.settings = settings
        # A caller's own spaCy pipeline (newsnlp.components): its vocab and tokenizer build the matcher.
        self._english_nlp = english_nlp

    @cached_property
    def english(self) -> Any:
        from newsnlp.entities.english import EnglishMentions
        from newsnlp.entities.en_pipeline import english_pipeline

        nlp = self._english_nlp or english_pipeline(self.settings)
        tagger = None
        if self.settings.profile == "accurate":
            from newsnlp.entities.accurate import accurate_tagger

            tagger = accurate_tagger(self.settings.en_ner_accurate_model, "en_ner_accurate")
        return EnglishMentions(nlp, tagger=tagger)

    @cached_property
    def chinese(self) -> Any:
        from newsnlp.entities.chinese import chinese_mentions_factory

        return chinese_mentions_factory(self.settings)

    def prepare(self, batch: list[Work]) -> None:
        """Build the English matcher and load the Chinese model outside spaCy's memory zone."""
        if any(w.en_view is not None for w in batch):
            _ = self.english
        if any(w.zh for w in batch) and self.chinese is not None:
            _ = self.chinese.nlp

    def __call__(self, batch: list[Work]) -> None:
        zh_works = [w for w in batch if w.zh]
        zh_candidates = self.chinese(zh_works) if zh_works and self.chinese is not None else {}
        gazetteer = country_gazetteer()
        for work in batch:
            work.meta["profile"] = self.settings.profile  # which entity models made the entities
            candidates: list[Candidate] = []
            if work.en_doc is not None:
                candidates.extend(self.english(work))
            candidates.extend(zh_candidates.get(id(work), []))
            candidates = _link_across_languages(candidates)
            candidates = _settle_shared_short_forms(candidates, gazetteer)
            candidates = _dateline_agency(work, candidates)
            if work.author:
                start, end = work.author
                if not any(c.start < end and start < c.end for c in candidates):
                    candidates.append(Candidate(start, end, work.text[start:end], "PERSON"))
            name_lang = "zh" if work.lang == "zh" else "en"
            work.entities = group_entities(candidates, gazetteer_name=lambda iso, lang=name_lang: gazetteer.common_name(iso, lang))


def _settle_shared_short_forms(candidates: list[Candidate], gazetteer: Any) -> list[Candidate]:
    """巴方 is Brazil in an article about Brazil: a short form shared by several countries goes to
    the one the article names most (in either language); with no evidence it keeps its default."""
    counts: dict[str, int] = {}
    for cand in candidates:
        if cand.label == "COUNTRY" and cand.iso and (cand.key or cand.text) not in gazetteer.shared_zh:
            counts[cand.iso] = counts.get(cand.iso, 0) + 1
    out = []
    for cand in candidates:
        options = gazetteer.shared_zh.get(cand.key or cand.text) if cand.label == "COUNTRY" else None
        if options:
            best = max(options, key=lambda iso: (counts.get(iso, 0), iso == cand.iso))
            if counts.get(best, 0) and best != cand.iso:
                cand = replace(cand, iso=best)
        out.append(cand)
    return out


# "Washington (AFP) – ...", "NEW YORK (Reuters) - ...": a dateline opening a paragraph.
_DATELINE = re.compile(r"^[A-Z][A-Za-z.'’ -]{1,40}? \(([A-Z][^()\n]{1,39})\) ?[-–—]", re.MULTILINE)


def _dateline_agency(work: Work, candidates: list[Candidate]) -> list[Candidate]:
    """WASHINGTON (Reuters) -: the bracketed part of a dateline is the news agency, an ORG.

    The dateline the structure finder marked, else one opening a paragraph of the body.
    """
    spans: list[tuple[int, int]] = []
    if work.dateline:
        start, end = work.dateline
        match = re.search(r"\(([^()]{2,40})\)", work.text[start:end])
        if match and match.group(1)[:1].isupper():
            spans.append((start + match.start(1), start + match.end(1)))
    else:
        spans.extend(m.span(1) for m in _DATELINE.finditer(work.text[:2000]))
    for a, b in spans:
        candidates = [c for c in candidates if c.end <= a or c.start >= b]
        candidates.append(Candidate(a, b, work.text[a:b], "ORG"))
    return candidates


def _link_across_languages(candidates: list[Candidate]) -> list[Candidate]:
    """习近平 (pinyin "Xi Jinping") and Xi Jinping in one article are one person."""
    english = {c.name.lower(): c.name for c in candidates if c.label == "PERSON" and c.name.isascii()}
    if not english:
        return candidates
    out = []
    for cand in candidates:
        match = next((english[a.lower()] for a in cand.aliases if a.lower() in english), None)
        if cand.label == "PERSON" and match and not cand.name.isascii():
            cand = replace(cand, key=match, aliases=(*cand.aliases, cand.name))
        out.append(cand)
    return out


register_stage("entities", EntityStage, assigns=("entities",), models=("zh_ner",), order=100)
