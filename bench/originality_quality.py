"""Originality engine quality: recall and precision per kind of copying on the labelled quality corpus.

    python -m bench.originality_quality [--threshold T]

Runs `originality.scan.scan` over every text of `quantriet/originality/tests/quality` (originals,
honest essays on one directive, and their copies: verbatim, unaccented, glued, paraphrased, spliced,
and combinations), with the directive as reference, at the scan's default threshold unless told.
Prints one JSON line: per kind `<kind>_recall` and `<kind>_precision`, overall recall and precision,
the number of honest pairs found (must be 0), the true pairs found whose kind of copying is named
wrong (`kinds_misnamed`), the corpus size and the seconds the scan took.
"""

import argparse
import inspect
import sys

from bench._common import emit, log, timer


def main(argv=None):
    from quantriet.originality.scan import scan
    from quantriet.originality.tests import quality

    default = inspect.signature(scan).parameters["threshold"].default
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=default)
    args = parser.parse_args(argv)
    texts, references = quality.texts(), quality.references()
    log(f"originality_quality: {len(texts)} texts, {len(quality.true_pairs())} true pairs")
    with timer() as elapsed:
        pairs = scan(texts, references=references, threshold=args.threshold)
    result = quality.measure((pair.a, pair.b) for pair in pairs)
    log(quality.table(result))
    figures = {"bench": "originality_quality", "threshold": args.threshold}
    for kind in quality.KINDS:
        figures[f"{kind}_recall"] = round(result[kind]["recall"], 4)
        figures[f"{kind}_precision"] = round(result[kind]["precision"], 4)
    figures["overall_recall"] = round(result["overall"]["recall"], 4)
    figures["overall_precision"] = round(result["overall"]["precision"], 4)
    figures["honest_false_pairs"] = result["honest_false_pairs"]
    figures["kinds_misnamed"] = len(quality.misnamed({(pair.a, pair.b): pair.kind for pair in pairs}))
    figures["docs"] = len(texts)
    figures["pairs_expected"] = result["overall"]["expected"]
    figures["seconds"] = round(elapsed(), 2)
    emit(figures)


if __name__ == "__main__":
    sys.exit(main())
