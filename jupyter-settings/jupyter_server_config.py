# Read by the Jupyter server that `make lab` starts (JUPYTER_CONFIG_PATH points here).
# After each save, a notebook whose clean form did not change (you only ran it) shows as
# unchanged in `git status`; see utils/instructors/notebook_filter.py.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the course folder
from utils.instructors.notebook_filter import post_save  # noqa: E402

c.FileContentsManager.post_save_hook = post_save  # noqa: F821 (c: the config Jupyter passes)
