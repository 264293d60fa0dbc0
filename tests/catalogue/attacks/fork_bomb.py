"""Relu.forward forks children that leave its process group and spin forever, and starts programs: a fork bomb
that would outlive the grader if it could start at all."""
LAYER = "Relu"

import os  # noqa: E402
import subprocess  # noqa: E402


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        started = 0
        for _ in range(32):
            try:
                if os.fork() == 0:
                    os.setsid()
                    while True:
                        pass
                started += 1
            except OSError:
                pass
        try:
            subprocess.Popen(["sleep", "600"], start_new_session=True)
            started += 1
        except OSError:
            pass
        if started:
            return super().forward(x)
        raise RuntimeError("could not start a single process")
