"""scripts/check_function_size.py, which `make lint` runs: what it counts and how it reports."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "check_function_size.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def function(name: str, lines: int, indent: str = "") -> str:
    """A function spanning exactly `lines` lines, `def` included."""
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(lines - 2))
    return f"{indent}def {name}():\n{body}{indent}    return 0\n"


def test_a_function_over_the_limit_is_named_with_its_file_line_and_size(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "import os\n\n\n" + function("short", 60) + "\n\n@staticmethod\n" + function("long", 61)
    )
    result = run("--max-lines", "60", str(module))
    assert result.returncode == 1
    # the decorator is not counted; `long` starts on line 67, after `short`'s 60 lines
    assert result.stdout.splitlines() == [f"{module}:67 long 61 lines (limit 60)"]
    assert "1 function(s) over 60 lines" in result.stderr


def test_nested_functions_count_in_their_parent_and_alone(tmp_path):
    module = tmp_path / "nested.py"
    inner = function("inner", 30, indent="        ")
    module.write_text("class Box:\n    def outer(self):\n" + inner + "        return inner\n")
    listed = run("--list", "5", str(module)).stdout.splitlines()
    assert listed == [f"{module}:2 Box.outer 32 lines", f"{module}:3 Box.outer.inner 30 lines"]
    assert run("--max-lines", "31", str(module)).stdout.splitlines() == [
        f"{module}:2 Box.outer 32 lines (limit 31)"
    ]


def test_within_the_limit_passes_and_migrations_are_skipped(tmp_path):
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_initial.py").write_text(function("generated", 200))
    (tmp_path / "app.py").write_text(function("fine", 60))
    result = run(str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
