"""What a round trip to a worker costs, beside the floor no round trip can beat: a pipe round trip between two
Python processes. A grade of the reference makes some 3,500 of them (docs/performance.md), so their cost is
most of what isolation adds to a grade.

    python benchmarks/round_trip.py [--calls N] [--runs R]

Each line is the median of R runs of N calls, in microseconds per call: wall time, and the CPU time of this
process (the grader's side; the worker's is the rest of the wall time, with the wake-ups of both):
- the floor: 200 bytes written to a child process that writes them back, through two pipes, as the grader
  waits for a reply (poll, then read);
- a layer's call: Relu().forward(x) on a (3, 4) array of the reference, in a sandboxed worker as a grade makes
  it (one round trip);
- a loss of the learner's TwoLayerNet (the reference's, in the net worker) on the reference's layers in this
  process: one request and a callback for each of the four layers it calls, five round trips.
"""
import argparse
import os
import platform
import select
import statistics
import time

import numpy as np

from backprop_grader.counting import CountingLayers
from backprop_grader.isolation.proxies import IsolatedImplementation
from backprop_grader.isolation.session import Session
from backprop_grader.loader import load
from backprop_grader.shipped import REFERENCE_DIR


def pipe_floor(calls):
    """(wall, cpu) seconds of calls round trips of 200 bytes to a child that echoes them."""
    to_child, from_parent = os.pipe()
    to_parent, from_child = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(from_parent)
        os.close(to_parent)
        while data := os.read(to_child, 1 << 16):
            os.write(from_child, data)
        os._exit(0)
    os.close(to_child)
    os.close(from_child)
    poller = select.poll()
    poller.register(to_parent, select.POLLIN)
    message = b"x" * 200
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        os.write(from_parent, message)
        poller.poll(1000)
        os.read(to_parent, 1 << 16)
    timed = time.perf_counter() - started, time.process_time() - cpu
    os.close(from_parent)
    os.waitpid(child, 0)
    os.close(to_parent)
    return timed


def timed_calls(call, calls):
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        call()
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args(argv)
    session = Session(REFERENCE_DIR)
    try:
        impl = IsolatedImplementation(session)
        session.begin_check()
        layer, x = impl.Relu(), np.random.default_rng(0).standard_normal((3, 4))
        net = impl.two_layer_net_on(CountingLayers(load(REFERENCE_DIR)))(4, 5, 3)
        batch, labels = np.random.default_rng(1).standard_normal((3, 4)), np.array([0, 1, 2])
        for _ in range(50):  # both workers booted, and each kind of call made once
            layer.forward(x)
            net.loss(batch, labels)
        rows = [
            ("pipe round trip between two Python processes (floor)", 1, lambda: pipe_floor(options.calls)),
            ("a layer's call in its worker: Relu().forward(x)", 1, lambda: timed_calls(lambda: layer.forward(x), options.calls)),
            ("a TwoLayerNet loss: 1 request, 4 callbacks", 5,
             lambda: timed_calls(lambda: net.loss(batch, labels), options.calls // 5)),
        ]
        print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
              f"median of {options.runs} runs of {options.calls} round trips, microseconds")
        print(f"  {'':60}{'per call: wall':>16}{'cpu here':>10}{'per round trip: wall':>22}")
        for label, trips, run in rows:
            count = options.calls // trips
            walls, cpus = zip(*(run() for _ in range(options.runs)))
            wall, cpu = statistics.median(walls) / count * 1e6, statistics.median(cpus) / count * 1e6
            print(f"  {label:60}{wall:16.0f}{cpu:10.0f}{wall / trips:22.0f}")
    finally:
        session.close()


if __name__ == "__main__":
    main()
