"""Run pytest-benchmark on a benchmark file in a fresh process and read its JSON back: shared by the scripts.

BLAS runs single-threaded there (OPENBLAS_NUM_THREADS and friends = 1): on a machine that is busy with other
work, multi-threaded BLAS makes a 1 ms matrix product take 10 ms at random, and the timings compare code,
not the machine's load.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from backprop_grader import PROJECT_ROOT

SINGLE_THREADED = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
ROUNDS = ("--benchmark-min-rounds=20", "--benchmark-max-time=0.5", "--benchmark-warmup=on")


def run_benchmarks(paths, extra_args=(), json_path=None, timeout=1800):
    """pytest --benchmark-only on paths; (the parsed pytest-benchmark JSON, the completed process)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(json_path or Path(scratch) / "benchmark.json").resolve()
        command = [
            sys.executable, "-m", "pytest", *map(str, paths),
            "-c", str(PROJECT_ROOT / "pyproject.toml"), f"--rootdir={PROJECT_ROOT}",
            "--benchmark-only", f"--benchmark-json={out}", "-q", "-p", "no:cacheprovider", "-W", "ignore",
            *ROUNDS, *extra_args,
        ]
        env = dict(os.environ, **SINGLE_THREADED)
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT, env=env)
        data = json.loads(out.read_text()) if out.exists() else {"benchmarks": []}
    return data, done
