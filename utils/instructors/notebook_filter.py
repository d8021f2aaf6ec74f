"""The git filter that keeps a clone updatable: what git stores of a notebook is its clean form.

Running a notebook writes outputs, execution counts and the kernel's details
(``language_info`` with the Python version of the machine) into the file.
Git sees a notebook only through this filter (``.gitattributes``), so none of
that counts as a change: opening and running a notebook without editing it
leaves ``git status`` clean, and ``git pull`` can update it.

The clean form is the repository's own (``notebook_hygiene.strip``, built on
nbstripout): outputs kept only in checked cells, with their fixed counts; the
kernelspec as JupyterLab writes it; no ``language_info``.

    git config filter.course-notebooks.clean \
        '".venv/bin/python" -m utils.instructors.notebook_filter'
    git config filter.course-notebooks.smudge cat

(``make install`` or ``py course.py install`` sets this up, with the venv's own Python:
``.venv/Scripts/python.exe`` on Windows.) Input that is not a notebook, such as a file
in the middle of a merge, passes through unchanged.

One quirk of git: a file whose size changed counts as modified in ``git status``
(and blocks ``git pull``) until ``git add`` shows git that its clean form is
the same. ``refresh_git_index`` does that after each save in JupyterLab, and
only for a tracked notebook with no change git would keep. ``make lab`` loads
this module as a Jupyter server extension (``jupyter-settings/``), which adds
``post_save`` to the save hooks without replacing one the learner configured.
"""

import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    # Git starts this filter once for every notebook it looks at. nbformat imports jsonschema,
    # which imports rfc3987_syntax when installed (JupyterLab brings it), and that builds a
    # grammar on import: 1.7 s of the filter's 1.9 s. Notebooks hold no IRIs to check, so the
    # filter goes without it (None in sys.modules makes its import fail, which jsonschema allows).
    sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402 (after the line above)

from utils.instructors.notebook_hygiene import strip  # noqa: E402

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def clean(notebook):
    """The notebook as git stores it: stripped, with the standard kernelspec."""
    notebook = strip(notebook)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata.pop("language_info", None)
    return notebook


def clean_text(text):
    """The clean form of a notebook file's text (``text`` itself when it is not a notebook)."""
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception:  # not JSON, or not a notebook: leave it to git as it is
        return text
    written = nbformat.writes(clean(notebook))
    return written if written.endswith("\n") else written + "\n"


def refresh_git_index(os_path):
    """Tell git a saved notebook is unchanged when its clean form is (``git add`` stages nothing).

    A notebook that is not tracked, or that has a change git would keep (the
    learner's own code), is left alone.
    """
    path = Path(os_path)
    quiet = {"cwd": path.parent, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", "--", path.name], **quiet)
    if tracked.returncode != 0:
        return False
    if subprocess.run(["git", "diff", "--quiet", "--", path.name], **quiet).returncode != 0:
        return False
    return subprocess.run(["git", "add", "--", path.name], **quiet).returncode == 0


def post_save(model, os_path, contents_manager, **kwargs):
    """JupyterLab's post-save hook: refresh git's view of a saved notebook."""
    if model.get("type") == "notebook":
        refresh_git_index(os_path)


def _load_jupyter_server_extension(serverapp):
    """Jupyter server extension: run ``post_save`` after each save, beside any other hook."""
    serverapp.contents_manager.register_post_save_hook(post_save)


def main():
    """Read a notebook on stdin, write its clean form on stdout (git's clean filter)."""
    text = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(clean_text(text).encode("utf-8"))


if __name__ == "__main__":
    main()
