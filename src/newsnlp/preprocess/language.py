"""Language per paragraph and per article: ``en``, ``zh``, ``other`` or ``und``.

Script first (Han characters against Latin words, so a Chinese paragraph with English words in it
stays Chinese), then function words to tell English from other Latin-script languages. Short
Latin-script paragraphs without evidence either way (headlines) count as English.

Example:
    >>> detect_language("火箭队的coach说他很happy"), detect_language("The talks ended."), detect_language("Le président a dit que la France")
    ('zh', 'en', 'other')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsnlp.chars import han_count

_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]+")
_OTHER_LETTER = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f]")

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in a is that for it was on with as he be by at said his are have from this has not but "
        "they were an will which its had who been their we after or would she her more than about up i you all "
        "there over also new when into can out last year says could our than two first".split()
    ),
    "fr": frozenset("le la les de des et est un une du en que qui dans pour pas sur au aux avec ce il elle sont ont été par".split()),
    "de": frozenset("der die und das ist nicht ein eine zu den von mit sich des auf für im dem sie es wird auch nach bei".split()),
    "es": frozenset("el la los las de que y en un una por con para es del se no al lo como más pero sus fue".split()),
    "it": frozenset("il la di che e è un una per non con del della le gli sono da nel alla ha anche come".split()),
    "pt": frozenset("o a os as de que e do da em um uma para com não no na por mais se foi ao".split()),
    "nl": frozenset("de het een van en in is dat op te zijn voor met niet die aan er ook als bij".split()),
}


def detect_language(text: str) -> str:
    """The language of one paragraph: ``en``, ``zh``, ``other`` or ``und`` (no letters)."""
    han = han_count(text)
    words = _LATIN_WORD.findall(text)
    if han:
        kana = len(_KANA_HANGUL.findall(text))
        if kana > 0.1 * (han + kana):
            return "other"
        if han >= len(words):
            return "zh"
    elif _KANA_HANGUL.search(text):
        return "other"
    if not words:
        return "other" if _OTHER_LETTER.search(text) else "und"
    if len(_OTHER_LETTER.findall(text)) > sum(map(len, words)):
        return "other"
    lowered = [w.lower() for w in words]
    scores = {lang: sum(w in vocab for w in lowered) for lang, vocab in _FUNCTION_WORDS.items()}
    best_other = max(v for k, v in scores.items() if k != "en")
    # Another language needs real evidence: a lone "o" (O'Neill) or "de" (de Silva) is no French.
    if best_other >= 2 and best_other > 1.5 * scores["en"] and best_other >= 0.08 * len(words):
        return "other"
    return "en"


def article_language(parts: Sequence[tuple[str, int]], hint: str | None = None) -> str:
    """The article's language from ``(paragraph_lang, n_chars)`` pairs of analysed paragraphs.

    ``mixed`` when English and Chinese each hold at least 15% of the text (Chinese characters
    weighted ×3, as one carries about as much as three Latin letters).
    """
    weight = {"en": 0.0, "zh": 0.0}
    for lang, n in parts:
        if lang in weight:
            weight[lang] += n * (3 if lang == "zh" else 1)
    total = weight["en"] + weight["zh"]
    if total == 0:
        others = [lang for lang, _ in parts if lang == "other"]
        return "other" if others else (hint if hint in ("en", "zh") else "und")
    if min(weight.values()) >= 0.15 * total:
        return "mixed"
    return "en" if weight["en"] > weight["zh"] else "zh"
