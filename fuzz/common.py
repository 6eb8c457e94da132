"""What every harness shares: Django without a database, the seed corpus, and libFuzzer's run (atheris).

A harness is a module of this package with NAME, `seeds()` (small valid inputs made in code) and
`test_one_input(data)`, which feeds the bytes to a public parsing function and lets through only
the clean refusal that function documents (its Vietnamese error type); any other exception, and a
broken invariant (an AssertionError), is a crash. `python -m fuzz.NAME --seconds 60` runs it:

- the inputs are the seeds, the inputs under fuzz/corpus/NAME/ (small, committed: crashers that
  became regression tests) and those found so far in the work folder; libFuzzer also inserts the
  tokens of a dictionary (fuzz/NAME.dict);
- new interesting inputs and a crashing input (`crash-…`) go to the work folder (`--work`, or a
  new temporary folder), never to fuzz/corpus;
- `--replay FILE` runs one input (a `crash-…` file) once, without the fuzzer, and shows its traceback;
- `--seed N` fixes libFuzzer's random choices: two runs try the same inputs in the same order (as far
  as the time allows); 0, the default, draws a seed (printed at the start).
"""

import argparse
import gc
import os
import sys
import tempfile
import types
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
#: Longer than any bound of the parsers (core.files.MAX_SECONDS): an input slower than this hangs.
TIMEOUT_SECONDS = 30
RSS_LIMIT_MB = 2048


def setup_django():
    """Settings and apps loaded, as in the tests; nothing here opens the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quantriet.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def entry(parse, refusal):
    """A harness's test_one_input: PARSE(data), where only REFUSAL, the parser's documented Vietnamese
    error, may end it early, and it must say why (SheetError's problems, ValidationError's messages)."""

    def test_one_input(data: bytes):
        try:
            parse(data)
        except refusal as error:
            said = getattr(error, "problems", None) or getattr(error, "messages", None)
            assert said and all(str(reason).strip() for reason in said), "a refusal says why"

    return test_one_input


def committed_inputs(name: str) -> list[Path]:
    """The files under fuzz/corpus/NAME (inputs that once crashed the harness)."""
    folder = CORPUS / name
    return sorted(path for path in folder.iterdir() if path.is_file()) if folder.is_dir() else []


def instrument(modules):
    """Coverage instrumentation of every function of MODULES (names; their submodules too), already imported.

    Only the parsing code of the harness: atheris' instrument_all would take minutes over Django and
    every app, and instrument_imports cannot choose within a package that django.setup() imported.
    """
    import atheris

    def wanted(name):
        return isinstance(name, str) and any(name == m or name.startswith(m + ".") for m in modules)

    for function in [f for f in gc.get_objects() if isinstance(f, types.FunctionType)]:
        if wanted(function.__module__):
            atheris.instrument_func(function)


def _arguments(argv):
    parser = argparse.ArgumentParser(description="Chạy một bộ fuzz (atheris) trong thời gian cho trước.")
    parser.add_argument("--seconds", type=int, default=60, help="thời gian chạy tối đa (giây)")
    parser.add_argument("--seed", type=int, default=0, help="hạt giống của libFuzzer (0: mỗi lần một hạt khác)")
    parser.add_argument("--work", help="thư mục ghi đầu vào mới và tệp gây lỗi (mặc định: thư mục tạm)")
    parser.add_argument("--replay", metavar="TỆP", help="chỉ chạy lại một đầu vào (ví dụ tệp crash-…) và in lỗi")
    return parser.parse_args(argv)


def main(name: str, test_one_input, seeds, modules, dictionary=None):
    """Fuzz TEST_ONE_INPUT from SEEDS() and the committed corpus for --seconds, MODULES instrumented.

    fuzz/DICTIONARY.dict (NAME's by default) lists tokens libFuzzer inserts into inputs: the formats'
    markup and the characters that fold or look alike, which random mutations would seldom write.
    """
    import atheris

    options = _arguments(sys.argv[1:])
    if options.replay:
        test_one_input(Path(options.replay).read_bytes())  # its exception, if any, with the whole traceback
        print(f"fuzz {name}: {options.replay} chạy không lỗi.", file=sys.stderr)
        return
    work = Path(options.work or tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
    found, seed_folder = work / "corpus", work / "seeds"
    found.mkdir(parents=True, exist_ok=True)
    seed_folder.mkdir(exist_ok=True)
    for number, seed in enumerate(seeds()):
        (seed_folder / f"seed-{number}").write_bytes(seed)
    folders = [found, seed_folder] + ([CORPUS / name] if committed_inputs(name) else [])
    print(f"fuzz {name}: {options.seconds} s, seed {options.seed}, thư mục {work}", file=sys.stderr)
    libfuzzer = [
        f"-max_total_time={options.seconds}",
        f"-seed={options.seed}",
        f"-timeout={TIMEOUT_SECONDS}",
        f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-artifact_prefix={work}/",
        "-print_final_stats=1",
        f"-dict={Path(__file__).parent / f'{dictionary or name}.dict'}",
    ]
    instrument(modules)
    atheris.Setup([sys.argv[0], *libfuzzer, *map(str, folders)], test_one_input)
    atheris.Fuzz()
