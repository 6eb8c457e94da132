"""Fuzz the question bank import's parsing layer: quizzes.bank_import.read_bank, then validate_rows.

A sheet is either refused as a whole (SheetError, in Vietnamese, by row and column) or read into
questions that the bank can hold: text, at least two answers, a right one, a known kind.
"""

if __name__ == "__main__":
    from fuzz.common import setup_django

    setup_django()

from quantriet.core.sheets import SheetError
from quantriet.quizzes.bank_import import EXAMPLE, HEADERS, read_bank, validate_rows
from quantriet.quizzes.models import QuestionKind
from quantriet.quizzes.services import question_problems

from .common import entry
from .tables import MODULES as TABLE_MODULES
from .tables import Tables

NAME = "question_bank"
MODULES = [*TABLE_MODULES, "quantriet.quizzes.bank_import", "quantriet.quizzes.services"]
TABLES = Tables(
    [
        HEADERS,
        EXAMPLE,
        ["Những nội dung nào là yêu cầu của Chỉ thị?", "", "Nêu gương", "Làm lướt", "Sát thực tiễn", "", "", ""]
        + ["A, C", ""],
    ]
)


def seeds() -> list[bytes]:
    return TABLES.seeds()


def parse(data: bytes):
    """Read DATA as a question bank and check what was read; SheetError when it is refused."""
    body, positions = read_bank(*TABLES.decode(data))
    for kind, text, _explanation, choices in validate_rows(body, positions, existing=set()):
        assert kind in QuestionKind.values, kind
        assert question_problems(kind, text, choices) == [], (text, choices)


test_one_input = entry(parse, SheetError)


if __name__ == "__main__":
    from fuzz.common import main

    main(NAME, test_one_input, seeds, MODULES, dictionary="tables")
