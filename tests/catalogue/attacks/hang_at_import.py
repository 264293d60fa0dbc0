"""layers.py loops forever as it is imported: every layer it defines loses its points, after one time limit."""
LAYER = ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"]
FEEDBACK = "import_timeout"

while True:
    pass
