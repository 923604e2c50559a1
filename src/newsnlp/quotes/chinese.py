"""Chinese quote attribution (placeholder, filled in below)."""

from __future__ import annotations

from newsnlp.document import Work
from newsnlp.model import Quote
from newsnlp.quotes.speakers import SpeakerLinker


class ChineseQuotes:
    def __call__(self, work: Work, linker: SpeakerLinker) -> list[Quote]:
        return []
