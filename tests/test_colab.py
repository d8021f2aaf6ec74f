"""A simulated Colab runtime: the setup cell installs the course's pins, then a lesson runs.

The runtime is a virtual environment of its own with Colab's versions of what Colab manages
(torch, numpy, pandas, pyarrow) and older transformers and datasets preinstalled, plus a
``google.colab`` module imported at start-up, as in Colab. The setup cell's code is the
notebooks' own, with two differences a test needs: git fetches the course from this checkout
(``url.<here>.insteadOf``, so the address in the cell is unchanged) and the course goes to a
temporary folder instead of ``/content/course``. Offline, the stand-ins' vocabulary package is
installed too (Colab is online and needs none).

``make test`` runs it on this Python with the course's torch (a local wheel here). Colab itself
runs Python 3.13 with torch 2.11: set ``COURSE_COLAB_PYTHON`` to a Python 3.13 (for instance
``/root/.pyenv/versions/3.13.0/bin/python3.13``) to run it that way as well; it downloads that
torch, so it takes minutes and stays out of ``make test``; ``.ci/run`` runs it when pyenv has a
Python 3.13.
"""

import json
import os
import subprocess
import sys

import pytest

import course
from utils import REPO_ROOT
from utils.course_setup import colab_requirements, pinned_versions
from utils.instructors.course_map import setup_cell_source

pytestmark = pytest.mark.integration

# Older than the pins, as Colab has them (this datasets accepts Colab's pyarrow 18).
OTHER_VERSIONS = ["transformers==5.22.0", "datasets==4.0.0"]
# Colab's own versions (Python 3.13 runtime): datasets 5.2 needs pyarrow 24 or later, so the
# setup cell upgrades pyarrow; numpy and pandas stay.
COLAB_VERSIONS = {"numpy": "2.1.3", "pandas": "2.2.3", "pyarrow": "18.1.0"}
COLAB_TORCH = "2.11.0"
COLAB_KEEPS = ["torch", "numpy", "pandas"]
AT_THE_PINS = ["matplotlib", "tqdm", "filelock"]
LESSON = REPO_ROOT / "notebooks" / "00_start_here.ipynb"


def runtimes():
    """(Python, torch version) pairs to simulate Colab with: this one, and Colab's if given."""
    pairs = [pytest.param((sys.executable, pinned_versions()["torch"]), id="this-python")]
    colab_python = os.environ.get("COURSE_COLAB_PYTHON")
    if colab_python:
        pairs.append(pytest.param((colab_python, COLAB_TORCH), id="colab-python"))
    return pairs


def repository_address():
    """The repository address written in the setup cell."""
    for line in setup_cell_source().splitlines():
        if line.strip().startswith("repository = "):
            return line.split("=", 1)[1].strip().strip('"')
    raise AssertionError("the setup cell names no repository")


def colab_runtime(tmp_path, base_python, torch_version):
    """A virtual environment set up like a Colab runtime (with uv: fast); returns its python."""
    runtime = tmp_path / "colab"
    uv = [sys.executable, "-m", "uv"]
    subprocess.run([*uv, "venv", "--quiet", "--seed", "--python", base_python, runtime], check=True)
    python = course.venv_python(runtime)
    pins = pinned_versions()
    colab = COLAB_VERSIONS | {"torch": torch_version}
    preinstalled = [f"{name}=={version}" for name, version in colab.items()]
    preinstalled += [f"{name}=={pins[name]}" for name in AT_THE_PINS] + OTHER_VERSIONS
    install = [*uv, "pip", "install", "--quiet", "--python", python, *course.find_links()]
    subprocess.run([*install, *preinstalled], check=True)
    vocabulary = (REPO_ROOT / "requirements-nodeps.txt").read_text().split()
    no_deps = [line for line in vocabulary if "==" in line]
    subprocess.run([*install, "--no-deps", *no_deps], check=True)
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


@pytest.mark.parametrize("runtime", runtimes())
def test_colab_installs_the_pins_asks_for_a_restart_and_then_a_lesson_runs(tmp_path, runtime):
    base_python, torch_version = runtime
    python = colab_runtime(tmp_path, base_python, torch_version)
    course_folder = tmp_path / "content" / "course"
    setup_cell = setup_cell_source().replace("/content/course", str(course_folder))
    assert setup_cell != setup_cell_source()

    # First session: an older transformers and Colab's pyarrow were imported before the cell.
    printed = run_in_colab(python, tmp_path, f"import pyarrow, transformers\n{setup_cell}")
    installing = next(line for line in printed.splitlines() if line.startswith("Colab: installing"))
    pins = pinned_versions()
    for name in ("transformers", "datasets", "pyarrow"):
        assert f"{name}=={pins[name]}" in installing
    assert not any(name in installing for name in COLAB_KEEPS + AT_THE_PINS)
    listed = installing.removeprefix("Colab: installing ").split(" (")[0].split(", ")
    assert set(listed) <= set(colab_requirements())  # only Hugging Face pins and pyarrow
    assert "Restart the runtime" in printed
    assert "transformers 5.22.0" in printed and "pyarrow 18.1.0" in printed
    assert (course_folder / "utils" / "course_setup.py").exists()  # fetched from the local clone

    # After the restart: nothing left to install; the lesson runs top to bottom.
    lesson = json.loads(LESSON.read_text())
    cells = ["".join(cell["source"]) for cell in lesson["cells"] if cell["cell_type"] == "code"]
    cells[0] = setup_cell
    script = "\n".join(cells)
    script += "\nimport json, platform\nfrom importlib import metadata\n"
    script += "names = ['torch', 'numpy', 'pandas']\n"
    script += "versions = {n: metadata.version(n) for n in names}\n"
    script += "print('runtime', json.dumps([platform.python_version(), versions]))\n"
    printed = run_in_colab(python, tmp_path, script)
    assert "installing" not in printed and "Restart" not in printed
    assert "transformers 5.24.0" in printed and "datasets     5.2.0" in printed
    line = next(line for line in printed.splitlines() if line.startswith("runtime "))
    python_version, versions = json.loads(line.removeprefix("runtime "))
    print(f"Simulated Colab on Python {python_version} with {versions}")
    which = [base_python, "-c", "import platform; print(platform.python_version())"]
    asked = subprocess.run(which, capture_output=True, text=True, check=True).stdout.strip()
    assert python_version == asked  # the runtime runs on the Python asked for
    versions["torch"] = versions["torch"].split("+")[0]  # a local wheel's 2.13.0+cpu is 2.13.0
    kept = {"torch": torch_version} | {name: COLAB_VERSIONS[name] for name in ("numpy", "pandas")}
    assert versions == kept  # Colab's own, untouched
    assert "bert/modeling_bert.py" in printed  # the lesson's last cell ran
