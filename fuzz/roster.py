"""Fuzz the roster import's parsing layer: org.roster.read_roster, then clean_row on every row.

A table is either refused as a whole (SheetError, in Vietnamese, by row and column) or read into
rows whose every cell is typed or named as a problem of its column.
"""

if __name__ == "__main__":
    from fuzz.common import setup_django

    setup_django()

from quantriet.core.sheets import SheetError, row_values
from quantriet.org.roster import COLUMN_TITLES, COLUMNS, clean_row, read_roster

from .common import entry
from .tables import MODULES as TABLE_MODULES
from .tables import Tables

NAME = "roster"
MODULES = [*TABLE_MODULES, "quantriet.org.roster"]
TABLES = Tables(
    [
        [c.header for c in COLUMNS],
        ["Nguyễn Thị Mai", "90000001", "900001QT", "15/03/1985", "Nữ", "Kinh", "0912345678", "mai@example.vn"]
        + ["20/05/2010", "20/05/2011", "Chính thức", "TVL-X001-C01"],
        ["Lê Văn Bình", "", "900002VL", "1990-01-02", "Nam", "", "+84 912 345 679", "", "1/2/2020", "", "Dự bị"]
        + ["TVL-X001-C02"],
    ]
)


def seeds() -> list[bytes]:
    return TABLES.seeds()


def parse(data: bytes):
    """Read DATA as a roster and check what was read; SheetError when it is refused."""
    body, positions = read_roster(*TABLES.decode(data))
    for _number, cells in body:
        values, problems = clean_row(row_values(cells, positions))
        assert set(COLUMN_TITLES) <= set(values), values
        for key, message in problems:
            assert key in COLUMN_TITLES and isinstance(message, str) and message, (key, message)


test_one_input = entry(parse, SheetError)


if __name__ == "__main__":
    from fuzz.common import main

    main(NAME, test_one_input, seeds, MODULES, dictionary="tables")
