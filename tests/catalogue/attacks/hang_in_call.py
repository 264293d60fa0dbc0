"""Relu.forward ignores every signal it can (SIGTERM, SIGINT, SIGALRM, SIGHUP, blocked too) and loops forever."""
LAYER = "Relu"
FEEDBACK = "timeout"
BUDGET = 90

import signal  # noqa: E402


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP, signal.SIGUSR1):
            signal.signal(sig, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP})
        while True:
            pass
