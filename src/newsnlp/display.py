"""An :class:`~newsnlp.model.Article` as HTML: entities highlighted by label, quotes with speakers.

:func:`render` returns a self-contained HTML fragment (styles scoped to ``.newsnlp``) that
Jupyter shows for an ``Article`` (``Article._repr_html_``) and that you can write to a file.
Body paragraphs carry the annotations: every mention is a ``<mark>`` coloured by its label
(displaCy's palette) and tagged with it; every quote is underlined in its kind's colour, numbered,
and its speaker (and cue) marked with the same number; a panel lists the entities and "who said
what". Boilerplate paragraphs are shown greyed, unannotated.

Example:
    >>> from newsnlp.model import Article, Entity, Mention, Paragraph
    >>> text = "Talks\\n\\nChina agreed."
    >>> article = Article(text=text, lang="en", paragraphs=(
    ...     Paragraph(0, 5, "Talks", "en", "title"), Paragraph(7, 20, "China agreed.", "en", "body")),
    ...     entities=(Entity("e0", "COUNTRY", "China", (Mention(7, 12, "China"),), iso="CN"),))
    >>> html = render(article, panel=False)
    >>> '<mark class="nn-ent nn-COUNTRY" title="COUNTRY China (CN)" data-entity="e0">China' in html
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Iterable

from newsnlp.model import Article, Paragraph, Quote, register_html_view

LABEL_COLOURS = {
    "PERSON": "#aa9cfc", "ORG": "#7aecec", "COUNTRY": "#feca74", "LOCATION": "#ff9561",
    "NORP": "#c887fb", "MISC": "#e4e7d2",
}
KIND_COLOURS = {"direct": "#d62728", "mixed": "#ff7f0e", "indirect": "#1f77b4"}

_STYLE = """<style>
.newsnlp {font-family: -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; line-height: 2.1; max-width: 58em;}
.newsnlp .nn-title {font-size: 1.3em; font-weight: 600; line-height: 1.6; margin: .2em 0;}
.newsnlp .nn-meta {color: #666; font-size: .9em; line-height: 1.4;}
.newsnlp p {margin: .5em 0;}
.newsnlp .nn-boilerplate {color: #aaa; font-size: .85em; line-height: 1.4;}
.newsnlp mark.nn-ent {padding: .1em .3em; border-radius: .35em; color: #000;}
.newsnlp .nn-label {font-size: .6em; font-weight: 700; margin-left: .3em; vertical-align: middle;}
.newsnlp .nn-quote {border-bottom: 2px solid; padding-bottom: 1px;}
.newsnlp .nn-qno {font-size: .65em; font-weight: 700; vertical-align: super; margin-right: .1em;}
.newsnlp .nn-speaker {outline: 2px dashed; outline-offset: 1px; border-radius: .2em;}
.newsnlp .nn-cue {font-style: italic; text-decoration: underline dotted;}
.newsnlp table {border-collapse: collapse; font-size: .85em; line-height: 1.4; margin: .3em 0 .8em;}
.newsnlp td, .newsnlp th {border-bottom: 1px solid #ddd; padding: .15em .6em; text-align: left;
  vertical-align: top;}
.newsnlp h4 {margin: .8em 0 .2em;}
""" + "".join(f".newsnlp .nn-{label} {{background: {colour};}}\n" for label, colour in LABEL_COLOURS.items()) \
    + "".join(f".newsnlp .nn-q-{kind} {{border-color: {colour};}} .newsnlp .nn-qno-{kind} {{color: {colour};}}\n"
              for kind, colour in KIND_COLOURS.items()) + "</style>"


@dataclass(frozen=True)
class _Mark:
    """One annotation over ``[start, end)``: a mention, a quote, a speaker or a cue."""

    start: int
    end: int
    kind: str  # "entity" | "quote" | "speaker" | "cue"
    open_tag: str
    close_tag: str
    suffix: str = ""  # HTML placed right after the closing tag (an entity's label, a speaker's name)


def render(article: Article, *, panel: bool = True, boilerplate: bool = True) -> str:
    """The article as an HTML fragment with entities, quotes, speakers and cues marked.

    Args:
        article: An analysed article.
        panel: Add the tables of entities and of quotes by speaker after the text.
        boilerplate: Show boilerplate paragraphs (greyed, unannotated); ``False`` leaves them out.

    Returns:
        HTML (a ``<div class="newsnlp">`` with its own ``<style>``), for Jupyter or a file.
    """
    marks = _marks(article)
    parts = [_STYLE, f'<div class="newsnlp" lang="{escape(article.lang)}">']
    parts.append(_meta(article))
    for index, paragraph in enumerate(article.paragraphs):
        if paragraph.role == "boilerplate":
            if boilerplate:
                parts.append(f'<p class="nn-boilerplate" lang="{escape(paragraph.lang)}">{escape(paragraph.text)}</p>')
            continue
        inside = [m for m in marks if m.start < paragraph.end and paragraph.start < m.end]
        tag = "div" if paragraph.role == "title" else "p"
        css = "nn-title" if paragraph.role == "title" else "nn-body"
        parts.append(f'<{tag} class="{css}" lang="{escape(paragraph.lang)}" data-paragraph="{index}">'
                     f"{_annotate(article.text, paragraph, inside)}</{tag}>")
    if panel:
        parts.append(_panel(article))
    parts.append("</div>")
    return "\n".join(parts)


def _meta(article: Article) -> str:
    bits = []
    if article.author:
        bits.append(f"by {escape(article.author.text)}")
    if article.dateline:
        bits.append(escape(article.dateline.text))
    if article.id:
        bits.append(f"id {escape(article.id)}")
    bits.append(f"lang {escape(article.lang)}")
    if article.top_topic:
        bits.append(f"topic <b>{escape(article.top_topic.label)}</b> ({article.top_topic.score:.2f})")
    bits.append(f"{len(article.entities)} entities, {len(article.quotes)} quotes")
    return f'<div class="nn-meta">{" · ".join(bits)}</div>'


def _speaker_label(quote: Quote) -> str:
    if quote.speaker is None:
        return "no speaker"
    return quote.speaker.name or quote.speaker.text


def _marks(article: Article) -> list[_Mark]:
    marks: list[_Mark] = []
    for entity in article.entities:
        title = f"{entity.label} {entity.name}" + (f" ({entity.iso})" if entity.iso else "")
        for mention in entity.mentions:
            marks.append(_Mark(
                mention.start, mention.end, "entity",
                f'<mark class="nn-ent nn-{escape(entity.label)}" title="{escape(title)}" '
                f'data-entity="{escape(entity.id)}">',
                "</mark>", f'<span class="nn-label">{escape(entity.label)}</span>'))
    for number, quote in enumerate(article.quotes, 1):
        who = escape(_speaker_label(quote))
        marks.append(_Mark(
            quote.start, quote.end, "quote",
            f'<span class="nn-quote nn-q-{escape(quote.kind)}" title="Q{number} {escape(quote.kind)} · {who}" '
            f'data-quote="{number}"><span class="nn-qno nn-qno-{escape(quote.kind)}">Q{number}</span>',
            "</span>"))
        if quote.speaker is not None:
            marks.append(_Mark(
                quote.speaker.start, quote.speaker.end, "speaker",
                f'<span class="nn-speaker" title="speaker of Q{number}: {who}" data-speaker-of="{number}">',
                "</span>", f'<span class="nn-qno nn-qno-{escape(quote.kind)}">Q{number}</span>'))
        if quote.cue is not None:
            marks.append(_Mark(quote.cue.start, quote.cue.end, "cue",
                               f'<span class="nn-cue" title="cue of Q{number}">', "</span>"))
    return marks


# Outer to inner: a quote holds speakers, cues and mentions; a speaker holds its mention.
_NESTING = {"quote": 0, "speaker": 1, "cue": 2, "entity": 3}


def _annotate(text: str, paragraph: Paragraph, marks: list[_Mark]) -> str:
    """The paragraph's text with the marks as properly nested tags.

    Marks may overlap without nesting (a quote ending inside a mention): a mark that must close
    while an inner one is open closes that one too and reopens it after, so the HTML stays well
    formed and every character keeps all of its marks. Labels and quote numbers are written once,
    where their mark really ends or starts.
    """
    start, end = paragraph.start, paragraph.end
    clipped = [(max(start, m.start), min(end, m.end), m) for m in marks]
    cuts = sorted({start, end, *(a for a, _, _ in clipped), *(b for _, b, _ in clipped)})
    out: list[str] = []
    stack: list[tuple[int, int, _Mark]] = []
    started: set[int] = set()

    def close_to(position: int) -> list[tuple[int, int, _Mark]]:
        """Close every open mark ending here (and those above it); return the ones to reopen."""
        first = next((i for i, (_, b, _) in enumerate(stack) if b <= position), len(stack))
        survivors = []
        while len(stack) > first:
            a, b, mark = stack.pop()
            out.append(mark.close_tag + (mark.suffix if b == mark.end == position else ""))
            if b > position:
                survivors.append((a, b, mark))
        return survivors

    for position, following in zip(cuts, cuts[1:]):
        to_open = close_to(position) + [c for c in clipped if c[0] == position and c[1] > position]
        for item in sorted(to_open, key=lambda c: (_NESTING[c[2].kind], -c[1])):
            mark = item[2]
            out.append(mark.open_tag if id(mark) not in started else _reopened(mark))
            started.add(id(mark))
            stack.append(item)
        out.append(escape(text[position:following]))
    close_to(end)
    return "".join(out)


def _reopened(mark: _Mark) -> str:
    """The opening tag of a mark continuing after a break: a quote without its "Qn" badge again."""
    return mark.open_tag if mark.kind != "quote" else _without_number(mark.open_tag)


def _without_number(open_tag: str) -> str:
    """A quote's opening tag without its "Qn" badge (for the pieces after its first)."""
    return open_tag[:open_tag.index('<span class="nn-qno')]


def _panel(article: Article) -> str:
    rows = [f"<tr><td><mark class='nn-ent nn-{escape(e.label)}'>{escape(e.label)}</mark></td>"
            f"<td>{escape(e.name)}</td><td>{escape(e.iso or '')}</td><td>{e.count}</td>"
            f"<td>{escape(', '.join(dict.fromkeys(m.text for m in e.mentions)))}</td></tr>"
            for e in sorted(article.entities, key=lambda e: (-e.count, e.first))]
    parts = []
    if rows:
        parts.append("<h4>Entities</h4><table><tr><th>label</th><th>entity</th><th>ISO</th><th>mentions</th>"
                     "<th>as</th></tr>" + "".join(rows) + "</table>")
    quote_rows = _quote_rows(article.quotes)
    if quote_rows:
        parts.append("<h4>Who said what</h4><table><tr><th>#</th><th>speaker</th><th>cue</th><th>kind</th>"
                     "<th>quote</th></tr>" + "".join(quote_rows) + "</table>")
    return "\n".join(parts)


def _quote_rows(quotes: Iterable[Quote]) -> list[str]:
    rows = []
    for number, quote in enumerate(quotes, 1):
        speaker = escape(_speaker_label(quote))
        if quote.speaker is not None and quote.speaker.name and quote.speaker.text != quote.speaker.name:
            speaker += f" <small>({escape(quote.speaker.text)})</small>"
        text = quote.text if len(quote.text) <= 160 else quote.text[:157] + "…"
        rows.append(f"<tr><td class='nn-qno-{escape(quote.kind)}'>Q{number}</td><td>{speaker}</td>"
                    f"<td>{escape(quote.cue.text if quote.cue else '')}</td><td>{escape(quote.kind)}</td>"
                    f"<td>{escape(text)}</td></tr>")
    return rows


register_html_view(render)
