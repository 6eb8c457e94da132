"""`python -m fuzz [--seconds N] [--only NAME]`: every harness in turn, each in its own process.

New inputs and crashes go to .fuzz/NAME/ (kept between runs, so each run starts where the last one
stopped). The first harness that crashes stops the run with its exit status.
"""

import argparse
import subprocess
import sys

from . import HARNESSES


def main():
    parser = argparse.ArgumentParser(description="Chạy lần lượt các bộ fuzz (atheris) của thư mục fuzz/.")
    parser.add_argument("--seconds", type=int, default=300, help="thời gian chạy mỗi bộ (giây)")
    parser.add_argument("--only", choices=HARNESSES, help="chỉ chạy một bộ")
    options = parser.parse_args()
    for name in [options.only] if options.only else HARNESSES:
        command = [sys.executable, "-m", f"fuzz.{name}", "--seconds", str(options.seconds), "--work", f".fuzz/{name}"]
        status = subprocess.call(command)  # noqa: S603 (our own harness, no shell)
        if status != 0:
            print(f"fuzz {name}: có lỗi (mã {status}); xem tệp crash-… trong .fuzz/{name}/", file=sys.stderr)
            sys.exit(status)


if __name__ == "__main__":
    main()
