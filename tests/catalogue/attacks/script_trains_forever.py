"""A loose script that trains for ever when loaded, sleeps, forks and exits from its main guard.

Top-level work is skipped when a script is loaded for its definitions, so it is graded at once, in full.
"""
SHAPE = "script"
EXPECTED_FAILURES = []

import os  # noqa: E402
import time  # noqa: E402

pid = os.fork()
time.sleep(10**6)
epoch = 0
while True:
    epoch += 1

if __name__ == "__main__":
    os._exit(1)
