"""Run a function on a few CPU processes of this machine that talk over gloo, quietly.

Exercise T9b runs the learner's evaluation on two processes. Accelerate's ``debug_launcher``
would do it, but it always forks (Windows has no fork, and forking a process that already
runs threads is unsafe on macOS) and it names the loopback interface ``lo`` (macOS calls it
``lo0``). This module starts the processes itself:

- with ``fork`` on Linux, where it is fast, and ``spawn`` elsewhere;
- with the function sent to the processes by cloudpickle, so that a function defined in a
  notebook cell reaches a spawned process too;
- meeting through a file in a temporary folder, talking over the loopback interface;
- with everything the processes print kept in files, so that nothing reaches the notebook;
- with time limits: ``START_TIMEOUT`` seconds to start, ``RUN_TIMEOUT`` seconds to finish.

``run_on_processes`` returns one ``Outcome`` per process: what the function returned, or
that it raised, died or did not finish in time.
"""

import multiprocessing
import os
import pickle
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta

START_TIMEOUT = 60  # seconds for every process to start (spawn imports torch anew)
RUN_TIMEOUT = 300  # seconds for every process to finish, once started
GRACE = 10  # seconds the others may still run once one process has died
POLL = 0.05  # seconds between two looks at the processes


class NotCopyable(Exception):
    """The function or its arguments cannot be sent to the processes (cloudpickle refused)."""


@dataclass
class Outcome:
    """What one process did: ``kind`` is "returned", "raised", "died" or "late"."""

    rank: int
    kind: str
    value: object = None  # what the function returned, or the raised error's type name


def start_method():
    """``fork`` on Linux, ``spawn`` elsewhere (Windows has no fork; macOS forks unsafely)."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def loopback_interface():
    """The loopback interface's name for gloo: ``lo`` on Linux, ``lo0`` on macOS, else None."""
    if sys.platform == "win32":  # gloo on Windows finds its way without a name
        return None
    try:
        names = {name for _, name in socket.if_nameindex()}
    except OSError:
        return None
    return next((name for name in ("lo", "lo0") if name in names), None)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_environment(count):
    """The environment variables every process gets: who they are, where to meet, quiet."""
    environment = {
        "WORLD_SIZE": str(count),
        "LOCAL_WORLD_SIZE": str(count),
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": str(free_port()),
        "ACCELERATE_USE_CPU": "yes",
        "ACCELERATE_MIXED_PRECISION": "no",
        "OMP_NUM_THREADS": "1",  # one thread each, and no warning from Accelerate about it
        "TOKENIZERS_PARALLELISM": "false",
    }
    interface = loopback_interface()
    if interface:
        environment["GLOO_SOCKET_IFNAME"] = interface
    return environment


def worker(rank, count, folder, payload, environment):
    """One process: print only into a file, meet the others, run the function, save the result."""
    log = open(os.path.join(folder, f"output-{rank}.txt"), "w")  # noqa: SIM115 (until exit)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    sys.stdout = sys.stderr = log
    os.environ.update(environment, RANK=str(rank), LOCAL_RANK=str(rank))
    open(os.path.join(folder, f"started-{rank}"), "w").close()

    import cloudpickle
    import torch.distributed

    store = torch.distributed.FileStore(os.path.join(folder, "rendezvous"), count)
    torch.distributed.init_process_group(
        "gloo", rank=rank, world_size=count, store=store, timeout=timedelta(seconds=RUN_TIMEOUT)
    )
    try:
        function, args = cloudpickle.loads(payload)
        outcome = Outcome(rank, "returned", function(*args))
    except BaseException as error:  # noqa: BLE001 (whatever it is, the parent is told)
        outcome = Outcome(rank, "raised", type(error).__name__)
    result = os.path.join(folder, f"result-{rank}.pickle")
    with open(result + ".part", "wb") as file:
        pickle.dump(outcome, file)
    os.replace(result + ".part", result)  # whole or absent, never half written
    log.flush()


def read_outcome(folder, rank, process, stopped):
    """The outcome process ``rank`` saved; else "late" if it was stopped, or "died"."""
    path = os.path.join(folder, f"result-{rank}.pickle")
    if os.path.exists(path):
        with open(path, "rb") as file:
            return pickle.load(file)
    if rank in stopped:
        return Outcome(rank, "late")
    return Outcome(rank, "died", process.exitcode)


def wait_for(done, seconds):
    """Wait up to ``seconds`` until ``done()``; False if time ran out."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL)
    return True


def stop(processes):
    """End the processes that are still running; return the ranks of those it ended."""
    running = [rank for rank, process in enumerate(processes) if process.is_alive()]
    for rank in running:
        processes[rank].kill()
    for process in processes:
        process.join(5)
    return running


def run_on_processes(function, args=(), count=2):
    """Run ``function(*args)`` on ``count`` processes; return one ``Outcome`` per process.

    The function and its arguments must survive cloudpickle (``NotCopyable`` otherwise,
    naming the error's type); what it returns must survive pickle.
    """
    import cloudpickle

    try:
        payload = cloudpickle.dumps((function, args))
    except Exception as error:  # a lock, a generator, an open file...
        raise NotCopyable(type(error).__name__) from error
    context = multiprocessing.get_context(start_method())
    environment = process_environment(count)
    with tempfile.TemporaryDirectory() as folder:
        processes = [
            context.Process(
                target=worker, args=(rank, count, folder, payload, environment), daemon=True
            )
            for rank in range(count)
        ]
        for process in processes:
            process.start()

        def started():
            return all(
                os.path.exists(os.path.join(folder, f"started-{rank}")) or not process.is_alive()
                for rank, process in enumerate(processes)
            )

        deaths = []

        def finished():
            dead = [
                process
                for rank, process in enumerate(processes)
                if not process.is_alive()
                and not os.path.exists(os.path.join(folder, f"result-{rank}.pickle"))
            ]
            if dead and not deaths:
                deaths.append(time.monotonic())  # the others wait for it: give them a while
            late = bool(deaths) and time.monotonic() - deaths[0] > GRACE
            return late or not any(process.is_alive() for process in processes)

        if wait_for(started, START_TIMEOUT):
            wait_for(finished, RUN_TIMEOUT)
        stopped = stop(processes)
        return [
            read_outcome(folder, rank, process, stopped) for rank, process in enumerate(processes)
        ]
