"""Besides a Relu that raises, the folder holds files no editor makes, each named like a source: a FIFO
(zz_notes.py: whoever opens it waits for a writer that never comes), a link to /dev/zero (zero_table.py: reads
without end), and an unused 10 MB .py (weights_table.py: parsing it took 29 s and 4 GB). None of them may be read
before the worker's limits and sandbox are up, nor cost the other layers a point: only regular files within a
size limit are read."""
LAYER = "Relu"
BUDGET = 60
ODD_FILES = {"zz_notes.py": "fifo", "zero_table.py": "link:/dev/zero", "weights_table.py": "large:10000000"}


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError
