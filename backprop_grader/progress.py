"""A one-line progress bar for a terminal: redrawn in place, so it belongs on a terminal's stderr and nowhere else."""
import time

from .messages import render

WIDTH = 24
TICK_SECONDS = 0.5


class Progress:
    def __init__(self, total, stream, lang):
        self.total, self.stream, self.lang = total, stream, lang
        self.started = self.drawn = time.perf_counter()
        self.shown = 0  # the width of the line last drawn, to blank what a shorter line leaves behind
        self.done, self.counts = 0, {}

    def update(self, done, counts):
        """Redraw for done submissions of total, counts being {status: how many}."""
        self.done, self.counts = done, dict(counts)
        self._draw()

    def tick(self):
        """Redraw now and then while nothing finishes, so the clock keeps moving during a long grade."""
        if time.perf_counter() - self.drawn >= TICK_SECONDS:
            self._draw()

    def _draw(self):
        done, counts = self.done, self.counts
        self.drawn = time.perf_counter()
        filled = WIDTH * done // self.total
        line = render(
            "batch_progress",
            self.lang,
            bar="#" * filled + "." * (WIDTH - filled),
            done=done,
            total=self.total,
            counts=counted({status: n for status, n in counts.items() if n}, self.lang, "  "),
            seconds=f"{time.perf_counter() - self.started:.0f}",
        )
        self.stream.write("\r" + line.ljust(self.shown))
        self.stream.flush()
        self.shown = len(line)

    def close(self):
        self.stream.write("\r" + " " * self.shown + "\r")
        self.stream.flush()


def status_label(status, lang):
    """A batch status in the reader's words; the CSV's status column keeps the key itself (ok, timeout, ...)."""
    return render(f"batch_status_{status}", lang)


def counted(counts, lang, separator):
    """{status: how many} as "graded 12, timed out 1", in the reader's words."""
    return separator.join(f"{status_label(status, lang)} {n}" for status, n in counts.items())
