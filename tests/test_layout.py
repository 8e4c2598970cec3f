"""Module and function sizes (issue 12): no module under bot/ or index/ over MAX_MODULE_LINES
lines and no function over MAX_FUNCTION_LINES lines, unless EXCEPTIONS names it with its reason.
Sizes are measured here, from the source files, with `ast`: nothing of briefbot is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "index")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60  # from the `def` line to the function's last line, nested defs included

# "path" (a module) or "path::qualname" (a function) -> why it may be longer. An entry whose
# module or function is back within the limit fails `test_every_exception_is_still_needed`.
EXCEPTIONS: dict[str, str] = {
    "index/people.py": "one resolver: finding name mentions and merging them into people share "
    "the private _Mention helpers; roles, evidence and word lists are already in "
    "people_roles/people_evidence/people_words",
}


def sizes(source: str, path: str) -> dict[str, int]:
    """Lines of the module (`path`) and of each function in it (`path::qualname`)."""
    found = {path: len(source.splitlines())}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    assert child.end_lineno is not None
                    found[f"{path}::{name}"] = child.end_lineno - child.lineno + 1
                walk(child, name + ".")
            else:
                walk(child, prefix)

    walk(ast.parse(source), "")
    return found


def too_long(found: dict[str, int]) -> dict[str, int]:
    return {
        key: n
        for key, n in found.items()
        if n > (MAX_FUNCTION_LINES if "::" in key else MAX_MODULE_LINES)
    }


def project_sizes() -> dict[str, int]:
    found: dict[str, int] = {}
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            path = file.relative_to(ROOT).as_posix()
            found.update(sizes(file.read_text(encoding="utf-8"), path))
    return found


def test_no_module_or_function_over_the_limit_without_a_reason() -> None:
    over = {key: n for key, n in too_long(project_sizes()).items() if key not in EXCEPTIONS}
    assert not over, (
        f"over {MAX_MODULE_LINES} lines (module) or {MAX_FUNCTION_LINES} (function); split them "
        f"or list them in EXCEPTIONS with the reason: {over}"
    )


def test_every_exception_is_still_needed() -> None:
    over = too_long(project_sizes())
    stale = sorted(key for key in EXCEPTIONS if key not in over)
    assert not stale, f"within the limits now: remove from EXCEPTIONS {stale}"
    assert all(reason.strip() for reason in EXCEPTIONS.values())


def test_the_measure_catches_long_modules_and_functions() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    source = (
        f"class A:\n    def short(self) -> None:\n        pass\n\n"
        f"    def long(self) -> None:\n        def inner() -> None:\n            pass\n"
        f"{body.replace('    ', '        ')}\n\n\ndef f() -> None:\n{body}\n"
    )
    found = sizes(source, "m.py")
    assert found["m.py::A.short"] == 2
    assert found["m.py::A.long.inner"] == 2
    assert found["m.py::A.long"] == MAX_FUNCTION_LINES + 3  # its own body and `inner`'s
    assert found["m.py::f"] == MAX_FUNCTION_LINES + 1
    assert set(too_long(found)) == {"m.py::A.long", "m.py::f"}
    padded = source + "\n" * (MAX_MODULE_LINES - len(source.splitlines()) + 1)
    assert "m.py" in too_long(sizes(padded, "m.py"))
    assert "m.py" not in too_long(sizes(source, "m.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_the_walk_sees_every_module(package: str) -> None:
    files = {p.relative_to(ROOT).as_posix() for p in (ROOT / package).rglob("*.py")}
    assert files and files <= set(project_sizes())
