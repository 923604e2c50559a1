"""The ``quotes`` stage: direct, mixed and indirect quotes with speaker, cue and entity link.

Runs after the entity stage so that speakers link to canonical entities; without it, speakers
keep their text and resolved names stay empty.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from newsnlp.config import Settings
from newsnlp.document import Work
from newsnlp.model import Quote, Span
from newsnlp.registry import register_stage
from newsnlp.quotes.english import EnglishQuotes
from newsnlp.quotes.spans import cue_lists
from newsnlp.quotes.speakers import SpeakerLinker


class QuoteStage:
    """Finds who said what, in English and Chinese."""

    name = "quotes"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.english = EnglishQuotes()
        self.roles = frozenset(cue_lists()["en_roles"])

    @cached_property
    def chinese(self) -> Any:
        """The Chinese reader's class (imported on first use): one reader per article, as it keeps
        the article's state (salience, the last speaker) while it reads."""
        from newsnlp.quotes.chinese import ChineseQuotes

        return ChineseQuotes

    def __call__(self, batch: list[Work]) -> None:
        for work in batch:
            linker = SpeakerLinker(work.entities, self.roles, work.text)
            if work.en_doc is not None:
                work.quotes.extend(self._english(work, linker))
            if work.zh:
                work.quotes.extend(self.chinese()(work, linker))

    def _english(self, work: Work, linker: SpeakerLinker) -> list[Quote]:
        doc, view = work.en_doc, work.en_view
        assert view is not None
        quotes = []
        for raw in self.english(doc):
            start, end = view.to_source(raw.start, raw.end)
            if end <= start:
                continue
            cue = speaker = None
            if raw.cue:
                c_start, c_end = view.to_source(*raw.cue)
                cue = Span(c_start, c_end, work.text[c_start:c_end])
            if raw.speaker:
                s_start, s_end = view.to_source(*raw.speaker)
                head = doc[raw.speaker_head] if raw.speaker_head is not None else None
                h_start, h_end = view.to_source(head.idx, head.idx + len(head.text)) if head is not None else (s_start, s_end)
                determiner = next((c.text for c in head.children if c.dep_ == "det"), "") if head is not None else ""
                speaker = linker.link(s_start, s_end, h_start, h_end, work.text[s_start:s_end],
                                      head.text if head is not None else None, determiner)
            quotes.append(Quote(start, end, work.text[start:end], raw.kind, speaker, cue))
        return quotes


# Speakers are linked to the entities of the article.
register_stage("quotes", QuoteStage, requires=("entities",), assigns=("quotes",), models=("quotes_en",), order=300)
