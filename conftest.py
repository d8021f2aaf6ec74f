"""Test-session settings shared by the unit tests and the notebooks nbval runs.

The kernels nbval starts inherit this process's environment, so what is set
here reaches every notebook's ``utils.setup()``.
"""

import os
import subprocess
import sys

import pytest

from utils.course_setup import QUIET_SETTINGS, want_offline
from utils.standins import hub as standin_hub


def pytest_configure(config):
    """Quiet, deterministic notebooks; Hub or stand-ins decided once; stand-ins built once.

    Offline, this process uses the stand-ins too (for the exercise checks'
    unit tests), exactly as a notebook's ``utils.setup()`` would.
    """
    os.environ["COURSE_QUIET"] = "1"
    os.environ.pop("COURSE_LANGUAGE", None)  # English, whatever the shell chose (Korean
    # notebooks choose Korean in their own first cell)
    os.environ["COURSE_STRICT_CHECKS"] = "1"  # a check that is not correct fails its cell
    os.environ.update(QUIET_SETTINGS)
    os.environ.setdefault("MPLBACKEND", "agg")
    # Decided once, as utils.setup() decides (COURSE_OFFLINE, else is HF_ENDPOINT's Hub in
    # reach?); the kernels inherit the answer, so every notebook agrees with the tests.
    os.environ["COURSE_OFFLINE"] = "1" if want_offline() else "0"
    if not hasattr(config, "workerinput"):  # the controller, before any worker starts
        built = subprocess.run([sys.executable, "-m", "utils.standins"])
        if built.returncode != 0:
            pytest.exit("Building the offline stand-ins failed: see the error above.", 1)
    if os.environ["COURSE_OFFLINE"] == "1":
        standin_hub.activate()


def running_order(item):
    """Where an item's kind comes in the run: the long files first, the unit tests last.

    First the tests that mostly wait (on a browser, on pip), then the notebooks: the lessons
    online first, then the later lessons (chapter 3's lessons train models); then the other
    integration tests, then the unit tests. The two workers take files in this order, so
    neither is left with a long file at the end while the other has nothing to do.
    """
    if item.get_closest_marker("browser") or item.path.name == "test_colab.py":
        return (0, 0)
    if item.path.name == "test_online_lessons.py":  # six lessons at once: the longest file
        return (1, -100)
    if item.path.suffix == ".ipynb":
        return (1, -int(item.path.name.split("_")[0]))
    if item.get_closest_marker("integration"):
        return (2, 0)
    return (3, 0)


def pytest_collection_modifyitems(config, items):
    """Run the long files first (``running_order``), then share the cores (``share_cores``)."""
    first_of_file = {}
    for item in items:
        key = running_order(item)
        first_of_file[item.path] = min(first_of_file.get(item.path, key), key)
    items.sort(key=lambda item: first_of_file[item.path])  # stable: a file's order is kept
    share_cores(config, items)


def share_cores(config, items):
    """Share the cores between the workers that have work: PyTorch threads per worker and kernel.

    The kernels nbval starts read OMP_NUM_THREADS. Left alone, PyTorch gives each
    kernel one thread per core, so two workers on two cores run four busy
    threads, which is much slower (lesson 07's training step: 9.4 s against
    2.7 s with one thread each). With one file to test, one worker has all the
    cores. A value the user set is kept.
    """
    if "OMP_NUM_THREADS" in os.environ:
        return
    workers = config.workerinput["workercount"] if hasattr(config, "workerinput") else 1
    busy = max(1, min(workers, len({item.path for item in items})))
    threads = max(1, (os.cpu_count() or 1) // busy)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    # This worker's own PyTorch (imported while collecting) shares the cores the same way:
    # make test-fast takes 42 s instead of 52 s on two cores.
    import torch

    torch.set_num_threads(threads)
