"""The reference implementation of chapter 5's layers: correct, vectorised, verified by tests/."""
