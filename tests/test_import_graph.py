"""The packages depend on each other one way: no cycle, the scoring core imports no Django, and the
reports read the scoring core and the rubric only."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kaoping"


def _imports_of(path: Path) -> set[str]:
    """The kaoping top-level packages (or modules) this file imports, wherever the import stands."""
    relative = path.relative_to(SRC).parts
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # from . / from .. : inside the package, or its parent
                parents = relative[: len(relative) - node.level]
                target = [*parents, *(node.module.split(".") if node.module else [])]
                if target:
                    found.add(target[0].removesuffix(".py"))
            elif node.module and node.module.startswith("kaoping."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("kaoping.")}
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        package = path.relative_to(SRC).parts[0].removesuffix(".py")
        graph.setdefault(package, set()).update(_imports_of(path) - {package})
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_no_cycle_between_packages():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


@pytest.mark.parametrize(
    ("package", "allowed"),
    [
        ("scoring", set()),
        ("reports", {"scoring", "rubrics"}),
        ("rubrics", {"scoring", "audit"}),  # its admin audits every edit
        ("audit", {"bulk"}),  # the bulk INSERT of a sheet's audit rows
    ],
)
def test_the_core_packages_depend_only_on_what_they_may(package, allowed):
    assert _graph()[package] <= allowed | {"errors"}


def test_the_scoring_core_imports_no_django():
    for path in (SRC / "scoring").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(name.split(".")[0] == "django" for name in names), path.name
