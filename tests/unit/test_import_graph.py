"""No import circles between newsnlp's modules (the layers contract in pyproject.toml checks direction)."""

from __future__ import annotations

import pytest

grimp = pytest.importorskip("grimp")  # installed with import-linter (the dev extra)


def test_no_module_imports_itself_back() -> None:
    graph = grimp.build_graph("newsnlp")
    circles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                circles.append(" -> ".join((module, *back)))
    assert circles == []
