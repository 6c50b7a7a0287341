"""The layers of the casework service as STYLE.md draws them, checked on the source: the domain
and the service layer speak no SQL (the repository is an adapter), service-layer modules import
each other without a cycle, and no import hides inside a function to break one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lotse_casework

PACKAGE = Path(lotse_casework.__file__).parent
#: function-level imports with a reason: the package root stays empty at import time
#: (gunicorn's ``lotse_casework:create_app()``; importing the domain loads no Flask), and the
#: views are imported where the app is built, so that the worker loads no Flask (ADR 0111 point 7)
LAZY = {("__init__.py", "create_app"), ("bootstrap.py", "register_api")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The modules ``path`` imports, relative imports resolved (``from . import x`` → ``.x``)."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[:len(package) - node.level + 1], *filter(None, [base])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def sources(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).glob("*.py"))


@pytest.mark.parametrize("layer", ["domain", "service_layer"])
def test_the_domain_and_the_service_layer_speak_no_sql_and_know_no_web_or_broker(layer):
    forbidden = ("sqlalchemy", "flask", "kombu", "lotse_casework.adapters.orm",
                 "lotse_casework.adapters.repository", "lotse_casework.entrypoints")
    for path in sources(layer):
        bad = sorted(m for m in imported(path) if m.startswith(forbidden))
        assert not bad, f"{layer}/{path.name} imports {bad}"


def test_service_layer_modules_import_each_other_without_a_cycle():
    prefix = "lotse_casework.service_layer."
    graph = {module_name(p): {m for m in imported(p) if m.startswith(prefix)
                              and (PACKAGE / "service_layer" / f"{m[len(prefix):]}.py").exists()}
             for p in sources("service_layer")}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            cycle = " -> ".join(m.removeprefix(prefix) for m in (*path, module))
            pytest.fail(f"import cycle: {cycle}")
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_no_import_hides_in_a_function():
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            inner = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
            where = (str(path.relative_to(PACKAGE)), node.name)
            assert not inner or where in LAZY, f"an import inside {where[1]}() in {where[0]}"
