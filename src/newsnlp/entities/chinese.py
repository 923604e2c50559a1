"""Chinese mentions (placeholder until the Chinese NER model ships): none yet."""

from __future__ import annotations

from typing import Any

from newsnlp.config import Settings


def chinese_mentions_factory(settings: Settings) -> Any:
    """The Chinese mention finder, or ``None`` when no Chinese NER model is installed."""
    return None
