"""jieba's two cuts of one text from a single dictionary pass.

The pipeline's words come from jieba's default cut (HMM on); the Chinese NER features were
trained on jieba's cut with HMM off. Both cuts start from the same costly step, the best path
through the dictionary DAG of each Han block (``get_DAG`` + ``calc``), and differ only in how
runs of single characters are merged afterwards. :func:`dag_path` runs that step once;
:func:`hmm_words` and :func:`plain_words` replay the two merging loops of
``jieba.Tokenizer.cut`` (jieba 0.42) over it, so each gives exactly what ``cut`` gives.

Example:
    >>> from newsnlp.preprocess.tokenize import load_jieba
    >>> path = dag_path(load_jieba(), "他在北京说：OK")
    >>> list(hmm_words(path, load_jieba())) == list(load_jieba().cut("他在北京说：OK"))
    True
"""

from __future__ import annotations

from typing import Any, Iterator

from jieba import finalseg, re_eng, re_han_default, re_skip_default

#: One block of the text as ``jieba.Tokenizer.cut`` splits it: whether it is a Han block (whose
#: pieces are the words of its best DAG path), and its pieces in order.
Block = tuple[bool, list[str]]


def dag_path(tokenizer: Any, text: str) -> list[Block]:
    """The blocks of ``text`` with the best dictionary path through each Han block."""
    blocks: list[Block] = []
    for block in re_han_default.split(text):
        if not block:
            continue
        if re_han_default.match(block):
            route: dict[int, tuple[float, int]] = {}
            tokenizer.calc(block, tokenizer.get_DAG(block), route)
            words = []
            x, n = 0, len(block)
            while x < n:
                y = route[x][1] + 1
                words.append(block[x:y])
                x = y
            blocks.append((True, words))
        else:
            pieces: list[str] = []
            for piece in re_skip_default.split(block):
                if re_skip_default.match(piece):
                    pieces.append(piece)
                else:
                    pieces.extend(piece)  # one piece per character, as jieba yields them
            blocks.append((False, pieces))
    return blocks


def hmm_words(path: list[Block], tokenizer: Any) -> Iterator[str]:
    """The words of ``tokenizer.cut(text)`` (HMM on): unknown single-character runs go to the HMM."""
    freq = tokenizer.FREQ
    for is_han, words in path:
        if not is_han:
            yield from words
            continue
        run = ""
        for word in words:
            if len(word) == 1:
                run += word
                continue
            if run:
                yield from _hmm_run(run, freq)
                run = ""
            yield word
        if run:
            yield from _hmm_run(run, freq)


def _hmm_run(run: str, freq: dict[str, int]) -> Iterator[str] | list[str] | str:
    if len(run) == 1:
        return [run]
    if not freq.get(run):
        return finalseg.cut(run)
    return run  # a dictionary word cut into characters: jieba yields them one by one


def plain_words(path: list[Block]) -> Iterator[str]:
    """The words of ``tokenizer.cut(text, HMM=False)``: runs of single ASCII letters/digits join."""
    for is_han, words in path:
        if not is_han:
            yield from words
            continue
        run = ""
        for word in words:
            if len(word) == 1 and re_eng.match(word):
                run += word
                continue
            if run:
                yield run
                run = ""
            yield word
        if run:
            yield run
