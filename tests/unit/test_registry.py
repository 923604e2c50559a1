"""Stages run in the order their declarations give, and a missing dependency is a clear error."""

from __future__ import annotations

import pytest

from newsnlp.errors import ConfigError
from newsnlp.registry import StageSpec, plan, registered_stages


def _spec(name: str, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = (), order: int = 100) -> StageSpec:
    return StageSpec(name, factory=lambda settings: None, requires=requires,  # type: ignore[arg-type,return-value]
                     assigns=assigns or (name,), order=order)


SPECS = {
    "quotes": _spec("quotes", requires=("entities",), order=300),
    "entities": _spec("entities", order=500),          # a later tie-break order: declarations still win
    "topics": _spec("topics", order=200),
    "summary": _spec("summary", requires=("quotes", "topics", "tokens")),
}


def test_the_order_follows_requires_not_the_order_given() -> None:
    assert [s.name for s in plan(["quotes", "entities"], specs=SPECS)] == ["entities", "quotes"]
    assert [s.name for s in plan(["summary", "quotes", "topics", "entities"], specs=SPECS)] == [
        "topics", "entities", "quotes", "summary"]


def test_a_missing_dependency_names_the_stage_to_add() -> None:
    with pytest.raises(ConfigError, match="'quotes' requires 'entities'.*add the stage 'entities'"):
        plan(["quotes"], specs=SPECS)
    with pytest.raises(ConfigError, match="unknown stage"):
        plan(["sentiment"], specs=SPECS)


def test_a_cycle_is_refused() -> None:
    specs = {"a": _spec("a", requires=("b",)), "b": _spec("b", requires=("a",))}
    with pytest.raises(ConfigError, match="cycle"):
        plan(["a", "b"], specs=specs)


def test_the_built_in_stages_declare_their_needs() -> None:
    stages = registered_stages()
    assert list(stages)[:3] == ["entities", "topics", "quotes"]
    assert stages["quotes"].requires == ("entities",) and stages["entities"].assigns == ("entities",)


def test_the_analyzer_runs_an_explicit_selection_in_dependency_order() -> None:
    from newsnlp.pipeline import Analyzer

    assert [s.name for s in Analyzer(stages=("quotes", "entities")).plan] == ["entities", "quotes"]
    with pytest.raises(ConfigError, match="requires 'entities'"):
        Analyzer(stages=("quotes",))


def test_clear_caches_names_real_loaders() -> None:
    import importlib

    from newsnlp.cache import LRU_LOADERS, clear_caches

    for module_name, names in LRU_LOADERS.items():
        module = importlib.import_module(module_name)
        for name in names:
            assert callable(getattr(module, name).cache_clear), f"{module_name}.{name}"
    clear_caches()


@pytest.mark.slow
def test_two_settings_share_one_topic_model() -> None:
    from newsnlp.pipeline import Analyzer
    from newsnlp.topics.stage import TopicStage

    one, two = (Analyzer(stages=("topics",), batch_size=n) for n in (8, 16))
    first, second = (next(s for s in a.stages if isinstance(s, TopicStage)).model for a in (one, two))
    assert first is second
