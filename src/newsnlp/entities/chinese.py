"""Chinese mentions: our own NER model (``models/zh_ner``) plus the country gazetteer.

* The model (character tokens, so no entity is ever split) reads each Chinese paragraph through
  its folded view: simplified, half-width. Traditional input therefore gives the same entities,
  with names folded to simplified (``Candidate.key``).
* LOC becomes COUNTRY (with its ISO code) when the gazetteer knows it, else LOCATION; 中方, 美方
  and other names the model missed are added from the gazetteer; one-character abbreviations
  count inside compounds (中美 → 中 + 美, 访华/驻华/对华 → CN, 来港/抵港 → HK).
* Rules for news: the paper of an 'XX报讯' byline is an ORG; facilities are places (博爱交汇处);
  fund names are no one (嘉实主题, 金鹰优选); a name running into a place name stops there. Country
  words in bodies and places, and the shapes of names, follow :mod:`newsnlp.entities.zh_rules`.
* A run of names printed without separators (李鹏乔石李瑞环) is one PERSON per name
  (:mod:`newsnlp.entities.zh_names`).
* 温总理 is a mention of 温家宝 when 温家宝 is in the article (surname + title).
* A person's name carries its pinyin (习近平 → "Xi Jinping") to link with English mentions.
"""

from __future__ import annotations

import logging
import re
from contextlib import nullcontext
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, ContextManager, Iterable, Iterator

from newsnlp.chars import HAN_BASIC, nfkc_same_length
from newsnlp.config import Settings
from newsnlp.document import Work, ZhParagraph
from newsnlp.entities.canonical import Candidate
from newsnlp.errors import ModelNotFoundError
from newsnlp.entities.gazetteer import country_gazetteer, zh_abbreviations
from newsnlp.entities.zh_decode import GreedyEntityDecoder
from newsnlp.entities.zh_names import pinyin_name, split_name_run
from newsnlp.entities.zh_rules import FACILITY, GOV_BODY, apply_rules, named_alone

logger = logging.getLogger(__name__)

_TITLES = "总理|主席|总书记|委员长|书记|部长|省长|市长|县长|局长|主任|总统|首相|院长|校长|总裁|董事长|教授|院士|先生|女士|同志|老|总"
# Only the bodies the entity guidelines split off (中国外交部 → 中国 + 外交部); 委内瑞拉能矿部 stays whole.
_COUNTRY_TITLE = re.compile(r"(.{2,6}?)(?=《)")  # 香港《文汇报》 → 香港 + 《文汇报》
_SPACE = re.compile(r"\s")
_SPACE_RUNS = re.compile(r"(\s+)")
_TITLE_TAIL = re.compile(r"^.(?:老|总)$")
# 'XX报讯 (记者 …)': the newspaper's byline opens the article ('本报讯' is "this paper").
_BYLINE_PAPER = re.compile(rf"((?<!本)[{HAN_BASIC}]{{2}}(?:时报|日报|晚报|晨报|早报|商报|青年报|都市报|周报|导报|快报|新报|法制报)"
                           r"|新京报)讯")
_PLACE_ENDS = frozenset("山江河湖海路街村镇县市省区岛港湾桥峰岭")
# Fund names embed a company's name (嘉实主题, 金鹰红利价值): not a person, not the company.
_FUND_TAIL = re.compile(rf"[{HAN_BASIC}]{{0,3}}?(?:主题|红利|优选|成长|精选|价值|债券|混合|指数|收益|增长|稳健|配置|动力|蓝筹|行业|策略|回报)")
_CONTEXT_ABBREVIATIONS = (
    (re.compile(r"(?<=[访驻对来赴援抵离在])华"), "CN"),
    (re.compile(r"菲(?=籍|方)"), "PH"),
    (re.compile(r"(?<=[来抵赴离访在])港|港(?=府|人|资|股)"), "HK"),
    (re.compile(r"台(?=当局|方)"), "TW"),
)


def default_zh_ner_path() -> Path:
    """The shipped Chinese NER pipeline (``Settings.zh_ner_model`` or ``$NEWSNLP_ZH_NER_MODEL`` replace it)."""
    from newsnlp.shipped import model_dir

    return model_dir("zh_ner")


@lru_cache(maxsize=4)
def load_zh_ner(path: str) -> Any:
    """Load the Chinese NER pipeline once per process (offline, from a folder)."""
    import spacy
    from thinc.api import NumpyOps

    import newsnlp.entities.zh_features  # noqa: F401  registers the feature component
    from newsnlp.entities.half import widen_half_params

    if not Path(path, "meta.json").is_file():
        raise ModelNotFoundError(f"no Chinese NER model at {path}")
    nlp = spacy.load(path)
    widen_half_params(nlp)  # the shipped tok2vec is stored in float16 (models/zh_ner/halve.py)
    # Matrix products through numpy's BLAS, not thinc's default blis (whose kernel here is far
    # slower): tok2vec + ner about 15% faster, same weights, same entities on the ner-zh dev set.
    ops = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        for node in pipe.model.walk() if hasattr(pipe, "model") else ():
            node.ops = ops
    return nlp


