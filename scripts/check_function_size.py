"""Fail when a function is longer than the team's limit (60 lines; `make lint` runs this).

A function's size is every line from its `def` (decorators not counted) to its last line,
docstring, comments and blank lines inside included. A nested function or a method counts
within the function or class around it, and is also measured on its own: a 50-line
function holding a 20-line helper is 50 lines, and the helper 20. Migrations are generated
code and are skipped. Cyclomatic complexity is ruff's C901 (pyproject.toml), not this script.

    .venv/bin/python scripts/check_function_size.py [--max-lines 60] [--list N] [PATH ...]

Exit status 1 when a function is over the limit; each is named as `file:line name size`.
`--list N` prints the N longest functions (over the limit or not) and exits 0.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_LINES = 60
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class FunctionSize:
    path: Path
    line: int
    name: str  # qualified within its module: Class.method, outer.inner
    lines: int

    def describe(self, root: Path) -> str:
        try:
            shown = self.path.relative_to(root)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line} {self.name} {self.lines} lines"


def function_sizes(path: Path) -> Iterator[FunctionSize]:
    """Every function and method defined in the module at `path`, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    yield from _walk(path, tree, prefix="")


def _walk(path: Path, node: ast.AST, prefix: str) -> Iterator[FunctionSize]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + child.name
            end = child.end_lineno or child.lineno
            yield FunctionSize(path, child.lineno, name, end - child.lineno + 1)
            yield from _walk(path, child, name + ".")
        elif isinstance(child, ast.ClassDef):
            yield from _walk(path, child, prefix + child.name + ".")
        else:
            yield from _walk(path, child, prefix)


def python_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_file():
            yield path
            continue
        for found in sorted(path.rglob("*.py")):
            if "migrations" not in found.parts:
                yield found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "geopol"])
    parser.add_argument("--max-lines", type=int, default=MAX_LINES)
    parser.add_argument("--list", type=int, metavar="N", help="print the N longest functions")
    args = parser.parse_args(argv)

    sizes = [size for path in python_files(args.paths) for size in function_sizes(path)]
    if args.list:
        for size in sorted(sizes, key=lambda s: -s.lines)[: args.list]:
            print(size.describe(ROOT))
        return 0
    over = [size for size in sizes if size.lines > args.max_lines]
    for size in sorted(over, key=lambda s: -s.lines):
        print(f"{size.describe(ROOT)} (limit {args.max_lines})")
    if over:
        print(
            f"{len(over)} function(s) over {args.max_lines} lines: name the passes or steps"
            " as small functions (docs/architecture.md, Function size).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
