"""Tasks for the worker tests (ops/tests/test_workers.py): run by real worker processes, so they
report through files, not through the test's database."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def blocking_probe(run_dir: str) -> str:
    """Writes one line when it starts and one when it ends; in between it waits for the file
    ``release`` to appear, so a test can kill its worker while it runs."""
    directory = Path(run_dir)
    with open(directory / "runs.log", "a") as log:
        log.write(f"start {os.getpid()}\n")
    while not (directory / "release").exists():
        time.sleep(0.05)
    with open(directory / "runs.log", "a") as log:
        log.write(f"done {os.getpid()}\n")
    return "selesai"
