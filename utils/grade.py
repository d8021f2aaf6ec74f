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

The scorecard speaks the learner's language (``COURSE_LANGUAGE``); the notebooks of the
Korean edition (``ko_exercises/``) are graded in Korean unless it says otherwise.
"""

import argparse
import importlib
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from tqdm.auto import tqdm

from utils import REPO_ROOT
from utils.course_setup import QUIET_SETTINGS
from utils.grading import CORRECT, INCORRECT, NOT_ATTEMPTED, Task, display
from utils.language import LANGUAGE_VARIABLE, N_, _

EXERCISE_IMPORT = re.compile(r"^\s*from utils import (ex\d\w*)", re.MULTILINE)
CHECK_CALL = re.compile(r"^\s*(?:\w+\.)?(\w+)\.check\(\)", re.MULTILINE)
CHECK_ERRORS = {"TaskNotAttempted", "TaskIncorrect"}
TERMINAL_WIDTH = 130  # when the real width is unknown (output to a file or a pipe)
TIMEOUT = 120  # seconds a cell may run before the grader stops the notebook
KERNEL_STARTS = 2  # tries to start a notebook's kernel (see ``run``)
NOT_RUN = "not run"
NOT_CHECKED = "not checked"
ERROR = "error"
# What the grader's own statuses are called in the table; the rows keep the machine words.
STATUS_WORDS = {NOT_RUN: N_("not run"), NOT_CHECKED: N_("not checked"), ERROR: N_("error")}
CODE_CELL = re.compile(r"code cell (\d+)")  # a row's task when the row is a cell, not a task
# The line with which a notebook of the Korean edition chooses Korean, in its setup cell.
KOREAN_CHOICE = re.compile(rf"""^os\.environ\[["']{LANGUAGE_VARIABLE}["']\] = ["']ko["']""", re.M)


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
            raise ValueError(
                _(
                    "{argument} is not a notebook (.ipynb) or a folder of notebooks.",
                    argument=argument,
                )
            )
    return paths


def korean_edition(paths):
    """True when every notebook in ``paths`` is of the Korean edition (it chooses Korean in its
    setup cell): its checks speak Korean, so the scorecard does too."""
    for path in paths:
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception:  # an unreadable notebook gets its own row later
            return False
        setup_cell = next((c for c in notebook.cells if c.cell_type == "code"), None)
        if setup_cell is None or not KOREAN_CHOICE.search(setup_cell.source):
            return False
    return bool(paths)


def run(path, timeout=TIMEOUT, learner_settings=False):
    """Run a copy of the notebook in its own folder, cell by cell.

    Returns the executed copy and, when the run stopped early, where and why:
    ``(notebook, None)`` or ``(notebook, (cell_index, "timeout" | "kernel"))``,
    with ``cell_index`` counted among all cells. The cells after that one are
    left unrun. With ``learner_settings`` the kernel runs as in a learner's JupyterLab:
    without the quiet settings (progress bars, library logs and warnings on).

    A kernel that dies as it starts (another program took one of the ports it was given,
    between their choice and its start) is started once more, on new ports.
    """
    os.environ.setdefault("COURSE_QUIET", "1")
    os.environ["COURSE_STRICT_CHECKS"] = "1"  # a check that is not correct raises, as in CI
    python_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), python_path]))
    environment = dict(os.environ)
    if learner_settings:
        for variable in ["COURSE_QUIET", *QUIET_SETTINGS]:
            environment.pop(variable, None)
    for start in range(1, KERNEL_STARTS + 1):
        try:
            return execute(path, timeout, environment)
        except KernelStartFailed:
            if start == KERNEL_STARTS:
                raise


class KernelStartFailed(RuntimeError):
    """The notebook's kernel died or went silent before it answered its first request."""


