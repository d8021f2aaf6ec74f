"""The course's commands, the same on Linux, macOS and Windows.

    python course.py lab       (Windows: py course.py lab)   open the course in JupyterLab
    python course.py lab --ko  (or lab-ko)                    the same, in Korean (한국어판)
    python course.py test      (Windows: py course.py test)  run every test

Each command first creates ``.venv`` and installs the pinned libraries when they are missing
or older than the requirement files. The Makefile's targets call this file (``make lab`` is
``python3 course.py lab``), so there is one implementation. Only Python's standard library
is used here: this file runs before anything is installed.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# COURSE_VENV names another folder for a second Python's venv (CI's .venv-3.13).
VENV = ROOT / os.environ.get("COURSE_VENV", ".venv")
STAMP = VENV / ".installed"
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt", "requirements-nodeps.txt")
START_PAGES = {
    "en": "/lab/tree/notebooks/00_start_here.ipynb",
    "ko": "/lab/tree/ko_notebooks/00_start_here.ipynb",
}
SETTINGS = ROOT / "jupyter-settings"


def venv_python(venv=VENV):
    """The venv's Python: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    scripts = sysconfig.get_path("scripts", "venv", vars={"base": str(venv), "platbase": str(venv)})
    return Path(scripts) / ("python.exe" if os.name == "nt" else "python")


def run(command, env=None):
    """Run a command from the course's folder; stop with its exit status when it fails."""
    status = subprocess.run([str(part) for part in command], cwd=ROOT, env=env).returncode
    if status != 0:
        sys.exit(status)


def pinned_uv():
    """The ``uv==X.Y.Z`` line of requirements-dev.txt."""
    for line in (ROOT / "requirements-dev.txt").read_text().splitlines():
        if line.startswith("uv=="):
            return line.strip()
    raise SystemExit("requirements-dev.txt pins no uv (a line uv==X.Y.Z).")


def find_links():
    """``--find-links`` options for uv from PIP_FIND_LINKS (local wheels, as pip reads them)."""
    folders = os.environ.get("PIP_FIND_LINKS", "").split()
    return [option for folder in folders for option in ("--find-links", folder)]


def is_installed():
    """True when .venv exists and was installed after the requirement files last changed."""
    if not (venv_python().exists() and STAMP.exists()):
        return False
    stamp = STAMP.stat().st_mtime
    return all((ROOT / name).stat().st_mtime <= stamp for name in REQUIREMENTS)


def install_with_uv(python):
    """Install uv into .venv with pip, then the pins with uv; False when uv cannot be had."""
    quiet = ["--quiet", "--disable-pip-version-check"]
    got_uv = subprocess.run([str(python), "-m", "pip", "install", *quiet, pinned_uv()], cwd=ROOT)
    if got_uv.returncode != 0:
        print("Could not install uv into .venv: installing with pip instead (slower).")
        return False
    uv = [python, "-m", "uv", "pip", "install", "--python", python, *find_links()]
    run([*uv, "-r", "requirements-dev.txt"])
    run([*uv, "--no-deps", "-r", "requirements-nodeps.txt"])
    return True


def install_with_pip(python):
    """Install the pins with pip alone (slower than uv; for machines where uv is not available)."""
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "-r", "requirements-dev.txt"])
    run([*pip, "--no-deps", "-r", "requirements-nodeps.txt"])


def install(args=()):
    """Create .venv and install the pinned libraries, unless already done (``--pip``: no uv)."""
    if is_installed():
        return
    python = venv_python()
    if not python.exists():
        run([sys.executable, "-m", "venv", VENV])
    if "--pip" in args or not install_with_uv(python):
        install_with_pip(python)
    git_filter()
    STAMP.touch()


