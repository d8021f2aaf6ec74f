# Read by the Jupyter server that `make lab` starts (JUPYTER_CONFIG_PATH points here).
# After each save, a notebook whose clean form did not change (you only ran it) shows as
# unchanged in `git status`; see utils/instructors/notebook_filter.py. It is loaded as a
# server extension, which adds its save hook to any you have (no "Overriding" warning).
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the course folder

c.ServerApp.jpserver_extensions = {"utils.instructors.notebook_filter": True}  # noqa: F821