def execute(path, timeout, environment):
    """Run the notebook at ``path`` once in a new kernel; see ``run``."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        allow_errors=True,
        kernel_name="python3",
        shutdown_kernel="immediate",  # a kernel stuck in a loop would not shut down politely
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    )
    client.reset_execution_trackers()
    stopped, started = None, False
    try:
        # stderr: the kernel's own log lines, not the notebook's
        with client.setup_kernel(stderr=subprocess.DEVNULL, env=environment):
            started = True
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
    except RuntimeError as error:  # nbclient's "Kernel died before replying to kernel_info"
        if started:
            raise
        raise KernelStartFailed(str(error)) from error
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
            for _position, later in code_cells[index:]:
                for called in CHECK_CALL.findall(later.source):
                    message = _(
                        "the notebook stopped at code cell {number}, before this check.",
                        number=index,
                    )
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
            error = f"{other[0].ename}: {other[0].evalue}"  # Python's own words, in any language
            message = error
            if task.startswith("code cell") and cell.source.strip():
                message = _(
                    "{error} (the cell that starts {start})", error=error, start=first_line(cell)
                )
            rows.append({"notebook": name, "task": task, "status": ERROR, "message": message})
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
            "message": _(
                "no check of {task} ran: put back the cell with `ex.{call}.check()`, "
                "as the exercise has it, and grade again.",
                task=task,
                call=task.lower(),
            ),
        }
        for task in expected_tasks(notebook)
        if task not in reported
    ]


def stop_row(name, index, cell, why, timeout):
    """The row of the cell that ended a notebook's run: past the time limit, or a dead kernel."""
    if why == "timeout":
        message = _(
            "code cell {number} (the cell that starts {start}) ran past {seconds:g} s: "
            "stop loops that never end (or raise `--timeout`); the cells after it were not run.",
            number=index,
            start=first_line(cell),
            seconds=timeout,
        )
    else:
        message = _(
            "code cell {number} (the cell that starts {start}) stopped the Python kernel "
            "(a crash, or memory ran out); the cells after it were not run.",
            number=index,
            start=first_line(cell),
        )
    return {"notebook": name, "task": f"code cell {index}", "status": ERROR, "message": message}


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
    except KernelStartFailed:
        message = _(
            "its kernel died twice as it started, before running a cell: run the grader again "
            "(another program may have taken the ports it was given)."
        )
        return [{"notebook": Path(path).name, "task": "-", "status": ERROR, "message": message}]
    except Exception as error:  # a notebook that cannot even be read or run
        message = _(
            "could not run it ({error}: {text})", error=type(error).__name__, text=str(error)[:120]
        )
        return [{"notebook": Path(path).name, "task": "-", "status": ERROR, "message": message}]


def grade_all(paths, timeout=TIMEOUT, jobs=1):
    """Rows for every notebook, in the order given; ``jobs`` notebooks run at once."""
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        return [
            row
            for path in tqdm(paths, desc=_("Grading"), unit=_("notebook"))
            for row in grade_safely(path, timeout)
        ]
    threads = max(1, (os.cpu_count() or 1) // jobs)
    results = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_safely, path, timeout, threads): path for path in paths}
        for future in tqdm(
            as_completed(futures), total=len(paths), desc=_("Grading"), unit=_("notebook")
        ):
            results[futures[future]] = future.result()
    return [row for path in paths for row in results[path]]


def shown_width(text):
    """How many terminal columns ``text`` takes: a Hangul or other wide letter takes two."""
    return sum(2 if unicodedata.east_asian_width(letter) in "WF" else 1 for letter in text)


def padded(text, width):
    """``text`` followed by spaces up to ``width`` terminal columns."""
    return text + " " * (width - shown_width(text))


def wrapped(text, indent, width):
    """``text`` on one or more lines of at most ``width`` columns, indented after the first.

    Lines break between words; a word longer than a whole line keeps a line of its own.
    """
    room = max(width - indent, 30)
    lines = [""]
    for word in str(text).split():
        joined = f"{lines[-1]} {word}" if lines[-1] else word
        if lines[-1] and shown_width(joined) > room:
            lines.append(word)
        else:
            lines[-1] = joined
    return ("\n" + " " * indent).join(lines)


