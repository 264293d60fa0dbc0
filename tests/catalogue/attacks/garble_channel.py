"""Relu.forward writes garbage into every pipe it holds but stdout and stderr (the grader's private channel
among them) and reads from them, to forge or steal the grader's messages."""
LAYER = "Relu"
FEEDBACK = "garbled"

import os  # noqa: E402
import stat  # noqa: E402


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            try:
                if fd > 2 and stat.S_ISFIFO(os.fstat(fd).st_mode):
                    os.set_blocking(fd, False)
                    try:
                        os.read(fd, 1 << 16)
                    except OSError:
                        pass
                    os.write(fd, b"\xff" * 64 + b'{"ok": 100}')
            except OSError:
                pass
        return super().forward(x)
