"""docs/configuration.md cannot drift from the code: every environment variable the service reads
is a row of its table, and every row is a variable the service reads."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "learning_reviews"
TABLE = ROOT / "docs" / "configuration.md"
# A variable of this service, wherever its name is written (a reader's argument, a constant).
OURS = re.compile(r"LR_[A-Z0-9_]*[A-Z0-9]|DATABASE_URL")
# The typed readers of learning_reviews/environment.py, called on settings' `env`.
READERS = {
    f"env.{reader}"
    for reader in ("text", "optional", "boolean", "integer", "choice", "url", "address")
} | {"_env_bool"}


def _source_files() -> list[Path]:
    """The service's code, and gunicorn's settings, which every app server reads."""
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.relative_to(PACKAGE).parts
        and "migrations" not in path.relative_to(PACKAGE).parts
    ] + [ROOT / "gunicorn.conf.py"]


def _name_read(node: ast.AST) -> str | None:
    """The variable a node reads: `os.environ.get("X")`, `environ.get("X")`, `os.getenv("X")`,
    `os.environ["X"]`, or one of the readers, `env.integer("X", ...)`."""
    if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("environ"):
        key = node.slice
    elif isinstance(node, ast.Call) and node.args:
        function = ast.unparse(node.func)
        reads = function.endswith(("environ.get", "getenv")) or function in READERS
        if not reads:
            return None
        key = node.args[0]
    else:
        return None
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


def variables_read() -> dict[str, str]:
    """Each variable the service's code reads, and one file that reads it."""
    found: dict[str, str] = {}
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [_name_read(node)]
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.append(node.value if OURS.fullmatch(node.value) else None)
            for name in names:
                if name is not None:
                    found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def variables_documented() -> list[str]:
    """The names in the first column of the table's rows."""
    names = []
    for line in TABLE.read_text().splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1])
    return names


def test_every_variable_the_code_reads_is_in_the_table():
    documented = set(variables_documented())
    missing = {name: path for name, path in variables_read().items() if name not in documented}
    assert missing == {}, "add a row to docs/configuration.md for each"


def test_every_row_of_the_table_is_read_by_the_code_and_listed_once():
    documented = variables_documented()
    assert len(documented) == len(set(documented))
    assert sorted(set(documented) - set(variables_read())) == []


def test_the_scan_finds_every_way_a_variable_is_read():
    sample = ast.parse(
        'os.environ.get("A_1"); environ.get("A_2"); os.getenv("A_3"); os.environ["A_4"];'
        ' env.integer("A_5", 1); _env_bool("A_6", True); SECRET = "LR_SAMPLE"; print("A_7")'
    )
    names = {_name_read(node) for node in ast.walk(sample)} - {None}
    assert names == {"A_1", "A_2", "A_3", "A_4", "A_5", "A_6"}
    assert OURS.fullmatch("LR_SAMPLE") and not OURS.fullmatch("LR_S3_")
    assert len(variables_read()) >= 30  # the scan reaches the settings
