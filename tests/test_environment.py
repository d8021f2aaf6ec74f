"""The pins: requirements files, environment.yml, pyproject.toml and uv.lock agree; all exact."""

import ast
import re
import subprocess
import sys
import tomllib
from importlib import metadata

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from utils import REPO_ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)$")


def read_requirements(name):
    """Pins of a requirements file, following ``-r other.txt`` includes."""
    pins = {}
    for line in (REPO_ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            pins.update(read_requirements(line[3:].strip()))
            continue
        match = PIN.match(line)
        assert match, f"{name}: '{line}' is not pinned exactly (name==version)"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def read_environment_pins():
    """Pins listed under ``pip:`` in environment.yml."""
    pins, in_pip = {}, False
    for line in (REPO_ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if stripped == "- pip:":
            in_pip = True
            continue
        if in_pip and stripped.startswith("- "):
            match = PIN.match(stripped[2:])
            assert match, f"environment.yml: '{stripped}' is not pinned exactly"
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_environment_yml_carries_the_same_pins():
    assert read_environment_pins() == read_requirements("requirements-dev.txt")


def pyproject():
    """pyproject.toml, read."""
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())


def pin_dict(lines):
    """``{name: version}`` of a list of ``name==version`` lines."""
    pins = {}
    for line in lines:
        match = PIN.match(line)
        assert match, f"pyproject.toml: '{line}' is not pinned exactly (name==version)"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_pyproject_carries_the_same_pins():
    project = pyproject()
    runtime = read_requirements("requirements.txt")
    dev = read_requirements("requirements-dev.txt") | read_requirements("requirements-nodeps.txt")
    assert pin_dict(project["project"]["dependencies"]) == runtime
    dev_only = {name: version for name, version in dev.items() if name not in runtime}
    assert pin_dict(project["dependency-groups"]["dev"]) == dev_only


def test_python_versions_agree_from_3_11_to_3_14():
    project = pyproject()
    assert project["project"]["requires-python"] == ">=3.11,<3.15"
    assert project["tool"]["ruff"]["target-version"] == "py311"  # the lowest one supported
    assert "  - python>=3.11,<3.15\n" in (REPO_ROOT / "environment.yml").read_text()
    assert "Python 3.11 to 3.14" in (REPO_ROOT / "README.md").read_text()


def test_uv_lock_is_current():
    # Offline: uv compares the lock with pyproject.toml without asking an index (0.1 s).
    check = subprocess.run(
        [sys.executable, "-m", "uv", "lock", "--check", "--offline"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, "uv.lock is stale: run `uv lock`.\n" + check.stderr


def test_uv_lock_holds_the_pinned_versions():
    lock = tomllib.loads((REPO_ROOT / "uv.lock").read_text())
    locked = {}
    for package in lock["package"]:
        locked.setdefault(package["name"], set()).add(package["version"])
    pins = read_requirements("requirements-dev.txt") | read_requirements("requirements-nodeps.txt")
    assert {name: locked.get(name) for name in pins} == {
        name: {version} for name, version in pins.items()
    }


def test_environment_yml_tells_conda_users_about_the_no_deps_package():
    no_deps = read_requirements("requirements-nodeps.txt")
    text = (REPO_ROOT / "environment.yml").read_text()
    assert no_deps and "pip install --no-deps -r requirements-nodeps.txt" in text


def test_torch_is_pinned_exactly_to_the_cpu_wheel_version():
    assert read_requirements("requirements.txt")["torch"] == "2.13.0"


def test_ci_runs_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"^(make \w+)$", readme, flags=re.M)
    assert "make test" in commands and "make lab" in commands
    ci_commands = [line.strip() for line in ci.splitlines() if line.strip().startswith("make")]
    assert ci_commands == ["make test"]


def imported_top_level_names():
    """Top-level module names imported anywhere in the course's Python code and notebooks."""
    sources = [
        path.read_text()
        for folder in ("utils", "tests")
        for path in (REPO_ROOT / folder).rglob("*.py")
    ]
    sources.append((REPO_ROOT / "conftest.py").read_text())
    for folder in ("notebooks", "solutions"):
        for path in (REPO_ROOT / folder).glob("*.ipynb"):
            notebook = nbformat.read(path, as_version=4)
            # IPython syntax (%%writefile, !accelerate launch) becomes plain Python first.
            cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
            sources += [TransformerManager().transform_cell(source) for source in cells]
    names = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_every_imported_library_is_pinned():
    pins = read_requirements("requirements-dev.txt") | read_requirements("requirements-nodeps.txt")
    # The course's own modules (course.py too), the tests' helpers (verdicts, figures), the script
    # lesson 3.4 writes (ch3_runs/train.py).
    helpers = {path.stem for path in (REPO_ROOT / "tests").rglob("*.py")}
    local = {"utils", "conftest", "course", "ch3_runs"} | helpers
    # Libraries that come with the ones pinned (IPython with ipykernel, Python's own build).
    provided = {"IPython": "ipykernel"}
    distributions = metadata.packages_distributions()
    unpinned = []
    for name in sorted(imported_top_level_names() - set(sys.stdlib_module_names) - local):
        if name in provided:
            assert provided[name] in pins, name
            continue
        owners = {owner.lower().replace("_", "-") for owner in distributions.get(name, [name])}
        if not owners & set(pins):
            unpinned.append(f"{name} (from {', '.join(sorted(owners))})")
    assert not unpinned, "imported but not pinned: " + "; ".join(unpinned)
