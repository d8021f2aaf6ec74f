"""Grade exercise notebooks: run them (without changing them) and print a scorecard.

    python -m utils.grade                          # every notebook in exercises/
    python -m utils.grade exercises/02_models_exercises.ipynb
    python -m utils.grade my_folder/

    python -m utils.grade --timeout 60 --jobs 2    # 60 s per cell, two notebooks at once

Each notebook is read, run top to bottom in memory with nbclient (your file is
never written), and every check's outcome is collected from the outputs. A
cell that runs longer than ``--timeout`` seconds (default 120), or that stops
the Python kernel, ends that notebook's run: its row names the cell, the rows
of the cells before it are kept, and the tasks after it are reported "not
run". A task of the exercise module the notebook imports whose check never ran (its
check cell was deleted or changed) is reported "not checked". ``--jobs`` notebooks are
graded at once, each in its own process and kernel (default: one per core). The exit
status is 0 only when every task is correct and no other cell failed.
"""

import argparse
import importlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from tqdm.auto import tqdm

from utils import REPO_ROOT
from utils.course_setup import QUIET_SETTINGS
from utils.grading import CORRECT, NOT_ATTEMPTED, Task

EXERCISE_IMPORT = re.compile(r"^\s*from utils import (ex\d\w*)", re.MULTILINE)
CHECK_CALL = re.compile(r"^\s*(?:\w+\.)?(\w+)\.check\(\)", re.MULTILINE)
CHECK_ERRORS = {"TaskNotAttempted", "TaskIncorrect"}
TERMINAL_WIDTH = 130  # when the real width is unknown (output to a file or a pipe)
TIMEOUT = 120  # seconds a cell may run before the grader stops the notebook
NOT_RUN = "not run"
NOT_CHECKED = "not checked"


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


def run(path, timeout=TIMEOUT, learner_settings=False):
    """Run a copy of the notebook in its own folder, cell by cell.

    Returns the executed copy and, when the run stopped early, where and why:
    ``(notebook, None)`` or ``(notebook, (cell_index, "timeout" | "kernel"))``,
    with ``cell_index`` counted among all cells. The cells after that one are
    left unrun. With ``learner_settings`` the kernel runs as in a learner's JupyterLab:
    without the quiet settings (progress bars, library logs and warnings on).
    """
    notebook = nbformat.read(path, as_version=4)
    os.environ.setdefault("COURSE_QUIET", "1")
    os.environ["COURSE_STRICT_CHECKS"] = "1"  # a check that is not correct raises, as in CI
    python_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), python_path]))
    client = NotebookClient(
        notebook,
        timeout=timeout,
        allow_errors=True,
        kernel_name="python3",
        shutdown_kernel="immediate",  # a kernel stuck in a loop would not shut down politely
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    )
    client.reset_execution_trackers()
    stopped = None
    # stderr: the kernel's own log lines, not the notebook's
    environment = dict(os.environ)
    if learner_settings:
        for variable in ["COURSE_QUIET", *QUIET_SETTINGS]:
            environment.pop(variable, None)
    with client.setup_kernel(stderr=subprocess.DEVNULL, env=environment):
        info = client.wait_for_reply(client.kc.kernel_info())
        notebook.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(notebook.cells):
            try:
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except CellTimeoutError:
                stopped = (index, "timeout")
            except DeadKernelError:
                stopped = (index, "kernel")
            if stopped:
                break
    return notebook, stopped


def task_label(attribute):
    """The task a check call names: ``t7b`` -> ``T7b``, ``q10`` -> ``Q10``, ``task`` -> ``TASK``."""
    if re.fullmatch(r"[a-z]+\d+[a-z]*", attribute):
        return attribute[0].upper() + attribute[1:]
    return attribute.upper()


def first_line(cell):
    """The first line of a cell's source, cut to 40 characters, quoted."""
    line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return repr(line[:40])


def rows_from(notebook, name, stopped=None, timeout=TIMEOUT):
    """Scorecard rows from an executed notebook: one per check, one per other failing cell.

    ``stopped`` (from ``run``) adds a row for the cell that ran past ``timeout``
    or stopped the kernel, and a "not run" row for every check after it.
    """
    rows = []
    code_cells = [
        (position, cell) for position, cell in enumerate(notebook.cells) if cell.cell_type == "code"
    ]
    for index, (position, cell) in enumerate(code_cells, start=1):
        if stopped and position == stopped[0]:
            rows.append(stop_row(name, index, cell, stopped[1], timeout))
            for _, later in code_cells[index:]:
                for called in CHECK_CALL.findall(later.source):
                    message = f"the notebook stopped at code cell {index}, before this check."
                    rows.append(
                        {
                            "notebook": name,
                            "task": task_label(called),
                            "status": NOT_RUN,
                            "message": message,
                        }
                    )
            break
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
            task = task_label(called[0]) if called and not checks else f"code cell {index}"
            message = f"{other[0].ename}: {other[0].evalue}"
            if task.startswith("code cell") and cell.source.strip():
                message += f" (the cell that starts {first_line(cell)})"
            rows.append({"notebook": name, "task": task, "status": "error", "message": message})
    return rows + not_checked_rows(notebook, name, rows)


