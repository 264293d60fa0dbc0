"""What the failed checks of one grade found so far, for the next failures of the same layer (replay.diagnose)."""
from . import table


class Suspects:
    """What the failed checks of one grade found so far: per layer, the mutants that reproduced its last failure.

    A layer's next failure is tried on those first: a submission that behaves like one mutant fails each of its
    checks as that mutant does. Only when none of them reproduces it are all the layer's mutants tried, at most
    FULL_SEARCHES times a layer, so that a layer that fails every check costs a few searches, not one a check.
    A check that compares more than LARGE numbers (Affine's at MNIST size: each run of it costs as much as a
    dozen small ones) never starts a search: it waits for the suspects a smaller check of its layer finds.
    """

    FULL_SEARCHES = 2
    LARGE = 20_000

    def __init__(self):
        self.pool = {}
        self.searches = {}
        self.waiting = {}  # layer -> {key: retry(pool) -> Diagnosis or None}
        self.verdicts = {}  # (change, check, input) -> whether that change passes a check the submission passed

    def search(self, layer, reproduces, reference_run):
        """(the mutants that reproduce a failure of layer's, whether the check is large): reproduces(mutant) ->
        bool; reference_run() -> (qualnames of the functions the check runs, how many numbers it compares)."""
        found = [m for m in self.pool.get(layer, ()) if reproduces(m)]
        large = False
        if not found and self.searches.get(layer, 0) < self.FULL_SEARCHES:
            called, compared = reference_run()
            large = compared > self.LARGE
            if not large:
                self.searches[layer] = self.searches.get(layer, 0) + 1
                found = [m for m in table.of_layer(layer) if m.function in called and reproduces(m)]
        if found:
            self.pool[layer] = found
        return found, large

    def wait(self, layer, key, retry):
        self.waiting.setdefault(layer, {})[key] = retry

    def settled(self, layer):
        """(key, Diagnosis) of each failure of layer waiting for suspects that the layer's suspects now explain."""
        done = []
        for key, retry in list(self.waiting.get(layer, {}).items()):
            found = retry(self.pool.get(layer, ()))
            if found is not None:
                done.append((key, found))
                del self.waiting[layer][key]
        return done
