"""Pages through the pipeline: HTML metadata (title, author, date) and pages without an article."""

from __future__ import annotations

import pytest

ARTICLE = (
    "<!DOCTYPE html><html><head><title>Rates rise again | Example News</title>"
    "<meta property='og:title' content='Rates rise again'>"
    "<meta property='article:published_time' content='2024-03-04T10:30:00Z'></head><body>"
    "<nav><a href='/'>Home</a> | <a href='/b'>Business</a></nav>"
    "<article><h1>Rates rise again</h1><p class='byline'>By Ann Lee</p>"
    "<p>The central bank raised interest rates on Thursday, the third rise this year, saying inflation "
    "was still too high and that wages were rising faster than it had expected in the autumn.</p>"
    "<p>Economists had expected the move after prices rose faster than forecast in the spring, and "
    "markets barely moved after the announcement, which came at noon.</p>"
    "<p>The bank's governor said further rises could not be ruled out if prices kept climbing.</p>"
    "</article><footer>© 2024 Example News</footer></body></html>"
)


def test_html_article_has_title_author_and_date(blank_preprocessor) -> None:
    article = blank_preprocessor.analyze(ARTICLE.encode("utf-8"))
    assert article.meta["source_format"] == "html"
    assert article.title.text == "Rates rise again"
    assert article.author is not None and article.author.text == "Ann Lee"
    assert article.published is not None and article.published.startswith("2024-03-04")
    assert [p.text[:20] for p in article.body] == ["The central bank rai", "Economists had expec", "The bank's governor "]
    assert article.invalid_spans() == []


def test_html_page_without_article_gives_an_empty_article_with_a_warning(blank_preprocessor) -> None:
    page = ("<!DOCTYPE html><html><head><title>Sign in</title></head><body><nav><a href='/'>Home</a></nav>"
            "<form><input name='user'><input type='password'></form></body></html>")
    article = blank_preprocessor.analyze(page.encode("utf-8"))
    assert article.body == () and article.meta["warnings"]
    assert article.meta["source_format"] == "html"


def test_text_listing_gives_no_body_and_a_warning(blank_preprocessor) -> None:
    menu = ["Home", "World", "Business", "Latest news", "Storm hits coast", "Markets fall", "Election date set",
            "Sign in", "Subscribe"]
    listing = "\n\n".join(menu)
    article = blank_preprocessor.analyze(listing)
    assert article.body == ()
    assert any("body is empty" in w for w in article.meta["warnings"])


DECKED = (
    "<!DOCTYPE html><html><head><title>The Collapse of the Old Port | Harbour Review</title>"
    "<meta property='og:title' content='The Collapse of the Old Port'></head><body>"
    "<nav><a href='/'>Home</a> | <a href='/c'>City</a> | <a href='/p'>Politics</a></nav>"
    "<article><h1>The Collapse of the Old Port</h1>"
    "<h2>The long-dominant harbour board brought the city debts, strikes and empty quays, and now it is gone.</h2>"
    "<p>For forty years the harbour board ran the quays as it liked, setting fees, hiring crews and deciding "
    "which ships would wait, and for most of those years nobody in the city asked what it did with the money.</p>"
    "<p>That changed last spring, when auditors found that the board had borrowed against land it did not own "
    "and had kept two sets of books, one for the council and one for itself.</p>"
    "<p>By the autumn the council had voted to dissolve the board and hand the port to a new authority.</p>"
    "</article><footer>© 2024 Harbour Review</footer></body></html>"
)


def test_html_title_named_by_title_og_and_h1_beats_its_deck(blank_preprocessor) -> None:
    from newsnlp.preprocess.html import _hint_set, _names

    folds, parts, _ = _hint_set(["The Collapse of the Old Port | Harbour Review"])
    assert _names("the collapse of the old port", folds, parts, set())
    assert not _names("harbour", folds, parts, set())
    article = blank_preprocessor.analyze(DECKED.encode("utf-8"))
    assert article.title.text == "The Collapse of the Old Port"
