"""Production code stays small enough to read: no module under openprm/ over 500 lines and no
function over 60 (issue 16). Tests and migrations are outside the rule. A function's lines run
from its `def` to its last line, nested functions included; decorators are not counted."""

import ast
from collections.abc import Iterator
from pathlib import Path

OPENPRM = Path(__file__).resolve().parent.parent / "openprm"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def production_files() -> Iterator[Path]:
    for path in sorted(OPENPRM.rglob("*.py")):
        parts = path.relative_to(OPENPRM).parts
        if "tests" not in parts and "migrations" not in parts:
            yield path


def oversized(path: Path, name: str) -> dict[str, int]:
    """The module (as `name`) and its functions (`name: function`) over the limits, with their
    lengths in lines."""
    text = path.read_text(encoding="utf-8")
    found = {}
    if len(text.splitlines()) > MAX_MODULE_LINES:
        found[name] = len(text.splitlines())
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found[f"{name}: {node.name}"] = length
    return found


def offenders() -> dict[str, int]:
    return {
        place: length
        for path in production_files()
        for place, length in oversized(path, str(path.relative_to(OPENPRM))).items()
    }


def test_no_module_over_500_lines_and_no_function_over_60():
    found = sorted(f"{place} ({length} lines)" for place, length in offenders().items())
    assert not found, f"split these, or take a part out of them: {found}"


def test_a_long_module_and_a_long_function_are_named(tmp_path):
    body = "".join(f"    x = {n}\n" for n in range(MAX_FUNCTION_LINES))
    module = tmp_path / "long.py"
    module.write_text(
        "def short():\n    pass\n\n\n"
        f"def long():\n{body}\n\n"
        "class Holder:\n    async def method(self):\n"
        + "        pass\n" * MAX_FUNCTION_LINES
        + "\n" * MAX_MODULE_LINES
    )
    assert oversized(module, "long.py") == {
        "long.py": len(module.read_text().splitlines()),
        "long.py: long": MAX_FUNCTION_LINES + 1,
        "long.py: method": MAX_FUNCTION_LINES + 1,
    }
