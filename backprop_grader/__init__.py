"""backprop-grader: grade hand-written chapter-5 layers (Deep Learning from Scratch) against a verified reference."""
from pathlib import Path

LAYERS = ("MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "TwoLayerNet")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = PROJECT_ROOT / "reference"
TEMPLATE_DIR = PROJECT_ROOT / "student_template"
TESTS_DIR = PROJECT_ROOT / "tests"
