"""Shared fixtures: the shared folder (skip when absent) and session-wide analyzers."""

from __future__ import annotations

import multiprocessing.process
import os
import subprocess
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSNLP_SHARED", ROOT.parent / "shared"))
SAMPLES = ROOT / "data" / "samples"


def _refuse(what: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"{what} in a test not marked slow: the fast lane runs on blank pipelines and "
                             "hand-built inputs (mark the test @pytest.mark.slow, or build its input by hand)")
    return refuse


def _guard_fast_lane(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("a subprocess"))
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", _refuse("a child process"))
    import spacy

    monkeypatch.setattr(spacy, "load", _refuse("spacy.load (a trained pipeline)"))
    from newsnlp.shipped import model_dir
    from newsnlp.topics.model import TopicModel

    shipped_topics, load_topics = model_dir("topics").resolve(), TopicModel.load.__func__  # type: ignore[attr-defined]

    def load_topic_model(cls: type, directory: Any) -> Any:
        if Path(directory).resolve() == shipped_topics:
            _refuse("the shipped topic model")()
        return load_topics(cls, directory)
    monkeypatch.setattr(TopicModel, "load", classmethod(load_topic_model))


def _fast_lane(item: pytest.Item) -> Iterator[None]:
    """Keeps ``-m "not slow"`` a fast lane: a test without the mark may not start a process or a
    cluster, nor load a trained pipeline (``spacy.load``, the shipped topic model), in its fixtures
    (session-wide ones included) or its body."""
    if item.get_closest_marker("slow") is not None:
        yield
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        _guard_fast_lane(monkeypatch)
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    yield from _fast_lane(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    yield from _fast_lane(item)


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared`` (read-only data we may not copy); tests using it skip when it is absent."""
    if not (SHARED / "articles").is_dir():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture(scope="session")
def preprocessor():
    """An analyzer running preprocessing and tokenization only (no analysis stages)."""
    from newsnlp.pipeline import Analyzer

    return Analyzer(stages=())


@pytest.fixture(scope="session")
def blank_preprocessor():
    """Preprocessing and tokenization on spaCy's blank English pipeline: the fast lane's analyzer."""
    from newsnlp.config import Settings
    from newsnlp.pipeline import Analyzer

    return Analyzer(Settings(english_model="blank", stages=()))


@pytest.fixture(scope="session")
def full_analyzer():
    """An analyzer with every default stage."""
    from newsnlp.pipeline import Analyzer

    return Analyzer()
