"""A local Hugging Face Hub for the online tests: the course's stand-ins, served over HTTP.

With ``HF_ENDPOINT`` pointing here, unchanged transformers, datasets and evaluate download
the stand-ins exactly as they download real repositories from the Hub. The server answers
only what those libraries ask for (see ``ROUTES``), with the Hub's status codes and headers:

- ``GET /``: a short answer, for the course's "is the Hub in reach?" probe;
- ``GET /api/agent-harnesses``: huggingface_hub's registry of coding agents (empty here);
- ``GET /api/{models,datasets,spaces}/REPO[/revision/REV]``: the repository's info;
- ``GET /api/{kind}/REPO/tree/REV[/FOLDER]``: the files of a folder (404 if it is missing);
- ``HEAD`` and ``GET /[datasets/|spaces/]REPO/resolve/REV/FILE``: one file, streamed, with
  ``X-Repo-Commit``, ``ETag`` and ``Content-Length``.

A missing repository is 401 ``RepoNotFound``, a missing revision 404 ``RevisionNotFound``,
a missing file or folder 404 ``EntryNotFound``, as on the Hub: transformers asks for many
optional files and must be told they do not exist. The repositories it serves:

- every checkpoint of ``.standin/hf/hub`` (its ``refs/`` name the revisions);
- ``nyu-mll/glue``: a README whose YAML lists the configurations, and each split as a
  parquet file, written from the stand-in's Arrow cache the first time it is asked for;
- ``evaluate-metric/{accuracy,f1,glue}``: the course's metric scripts, on ``main`` only.

Run ``python tests/online/hub_server.py LOG_FILE WORK_DIR``: it prints its address on the
first line of its output, logs every request to LOG_FILE (one line each) and writes the
parquet files into WORK_DIR.
"""

import hashlib
import json
import re
import shutil
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

if __name__ == "__main__":  # run as a script: the course's own modules come from the repository
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from utils.standins import data as standin_data
from utils.standins import hub as standin_hub
from utils.standins.metrics import METRICS, SCRIPTS_DIR

GLUE_ID = "nyu-mll/glue"
# Files the Hub keeps in Git LFS: their ETag is the sha256 of the content.
LFS_SUFFIXES = {".safetensors", ".parquet"}


@dataclass
class Repo:
    """One repository: its commit, the names of that commit, and its files.

    ``files`` maps each path in the repository to the file on disk, or to a function that
    writes that file the first time it is needed and returns its path.
    """

    commit: str
    refs: dict
    files: dict = field(default_factory=dict)

    def commit_for(self, revision):
        """The commit a revision names (a branch, a tag, or the commit itself), else None."""
        if revision == self.commit:
            return self.commit
        return self.refs.get(revision)

    def local_file(self, path):
        """The file on disk for ``path``, written first if it is made on demand."""
        source = self.files[path]
        return source if isinstance(source, Path) else source()


def model_repos(hub_dir):
    """Every stand-in checkpoint of the hub cache ``hub_dir``, by repository id."""
    repos = {}
    for folder in sorted(Path(hub_dir).glob("models--*")):
        repo_id = folder.name.removeprefix("models--").replace("--", "/")
        refs = {ref.name: ref.read_text().strip() for ref in (folder / "refs").iterdir()}
        snapshot = folder / "snapshots" / refs["main"]
        files = {
            path.relative_to(snapshot).as_posix(): path
            for path in sorted(snapshot.rglob("*"))
            if path.is_file()
        }
        repos[repo_id] = Repo(refs["main"], refs, files)
    return repos


def glue_repo(datasets_dir, work_dir):
    """The stand-in GLUE as the Hub holds it: a README, and one parquet file per split.

    The parquet files are written from the stand-in's Arrow cache into ``work_dir`` when
    first asked for, so only the configurations a test uses cost anything.
    """
    readme = Path(work_dir) / "README.md"
    readme.write_text(standin_data.readme(standin_data.SPLIT_SIZES))
    files = {"README.md": readme}
    lock = threading.Lock()
    for config, splits in standin_data.SPLIT_SIZES.items():
        for split in splits:
            path = f"{config}/{split}-00000-of-00001.parquet"
            files[path] = make_parquet(datasets_dir, config, split, Path(work_dir) / path, lock)
    commit = hashlib.sha1(f"glue:{standin_hub.recipe()}".encode()).hexdigest()
    return Repo(commit, {"main": commit}, files)


