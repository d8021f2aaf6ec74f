"""The offline stand-in hub: where it lives, how it is switched on, how it is built.

Everything is written inside the repository, in the git-ignored folder
``.standin/``; nothing goes to the user's own ``~/.cache``. The folder holds a
Hugging Face home (``.standin/hf``) with stand-in checkpoints, GLUE data and
metric modules, and a stamp naming the recipe it was built from. When the
recipe (the code below, or a library version) changes, the folder is rebuilt.

Run ``python -m utils.standins`` to build it ahead of time.
"""

import hashlib
import os
import shutil
import time
import warnings
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from utils import REPO_ROOT

PACKAGE_DIR = Path(__file__).resolve().parent
STANDIN_DIR = REPO_ROOT / ".standin"
HF_HOME = STANDIN_DIR / "hf"
STAMP = STANDIN_DIR / "recipe.txt"
LOCK = REPO_ROOT / ".standin.lock"

# Besides this package's own files, the library versions the build depends on.
RECIPE_PACKAGES = ["transformers", "tokenizers", "datasets", "evaluate", "huggingface_hub", "torch"]

OFFLINE_SETTINGS = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_EVALUATE_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
}


def source_files(package_dir=PACKAGE_DIR):
    """Every source file of the stand-in package, as paths relative to it, in a stable order."""
    files = (path for path in Path(package_dir).rglob("*") if path.is_file())
    return sorted(
        path.relative_to(package_dir)
        for path in files
        if "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def recipe(package_dir=PACKAGE_DIR):
    """A short fingerprint of the build recipe: the package's source files plus library versions.

    Any change to a file of ``utils/standins/`` (an edit, a new file, a rename)
    changes it, and so rebuilds the stand-ins; a change anywhere else does not.
    """
    digest = hashlib.sha256()
    for name in source_files(package_dir):
        digest.update(name.as_posix().encode() + b"\0")
        digest.update((Path(package_dir) / name).read_bytes() + b"\0")
    for package in RECIPE_PACKAGES:
        # The release only: torch 2.13.0+cpu and 2.13.0+cu130 build the same stand-ins.
        release = metadata.version(package).split("+")[0]
        digest.update(f"{package}=={release}".encode())
    return digest.hexdigest()[:16]


def is_built():
    """True when ``.standin/`` holds a complete build of the current recipe."""
    return STAMP.exists() and STAMP.read_text().strip() == recipe()


def activate():
    """Point the Hugging Face libraries at the stand-in hub, in offline mode.

    Must run before ``transformers``, ``datasets`` or ``evaluate`` is imported:
    they read these variables once, at import time.
    """
    os.environ["HF_HOME"] = str(HF_HOME)
    os.environ.update(OFFLINE_SETTINGS)


def build(force=False):
    """Build the stand-in hub unless the current recipe is already built.

    Returns True when it built, False when there was nothing to do. Safe to
    call from several processes at once: they take turns through a lock file.
    """
    if is_built() and not force:
        return False
    from filelock import FileLock

    with FileLock(str(LOCK)):
        if is_built() and not force:  # another process built it while we waited
            return False
        activate()
        _build_all()
    return True


@contextmanager
def without_library_bars():
    """Turn off the Hugging Face libraries' own progress bars, then restore them.

    Saving a checkpoint or writing a dataset shows a bar per file ("Writing model
    shards", "Map"); during the build, the build's own bar says it all.
    """
    import datasets
    import huggingface_hub
    import transformers

    bars = [  # (module, the question it answers, the name's ending, the answer meaning "on")
        (transformers.utils.logging, "is_progress_bar_enabled", "_bar", True),
        (datasets.utils, "are_progress_bars_disabled", "_bars", False),
        (huggingface_hub.utils, "are_progress_bars_disabled", "_bars", False),
    ]
    restore = []
    with warnings.catch_warnings(action="ignore"):  # an environment variable may pin them
        for module, query, noun, means_on in bars:
            if getattr(module, query)() == means_on:
                getattr(module, f"disable_progress{noun}")()
                restore.append(getattr(module, f"enable_progress{noun}"))
    try:
        yield
    finally:
        with warnings.catch_warnings(action="ignore"):
            for enable in restore:
                enable()


def _build_all():
    """Wipe ``.standin/`` and build models, datasets and metrics, with one progress bar."""
    from tqdm.auto import tqdm

    from utils.standins.data import build_glue
    from utils.standins.metrics import build_metrics
    from utils.standins.models import build_models

    shutil.rmtree(STANDIN_DIR, ignore_errors=True)
    HF_HOME.mkdir(parents=True)
    current = recipe()
    start = time.time()
    steps = 4 + 10 + 3  # models, GLUE configurations, metrics
    with without_library_bars(), tqdm(total=steps, desc="Building stand-ins", unit="step") as bar:

        def progress(message):
            bar.set_postfix_str(message)
            bar.update()

        build_models(HF_HOME / "hub", current, progress)
        build_glue(HF_HOME, STANDIN_DIR / "sources", progress)
        build_metrics(HF_HOME, progress)
    STAMP.write_text(current + "\n")
    print(f"Stand-ins built in {time.time() - start:.0f} s into {STANDIN_DIR.name}/")
