"""layers.py calls os._exit(0) as it is imported: every layer it defines loses its points, no more."""
LAYER = ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]
FEEDBACK = "import_exited"

import os  # noqa: E402

os._exit(0)
