"""The solution blocks of ``solutions/`` notebooks: what ``solution()`` shows and exercises blank.

In a solution notebook, the learner's part of each task sits between two markers::

    # BEGIN SOLUTION t2
    ...
    # END SOLUTION
"""

import re

from utils import notebook_path
from utils.language import _

SOLUTION_BEGIN = re.compile(r"^\s*# BEGIN SOLUTION\s+(\S+)\s*$")
SOLUTION_END = re.compile(r"^\s*# END SOLUTION\s*$")


def solution_blocks(source):
    """Yield (task name, code) for each marked solution block in a cell's source."""
    task, lines = None, []
    for line in source.splitlines():
        begin = SOLUTION_BEGIN.match(line)
        if begin:
            task, lines = begin.group(1), []
        elif SOLUTION_END.match(line) and task is not None:
            yield task, "\n".join(lines)
            task = None
        elif task is not None:
            lines.append(line)


def solution_code(notebook_name, task):
    """The solution code of one task, from ``solutions/<notebook_name>_solutions.ipynb``."""
    import nbformat  # only here: checks import this module, and nbformat takes seconds to load

    path = notebook_path("solutions", notebook_name)
    if not path.exists():
        return _("The solutions notebook {name} is missing.", name=path.name)
    notebook = nbformat.read(path, as_version=4)
    blocks = [
        code
        for cell in notebook.cells
        if cell.cell_type == "code"
        for name, code in solution_blocks(cell.source)
        if name == task
    ]
    return "\n\n".join(blocks) if blocks else _("No solution is marked for {task}.", task=task)
