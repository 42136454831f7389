"""The shape of the code, measured: short modules, short functions, simple functions.

Every module of the apps (outside migrations and tests) stays within 500 lines; every function or
method within 60 lines, from its `def` to its last line (decorators not counted); and no function is
more complex than cyclomatic 20 as radon measures it (grade D and worse). Each test collects every
offender first, so one run lists them all.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from radon.complexity import cc_visit
from radon.visitors import Class, Function

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "reviews", "chronology", "reports", "actions", "casereview")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 20


def app_modules() -> list[Path]:
    """Every Python module of the apps, migrations and tests left out."""
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts or path.name.startswith("test_"):
                continue
            modules.append(path)
    return modules


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def function_defs(tree: ast.AST) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Each function and method with its qualified name (`Class.method`, `outer.inner`)."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                yield name, child
                yield from walk(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def complexities(source: str) -> Iterator[tuple[str, int, int]]:
    """Radon's cyclomatic complexity of each function and method: qualified name, line, complexity."""

    def walk(blocks: list[Function | Class], prefix: str) -> Iterator[tuple[str, int, int]]:
        for block in blocks:
            name = f"{prefix}{block.name}"
            if isinstance(block, Function):
                yield name, block.lineno, block.complexity
                yield from walk(block.closures, f"{name}.")
            else:
                yield from walk(block.methods, f"{name}.")
                yield from walk(block.inner_classes, f"{name}.")

    # cc_visit lists each method both inside its class and on its own; walk the top-level blocks only.
    blocks = [block for block in cc_visit(source) if not (isinstance(block, Function) and block.is_method)]
    yield from walk(blocks, "")


def test_the_apps_have_modules_to_measure() -> None:
    assert len(app_modules()) > 50


def test_no_module_is_over_500_lines() -> None:
    offenders = []
    for path in app_modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            offenders.append(f"{relative(path)}: {lines} lines")
    if offenders:
        pytest.fail(f"Modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(offenders), pytrace=False)


def test_no_function_is_over_60_lines() -> None:
    offenders = []
    for path in app_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, node in function_defs(tree):
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                offenders.append(f"{relative(path)}:{node.lineno} {name}: {lines} lines")
    if offenders:
        pytest.fail(f"Functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(offenders), pytrace=False)


def test_no_function_is_above_cyclomatic_complexity_20() -> None:
    offenders = []
    for path in app_modules():
        for name, line, complexity in complexities(path.read_text(encoding="utf-8")):
            if complexity > MAX_COMPLEXITY:
                offenders.append(f"{relative(path)}:{line} {name}: cyclomatic complexity {complexity}")
    if offenders:
        message = f"Functions above cyclomatic complexity {MAX_COMPLEXITY}:\n" + "\n".join(offenders)
        pytest.fail(message, pytrace=False)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(a):\n    return a\n", {"f": 1}),
        (
            "class C:\n    def m(self, a):\n        if a:\n            return 1\n        return 2\n",
            {"C.m": 2},
        ),
        (
            "def outer(a):\n    def inner(b):\n        return b or a\n    return inner\n",
            {"outer": 1, "outer.inner": 2},
        ),
    ],
)
def test_complexity_is_read_per_function_and_method(source: str, expected: dict[str, int]) -> None:
    assert {name: complexity for name, _line, complexity in complexities(source)} == expected
