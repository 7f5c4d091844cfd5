"""nzkg installed from a wheel works outside the checkout: the wheel carries the ontology, vocabulary, shapes,
named queries and seeds (the files of the checkout's top-level folders) and the web app's templates, and its
`nzkg build` and `nzkg serve` run from a folder that has none of them.

The wheel goes into a fresh venv with `pip install --no-deps` (no network). The test venv's libraries are
made visible to it by a path line in a .pth file: a folder added that way is put on sys.path, but the .pth
files inside it are not run, so the checkout's editable nzkg stays out and `import nzkg` finds the wheel's."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from processes import free_port, stop_process  # tests/processes.py

ROOT = Path(__file__).resolve().parents[1]
# What a wheel is made of: the build configuration, the package and the folders its data links point to.
WHEEL_SOURCES = ("pyproject.toml", "README.md", "src", "ontology", "shapes", "queries", "seeds")
DATA = {"ontology": ROOT / "ontology", "shapes": ROOT / "shapes", "queries": ROOT / "queries", "seeds": ROOT / "seeds"}
RELEASES = ["d01_un-command-commitment.md", "d02_rok-six-to-nine.md", "d04_sinai-observer-force-2006.md"]
COUNT_RELEASES = """PREFIX nzo: <https://w3id.org/nzkg/ontology#>
SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a nzo:Release }"""
SERVE_LIMITS = ["--workers", "1", "--per-client", "1", "--timeout", "20"]

# Where the wheel's package says its data is, and a digest of every file there (run in the new venv).
REPORT = """
import hashlib, json, sys
import nzkg, nzkg.reason
from nzkg import paths
files = {str(path.relative_to(paths.DATA_DIR)): hashlib.sha256(path.read_bytes()).hexdigest()
         for path in sorted(paths.DATA_DIR.rglob("*")) if path.is_file()}
print(json.dumps({"nzkg": nzkg.__file__, "ontology": str(paths.ONTOLOGY_FILE), "queries": str(paths.QUERIES_DIR),
                  "files": files, "owlrl": "owlrl" in sys.modules}))
"""


def run(command: list[str | Path], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=environment(), capture_output=True,
                          text=True, timeout=timeout)


def environment() -> dict[str, str]:
    """This process's environment, less what would point Python at the checkout or the test venv."""
    return {key: value for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("install")
    assert not folder.resolve().is_relative_to(ROOT)
    return folder


@pytest.fixture(scope="module")
def venv(work: Path) -> Path:
    """A fresh venv holding nzkg from a wheel of the checkout, and the test venv's libraries but not its nzkg."""
    # The wheel is built from a copy, so that setuptools' build/ and egg-info stay out of the checkout.
    source = work / "source"
    source.mkdir()
    for name in WHEEL_SOURCES:
        if (ROOT / name).is_dir():  # symlinks=True: src/nzkg/data/* keep pointing at the copy's folders
            shutil.copytree(ROOT / name, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = work / "wheels"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                 "-w", wheels, source], work, 300)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = wheels.glob("nzkg-*.whl")

    env = work / "venv"
    made = run([sys.executable, "-m", "venv", env], work, 120)
    assert made.returncode == 0, made.stderr
    python = env / "bin" / "python"
    installed = run([python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel], work, 300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], work, 60)
    (Path(site.stdout.strip()) / "test-venv-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env


def test_the_installed_package_is_the_wheel_s_with_all_its_data(venv: Path, work: Path) -> None:
    """nzkg and its data come from the new venv, the data are the checkout's files byte for byte, and
    nzkg.reason needs no owlrl (the tests' reference, not a dependency)."""
    result = run([venv / "bin" / "python", "-c", REPORT], work, 120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    for key in ("nzkg", "ontology", "queries"):
        assert Path(found[key]).resolve().is_relative_to(venv.resolve()), found[key]
    expected = {f"{name}/{path.relative_to(folder)}": hashlib.sha256(path.read_bytes()).hexdigest()
                for name, folder in DATA.items() for path in sorted(folder.rglob("*")) if path.is_file()
                and "__pycache__" not in path.parts}
    assert found["files"] == expected
    assert not found["owlrl"]


@pytest.fixture
def serve(venv: Path) -> Iterator:
    """Starts the new venv's `nzkg serve` in a folder; every server started is stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(args: list[str], cwd: Path, within: float) -> str:
        port = free_port()
        log = tempfile.TemporaryFile()  # noqa: SIM115 - a pipe nobody reads would stall a server that logs
        process = subprocess.Popen([str(venv / "bin" / "nzkg"), "serve", "--port", str(port), *SERVE_LIMITS, *args],
                                   cwd=cwd, env=environment(), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                if requests.get(url + "/sparql", timeout=5).status_code == 200:
                    return url
            except requests.RequestException:  # not listening yet
                time.sleep(0.3)
        stop_process(process)
        log.seek(0)
        raise AssertionError(f"nzkg serve did not answer within {within} s: {log.read().decode(errors='replace')}")

    try:
        yield start
    finally:
        for process in started:
            stop_process(process)


def count_releases(url: str) -> int:
    answer = requests.post(url + "/sparql", data={"query": COUNT_RELEASES},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_the_wheel_builds_and_serves_outside_the_checkout(venv: Path, work: Path, serve) -> None:
    folder = work / "run"
    (folder / "releases").mkdir(parents=True)
    for name in RELEASES:
        shutil.copy2(ROOT / "tests" / "fixtures" / "corpus" / name, folder / "releases" / name)

    built = run([venv / "bin" / "nzkg", "build", "releases", "--output", "kg.trig", "--jobs", "1"], folder, 300)
    assert built.returncode == 0, built.stderr
    assert re.search(rf"converted {len(RELEASES)} of {len(RELEASES)} files \(0 skipped.*; 0 SHACL violations",
                     built.stderr), built.stderr
    assert (folder / "kg.trig").stat().st_size > 0

    url = serve(["--graph", "kg.trig"], folder, 120)
    assert count_releases(url) == len(RELEASES)
    page = requests.get(url + "/", timeout=30)  # the query page: a template, offering the packaged named queries
    assert page.status_code == 200
    assert page.text.count("<option") == len(list((ROOT / "queries").glob("*.rq")))
    ontology = requests.get(url + "/ontology", headers={"Accept": "text/turtle"}, timeout=30)
    assert ontology.status_code == 200 and "nzo:Release" in ontology.text


def test_the_wheel_serves_the_packaged_seeds_from_an_empty_folder(venv: Path, work: Path, serve) -> None:
    folder = work / "empty"
    folder.mkdir()
    url = serve([], folder, 240)
    assert count_releases(url) == 5
    assert (folder / "build" / "nzkg.trig").is_file()  # the default graph file, in the current folder