def status_word(status):
    """What the table calls ``status``, in the learner's language (the rows keep the machine
    word): a check's own status as its verdict says it, or one of the grader's."""
    if status in (CORRECT, INCORRECT, NOT_ATTEMPTED):
        return display.status_word(status)
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def task_word(task):
    """What the table calls a row's task: its name, or "code cell 3" in the learner's language."""
    cell = CODE_CELL.fullmatch(task)
    return _("code cell {number}", number=int(cell[1])) if cell else task


def totals(rows):
    """The lines under the table: how many tasks are correct, and what else needs doing."""
    tasks = [row for row in rows if not CODE_CELL.fullmatch(row["task"])]
    count = Counter(row["status"] for row in tasks)
    lines = [
        _(
            "{correct} of {total} tasks correct, {blank} not attempted yet.",
            correct=count[CORRECT],
            total=len(tasks),
            blank=count[NOT_ATTEMPTED],
        )
    ]
    if count[NOT_RUN]:
        lines.append(
            _("{count} not run: a cell before them stopped the notebook.", count=count[NOT_RUN])
        )
    if count[NOT_CHECKED]:
        lines.append(
            _(
                "{count} not checked: their check cell was removed or changed.",
                count=count[NOT_CHECKED],
            )
        )
    failed_cells = len(rows) - len(tasks)
    if failed_cells == 1:
        lines.append(_("1 other cell failed: fix it first (see 'error' above)."))
    elif failed_cells:
        lines.append(
            _(
                "{count} other cells failed: fix those first (see 'error' above).",
                count=failed_cells,
            )
        )
    return lines


def scorecard(rows, width=None):
    """The scorecard as text: a table (messages wrapped to the terminal's width), then totals.

    Everything in it is in the learner's language; the rows themselves keep machine words.
    """
    width = width or shutil.get_terminal_size(fallback=(TERMINAL_WIDTH, 24)).columns
    header = (_("notebook"), _("task"), _("status"), _("message"))
    table = [header] + [
        (row["notebook"], task_word(row["task"]), status_word(row["status"]), row["message"])
        for row in rows
    ]
    widths = [max(shown_width(row[i]) for row in table) for i in range(3)]
    indent = sum(widths) + 6
    lines = [
        "  ".join(padded(row[i], widths[i]) for i in range(3))
        + "  "
        + wrapped(row[3], indent, width)
        for row in table
    ]
    rule = "-" * max(7, shown_width(header[3]))
    lines.insert(1, "  ".join("-" * column for column in widths) + "  " + rule)
    lines.append("")
    lines += totals(rows)
    return "\n".join(lines)


def all_correct(rows):
    """True when there is at least one task and every row is a correct task."""
    return bool(rows) and all(row["status"] == CORRECT for row in rows)


def positive(kind):
    """An argparse type: a number of ``kind`` greater than 0."""

    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(_("{text} is not greater than 0", text=text))
        return value

    return parse


def main(argv=None):
    """Grade the notebooks on the command line; exit 0 only if every task is correct."""
    parser = argparse.ArgumentParser(description=_("Run exercise notebooks and print a scorecard."))
    parser.add_argument("paths", nargs="*", help=_("notebooks or folders (default: `exercises/`)"))
    parser.add_argument(
        "--timeout",
        type=positive(float),
        default=TIMEOUT,
        metavar="SECONDS",
        help=_(
            "stop a notebook when one cell runs longer than this (default: {seconds})",
            seconds=TIMEOUT,
        ),
    )
    parser.add_argument(
        "--jobs",
        type=positive(int),
        default=os.cpu_count() or 1,
        metavar="N",
        help=_("grade N notebooks at once, each with its own kernel (default: number of cores)"),
    )
    args = parser.parse_args(argv)
    try:
        paths = notebook_paths(args.paths)
    except ValueError as error:
        print(_("error: {error}", error=error), file=sys.stderr)
        return 2
    if not paths:
        print(_("error: no notebooks to grade."), file=sys.stderr)
        return 2
    if LANGUAGE_VARIABLE not in os.environ and korean_edition(paths):
        os.environ[LANGUAGE_VARIABLE] = "ko"
    rows = grade_all(paths, args.timeout, args.jobs)
    print(scorecard(rows))
    return 0 if all_correct(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
