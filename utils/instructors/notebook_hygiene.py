"""Keep committed notebooks clean: outputs only where tests compare them.

A cell whose output nbval compares carries two tags: ``nbval-check-output``
(nbval compares it) and ``keep_output`` (nbstripout keeps it). Every other
output, and every other execution count, is stripped by nbstripout. nbval
skips a cell that has outputs but no execution count ("unrun reference cell"),
so a checked cell gets a fixed count: its position among the code cells, the
number a learner sees after running the notebook once from the top.

A checked cell keeps only the outputs its tests produce: the tests run with
progress bars and library notices off (``QUIET_SETTINGS`` in
``utils/course_setup.py``), a learner's JupyterLab with them on. What those add
to a checked cell, stderr text (notices, text progress bars) and progress-bar
widgets (``Map``, download bars), is dropped, so that a lesson a learner only ran
is the same to git (``notebook_filter.py``) as the one committed.

    python -m utils.instructors.notebook_hygiene               # strip every notebook in place
    python -m utils.instructors.notebook_hygiene --execute F…  # run F…, keep checked outputs
"""

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbstripout import strip_output

from utils import REPO_ROOT

NOTEBOOK_FOLDERS = ["notebooks", "exercises", "solutions"]
CHECK_TAG = "nbval-check-output"
KEEP_TAG = "keep_output"
WIDGET = "application/vnd.jupyter.widget-view+json"


def course_notebooks():
    """Every notebook of the course, in a stable order."""
    found = []
    for folder in NOTEBOOK_FOLDERS:
        found += sorted((REPO_ROOT / folder).glob("*.ipynb"))
    return found


def tags(cell):
    """The tags of a notebook cell (an empty list when it has none)."""
    return cell.get("metadata", {}).get("tags", [])


def is_checked(cell):
    """True for a code cell whose output nbval compares."""
    return cell.cell_type == "code" and CHECK_TAG in tags(cell)


def is_progress(output):
    """True for an output that only reports progress or notices: stderr, or a widget."""
    if output.get("output_type") == "stream":
        return output.get("name") == "stderr"
    return output.get("output_type") == "display_data" and WIDGET in output.get("data", {})


def strip(notebook):
    """Return the notebook with outputs kept only in checked cells, other counts cleared."""
    for cell in notebook.cells:
        cell_tags = [tag for tag in tags(cell) if tag != KEEP_TAG]
        if is_checked(cell):
            cell_tags.append(KEEP_TAG)
        if cell_tags:
            cell.metadata["tags"] = cell_tags
        else:
            cell.metadata.pop("tags", None)
    notebook.metadata.pop("widgets", None)
    notebook = strip_output(
        notebook,
        keep_output=False,
        keep_count=False,
        keep_id=True,
        extra_keys=["metadata.execution", "cell.metadata.execution"],
        drop_empty_cells=False,
    )
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for position, cell in enumerate(code_cells, start=1):
        if is_checked(cell):
            cell.execution_count = position
            cell.outputs = [output for output in cell.outputs if not is_progress(output)]
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = position
    return notebook


def execute(path, timeout=600):
    """Run a notebook top to bottom in its own folder and return it, executed."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return notebook


def write(notebook, path):
    """Write a notebook the way the repository stores it."""
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def main(argv=None):
    """Strip (and optionally execute first) the given notebooks, or all of them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--execute", action="store_true", help="run each notebook first")
    args = parser.parse_args(argv)
    for path in args.paths or course_notebooks():
        if args.execute:
            os.environ["COURSE_QUIET"] = "1"  # the same quiet settings the tests use
            notebook = execute(path.resolve())
        else:
            notebook = nbformat.read(path, as_version=4)
        write(strip(notebook), path)
        print(f"{'executed and ' if args.execute else ''}stripped {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
