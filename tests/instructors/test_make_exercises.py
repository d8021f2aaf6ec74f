"""Exercises are derived from solutions: blanks for answers, a learner's work never lost."""

import nbformat
import pytest

from utils import stem_of
from utils.instructors import make_exercises
from utils.instructors.make_exercises import assigned_names, derive

SOLUTION_CELL = """\
import math

# BEGIN SOLUTION X1
answer = 6 * 7
first, (second, third) = 1, (2, 3)
total: int = 0
total += answer
# END SOLUTION
print("after the block")"""


def solution_notebook(cell=SOLUTION_CELL):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Toy"),
        nbformat.v4.new_code_cell(cell, id="answer-cell"),
        nbformat.v4.new_code_cell("task.check()", id="check-cell"),
    ]
    return notebook


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """Empty solutions/ and exercises/ folders the command works on."""
    monkeypatch.setattr(make_exercises, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(make_exercises, "SOLUTIONS", tmp_path / "solutions")
    monkeypatch.setattr(make_exercises, "EXERCISES", tmp_path / "exercises")
    (tmp_path / "solutions").mkdir()
    nbformat.write(solution_notebook(), tmp_path / "solutions" / "01_toy_solutions.ipynb")
    return tmp_path


def test_assigned_names_in_order_of_first_assignment():
    assert assigned_names(SOLUTION_CELL.split("\n", 3)[3]) == [
        "answer",
        "first",
        "second",
        "third",
        "total",
    ]
    assert assigned_names("def tokenize(example):\n    return example") == ["tokenize"]


def test_solution_block_becomes_one_blank_per_variable():
    cell = derive(solution_notebook()).cells[1]
    assert cell.source == (
        "import math\n\n"
        "answer = ____  # your code here\n"
        "first = ____  # your code here\n"
        "second = ____  # your code here\n"
        "third = ____  # your code here\n"
        "total = ____  # your code here\n"
        'print("after the block")'
    )
    assert "6 * 7" not in nbformat.writes(derive(solution_notebook()))


def test_a_function_keeps_its_signature_and_gets_a_blank_body():
    solution = """\
# BEGIN SOLUTION X2
COLUMNS = {"sst2": ("sentence",)}


def preprocess(dataset, name, *, tokenizer=None):
    columns = COLUMNS[name]
    return dataset.map(lambda example: tokenizer(*[example[c] for c in columns]))


result = preprocess(None, "sst2")
# END SOLUTION"""
    cell = derive(solution_notebook(solution)).cells[1]
    assert cell.source == (
        "COLUMNS = ____  # your code here\n\n\n"
        "def preprocess(dataset, name, *, tokenizer=None):\n"
        "    return ____  # your code here\n\n\n"
        "result = ____  # your code here"
    )
    namespace = {"____": object()}
    exec(cell.source, namespace)  # runs as a blank: the function returns the placeholder
    assert namespace["preprocess"](None, "sst2") is namespace["____"]


def test_derivation_is_deterministic_and_strips_outputs():
    solution = solution_notebook()
    solution.cells[2].outputs = [nbformat.v4.new_output("stream", text="correct")]
    solution.cells[2].execution_count = 3
    one, two = nbformat.writes(derive(solution)), nbformat.writes(derive(solution))
    assert one == two
    exercise = derive(solution)
    assert exercise.cells[2].outputs == [] and exercise.cells[2].execution_count is None
    assert [cell.id for cell in exercise.cells] == [cell.id for cell in solution.cells]


def test_writes_then_leaves_a_learners_work_alone(folders, capsys):
    assert make_exercises.main([]) == 0
    exercise_path = folders / "exercises" / "01_toy_exercises.ipynb"
    assert "written" in capsys.readouterr().out
    assert make_exercises.main([]) == 0
    assert "unchanged" in capsys.readouterr().out

    exercise = nbformat.read(exercise_path, as_version=4)
    exercise.cells[1].source = exercise.cells[1].source.replace("answer = ____", "answer = 41")
    nbformat.write(exercise, exercise_path)
    learner_bytes = exercise_path.read_bytes()
    assert make_exercises.main([]) == 1
    printed = capsys.readouterr().out
    assert "has your own work in it" in printed and "--force" in printed
    assert exercise_path.read_bytes() == learner_bytes


def test_force_keeps_a_backup_of_the_learners_work(folders, capsys):
    make_exercises.main([])
    exercise_path = folders / "exercises" / "01_toy_exercises.ipynb"
    exercise = nbformat.read(exercise_path, as_version=4)
    exercise.cells[1].source += "\nmy_note = 'keep me'"
    nbformat.write(exercise, exercise_path)
    learner_bytes = exercise_path.read_bytes()
    assert make_exercises.main(["--force"]) == 0
    backups = list((folders / "exercises").glob("01_toy_exercises.backup-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_bytes() == learner_bytes
    assert "keep me" not in exercise_path.read_text()


def test_updated_solution_rewrites_an_untouched_exercise(folders, capsys):
    make_exercises.main([])
    changed = solution_notebook(SOLUTION_CELL.replace("import math", "import json"))
    nbformat.write(changed, folders / "solutions" / "01_toy_solutions.ipynb")
    assert make_exercises.main(["01_toy"]) == 0
    assert "import json" in (folders / "exercises" / "01_toy_exercises.ipynb").read_text()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("# BEGIN SOLUTION X1\nx = 1\n", "has no END SOLUTION"),
        ("x = 1\n# END SOLUTION", "END SOLUTION without a BEGIN SOLUTION"),
        ("# BEGIN SOLUTION X1\n# BEGIN SOLUTION X2\n# END SOLUTION", "BEGIN SOLUTION inside"),
        ("# BEGIN SOLUTION X1\nx = = 1\n# END SOLUTION", "is not valid Python"),
    ],
)
def test_bad_markers_get_a_message_and_exit_2(folders, capsys, source, message):
    nbformat.write(solution_notebook(source), folders / "solutions" / "01_toy_solutions.ipynb")
    assert make_exercises.main([]) == 2
    printed = capsys.readouterr().out
    assert message in printed and "01_toy_solutions.ipynb" in printed and "cell 2" in printed


def test_unknown_notebook_gets_a_message(folders, capsys):
    assert make_exercises.main(["99_nothing"]) == 2
    assert "no solution notebook" in capsys.readouterr().out


def test_committed_exercises_are_exactly_what_the_command_derives():
    solutions = sorted(make_exercises.SOLUTIONS.glob("*.ipynb"))
    exercises = sorted(
        path for path in make_exercises.EXERCISES.glob("*.ipynb") if ".backup-" not in path.name
    )
    assert [stem_of(path) for path in exercises] == [stem_of(path) for path in solutions]
    assert all(path.name.endswith("_exercises.ipynb") for path in exercises)
    for solution, exercise in zip(solutions, exercises, strict=True):
        derived = nbformat.writes(derive(nbformat.read(solution, as_version=4)))
        assert nbformat.writes(nbformat.read(exercise, as_version=4)) == derived, (
            f"{exercise.name} is out of date: run `make exercises`"
        )
