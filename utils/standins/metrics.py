"""Offline metric modules for ``evaluate``: accuracy, f1 and glue.

``evaluate.load("glue", "mrpc")`` normally downloads the script ``glue.py`` from the Hugging
Face Hub. The project writes its own scripts (``utils/metric_scripts/``, numpy only) and puts
them where ``evaluate`` 0.4.6 looks for a cached copy when it is offline::

    $HF_HOME/modules/evaluate_modules/metrics/evaluate-metric--glue/<sha256 of glue.py>/glue.py

To get that layout, each script is loaded once by its path, which makes ``evaluate`` copy it to
``.../metrics/glue/<sha256>/``; that folder is then renamed to ``evaluate-metric--glue``. With
``HF_EVALUATE_OFFLINE=1`` set before ``evaluate`` is imported, an unchanged
``evaluate.load("glue", "mrpc")`` finds it there.

The scripts are always loaded by the path of their ``.py`` file: a folder named ``glue`` holding
``glue.py`` in the working directory would be taken for the GLUE data set by ``datasets``.
"""

import shutil
from pathlib import Path

SCRIPTS_DIR = Path(__file__).resolve().parent / "metric_scripts"

# Each metric, and a configuration it can be loaded with (the glue script needs one).
METRICS = {"accuracy": None, "f1": None, "glue": "mrpc"}


def metrics_cache(hf_home: Path) -> Path:
    """The folder where ``evaluate`` keeps the metric scripts it has loaded."""
    return Path(hf_home) / "modules" / "evaluate_modules" / "metrics"


def check_evaluate_uses(hf_home: Path) -> None:
    """Raise RuntimeError unless ``evaluate`` keeps its modules under ``hf_home``.

    ``evaluate`` reads HF_HOME when it is imported, so HF_HOME must be set before that.
    """
    from evaluate import config

    expected = Path(hf_home) / "modules"
    if Path(config.HF_MODULES_CACHE).resolve() != expected.resolve():
        raise RuntimeError(
            f"evaluate keeps its modules in {config.HF_MODULES_CACHE}, not in {expected}: "
            "set HF_HOME before evaluate is imported."
        )


def install_metric(hf_home: Path, name: str, config_name: str | None) -> Path:
    """Load ``metric_scripts/<name>.py`` by path, then rename its folder to the Hub name."""
    import evaluate

    cache = metrics_cache(hf_home)
    loaded = cache / name
    installed = cache / f"evaluate-metric--{name}"
    shutil.rmtree(loaded, ignore_errors=True)
    shutil.rmtree(installed, ignore_errors=True)

    evaluate.load(str(SCRIPTS_DIR / f"{name}.py"), config_name)
    loaded.rename(installed)
    (cache / f"{name}.lock").unlink(missing_ok=True)  # the lock evaluate took while copying
    return installed


def build_metrics(hf_home: Path, progress=None) -> None:
    """Install the accuracy, f1 and glue metric modules into ``hf_home`` for offline use.

    Call it in a process where HF_HOME (and HF_EVALUATE_OFFLINE=1) were set before
    ``evaluate`` was imported. ``progress``, if given, is called with a short message before
    each of the three metrics.
    """
    say = progress or (lambda message: None)
    check_evaluate_uses(hf_home)
    for name, config_name in METRICS.items():
        say(f"metric: {name}")
        install_metric(hf_home, name, config_name)
