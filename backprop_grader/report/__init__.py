"""The grader's outputs, one module per format: terminal (for the student), gradescope (results.json),
junit (CI test reports), markdown (a CI job summary) and csv (one row per submission, for a class).

Each takes a GradeResult and a lang, and renders every sentence through messages.render; check names stay
English, since they name tests in every language.
"""
