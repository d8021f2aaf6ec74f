"""Test-session settings shared by the unit tests and the notebooks nbval runs.

The kernels nbval starts inherit this process's environment, so what is set
here reaches every notebook's ``utils.setup()``.
"""

import os
import subprocess
import sys

import pytest

from utils import standin_hub
from utils.course_setup import QUIET_SETTINGS, hub_reachable


def pytest_configure(config):
    """Quiet, deterministic notebooks; Hub or stand-ins decided once; stand-ins built once.

    Offline, this process uses the stand-ins too (for the exercise checks'
    unit tests), exactly as a notebook's ``utils.setup()`` would.
    """
    os.environ["COURSE_QUIET"] = "1"
    os.environ.update(QUIET_SETTINGS)
    os.environ.setdefault("MPLBACKEND", "agg")
    # Two xdist workers share two cores. PyTorch would give each worker (and each
    # notebook kernel) one thread per core, four busy threads on two cores; one
    # thread each is much faster (lesson 07's training step: 9.4 s -> 2.7 s).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if "COURSE_OFFLINE" not in os.environ:
        os.environ["COURSE_OFFLINE"] = "0" if hub_reachable() else "1"
    if not hasattr(config, "workerinput"):  # the controller, before any worker starts
        built = subprocess.run([sys.executable, "-m", "utils.standin_hub"])
        if built.returncode != 0:
            pytest.exit("Building the offline stand-ins failed: see the error above.", 1)
    if os.environ["COURSE_OFFLINE"] == "1":
        standin_hub.activate()
