"""The stage registry: what each analysis stage needs and adds, and the order that follows.

A stage declares ``requires`` (results it reads: ``"entities"``...) and ``assigns`` (results it
adds), in the spirit of spaCy's ``requires``/``assigns``. Preprocessing always provides
:data:`PREPROCESSED`. :func:`plan` orders a selection of stages so that every requirement is
assigned by an earlier stage, and refuses a selection that leaves one unassigned. Stage modules
register themselves here (or through the ``newsnlp_stages`` entry-point group); the
:class:`~newsnlp.pipeline.Analyzer` reads the registry and runs the plan.

Example:
    >>> [spec.name for spec in plan(["quotes", "entities"])]
    ['entities', 'quotes']
    >>> plan(["quotes"])
    Traceback (most recent call last):
    ...
    newsnlp.errors.ConfigError: stage 'quotes' requires 'entities', which no selected stage assigns: add the stage 'entities'
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

from newsnlp.config import Settings
from newsnlp.errors import ConfigError

if TYPE_CHECKING:
    from newsnlp.document import Work

logger = logging.getLogger(__name__)

#: What preprocessing gives every stage.
PREPROCESSED = frozenset({"text", "paragraphs", "title", "author", "dateline", "sentences", "tokens"})


class Stage(Protocol):
    """An analysis stage: adds its results to every :class:`~newsnlp.document.Work` of a batch.

    A stage may also define ``prepare(batch)``, called before the batch's spaCy memory zone opens:
    the place to build anything tied to a vocabulary (a ``PhraseMatcher``) or to load a model.
    """

    name: str

    def __call__(self, batch: list[Work]) -> None: ...


@dataclass(frozen=True)
class StageSpec:
    """A registered stage: how to build it, what it reads and adds, whether it runs by default.

    ``order`` only breaks ties between stages the declarations leave unordered; ``models`` names
    the shipped models the stage loads (the Analyzer checks them at start-up).
    """

    name: str
    factory: Callable[[Settings], Stage]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    default: bool = True
    order: int = 100


_REGISTRY: dict[str, StageSpec] = {}
# Built-in stage modules register themselves on import.
_BUILTIN_STAGE_MODULES = ("newsnlp.entities.stage", "newsnlp.topics.stage", "newsnlp.quotes.stage")
_discovered = False


def register_stage(name: str, factory: Callable[[Settings], Stage], *, requires: tuple[str, ...] = (),
                   assigns: tuple[str, ...] = (), models: tuple[str, ...] = (), default: bool = True,
                   order: int = 100) -> None:
    """Register an analysis stage under ``name`` (see :class:`StageSpec` for the fields)."""
    _REGISTRY[name] = StageSpec(name, factory, tuple(requires), tuple(assigns) or (name,), tuple(models),
                                default, order)


def registered_stages() -> dict[str, StageSpec]:
    """Every registered stage, built-in and from ``newsnlp_stages`` entry points, in run order."""
    global _discovered
    if not _discovered:
        _discovered = True
        for module in _BUILTIN_STAGE_MODULES:
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        for entry in entry_points(group="newsnlp_stages"):
            try:
                entry.load()
            except Exception as error:  # a broken plugin must not break the library
                logger.warning("cannot load newsnlp stage plugin %s: %s", entry.name, error)
    return {spec.name: spec for spec in plan(_REGISTRY, specs=_REGISTRY)}


def default_stages() -> list[str]:
    """The stages that run when none are named, in run order."""
    return [name for name, spec in registered_stages().items() if spec.default]


def plan(names: Iterable[str], *, specs: dict[str, StageSpec] | None = None) -> list[StageSpec]:
    """The stages ``names`` in an order where each runs after the stages whose results it requires.

    Raises:
        ConfigError: an unknown stage, a requirement no selected stage assigns, or a cycle.
    """
    specs = registered_stages() if specs is None else specs
    selected = list(dict.fromkeys(names))
    unknown = [n for n in selected if n not in specs]
    if unknown:
        raise ConfigError(f"unknown stage(s) {unknown}; available: {sorted(specs)}")
    providers = {result: spec.name for spec in (specs[n] for n in selected) for result in spec.assigns}
    for name in selected:
        for need in specs[name].requires:
            if need not in PREPROCESSED and need not in providers:
                known = [s.name for s in specs.values() if need in s.assigns]
                hint = f": add the stage {known[0]!r}" if known else ""
                raise ConfigError(f"stage {name!r} requires {need!r}, which no selected stage assigns{hint}")
    ordered: list[StageSpec] = []
    waiting = sorted((specs[n] for n in selected), key=lambda spec: spec.order)
    done: set[str] = set(PREPROCESSED)
    while waiting:
        ready = next((s for s in waiting if all(r in done for r in s.requires)), None)
        if ready is None:
            raise ConfigError(f"stages {[s.name for s in waiting]} require each other's results (a cycle)")
        waiting.remove(ready)
        ordered.append(ready)
        done.update(ready.assigns)
    return ordered


__all__ = ["PREPROCESSED", "Stage", "StageSpec", "default_stages", "plan", "register_stage", "registered_stages"]