def git(*args):
    """What ``git args`` prints in the course's folder ("" when git is missing or fails)."""
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def git_filter(args=()):
    """Set up the notebooks' git filter, in a clone's own config (outputs stay out of git).

    A linked worktree shares its config with the main checkout, which sets it up there.
    """
    git_dir = git("rev-parse", "--git-dir")
    if not git_dir or git_dir != git("rev-parse", "--git-common-dir"):
        print("Not the main checkout of a git clone: git filter for notebooks not set up here.")
        return
    # Relative to the clone (git runs filters there), forward slashes and quoted: the same
    # command works in git's shell on Windows and on Linux and macOS, spaces in paths too.
    python = venv_python().relative_to(ROOT).as_posix()
    clean = f'"{python}" -m utils.instructors.notebook_filter'
    git("config", "filter.course-notebooks.clean", clean)
    git("config", "filter.course-notebooks.smudge", "cat")
    print("Git filter for notebooks set up (outputs stay out of git).")


def in_venv(module, args=(), env=None):
    """Install if needed, then run ``python -m module args`` with the venv's Python."""
    install()
    run([venv_python(), "-m", module, *args], env=env)


def start_page(args):
    """Lesson 00 of the edition ``args`` ask for (``--ko``: Korean), and the other arguments."""
    language = "ko" if "--ko" in args else "en"
    return START_PAGES[language], [arg for arg in args if arg != "--ko"]


def lab(args=()):
    """Open the course in JupyterLab: lesson 00 first, the course's settings, no news popup."""
    page, args = start_page(args)
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(SETTINGS))
    options = [
        "--ServerApp.root_dir=.",
        f"--LabApp.default_url={page}",
        "--LabApp.custom_css=True",
        f"--ServerApp.tornado_settings=static_custom_path={SETTINGS / 'custom'}",
    ]
    # JupyterLab refuses to start as root (containers, some CI) unless told it may.
    if hasattr(os, "getuid") and os.getuid() == 0:
        options.append("--allow-root")
    in_venv("jupyterlab", [*options, *args], env=env)


def lab_ko(args=()):
    """Open the Korean edition in JupyterLab: ``lab --ko`` (``make lab-ko``)."""
    lab(["--ko", *args])


def browser(args=()):
    """Find Chromium for the browser tests: Playwright's, else Debian's, else say what to do."""
    in_venv("utils.instructors.find_chromium", ["--install", *args])


def test(args=()):
    """Run every test (the browser tests' Chromium set up first)."""
    browser()
    in_venv("pytest", args)


def test_fast(args=()):
    """Lint and the unit tests, no notebook executed; fewer odd values per task."""
    env = dict(os.environ, COURSE_ODD_EXAMPLES="5")
    in_venv("pytest", ["tests", "-m", "not integration", *args], env=env)


def test_online(args=()):
    """The course online, alone: a local Hub on 127.0.0.1 serves the stand-ins (tests/online/)."""
    in_venv("pytest", ["tests/online", *args])


def clean_standins(args=()):
    """Delete the built stand-ins (.standin/) and their lock; a link is removed, not followed."""
    for name in (".standin", ".standin.lock"):
        path = ROOT / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.is_symlink() or path.exists():
            path.unlink()


# Commands that run one of the course's modules with the venv's Python.
MODULES = {
    "grade": "utils.grade",
    "standins": "utils.standins",
    "exercises": "utils.instructors.make_exercises",
    "course-map": "utils.instructors.course_map",
    "strip": "utils.instructors.notebook_hygiene",
}

COMMANDS = {
    "install": install,
    "lab": lab,
    "lab-ko": lab_ko,
    "test": test,
    "test-fast": test_fast,
    "test-online": test_online,
    "browser": browser,
    "git-filter": git_filter,
    "clean-standins": clean_standins,
}


def main(argv):
    """Run the command named first in argv with the rest as its arguments."""
    # A learner may start this file with an older Python (macOS's own python3 is 3.9).
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit(f"The course needs Python 3.11 to 3.14; this is {sys.version.split()[0]}.")
    if not argv or argv[0] not in COMMANDS | MODULES:
        sys.exit(__doc__.strip() + "\n\nCommands: " + ", ".join(COMMANDS | MODULES))
    name, args = argv[0], argv[1:]
    if name in MODULES:
        in_venv(MODULES[name], args)
    else:
        COMMANDS[name](args)


if __name__ == "__main__":
    main(sys.argv[1:])
