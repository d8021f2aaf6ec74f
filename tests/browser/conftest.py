"""The course in a real browser: a copy of the course, JupyterLab the README's way, Chromium.

The copy (a git clone's worth of files, with the git filter set up) keeps the
tests from touching this checkout: JupyterLab saves the notebooks it runs.
It shares ``.venv`` and the built ``.standin`` with this checkout.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from utils import REPO_ROOT
from utils.course_setup import QUIET_SETTINGS
from utils.instructors.find_chromium import launch_options

SCREENSHOTS = Path(__file__).parent / "screenshots"
TOKEN = uuid.uuid4().hex
# What the test session sets for nbval kernels but a learner's JupyterLab does not have.
TEST_ONLY = {"COURSE_STRICT_CHECKS", "COURSE_QUIET", "MPLBACKEND", *QUIET_SETTINGS}


def free_port():
    """A TCP port on the loopback interface that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def git(folder, *args):
    """Run git in ``folder`` and return what it printed."""
    command = ["git", "-c", "user.name=Learner", "-c", "user.email=learner@example.org", *args]
    return subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A copy of this checkout's course files, committed in a git repository of its own."""
    copy = tmp_path_factory.mktemp("browser") / "course"
    listed = git(REPO_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)  # keeps times: make sees .venv as up to date
    for shared in (".venv", ".standin"):
        (copy / shared).symlink_to(REPO_ROOT / shared)
    git(copy, "init", "-q")
    subprocess.run(["make", "--no-print-directory", "git-filter"], cwd=copy, check=True)
    git(copy, "add", "-A")
    git(copy, "commit", "-qm", "The course, as cloned")
    return copy


@pytest.fixture(scope="session")
def lab(course, tmp_path_factory):
    """JupyterLab started with `make lab`, headless on a loopback port.

    Its workspaces (the open tabs, which JupyterLab restores) and user settings
    live in a throwaway folder, not in ``~/.jupyter/lab``: the tests' tabs must
    not reopen in the learner's next `make lab`. Yields the address of a
    notebook in a workspace, to fill in: ``lab.format(workspace=..., path=...)``.
    """
    port = free_port()
    args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
        f"--IdentityProvider.token={TOKEN} --ServerApp.port_retries=0"
    )
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    throwaway = tmp_path_factory.mktemp("jupyterlab")
    environment["JUPYTERLAB_WORKSPACES_DIR"] = str(throwaway / "workspaces")
    environment["JUPYTERLAB_SETTINGS_DIR"] = str(throwaway / "settings")
    log = (course / "lab.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=course,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, (
            "JupyterLab exited early: " + (course / "lab.log").read_text()
        )
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "JupyterLab did not answer in time"
            time.sleep(0.5)
    yield f"{base}/lab/workspaces/{{workspace}}/tree/{{path}}?token={TOKEN}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


@pytest.fixture(scope="session")
def browser():
    """Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    options = launch_options()
    if options is None:
        pytest.fail("No Chromium for the browser tests: run `make browser` (it says what to do).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**options)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that a fixture can see whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, lab, request):
    """A fresh browser page on a wide screen; screenshots go to tests/browser/screenshots/.

    When the test fails, the page as it was then is kept as ``FAILED-<test>.png``.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"))
    context.close()
