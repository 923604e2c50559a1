"""The quote finders keep nothing of one document on the stage's shared objects."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from newsnlp.quotes.english import EnglishQuotes  # noqa: E402


def test_english_finder_keeps_no_document_state() -> None:
    finder = EnglishQuotes()
    before = dict(vars(finder))
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp('WASHINGTON (AP) - "We will go," Ann Lee said.\n\nShe left.')
    finder(doc)
    assert vars(finder) == before  # the text, quoted and dateline tokens lived on the call's copy
