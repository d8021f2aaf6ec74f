"""Grade exercise notebooks: run them (without changing them) and print a scorecard.

    python -m utils.grade                          # every notebook in exercises/
    python -m utils.grade exercises/02_models_exercises.ipynb
    python -m utils.grade my_folder/

Each notebook is read, run top to bottom in memory with nbclient (your file is
never written), and every check's outcome is collected from the outputs. The
exit status is 0 only when every task is correct and no other cell failed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from tqdm.auto import tqdm

from utils import REPO_ROOT
from utils.grading import CORRECT, NOT_ATTEMPTED

CHECK_CALL = re.compile(r"^\s*(?:\w+\.)?(\w+)\.check\(\)", re.MULTILINE)
CHECK_ERRORS = {"TaskNotAttempted", "TaskIncorrect"}
TERMINAL_WIDTH = 130  # when the real width is unknown (output to a file or a pipe)


def notebook_paths(arguments):
    """The notebooks named by the command line: files, or every notebook in a folder."""
    paths = []
    for argument in arguments or [str(REPO_ROOT / "exercises")]:
        path = Path(argument)
        if path.is_dir():
            paths += sorted(p for p in path.glob("*.ipynb") if ".backup-" not in p.name)
        elif path.suffix == ".ipynb" and path.is_file():
            paths.append(path)
        else:
            raise ValueError(f"{argument} is not a notebook (.ipynb) or a folder of notebooks")
    return paths


def run(path):
    """Run a copy of the notebook in its own folder; return the executed copy."""
    notebook = nbformat.read(path, as_version=4)
    os.environ.setdefault("COURSE_QUIET", "1")
    os.environ["COURSE_STRICT_CHECKS"] = "1"  # a check that is not correct raises, as in CI
    python_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), python_path]))
    client = NotebookClient(
        notebook,
        timeout=600,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    )
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log lines, not the notebook's
    return notebook


def rows_from(notebook, name):
    """Scorecard rows from an executed notebook: one per check, one per other failing cell."""
    rows = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for index, cell in enumerate(code_cells, start=1):
        checks = [
            output.metadata["course_check"]
            for output in cell.get("outputs", [])
            if "course_check" in output.get("metadata", {})
        ]
        errors = [output for output in cell.get("outputs", []) if output.output_type == "error"]
        for check in checks:
            rows.append({"notebook": name, **check})
        other = [error for error in errors if error.ename not in CHECK_ERRORS]
        if other:
            called = CHECK_CALL.findall(cell.source)
            task = called[0].upper() if called and not checks else f"code cell {index}"
            first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            message = f"{other[0].ename}: {other[0].evalue}"
            if task.startswith("code cell") and first_line:
                message += f" (the cell that starts {first_line[:40]!r})"
            rows.append({"notebook": name, "task": task, "status": "error", "message": message})
    return rows


def grade_notebook(path):
    """Run one notebook and return its scorecard rows (dicts: notebook, task, status, message)."""
    return rows_from(run(path), Path(path).name)


def wrapped(text, indent, width):
    """``text`` on one or more lines of at most ``width`` characters, indented after the first."""
    lines = textwrap.wrap(" ".join(str(text).split()), width=max(width - indent, 30)) or [""]
    return ("\n" + " " * indent).join(lines)


def scorecard(rows, width=None):
    """The scorecard as text: a table (messages wrapped to the terminal's width), then totals."""
    width = width or shutil.get_terminal_size(fallback=(TERMINAL_WIDTH, 24)).columns
    header = ("notebook", "task", "status", "message")
    table = [header] + [(r["notebook"], r["task"], r["status"], r["message"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    indent = sum(widths) + 6
    lines = [
        "  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + wrapped(row[3], indent, width)
        for row in table
    ]
    lines.insert(1, "  ".join("-" * column for column in widths) + "  " + "-" * 7)
    tasks = [row for row in rows if not row["task"].startswith("code cell ")]
    correct = sum(row["status"] == CORRECT for row in tasks)
    blank = sum(row["status"] == NOT_ATTEMPTED for row in tasks)
    failed_cells = len(rows) - len(tasks)
    lines.append("")
    lines.append(f"{correct} of {len(tasks)} tasks correct, {blank} not attempted yet.")
    if failed_cells:
        cells = "1 other cell" if failed_cells == 1 else f"{failed_cells} other cells"
        lines.append(f"{cells} failed: fix those first (see 'error' above).")
    return "\n".join(lines)


def all_correct(rows):
    """True when there is at least one task and every row is a correct task."""
    return bool(rows) and all(row["status"] == CORRECT for row in rows)


def main(argv=None):
    """Grade the notebooks on the command line; exit 0 only if every task is correct."""
    parser = argparse.ArgumentParser(description="Run exercise notebooks and print a scorecard.")
    parser.add_argument("paths", nargs="*", help="notebooks or folders (default: exercises/)")
    args = parser.parse_args(argv)
    try:
        paths = notebook_paths(args.paths)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not paths:
        print("error: no notebooks to grade", file=sys.stderr)
        return 2
    rows = []
    for path in tqdm(paths, desc="Grading", unit="notebook"):
        try:
            rows += grade_notebook(path)
        except Exception as error:  # a notebook that cannot even be read or run
            message = f"could not run it ({type(error).__name__}: {error})"
            rows.append({"notebook": path.name, "task": "-", "status": "error", "message": message})
    print(scorecard(rows))
    return 0 if all_correct(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
