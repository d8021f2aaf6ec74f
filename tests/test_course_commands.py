"""course.py, the course's commands on every system, and the Makefile that calls it."""

import re
import subprocess
import sys

import pytest

import course
from utils import REPO_ROOT


def makefile_targets():
    """``{target: its one command}`` of the Makefile."""
    text = (REPO_ROOT / "Makefile").read_text()
    return dict(re.findall(r"^([a-z-]+):\n\t@?(.+)$", text, flags=re.M))


def test_every_make_target_calls_the_course_command_of_the_same_name():
    targets = makefile_targets()
    phony = re.search(r"^\.PHONY: (.+?)\n\n", (REPO_ROOT / "Makefile").read_text(), re.M | re.S)
    assert set(targets) == set(phony.group(1).replace("\\\n", " ").split())
    for name, command in targets.items():
        assert command.startswith(f"$(PYTHON) course.py {name}"), command
        assert name in course.COMMANDS or name in course.MODULES


def test_the_venv_python_is_where_venv_puts_it(tmp_path):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", tmp_path / "env"], check=True)
    assert course.venv_python(tmp_path / "env").is_file()


def test_local_wheel_folders_reach_uv(monkeypatch):
    monkeypatch.setenv("PIP_FIND_LINKS", "/opt/wheels /srv/more")
    assert course.find_links() == ["--find-links", "/opt/wheels", "--find-links", "/srv/more"]
    monkeypatch.delenv("PIP_FIND_LINKS")
    assert course.find_links() == []


def test_uv_is_installed_at_its_pin():
    assert course.pinned_uv() in (REPO_ROOT / "requirements-dev.txt").read_text().splitlines()


def test_the_readme_gives_the_commands_for_powershell():
    readme = (REPO_ROOT / "README.md").read_text()
    for command in ("py course.py lab", "py course.py test", "uv run course.py lab"):
        assert f"\n{command}\n" in readme or f"`{command}`" in readme, command
    assert "source .venv/bin/activate" not in readme


def test_the_korean_readme_gives_the_korean_lab_commands():
    readme = (REPO_ROOT / "README.ko.md").read_text(encoding="utf-8")
    for command in ("make lab-ko", "py course.py lab --ko", "uv run course.py lab --ko"):
        assert f"\n{command}\n" in readme or f"`{command}`" in readme, command


@pytest.mark.parametrize(
    ("args", "folder"), [([], "notebooks"), (["--ko"], "ko_notebooks")], ids=["en", "ko"]
)
def test_lab_opens_lesson_00_of_the_edition_asked_for(monkeypatch, args, folder):
    started = []
    monkeypatch.setattr(course, "in_venv", lambda module, options, env: started.append(options))
    course.lab([*args, "--no-browser"])
    [options] = started
    page = f"/lab/tree/{folder}/00_start_here.ipynb"
    assert f"--LabApp.default_url={page}" in options
    assert "--ko" not in options and options[-1] == "--no-browser"
    assert (REPO_ROOT / folder / "00_start_here.ipynb").is_file()


def test_lab_ko_is_lab_with_ko(monkeypatch):
    pages = []
    monkeypatch.setattr(course, "lab", lambda args: pages.append(course.start_page(args)[0]))
    course.lab_ko([])
    assert pages == [course.START_PAGES["ko"]]


def test_an_unknown_command_lists_the_commands():
    done = subprocess.run(
        [sys.executable, "course.py", "labb"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "Commands: install, lab, lab-ko, test" in done.stderr
