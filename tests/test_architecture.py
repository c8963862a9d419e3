"""The import rules of docs/architecture.md, checked on the real source.

Every `import` in skill/ is read with `ast` (lazy imports inside functions included; only
`if TYPE_CHECKING:` blocks are left out, since they never run), so a new module that
breaks a layer fails here rather than in review.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "skill"

# The domain: no Alexa SDK, web framework or AWS SDK, and nothing from the layers above it.
DOMAIN = (
    "skill.programme",
    "skill.devices",
    "skill.triallog",
    "skill.homes",
    "skill.feedback",
    "skill.reminders",
)
DOMAIN_MODULES = ("skill.numbers", "skill.clock", "skill.settings", "skill.speech")
FRAMEWORKS = ("ask_sdk", "ask_sdk_core", "ask_sdk_model", "flask", "werkzeug", "boto3", "botocore")
ABOVE_DOMAIN = (
    "skill.alexa",
    "skill.intents",
    "skill.smarthome",
    "skill.web",
    "skill.cli",
    "skill.services",
    "skill.model",
    "skill.simulator",
    "skill.lambda_function",
)
NOT_IN_LAMBDA = ("skill.simulator", "skill.web", "skill.cli", "flask", "werkzeug")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _strip_type_checking(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            node.body = [ast.Pass()]
    return tree


def _imports(tree: ast.AST, package: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(_strip_type_checking(tree)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            # `from skill.programme import formats` imports the submodule too.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


@cache
def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges[name] = _imports(ast.parse(path.read_text(encoding="utf-8")), package)
    return edges


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def skill_edges() -> dict[str, set[str]]:
    """Module -> the skill modules it imports (a package import counts as its __init__)."""
    known = set(graph())
    result: dict[str, set[str]] = {}
    for name, targets in graph().items():
        deps = set()
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t.startswith("skill") and t != name:
                deps.add(t)
        result[name] = deps
    return result


def test_the_graph_was_read():
    edges = skill_edges()
    assert len(edges) > 80
    assert "skill.programme.programme" in edges["skill.intents.programme"]


@pytest.mark.parametrize("layer", DOMAIN + DOMAIN_MODULES)
def test_the_domain_imports_no_framework_and_no_layer_above_it(layer):
    offences = []
    for name, targets in graph().items():
        if not _within(name, (layer,)):
            continue
        for t in targets:
            if _within(t, FRAMEWORKS) or _within(t, ABOVE_DOMAIN):
                offences.append(f"{name} imports {t}")
    assert offences == []


def test_there_is_no_import_cycle_in_skill():
    edges = skill_edges()
    # A package's __init__ re-exporting its own modules is not a cycle between layers.
    own = {
        name: {t for t in deps if not (t.startswith(name + ".") or name.startswith(t + "."))}
        for name, deps in edges.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(own.get(node, ())):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(own):
        if node not in state:
            visit(node)
    assert cycles == []


def test_the_checker_sees_a_lazy_framework_import_but_not_type_checking_ones():
    """The rules above can fail: a lazy boto3 import in the domain is found."""
    tree = ast.parse("def f():\n    import boto3\n")
    assert "boto3" in _imports(tree, "skill.programme")
    hidden = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import flask\n")
    assert "flask" not in _imports(hidden, "skill")


def test_importing_the_lambda_entry_loads_no_simulator_web_or_cli():
    code = (
        "import sys, skill.lambda_function\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({NOT_IN_LAMBDA!r}))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == ""
