"""Coverage-guided fuzzing (atheris) of the parsers of uploaded and typed input; see docs/testing.md."""

#: One module per parser: `python -m fuzz.NAME` runs it (fuzz/common.py), `python -m fuzz` runs them all.
HARNESSES = ["symbols", "roster", "attendance", "question_bank", "essay_docx"]
