"""A test that only checks a status code passes on the wrong page, an empty page or a write that
did not happen: every test that asserts a status code also checks what the user sees or what was
written (issue 16). Checks are `assert` statements, `pytest.raises`, the query-count context
managers, calls to `assert_*`/`expect*` helpers (Playwright's `expect` among them), and calls to a
helper of the same module that asserts something other than a status code."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Context managers that fail the test themselves.
CHECKING_CONTEXTS = {
    "raises",
    "django_assert_num_queries",
    "django_assert_max_num_queries",
    "assertNumQueries",
    "expect_navigation",
    "expect_download",
}
CHECKING_CALL_PREFIXES = ("assert", "expect")
# What a response shows beyond its status: an assert that reads one of these checks the answer.
SHOWN = {"json", "content", "text", "url", "context", "templates", "headers", "cookies"}


def suite_files() -> Iterator[Path]:
    yield from sorted(ROOT.glob("openprm/**/tests/**/test_*.py"))
    yield from sorted(ROOT.glob("tests/**/test_*.py"))


def called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def asserts_in(node: ast.AST) -> list[ast.Assert]:
    return [inner for inner in ast.walk(node) if isinstance(inner, ast.Assert)]


def functions_in(tree: ast.AST) -> list[ast.FunctionDef]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


class Module:
    """One test module read for its checks. Its helpers are sorted into those that answer a
    status code (`return r.status_code`), those that check only a status code, and those that
    check something else; inside a function, a name bound to a status code (`codes = [r.status_code
    for r in ...]`) is a status code too."""

    def __init__(self, tree: ast.Module) -> None:
        helpers = [node for node in functions_in(tree) if not node.name.startswith("test")]
        self.status_helpers: set[str] = set()
        self.status_helpers = {
            helper.name
            for helper in helpers
            if (returns := [r for r in ast.walk(helper) if isinstance(r, ast.Return) and r.value])
            and all(self.is_status(r, self.status_names(helper)) for r in returns)
        }
        self.checking_helpers = {
            helper.name
            for helper in helpers
            if any(
                not self.is_status(a.test, self.status_names(helper)) for a in asserts_in(helper)
            )
        }
        self.status_checking_helpers = {
            helper.name
            for helper in helpers
            if asserts_in(helper) and helper.name not in self.checking_helpers
        }

    def is_status(self, node: ast.AST, names: set[str]) -> bool:
        """An expression that reads a status code and nothing else a response shows."""
        inner_nodes = list(ast.walk(node))
        if any(isinstance(inner, ast.Attribute) and inner.attr in SHOWN for inner in inner_nodes):
            return False
        return any(
            (isinstance(inner, ast.Attribute) and inner.attr == "status_code")
            or (isinstance(inner, ast.Call) and called_name(inner) in self.status_helpers)
            or (isinstance(inner, ast.Name) and inner.id in names)
            for inner in inner_nodes
        )

    def status_names(self, function: ast.FunctionDef) -> set[str]:
        names: set[str] = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and self.is_status(node.value, names):
                names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        return names

    def checks_a_status(self, test: ast.FunctionDef) -> bool:
        names = self.status_names(test)
        return any(
            (isinstance(node, ast.Assert) and self.is_status(node.test, names))
            or (isinstance(node, ast.Call) and called_name(node) in self.status_checking_helpers)
            for node in ast.walk(test)
        )

    def checks_more_than_a_status(self, test: ast.FunctionDef) -> bool:
        names = self.status_names(test)
        for node in ast.walk(test):
            if isinstance(node, ast.Assert) and not self.is_status(node.test, names):
                return True
            if isinstance(node, ast.With | ast.AsyncWith) and any(
                isinstance(item.context_expr, ast.Call)
                and called_name(item.context_expr) in CHECKING_CONTEXTS
                for item in node.items
            ):
                return True
            if isinstance(node, ast.Call) and (
                called_name(node).startswith(CHECKING_CALL_PREFIXES)
                or called_name(node) in self.checking_helpers
            ):
                return True
        return False

    def status_only_tests(self, tree: ast.Module) -> Iterator[ast.FunctionDef]:
        for node in functions_in(tree):
            if (
                node.name.startswith("test")
                and self.checks_a_status(node)
                and not self.checks_more_than_a_status(node)
            ):
                yield node


def status_only(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in Module(tree).status_only_tests(tree)]


def test_every_test_that_checks_a_status_code_checks_what_the_user_sees_too():
    found = [
        f"{path.relative_to(ROOT)}::{name}" for path in suite_files() for name in status_only(path)
    ]
    assert not found, f"check the body, the page or the database as well: {found}"


def test_a_test_that_checks_only_a_status_code_is_named(tmp_path):
    module = tmp_path / "test_sample.py"
    module.write_text(
        "def status(client):\n"
        "    return client.get('/').status_code\n\n\n"
        "def refused(response):\n"
        "    assert response.status_code == 403\n\n\n"
        "def shows(response, text):\n"
        "    assert text in response.text\n\n\n"
        "def test_only_a_status(client):\n"
        "    assert client.get('/').status_code == 200\n\n\n"
        "def test_only_a_helpers_status(client):\n"
        "    assert status(client) == 404\n\n\n"
        "def test_only_a_status_checking_helper(client):\n"
        "    refused(client.get('/'))\n\n\n"
        "def test_the_body_too(client):\n"
        "    response = client.get('/')\n"
        "    assert response.status_code == 200\n"
        "    assert 'Welcome' in response.text\n\n\n"
        "def test_a_helper_that_checks_the_page(client):\n"
        "    response = client.get('/')\n"
        "    assert response.status_code == 200\n"
        "    shows(response, 'Welcome')\n\n\n"
        "def test_a_query_budget(client, django_assert_max_num_queries):\n"
        "    with django_assert_max_num_queries(5):\n"
        "        assert client.get('/').status_code == 200\n\n\n"
        "def test_the_status_and_the_body_at_once(client):\n"
        "    response = client.get('/')\n"
        "    assert (response.status_code, response.json()['id']) == (200, 7)\n\n\n"
        "def test_only_status_codes_in_a_list(client):\n"
        "    codes = [client.get(url).status_code for url in ('/', '/x')]\n"
        "    assert codes == [200, 404]\n\n\n"
        "def test_no_status_at_all():\n"
        "    assert 1 + 1 == 2\n"
    )
    assert status_only(module) == [
        "test_only_a_status",
        "test_only_a_helpers_status",
        "test_only_a_status_checking_helper",
        "test_only_status_codes_in_a_list",
    ]
