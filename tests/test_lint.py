"""Lint is part of the test command: ruff check and ruff format over the code and notebooks."""

import subprocess
import sys

import pytest

from utils import REPO_ROOT

PATHS = ["utils", "tests", "notebooks", "solutions", "exercises", "conftest.py"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff(command):
    run = subprocess.run(
        [sys.executable, "-m", "ruff", *command, *PATHS],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