@lru_cache(maxsize=1)
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread() -> ContextManager[Any]:
    """numpy's BLAS on one thread while the model runs: its matrices are small enough that a
    second thread mostly spins, and newsnlp's own workers already use every core."""
    try:
        return _blas_controller().limit(limits=1, user_api="blas")
    except ImportError:  # threadpoolctl comes with scikit-learn; without it BLAS keeps its default
        return nullcontext()


def char_words(text: str) -> tuple[list[str], list[bool]]:
    """The words and spaces spaCy's character tokenizer (``segmenter = "char"``) makes of ``text``:
    every other character a word; one ASCII space after a character is that word's trailing space;
    any other run of whitespace is one word. Run by run instead of spaCy's search per character."""
    words: list[str] = []
    spaces: list[bool] = []
    for i, part in enumerate(_SPACE_RUNS.split(text)):
        if not part:
            continue
        if i % 2 == 0:  # characters
            words.extend(part)
            spaces.extend([False] * len(part))
            continue
        if words and part[0] == " ":
            spaces[-1] = True
            part = part[1:]
        if part:
            words.append(part)
            spaces.append(False)
    return words, spaces


@lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    names = sorted(country_gazetteer().names_zh, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@lru_cache(maxsize=2)
def _rule_pattern(kind: str) -> re.Pattern[str]:
    """Longest-first alternation of one list of ``resources/entity_rules_zh.json``."""
    import json
    from importlib import resources

    raw = json.loads(resources.files("newsnlp.resources").joinpath("entity_rules_zh.json").read_text("utf-8"))
    return re.compile("|".join(map(re.escape, sorted(raw[kind], key=len, reverse=True))))


def _bare_college(name: str) -> bool:
    """化工学院, 土木工程学院: a field of study + 学院, no university or place in the name."""
    from newsnlp.entities.zh_features import _load_jieba

    field = name.removesuffix("学院")
    return field != name and 2 <= len(field) <= 4 and _load_jieba()[1].get(field) in ("n", "l", "vn")


def _media_pattern() -> re.Pattern[str]:
    return _rule_pattern("media_orgs")


class ChineseMentions:
    """Candidate mentions for the Chinese paragraphs of a batch of articles."""

    def __init__(self, path: Path, batch_size: int = 64) -> None:
        self.path = path
        self.batch_size = batch_size

    @cached_property
    def nlp(self) -> Any:
        return load_zh_ner(str(self.path))

    def __call__(self, works: list[Work]) -> dict[int, list[Candidate]]:
        paragraphs = [(work, para) for work in works for para in work.zh]
        out: dict[int, list[Candidate]] = {}
        # The memory zone frees the batch's strings: no Doc leaves this block. The features are
        # written here, from the jieba pass the tokenizer made already.
        with self.nlp.memory_zone(), _one_blas_thread():
            if self._feature_pipes:
                inputs: Iterable[Any] = (self._featured(para) for _, para in paragraphs)
            else:  # a model of another make: it gets the text, as spaCy models do
                inputs = (para.view.text for _, para in paragraphs)
            for (work, para), doc in zip(paragraphs, self._tagged(inputs)):
                out.setdefault(id(work), []).extend(self._paragraph(work, para, doc))
        for work in works:
            out[id(work)] = self._titles(work, out.get(id(work), []))
        return out

    def _tagged(self, inputs: Iterable[Any]) -> Iterator[Any]:
        """The model's Docs with their entities: spaCy's pipes, the last (``ner``) decoded here
        by :class:`~newsnlp.entities.zh_decode.GreedyEntityDecoder` when it can (same entities,
        a fraction of the time)."""
        if self._decoder is None:
            yield from self.nlp.pipe(inputs, batch_size=self.batch_size, disable=self._feature_pipes)
            return
        from spacy.tokens import Span
        from spacy.util import minibatch

        name, ner = self.nlp.pipeline[-1]
        docs = self.nlp.pipe(inputs, batch_size=self.batch_size, disable=[*self._feature_pipes, name])
        for batch in minibatch(docs, self.batch_size):
            try:
                found = self._decoder(batch)
            except ValueError:  # preset entities or sentence starts: spaCy's own decoding
                yield from ner.pipe(batch, batch_size=self.batch_size)
                continue
            for doc, entities in zip(batch, found):
                doc.ents = [Span(doc, start, end, label=label) for start, end, label in entities]
                yield doc

    @cached_property
    def _decoder(self) -> GreedyEntityDecoder | None:
        from spacy.pipeline import EntityRecognizer

        last = self.nlp.pipeline[-1][1] if self.nlp.pipeline else None
        usable = isinstance(last, EntityRecognizer) and GreedyEntityDecoder.usable(last)
        return GreedyEntityDecoder(last) if usable else None

    @cached_property
    def _feature_pipes(self) -> list[str]:
        from newsnlp.entities.zh_features import ZhCharFeatures

        return [name for name, pipe in self.nlp.pipeline if isinstance(pipe, ZhCharFeatures)]

    def _featured(self, para: ZhParagraph) -> Any:
        """The paragraph's Doc with the model's character features, as its feature pipe writes them."""
        from newsnlp.entities.zh_features import set_char_features
        from newsnlp.preprocess.jieba_path import plain_words

        text = para.view.text
        folded = nfkc_same_length(text)  # the view is folded already: this is the same text but for rare marks
        words = plain_words(para.dag_path) if para.dag_path is not None and folded == text else None
        return set_char_features(self._char_doc(text), folded, words)

    def _char_doc(self, text: str) -> Any:
        """``nlp.make_doc(text)``: one token per character, built directly (the tokenizer's
        alignment of words to text is a tenth of the stage's time): see :func:`char_words`."""
        from spacy.tokens import Doc

        if _SPACE.search(text):
            words, spaces = char_words(text)
            return Doc(self.nlp.vocab, words=words, spaces=spaces)
        return Doc(self.nlp.vocab, words=list(text), spaces=[False] * len(text))

    def _paragraph(self, work: Work, para: Any, doc: Any) -> list[Candidate]:
        gazetteer = country_gazetteer()
        text = para.view.text
        found: list[tuple[int, int, str, str | None]] = []
        abbreviations = zh_abbreviations()
        starts = {s for s, _ in para.words}
        ends = {e for _, e in para.words}
        media = [m.span() for m in _media_pattern().finditer(text)
                 if m.start() in starts or text[m.start() - 1:m.start()] in ("据", "《", "（", "(", "、", " ")]
        media += [m.span(1) for m in _BYLINE_PAPER.finditer(text) if not any(a < m.end(1) and m.start(1) < b for a, b in media)]
        found.extend((s, e, "ORG", None) for s, e in media)
        for ent in doc.ents:
            label = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "LOCATION", "GPE": "LOCATION"}.get(ent.label_)
            if label is None:
                continue
            start, end = ent.start_char, ent.end_char
            # Outlets the 1998 training data never saw win over the model: 中新网北京 → 中新网 + 北京.
            lead = next(((s, e) for s, e in media if s <= start < e), None)
            if lead is not None:
                start = lead[1]
            if any(s < end and start < e for s, e in media) or end - start < 1:
                continue
            if label == "LOCATION" and len(ent.text) == 1 and text[end:end + 1] == "方":
                iso = gazetteer.name_iso(ent.text + "方")  # 中方, 美方, 巴方
                if iso:
                    found.append((start, end + 1, "COUNTRY", iso))
                    continue
            if label == "LOCATION" and all(c in abbreviations for c in ent.text) and len(ent.text) <= 2:
                isos = [abbreviations[c] for c in ent.text]
                # 中, 中美: one mention per country; not 中华 (one country twice), not 港 of 港珠澳/港大.
                paired = any(text[j:j + 1] in abbreviations and abbreviations[text[j]] != isos[0]
                             for j in (start - 1, end) if 0 <= j < len(text))
                if len(set(isos)) == len(isos) and (len(isos) == 2 or (start, end) in para.words or paired):
                    for i in range(start, end):
                        found.append((i, i + 1, "COUNTRY", abbreviations[text[i]]))
                continue
            if label == "PERSON" and len(ent.text) == 2 and _TITLE_TAIL.match(ent.text):
                end = start + 1  # 任老, 温总: the surname is the mention
            if label == "PERSON" and end not in ends:
                # 李斌|岳麓山: a name that runs into a place name ends where the place name starts.
                cut = max((s for s, e in para.words if start + 2 <= s < end < e and e - s >= 3
                           and text[e - 1] in _PLACE_ENDS and "·" not in text[start:end]), default=None)
                if cut is not None:
                    end = cut
            if label in ("PERSON", "ORG") and _FUND_TAIL.match(text, end) and "基金" in text[end:end + 40]:
                continue
            names = split_name_run(text[start:end]) if label == "PERSON" else None
            if names:  # 李鹏乔石李瑞环: a run of names printed without separators
                found.extend((start + s, start + e, "PERSON", None) for s, e in names)
                continue
            if label in ("ORG", "PERSON") and FACILITY.search(ent.text):  # 罗纳德·里根大厦 is a building
                label = "LOCATION"
            if label == "ORG":
                split = GOV_BODY.match(ent.text) or _COUNTRY_TITLE.match(ent.text)
                if split and gazetteer.name_iso(split.group(1)) and named_alone(work, ent.text, split.end(1)):
                    cut = start + split.end(1)
                    found.append((start, cut, "COUNTRY", gazetteer.name_iso(split.group(1))))
                    start = cut  # 中国国务院 → 中国 + 国务院
            if label == "ORG" and _bare_college(text[start:end]):
                continue  # 化工学院 with no university named is a sub-unit, not an organisation
            if label == "ORG" and text[start:start + 1] == "《" and text[end - 1:end] == "》":
                start, end = start + 1, end - 1  # the paper, not its title marks
            iso = gazetteer.name_iso(text[start:end]) if label == "LOCATION" else None
            found.append((start, end, "COUNTRY" if iso else label, iso))
        found = apply_rules(work, text, found)
        taken = [(s, e) for s, e, _, _ in found]

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        for match in _rule_pattern("public_bodies").finditer(text):
            # Departments the 1998 training data never saw (地政总署, 卫生防护中心): only where the
            # model found nothing, and only as whole jieba words (not 交通部 inside 交通部长).
            if free(*match.span()) and match.start() in starts and match.end() in ends:
                found.append((match.start(), match.end(), "ORG", None))
                taken.append(match.span())
        for match in _country_pattern().finditer(text):
            # The model rarely misses a plain country name but cannot know 中方/美方, and a name it
            # left alone is usually part of something else (中国电信): only X方 forms are added.
            if not match.group().endswith("方"):
                continue
            if free(*match.span()) and match.start() in starts and match.end() in ends:
                found.append((match.start(), match.end(), "COUNTRY", gazetteer.name_iso(match.group())))
                taken.append(match.span())
        for start, end in para.words:  # (words never overlap: their order does not matter here)
            # Country-pair compounds (中美, 中英): each character is a mention of its country; 中华 is no pair.
            # free() scans every mention so far: asked last, for the rare pair of abbreviations.
            if (end - start == 2 and text[start] in abbreviations and text[start + 1] in abbreviations
                    and abbreviations[text[start]] != abbreviations[text[start + 1]] and free(start, end)):
                for i in (start, start + 1):
                    found.append((i, i + 1, "COUNTRY", abbreviations[text[i]]))
                taken.append((start, end))
        for pattern, iso in _CONTEXT_ABBREVIATIONS:
            for match in pattern.finditer(text):
                if free(*match.span()):
                    found.append((match.start(), match.end(), "COUNTRY", iso))
                    taken.append(match.span())
        candidates = []
        for start, end, label, iso in found:
            s, e = para.view.to_source(start, end)
            key = text[start:end]
            aliases = (pinyin_name(key),) if label == "PERSON" and 2 <= len(key) <= 4 else ()
            candidates.append(Candidate(s, e, work.text[s:e], label, "name", iso,
                                        key=key if key != work.text[s:e] else None, aliases=aliases))
        return candidates

    @staticmethod
    def _titles(work: Work, candidates: list[Candidate]) -> list[Candidate]:
        """温总理 → a mention (温) of 温家宝 when the article names 温家宝."""
        people = {c.name for c in candidates if c.label == "PERSON" and 2 <= len(c.name) <= 4}
        by_surname: dict[str, str] = {}
        for name in people:
            by_surname.setdefault(name[0], name)
        if not by_surname:
            return candidates
        pattern = re.compile(f"([{''.join(map(re.escape, by_surname))}])(?:{_TITLES})")
        taken = [(c.start, c.end) for c in candidates]
        extra = []
        for para in work.zh:
            for match in pattern.finditer(para.view.text):
                s, e = para.view.to_source(match.start(1), match.end(1))
                if all(e <= a or s >= b for a, b in taken):
                    extra.append(Candidate(s, e, work.text[s:e], "PERSON", "name", key=by_surname[match.group(1)]))
        return candidates + extra


def chinese_mentions_factory(settings: Settings) -> ChineseMentions | None:
    """The Chinese mention finder; ``None`` (with a warning) only when the model is missing and
    ``settings.allow_missing_models`` says to run without it (else a ``ModelNotFoundError``)."""
    path = Path(settings.zh_ner_model) if settings.zh_ner_model else default_zh_ner_path()
    if not Path(path, "meta.json").is_file():
        message = f"no Chinese NER model at {path}: reinstall newsnlp or set Settings.zh_ner_model"
        if not settings.allow_missing_models:
            raise ModelNotFoundError(message, source="zh_ner")
        logger.warning("%s; Chinese entities are skipped", message)
        return None
    return ChineseMentions(path, settings.batch_size)
