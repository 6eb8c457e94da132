"""Fuzz the attendance sheet import's parsing layer: study.attendance_import.read_sheet, then read_rows.

A sheet is either refused as a whole (SheetError, in Vietnamese, by row and column) or read into
marked rows, each with a known status or a problem of its row.
"""

if __name__ == "__main__":
    from fuzz.common import setup_django

    setup_django()

from quantriet.core.sheets import Problems, SheetError
from quantriet.study import attendance_import as sheet
from quantriet.study.models import AttendanceStatus

from .common import entry
from .tables import MODULES as TABLE_MODULES
from .tables import Tables

NAME = "attendance"
MODULES = [*TABLE_MODULES, "quantriet.study.attendance_import"]
NUMBER, UNIT = sheet.INFO_HEADERS
TABLES = Tables(
    [
        [NUMBER, sheet.CARD, sheet.RECORD, sheet.NAME, UNIT, sheet.STATUS, sheet.REASON],
        [1, "01234567", "", "Nguyễn Văn An", "Chi bộ ấp Phú Hòa", sheet.STATUS_LABELS[0], ""],
        [2, "", "012345VL", "Trần Thị Bé", "Chi bộ ấp Phú Hòa", sheet.STATUS_LABELS[-1], "Ốm"],
        [3, "01234568", "", "Lê Văn Cường", "Chi bộ ấp Phú Hòa", "", ""],
    ]
)


def seeds() -> list[bytes]:
    return TABLES.seeds()


def parse(data: bytes):
    """Read DATA as an attendance sheet and check what was read; SheetError when it is refused."""
    problems = Problems(sheet.HEADERS.values())
    body, positions = sheet.read_sheet(*TABLES.decode(data))
    parsed, skipped = sheet.read_rows(body, positions, problems.add)
    problems.refuse()
    assert len(parsed) + skipped == len(body)
    for _number, raw, status, _reason in parsed:
        assert status in AttendanceStatus.values, status
        assert raw["card_number"] or raw["record_number"]


test_one_input = entry(parse, SheetError)


if __name__ == "__main__":
    from fuzz.common import main

    main(NAME, test_one_input, seeds, MODULES, dictionary="tables")
