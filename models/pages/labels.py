"""Training rows of the page line labeller: real pages rendered to text, lines labelled by aligning
them with the gold (:func:`label_lines`), clean copies added (:func:`clean_copy`); used by
``train.py`` beside this file.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from newsnlp.preprocess.dates import find_date
from newsnlp.preprocess.page_features import (
    LABELS,
    line_features,
)
from newsnlp.preprocess.page_rules import (
    _BYLINE,
    _ZH_BYLINE,
    page_spans,
)


from build_corpus import partial_labels  # noqa: E402  (beside this script)

SHINGLE = 5
# Editor notes (责任编辑：…) are boilerplate here, though the Chinese dataset's gold counts the editor as
# author: the structure finder reads a name from them only when the page has no byline.
_EDITOR = re.compile(r"责任编辑|编辑|责编")


def load_scorer(data: Path):
    """``score_pages.py`` as a module (render_text, tokens, prf, fold), imported by path."""
    path = data.parents[1] / "eval" / "score_pages.py"
    spec = importlib.util.spec_from_file_location("score_pages", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def load_pages(folder: Path, scorer) -> list[dict]:
    pages = []
    for line in (folder / "index.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        raw = (folder / record["file"]).read_bytes()
        record["text"] = scorer.render_text(raw)
        record["spans"] = page_spans(record["text"])
        pages.append(record)
    return pages


def label_lines(page: dict, scorer) -> list[str]:
    """Each span's role by alignment with the page's gold title, body, author and date."""
    text, spans = page["text"], page["spans"]
    segments = [text[s:e] for s, e in spans]
    gold_tokens = scorer.tokens(page["body"])
    shingles = {tuple(gold_tokens[i:i + SHINGLE]) for i in range(len(gold_tokens) - SHINGLE + 1)}
    gold_joined = " " + " ".join(gold_tokens) + " "
    line_tokens = [scorer.tokens(seg) for seg in segments]
    coverage = []
    for toks in line_tokens:
        if len(toks) < SHINGLE:
            coverage.append(None)
            continue
        covered = [False] * len(toks)
        for i in range(len(toks) - SHINGLE + 1):
            if tuple(toks[i:i + SHINGLE]) in shingles:
                for k in range(i, i + SHINGLE):
                    covered[k] = True
        coverage.append(sum(covered) / len(toks))
    labels = ["body" if c is not None and c >= 0.6 else "boilerplate" for c in coverage]
    # Short lines: body when they occur in the gold body and sit between body lines.
    for i, c in enumerate(coverage):
        if c is None and line_tokens[i] and (" " + " ".join(line_tokens[i]) + " ") in gold_joined:
            before = next((labels[j] for j in range(i - 1, -1, -1) if coverage[j] is not None), None)
            after = next((labels[j] for j in range(i + 1, len(labels)) if coverage[j] is not None), None)
            if before == "body" and after == "body":
                labels[i] = "body"
    body_lines = [i for i, lab in enumerate(labels) if lab == "body"]
    first_body = body_lines[0] if body_lines else len(labels)
    gold_title = scorer.fold(page["title"])
    title_hits = [i for i, seg in enumerate(segments) if scorer.fold(seg) == gold_title]
    title = None
    if title_hits:
        title = min(title_hits, key=lambda i: (first_body - i if i < first_body else 1000 + i - first_body))
        labels[title] = "title"
    anchor = title if title is not None else first_body
    near = range(max(0, anchor - 4), min(len(labels), anchor + 8))
    author, date = page.get("author"), page.get("date")
    for i, seg in enumerate(segments):
        if labels[i] != "boilerplate" or len(seg) > 150:
            continue
        if author and author.split(", ")[0] in seg and not _EDITOR.search(seg):
            labels[i] = "byline"
        elif date and (found := find_date(seg, more=False)) and found[2].startswith(date):
            labels[i] = "date"
        elif not author and i in near and len(seg) <= 120 and (_BYLINE.match(seg) or _ZH_BYLINE.match(seg)):
            labels[i] = "byline"
        elif not date and i in near and len(seg) <= 80 and (found := find_date(seg, more=False)) and found[0] <= 30:
            labels[i] = "date"
    return labels


_TRAILERS = {
    "en": ["Related Posts", "Related Articles", "Leave a Reply", "Check Also", "More Stories", "You may also like",
           "Read more:", "Recommended", "Most Popular"],
    "zh": ["相关新闻", "相关阅读", "推荐阅读", "延伸阅读", "热门推荐", "猜你喜欢", "相关报道"],
}
_SHARE = {"en": ["Share this:", "Share", "Facebook Twitter Email", "Print", "Comments"],
          "zh": ["分享到：", "分享到：微博 微信", "打印", "关闭", "【我要纠错】"]}


def clean_copy(page: dict, labels: list[str], titles: dict[str, list[str]], rng: random.Random) -> tuple[str, list[str]]:
    """The page's article as a clean or lightly furnished text, with its roles.

    Always: the gold title and body paragraphs (sometimes a byline and a date line). Sometimes a few
    of the page's own boilerplate lines before it, a share line after it, or a trailer ("Related
    Posts", "相关新闻") followed by other pages' titles: the short texts people paste.
    """
    lang = page["lang"] if page["lang"] in ("en", "zh") else "en"
    parts: list[str] = []
    roles: list[str] = []
    furniture = [page["text"][s:e] for (s, e), lab in zip(page["spans"], labels) if lab == "boilerplate" and e - s <= 80]
    if furniture and rng.random() < 0.4:
        for line in rng.sample(furniture, min(len(furniture), rng.randint(1, 5))):
            parts.append(line)
            roles.append("boilerplate")
    parts.append(page["title"])
    roles.append("title")
    if rng.random() < 0.3:
        if page.get("author"):
            name = page["author"].split(", ")[0]
            parts.append(f"By {name}" if lang == "en" else f"记者 {name}")
        else:
            parts.append("By Staff Writer" if lang == "en" else "本报记者 王明")
        roles.append("byline")
    if rng.random() < 0.3:
        parts.append(page.get("date") or ("March 4, 2024" if lang == "en" else "2024年3月4日 10:30"))
        roles.append("date")
    paragraphs = [p for p in page["body"].split("\n\n") if p.strip()]
    if rng.random() < 0.1:  # texts pasted as one paragraph
        paragraphs = [("" if lang == "zh" else " ").join(paragraphs)]
    parts.extend(paragraphs)
    roles.extend(["body"] * len(paragraphs))
    if rng.random() < 0.3:
        parts.append(rng.choice(_SHARE[lang]))
        roles.append("boilerplate")
    if rng.random() < 0.4:
        parts.append(rng.choice(_TRAILERS[lang]))
        roles.append("boilerplate")
        for title in rng.sample(titles[lang], rng.randint(1, 4)):
            parts.append(title)
            roles.append("boilerplate")
    return ("\n\n" if rng.random() < 0.7 else "\n").join(parts), roles


def build_rows(pages: list[dict], scorer, clean: bool, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    items = []
    titles = {lang: [p["title"] for p in pages if p["lang"] == lang] for lang in ("en", "zh")}
    for page in pages:
        partial = bool(page.get("partial_body"))
        labels = partial_labels(page, scorer) if partial else label_lines(page, scorer)
        items.append({"site": page["site"], "text": page["text"], "spans": page["spans"], "labels": labels, "page": page})
        if clean and not partial:
            text, roles = clean_copy(page, labels, titles, rng)
            spans = page_spans(text)
            if len(spans) == len(roles):
                items.append({"site": page["site"], "text": text, "spans": spans, "labels": roles, "page": None})
    for item in items:
        item["rows"] = line_features(item["text"], item["spans"])
        item["y"] = np.array([LABELS.index(lab) if lab else -1 for lab in item["labels"]])  # -1: unlabelled
    return items