def expected_tasks(notebook):
    """The tasks of the exercise modules a notebook imports, in the order they are declared.

    ``from utils import ex08_trainer_api as ex`` expects every task of that module.
    """
    names = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for module in EXERCISE_IMPORT.findall(cell.source):
            try:
                found = importlib.import_module(f"utils.{module}")
            except ImportError:  # a module of the learner's own: nothing to expect
                continue
            for value in vars(found).values():
                if isinstance(value, Task) and value.name not in names:
                    names.append(value.name)
    return names


def not_checked_rows(notebook, name, rows):
    """A "not checked" row for each expected task that no row reports (its check call is gone)."""
    reported = {row["task"] for row in rows}
    return [
        {
            "notebook": name,
            "task": task,
            "status": NOT_CHECKED,
            "message": f"no check of {task} ran: put back the cell with "
            f"ex.{task.lower()}.check(), as the exercise has it, and grade again.",
        }
        for task in expected_tasks(notebook)
        if task not in reported
    ]


def stop_row(name, index, cell, why, timeout):
    """The row of the cell that ended a notebook's run: past the time limit, or a dead kernel."""
    where = f"code cell {index} (the cell that starts {first_line(cell)})"
    if why == "timeout":
        message = (
            f"{where} ran past {timeout:g} s: stop loops that never end (or raise --timeout); "
            "the cells after it were not run."
        )
    else:
        message = (
            f"{where} stopped the Python kernel (a crash, or memory ran out); "
            "the cells after it were not run."
        )
    return {"notebook": name, "task": f"code cell {index}", "status": "error", "message": message}


def grade_notebook(path, timeout=TIMEOUT):
    """Run one notebook and return its scorecard rows (dicts: notebook, task, status, message)."""
    notebook, stopped = run(path, timeout)
    return rows_from(notebook, Path(path).name, stopped, timeout)


def grade_safely(path, timeout=TIMEOUT, threads=None):
    """``grade_notebook``, with a notebook that cannot be read or run turned into one row."""
    if threads and "OMP_NUM_THREADS" not in os.environ:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # the kernel's PyTorch shares the cores
    try:
        return grade_notebook(path, timeout)
    except Exception as error:  # a notebook that cannot even be read or run
        message = f"could not run it ({type(error).__name__}: {str(error)[:120]})"
        return [{"notebook": Path(path).name, "task": "-", "status": "error", "message": message}]


def grade_all(paths, timeout=TIMEOUT, jobs=1):
    """Rows for every notebook, in the order given; ``jobs`` notebooks run at once."""
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        return [
            row
            for path in tqdm(paths, desc="Grading", unit="notebook")
            for row in grade_safely(path, timeout)
        ]
    threads = max(1, (os.cpu_count() or 1) // jobs)
    results = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_safely, path, timeout, threads): path for path in paths}
        for future in tqdm(
            as_completed(futures), total=len(paths), desc="Grading", unit="notebook"
        ):
            results[futures[future]] = future.result()
    return [row for path in paths for row in results[path]]


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
    not_run = sum(row["status"] == NOT_RUN for row in tasks)
    not_checked = sum(row["status"] == NOT_CHECKED for row in tasks)
    failed_cells = len(rows) - len(tasks)
    lines.append("")
    lines.append(f"{correct} of {len(tasks)} tasks correct, {blank} not attempted yet.")
    if not_run:
        lines.append(f"{not_run} not run: a cell before them stopped the notebook.")
    if not_checked:
        lines.append(f"{not_checked} not checked: their check cell was removed or changed.")
    if failed_cells:
        cells = "1 other cell" if failed_cells == 1 else f"{failed_cells} other cells"
        lines.append(f"{cells} failed: fix those first (see 'error' above).")
    return "\n".join(lines)


def all_correct(rows):
    """True when there is at least one task and every row is a correct task."""
    return bool(rows) and all(row["status"] == CORRECT for row in rows)


def positive(kind):
    """An argparse type: a number of ``kind`` greater than 0."""

    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} is not greater than 0")
        return value

    return parse


def main(argv=None):
    """Grade the notebooks on the command line; exit 0 only if every task is correct."""
    parser = argparse.ArgumentParser(description="Run exercise notebooks and print a scorecard.")
    parser.add_argument("paths", nargs="*", help="notebooks or folders (default: exercises/)")
    parser.add_argument(
        "--timeout",
        type=positive(float),
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"stop a notebook when one cell runs longer than this (default: {TIMEOUT})",
    )
    parser.add_argument(
        "--jobs",
        type=positive(int),
        default=os.cpu_count() or 1,
        metavar="N",
        help="grade N notebooks at once, each with its own kernel (default: number of cores)",
    )
    args = parser.parse_args(argv)
    try:
        paths = notebook_paths(args.paths)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not paths:
        print("error: no notebooks to grade", file=sys.stderr)
        return 2
    rows = grade_all(paths, args.timeout, args.jobs)
    print(scorecard(rows))
    return 0 if all_correct(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
