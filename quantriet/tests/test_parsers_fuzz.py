"""The parsers' fuzz harnesses (fuzz/, atheris) in CI: a bounded run of each, and their seeds and corpus.

A run that crashes is a real bug in a parser (or a harness accepting too little): the failure shows
the exception and the input. Fix the parser, add a regression test named test_fuzz_found_… in the
app's tests, and put the input under fuzz/corpus/NAME/ (docs/testing.md).

Each harness runs FUZZ_CI_SECONDS in its own process with a fixed libFuzzer seed; the seed differs
between the SQLite and the PostgreSQL run of `make test`, so the two runs try different inputs (the
parsers do not touch the database) and each is reproducible.
"""

import base64
import os
import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection

from fuzz import HARNESSES
from fuzz.common import committed_inputs

ROOT = Path(__file__).resolve().parents[2]
FUZZ_CI_SECONDS = int(os.environ.get("FUZZ_CI_SECONDS", "8"))
#: Beyond the run itself: Python, Django and the instrumentation start, and one slow input (fuzz.common).
STARTUP_ALLOWANCE = 120
SEEDS = {"sqlite": 1, "postgresql": 2}


def _crash_report(work: Path, output: str) -> str:
    crashes = sorted(work.glob("crash-*")) + sorted(work.glob("timeout-*")) + sorted(work.glob("oom-*"))
    shown = "\n".join(f"{path.name}: {base64.b64encode(path.read_bytes()[:2000]).decode()}" for path in crashes)
    return f"{output[-6000:]}\n\nĐầu vào gây lỗi (base64, tối đa 2000 byte):\n{shown}"


@pytest.mark.parametrize("name", HARNESSES)
def test_a_bounded_fuzz_run_finds_no_crash(name):
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as folder:
        command = [sys.executable, "-m", f"fuzz.{name}", "--seconds", str(FUZZ_CI_SECONDS)]
        command += ["--seed", str(SEEDS.get(connection.vendor, 3)), "--work", folder]
        run = subprocess.run(  # noqa: S603 (our own harness, no shell)
            command, cwd=ROOT, capture_output=True, text=True, timeout=FUZZ_CI_SECONDS + STARTUP_ALLOWANCE
        )
        output = run.stdout + run.stderr
        assert run.returncode == 0, _crash_report(Path(folder), output)
        assert "DONE" in output, output[-3000:]  # libFuzzer ran and ended on its time limit


@pytest.mark.parametrize("name", HARNESSES)
def test_the_seeds_are_read_and_the_corpus_runs_clean(name):
    """Every seed is read, not refused (so fuzzing starts past the refusals), and every committed input
    (a former crasher) runs clean in the harness, in this process."""
    harness = import_module(f"fuzz.{name}")
    seeds = harness.seeds()
    assert len(seeds) >= 2
    for data in seeds:
        harness.parse(data)
    for path in committed_inputs(name):
        harness.test_one_input(path.read_bytes())