def make_parquet(datasets_dir, config, split, target, lock):
    """A function that writes one split of the stand-in GLUE as parquet, once, and returns it."""

    def write():
        import pyarrow.parquet
        from pyarrow import ipc

        with lock:
            if not target.exists():
                (arrow,) = Path(datasets_dir).glob(f"{config}/0.0.0/*/glue-{split}.arrow")
                with ipc.open_stream(arrow) as reader:  # keeps the features in its metadata
                    table = reader.read_all()
                target.parent.mkdir(parents=True, exist_ok=True)
                pyarrow.parquet.write_table(table, target)
        return target

    return write


def metric_repos():
    """The course's metric scripts as the Hub's Spaces ``evaluate-metric/NAME``."""
    repos = {}
    for name in METRICS:
        script = SCRIPTS_DIR / f"{name}.py"
        commit = hashlib.sha1(script.read_bytes()).hexdigest()
        repos[f"evaluate-metric/{name}"] = Repo(commit, {"main": commit}, {f"{name}.py": script})
    return repos


def standin_repos(work_dir):
    """Every repository the server holds, by kind ("models", "datasets", "spaces") and id."""
    hf_home = standin_hub.HF_HOME
    return {
        "models": model_repos(hf_home / "hub"),
        "datasets": {GLUE_ID: glue_repo(hf_home / "datasets" / "nyu-mll___glue", work_dir)},
        "spaces": metric_repos(),
    }


def git_blob_id(content):
    """The id Git gives a file with this content (the Hub's ``oid``)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def sha256_of(path):
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Fingerprints:
    """Each file's Hub identity, computed once: Git blob id, size, and for LFS files the sha256."""

    def __init__(self):
        self.known = {}
        self.lock = threading.Lock()

    def of(self, path):
        """``{"oid", "size", "etag"}`` plus ``"lfs"`` for a file the Hub keeps in LFS."""
        with self.lock:
            if path not in self.known:
                self.known[path] = self.compute(path)
            return self.known[path]

    @staticmethod
    def compute(path):
        size = path.stat().st_size
        if path.suffix not in LFS_SUFFIXES:
            blob_id = git_blob_id(path.read_bytes())  # small text files
            return {"oid": blob_id, "size": size, "etag": blob_id}
        sha256 = sha256_of(path)
        pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n"
        lfs = {"oid": sha256, "size": size, "pointerSize": len(pointer)}
        return {"oid": git_blob_id(pointer.encode()), "size": size, "etag": sha256, "lfs": lfs}


