"""The ``topics`` stage: every taxonomy label with its calibrated score, best first.

The model reads the title and body (boilerplate left out); Chinese paragraphs are read through
their folded view (simplified, half-width), so traditional-script articles get the same topics.
A topic model of your own: ``Settings(topic_model=DIR)``, ``NEWSNLP_TOPIC_MODEL`` or
``newsnlp annotate --topic-model DIR``.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import Any

from newsnlp.cache import cached_model
from newsnlp.config import Settings
from newsnlp.document import Work
from newsnlp.errors import ModelFormatError, ModelNotFoundError
from newsnlp.model import Topic
from newsnlp.registry import register_stage

logger = logging.getLogger(__name__)


def model_text(work: Work) -> str:
    """Title and body as the topic model should read them."""
    zh_views = {p.index: p.view.text for p in work.zh}
    parts = [zh_views.get(i, p.text) for i, p in enumerate(work.paragraphs) if p.analysed]
    return "\n\n".join(parts)


class TopicStage:
    """Classifies each article with the shipped bilingual model or a model of your own."""

    name = "topics"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def model(self) -> Any:
        from newsnlp.topics.model import TopicModel, TopicModelError, default_model_path

        path = Path(self.settings.topic_model) if self.settings.topic_model else default_model_path()
        if not path.is_dir():
            message = f"no topic model at {path}: reinstall newsnlp, or train one with 'newsnlp train topics'"
            if self.settings.allow_missing_models:
                logger.warning("%s; topics are skipped", message)
                return None
            raise ModelNotFoundError(message, source="topics")
        def load() -> Any:
            try:
                return TopicModel.load(path)
            except TopicModelError as error:
                raise ModelFormatError(str(error), source=str(path)) from error

        return cached_model("topics", path, load)  # one copy per folder, shared by every Settings

    def __call__(self, batch: list[Work]) -> None:
        if self.model is None:
            return
        todo = [(work, model_text(work)) for work in batch]
        todo = [(work, text) for work, text in todo if text.strip()]
        if not todo:
            return
        langs = [work.lang if work.lang in ("en", "zh", "mixed") else None for work, _ in todo]
        scored = self.model.predict_proba([text for _, text in todo], langs)
        for (work, _), labels in zip(todo, scored):
            work.topics = [Topic(label, round(score, 6)) for label, score in labels]


register_stage("topics", TopicStage, assigns=("topics",), models=("topics",), order=200)
