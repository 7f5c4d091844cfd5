"""A real server: `nzkg serve` as its own process on a free localhost port, serving the annotated corpus.
Started once per test session and stopped at the end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from processes import free_port  # tests/processes.py
from processes import stop_process as stop_server

from nzkg.build import build, write_output
from nzkg.vocab import Vocabulary

FIXTURES = Path(__file__).parents[1] / "fixtures"
TIMEOUT = 3  # seconds a query may run on the test server
# The limits of the test servers. Every test request comes from 127.0.0.1, so one address gets every worker
# here; the share of workers between addresses is tested on servers of its own (test_reliability.py).
LIMITS = ["--timeout", str(TIMEOUT), "--workers", "2", "--per-client", "2"]


def start_server(args: list[str], cwd: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # The server's output goes to a file: a pipe nobody reads would stall a server that logs a lot.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - open for as long as the server runs
    process = subprocess.Popen([sys.executable, "-m", "nzkg.cli", "serve", "--port", str(port), *args], cwd=cwd,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read().decode(errors='replace')}")
        try:
            if requests.get(url + "/sparql", timeout=2).status_code == 200:
                return process, url
        except requests.RequestException:  # not listening yet, or its server processes still starting
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError("server did not answer within 90 s")


@pytest.fixture(scope="session")
def served_graph(vocab: Vocabulary, tmp_path_factory) -> Path:
    graph = tmp_path_factory.mktemp("served") / "kg.trig"
    write_output(build([FIXTURES / "corpus"], vocab=vocab, progress=False), graph)
    return graph


@pytest.fixture(scope="session")
def server(served_graph: Path) -> Iterator[str]:
    process, url = start_server(["--graph", str(served_graph), *LIMITS],
                                served_graph.parent)
    yield url
    stop_server(process)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium under Playwright; CI must have it, elsewhere its tests are skipped saying why."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have a browser: .ci/run installs Debian's chromium")
        pytest.skip("no chromium on this machine: apt-get install chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()