class HubError(Exception):
    """An error the Hub answers with a status code and an ``X-Error-Code`` header."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def repo_not_found():
    return HubError(401, "RepoNotFound", "Repository not found")


def revision_not_found(revision):
    return HubError(404, "RevisionNotFound", f"Invalid rev id: {revision}")


def entry_not_found():
    return HubError(404, "EntryNotFound", "Entry not found")


# The requests the server answers, HEAD or GET: (pattern of the path, handler method's name).
KIND = r"(?P<kind>models|datasets|spaces)"
REPO = r"(?P<repo>[^/]+(?:/[^/]+)?)"  # "org/name", or a legacy "name"
REVISION = r"(?P<revision>[^/]+)"  # a branch, tag or commit; "refs/pr/1" comes as refs%2Fpr%2F1
ROUTES = [
    (r"/", "home"),
    (r"/api/agent-harnesses", "agent_harnesses"),
    (rf"/api/{KIND}/{REPO}/tree/{REVISION}(?:/(?P<path>.+))?", "tree"),
    (rf"/api/{KIND}/{REPO}/revision/{REVISION}", "info"),
    (rf"/api/{KIND}/{REPO}", "info"),
    (rf"(?:/(?P<kind>datasets|spaces))?/{REPO}/resolve/{REVISION}/(?P<path>.+)", "resolve"),
]


class HubHandler(BaseHTTPRequestHandler):
    """Answers one request from ``self.server.repos``; every request goes to the log."""

    server_version = "CourseHub/1"

    def do_GET(self):
        self.dispatch()

    def do_HEAD(self):
        self.dispatch()

    def dispatch(self):
        """Find the route of this request's path and answer it, or answer 404."""
        path = urlsplit(self.path).path
        self.route = "unserved"
        for pattern, name in ROUTES:
            match = re.fullmatch(pattern, path)
            if match:
                self.route = name
                found = match.groupdict().items()
                arguments = {key: unquote(value) for key, value in found if value}
                try:
                    getattr(self, name)(**arguments)
                except HubError as error:
                    self.send_error_answer(error)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away; nothing to answer
                return
        self.send_error_answer(HubError(404, None, "Not Found: the local Hub does not serve this"))

    def find_repo(self, kind, repo):
        repos = self.server.repos[kind or "models"]
        if repo not in repos:
            raise repo_not_found()
        return repos[repo]

    def find_commit(self, found, revision):
        commit = found.commit_for(revision)
        if commit is None:
            raise revision_not_found(revision)
        return commit

    def home(self):
        self.send_json({"local": "a Hugging Face Hub for the course's tests"})

    def agent_harnesses(self):
        """huggingface_hub's registry of AI coding agents (for its user agent): none here."""
        self.send_json({"standardEnvVars": [], "harnesses": {}})

    def info(self, kind, repo, revision="main"):
        found = self.find_repo(kind, repo)
        commit = self.find_commit(found, revision)
        self.send_json(
            {
                "_id": commit[:24],
                "id": repo,
                "sha": commit,
                "private": False,
                "disabled": False,
                "gated": False,
                "tags": [],
                "siblings": [{"rfilename": path} for path in sorted(found.files)],
            }
        )

    def tree(self, kind, repo, revision, path=""):
        """The entries of one folder, or of everything below it when ``recursive`` is asked."""
        found = self.find_repo(kind, repo)
        self.find_commit(found, revision)
        recursive = "recursive=true" in urlsplit(self.path).query.lower()
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        inside = [name for name in sorted(found.files) if name.startswith(prefix)]
        if prefix and not inside:
            raise entry_not_found()
        files, folders = [], set()
        for name in inside:
            parents = name[len(prefix) :].split("/")[:-1]
            if recursive:
                folders.update(prefix + "/".join(parents[:n]) for n in range(1, len(parents) + 1))
                files.append(name)
            elif parents:
                folders.add(prefix + parents[0])
            else:
                files.append(name)
        entries = []
        for name in files:
            identity = self.server.fingerprints.of(found.local_file(name))
            entry = {"type": "file", "oid": identity["oid"], "size": identity["size"], "path": name}
            if "lfs" in identity:
                entry["lfs"] = identity["lfs"]
            entries.append(entry)
        for folder in sorted(folders):
            folder_id = hashlib.sha1(folder.encode()).hexdigest()
            entries.append({"type": "directory", "oid": folder_id, "size": 0, "path": folder})
        self.send_json(entries)

    def resolve(self, repo, revision, path, kind=None):
        """One file: headers only for HEAD, streamed from disk for GET."""
        found = self.find_repo(kind, repo)
        commit = self.find_commit(found, revision)
        if path not in found.files:
            raise entry_not_found()
        local = found.local_file(path)
        identity = self.server.fingerprints.of(local)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(identity["size"]))
        self.send_header("ETag", f'"{identity["etag"]}"')
        self.send_header("X-Repo-Commit", commit)
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if self.command == "GET":
            with open(local, "rb") as file:
                shutil.copyfileobj(file, self.wfile, 1 << 20)

    def send_json(self, value):
        body = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def send_error_answer(self, error):
        body = json.dumps({"error": error.message}).encode()
        self.send_response(error.status)
        if error.code:
            self.send_header("X-Error-Code", error.code)
        self.send_header("X-Error-Message", error.message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def log_request(self, code="-", size="-"):
        """One line per request: method, path, status, and the route that answered."""
        self.server.log(f"{self.command} {self.path} {code} {getattr(self, 'route', '-')}")

    def log_message(self, format, *args):
        pass  # log_request writes the one line per request


class HubServer(ThreadingHTTPServer):
    """The local Hub on 127.0.0.1 (``port=0``: a free port), logging each request to ``log``."""

    daemon_threads = True

    def __init__(self, work_dir, port=0, log=print):
        super().__init__(("127.0.0.1", port), HubHandler)
        self.repos = standin_repos(work_dir)
        self.fingerprints = Fingerprints()
        self.log = log

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


def main(log_path, work_dir):
    """Serve until stopped, printing the address first and logging every request to a file."""
    with open(log_path, "a", buffering=1) as log:
        server = HubServer(work_dir, log=lambda line: print(line, file=log))
        print(server.url, flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
