"""A simulated Colab runtime: the setup cell installs the course's pins, then a lesson runs.

The runtime is a virtual environment of its own with what Colab manages
(torch, numpy, pandas, pyarrow, matplotlib) and other versions of
transformers and datasets preinstalled, plus a ``google.colab`` module
imported at start-up, as in Colab. The setup cell's code is the notebooks'
own, with two differences a test needs: git fetches the course from this
checkout (``url.<here>.insteadOf``, so the address in the cell is unchanged)
and the course goes to a temporary folder instead of ``/content/course``.
Offline, the stand-ins' vocabulary package is installed too (Colab is online
and needs none).
"""

import json
import os
import subprocess
import sys

import pytest

from utils import REPO_ROOT
from utils.course_setup import colab_requirements, pinned_versions
from utils.instructors.course_map import setup_cell_source

pytestmark = pytest.mark.integration

OTHER_VERSIONS = ["transformers==5.22.0", "datasets==5.1.0"]
COLAB_MANAGES = ["torch", "numpy", "pandas", "pyarrow", "matplotlib", "tqdm", "filelock"]
LESSON = REPO_ROOT / "notebooks" / "00_start_here.ipynb"


def repository_address():
    """The repository address written in the setup cell."""
    for line in setup_cell_source().splitlines():
        if line.strip().startswith("repository = "):
            return line.split("=", 1)[1].strip().strip('"')
    raise AssertionError("the setup cell names no repository")


def colab_runtime(tmp_path):
    """A virtual environment set up like a Colab runtime; returns its python."""
    runtime = tmp_path / "colab"
    subprocess.run([sys.executable, "-m", "venv", str(runtime)], check=True)
    python = runtime / "bin" / "python"
    pins = pinned_versions()
    managed = [f"{name}=={pins[name]}" for name in COLAB_MANAGES]
    install = [str(python), "-m", "pip", "install", "--quiet", *managed, *OTHER_VERSIONS]
    subprocess.run(install, check=True)
    vocabulary = (REPO_ROOT / "requirements-nodeps.txt").read_text().split()
    no_deps = [line for line in vocabulary if "==" in line]
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", *no_deps], check=True
    )
    google = tmp_path / "fake_colab" / "google" / "colab"
    google.mkdir(parents=True)
    (google / "__init__.py").write_text('"""A stand-in for Colab\'s own module."""\n')
    # Colab has google.colab imported before the first cell runs.
    (tmp_path / "fake_colab" / "sitecustomize.py").write_text("import google.colab  # noqa\n")
    return python


def run_in_colab(python, tmp_path, code):
    """Run ``code`` in a fresh process of the runtime (a fresh Colab session); return stdout."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PYTHONPATH": str(tmp_path / "fake_colab"),
        "COURSE_OFFLINE": "1",  # no Hub from this machine
        "MPLBACKEND": "agg",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.file://{REPO_ROOT}.insteadOf",
        "GIT_CONFIG_VALUE_0": repository_address(),
    }
    ran = subprocess.run(
        [str(python), "-c", code],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran.stdout


def test_colab_installs_the_pins_asks_for_a_restart_and_then_a_lesson_runs(tmp_path):
    python = colab_runtime(tmp_path)
    course = tmp_path / "content" / "course"
    setup_cell = setup_cell_source().replace("/content/course", str(course))
    assert setup_cell != setup_cell_source()

    # First session: an older transformers was imported before the setup cell ran.
    printed = run_in_colab(python, tmp_path, f"import transformers\n{setup_cell}")
    installing = next(line for line in printed.splitlines() if line.startswith("Colab: installing"))
    assert "transformers==5.24.0" in installing and "datasets==5.2.0" in installing
    assert not any(name in installing for name in COLAB_MANAGES)
    listed = installing.removeprefix("Colab: installing ").split(" (")[0].split(", ")
    assert set(listed) <= set(colab_requirements())  # only Hugging Face pins, nothing else
    assert "Restart the runtime" in printed and "transformers 5.22.0" in printed
    assert (course / "utils" / "course_setup.py").exists()  # fetched from the local clone

    # After the restart: nothing left to install; the lesson runs top to bottom.
    lesson = json.loads(LESSON.read_text())
    cells = ["".join(cell["source"]) for cell in lesson["cells"] if cell["cell_type"] == "code"]
    cells[0] = setup_cell
    script = "\n".join(cells)
    script += "\nfrom importlib import metadata\n"
    script += "print('versions', {n: metadata.version(n) for n in ['torch', 'numpy', 'pandas']})\n"
    printed = run_in_colab(python, tmp_path, script)
    assert "installing" not in printed and "Restart" not in printed
    assert "transformers 5.24.0" in printed and "datasets     5.2.0" in printed
    pins = pinned_versions()
    assert f"'torch': '{pins['torch']}" in printed  # Colab's own, untouched
    assert "bert/modeling_bert.py" in printed  # the lesson's last cell ran
