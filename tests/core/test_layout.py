"""The package shape of docs/architecture.md, checked so it cannot drift.

A reader guesses where code lives from these rules; each test names the file that
broke one.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from portal.extensions import db

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# Lower layers never import higher ones (``core`` ← ``auth`` ← ``membership`` ←
# ``board`` ← ``admin``); a feature may use another's models and services.
LAYERS = ["core", "auth", "membership", "board", "search", "moderation", "admin"]
FEATURES = ["auth", "membership", "board", "search", "moderation", "admin"]
LAYER_NAMES = {"views", "services", "queries", "cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PORTAL.rglob("*.py")}


def imported(path: Path, *, top_level_only: bool) -> set[str]:
    """Every ``portal…`` module a file imports (names resolved to modules)."""
    known = modules()
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("portal")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "portal"
        ):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else str(node.module))
    return found


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


@pytest.mark.parametrize("path", sorted(PORTAL.rglob("*.py")), ids=str)
def test_imports_flow_one_way(path: Path):
    here = feature_of(module_name(path))
    if here is None:
        return
    for target in imported(path, top_level_only=False):
        there = feature_of(target)
        if there is not None:
            assert LAYERS.index(there) <= LAYERS.index(here), (
                f"{path.relative_to(PORTAL.parent)} imports {target}: "
                f"{here} sits below {there}"
            )


def test_no_import_cycles_beyond_the_blueprint_pattern():
    """A package's ``__init__`` imports its view and command modules after
    defining ``bp``, and they import ``bp`` back: Flask's documented pattern.
    Any other cycle is a design error."""
    graph = {
        name: imported(path, top_level_only=True) for name, path in modules().items()
    }

    def blueprint_edge(source: str, target: str) -> bool:
        return target.startswith(source + ".") or source.startswith(target + ".")

    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str], done: set[str]) -> None:
        if node in stack:
            cycle = [*stack[stack.index(node) :], node]
            if not all(blueprint_edge(a, b) for a, b in itertools.pairwise(cycle)):
                cycles.append(cycle)
            return
        if node in done:
            return
        done.add(node)
        for target in graph.get(node, ()):
            visit(target, [*stack, node], done)

    for start in graph:
        visit(start, [], set())
    assert cycles == []


@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_package_owns_its_blueprint(feature: str):
    source = (PORTAL / feature / "__init__.py").read_text()
    assert "bp = Blueprint(" in source


@pytest.mark.parametrize("feature", FEATURES)
def test_layer_sub_packages_hold_modules_named_after_domain_nouns(feature: str):
    for path in (PORTAL / feature).rglob("*.py"):
        stem = path.stem
        assert not stem.startswith("screens_"), path
        assert not any(stem.endswith(f"_{layer}") for layer in LAYER_NAMES), path
        assert stem not in {"blueprint", "pages", "helpers", "utils"}, path


def test_every_table_lives_in_a_models_module(app):
    for mapper in db.Model.registry.mappers:
        module = mapper.class_.__module__
        assert module.endswith(".models"), f"{mapper.class_.__name__} in {module}"


def test_the_app_factory_imports_blueprints_not_modules_for_their_side_effects():
    source = (PORTAL / "__init__.py").read_text()
    factory = source[source.index("def register_blueprints") :]
    factory = factory[: factory.index("\ndef ", 1)]
    for line in factory.splitlines():
        if line.strip().startswith(("from portal", "import portal")):
            assert line.strip().endswith("_bp"), line
