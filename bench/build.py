"""Build benchmark: releases per second for extraction alone and for the whole build, peak memory, and the
time of an incremental build after one release changed.

    python bench/build.py --sizes 1000 10000 100000 --runs 3 --jobs 2 --work /tmp/nzkg-bench

Corpora come from nzkg.synthetic (seed 1); a smaller size is the first N releases of the largest, linked
into a folder of its own. For each size and run:

- extraction: read + extract every release (nzkg.release, nzkg.extract) in `--jobs` forked workers, as the
  build does, with nothing else;
- whole build: `nzkg build DIR --reason --jobs J` from nothing (no cache, no store): extraction, SHACL,
  reasoning, the N-Quads file and the Oxigraph store, as a separate process whose memory (the PSS of its
  whole process tree, so pages that forked workers share are counted once) is sampled every 0.2 s;
- incremental: one release edited, then `nzkg build` again.

Medians are printed as a Markdown table, with the ratios between them, all from the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import psutil

from nzkg.extract import extract
from nzkg.release import read_release
from nzkg.vocab import Vocabulary, load_vocabulary

_vocab: Vocabulary | None = None


def corpus(work: Path, size: int, largest: int) -> Path:
    """The first `size` releases of the largest synthetic corpus, in a folder of their own."""
    full = work / f"synth-{largest}"
    if not full.exists() or len(list(full.glob("*.md"))) != largest:
        subprocess.run([sys.executable, "-m", "nzkg.synthetic", "--releases", str(largest), "--seed", "1",
                        "--out", str(full)], check=True, stdout=subprocess.DEVNULL)
    if size == largest:
        return full
    folder = work / f"synth-{size}"
    if not folder.exists():
        folder.mkdir()
        for path in sorted(full.glob("*.md"))[:size]:
            (folder / path.name).symlink_to(path)
    return folder


def _extract(path: Path) -> int:
    assert _vocab is not None
    return len(extract(read_release(path), _vocab).contributions)


def extraction(folder: Path, jobs: int) -> float:
    """Seconds to read and extract every release, in forked workers that share the loaded vocabulary."""
    global _vocab
    if _vocab is None:
        _vocab = load_vocabulary()
        _vocab.matcher  # noqa: B018 - built before forking, as the build does
    paths = sorted(folder.glob("*.md"))
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        found = sum(pool.map(_extract, paths, chunksize=64))
    elapsed = time.perf_counter() - start
    assert found > 0
    return elapsed


def tree_pss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += member.memory_full_info().pss
    return total


def timed_build(folder: Path, output: Path, jobs: int) -> tuple[float, int, float]:
    """Wall seconds, peak PSS (bytes) and the second it peaked at, of one `nzkg build`."""
    command = [sys.executable, "-m", "nzkg.cli", "build", str(folder), "-o", str(output), "--reason",
               "--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, peak_at = 0, 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_at
        while not done.wait(0.2):
            now = tree_pss(process)
            if now > peak:
                peak, peak_at = now, time.perf_counter() - start

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"nzkg build failed: {errors.strip().splitlines()[-1:]}")
    return elapsed, peak, peak_at


def edit_one(folder: Path) -> None:
    """Change one release (through the link, if the folder holds links) the way an editor would."""
    path = sorted(folder.glob("*.md"))[len(list(folder.glob("*.md"))) // 2].resolve()
    path.write_text(path.read_text() + "\nNew Zealand will send 3 more personnel.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/nzkg-bench"))
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    largest = max(args.sizes)
    rows, raw = [], {}
    for size in sorted(args.sizes):
        folder = corpus(args.work, size, largest)
        extract_s, build_s, peaks, peaks_at, incremental_s = [], [], [], [], []
        for run in range(args.runs):
            extract_s.append(extraction(folder, args.jobs))
            out = args.work / f"out-{size}"
            shutil.rmtree(out, ignore_errors=True)
            elapsed, peak, peak_at = timed_build(folder, out / "nzkg.nq", args.jobs)
            build_s.append(elapsed)
            peaks.append(peak)
            peaks_at.append(peak_at)
            edit_one(folder)
            incremental_s.append(timed_build(folder, out / "nzkg.nq", args.jobs)[0])
            print(f"{size} releases, run {run + 1}: extraction {extract_s[-1]:.1f} s, build {elapsed:.1f} s "
                  f"(peak {peak / 2**20:.0f} MiB at {peak_at:.0f} s), incremental {incremental_s[-1]:.1f} s",
                  file=sys.stderr)
        raw[size] = {"extraction_s": extract_s, "build_s": build_s, "peak_pss_bytes": peaks, "peak_at_s": peaks_at,
                     "incremental_s": incremental_s}
        extract_m, build_m, incremental_m = map(statistics.median, (extract_s, build_s, incremental_s))
        rows.append(f"| {size:,} | {size / extract_m:,.0f} | {size / build_m:,.0f} | {build_m:,.1f} | "
                    f"{max(peaks) / 2**20:,.0f} | {incremental_m:,.1f} | {build_m / extract_m:.1f}x | "
                    f"{build_m / incremental_m:.0f}x |")
    print(f"\n{args.runs} runs per size, {args.jobs} jobs; medians.\n")
    print("| releases | extraction rel/s | whole build rel/s | whole build s | peak memory MiB (PSS) | "
          "incremental s | build / extraction | full / incremental |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    if args.json:
        args.json.write_text(json.dumps(raw, indent=2))


if __name__ == "__main__":
    main()
