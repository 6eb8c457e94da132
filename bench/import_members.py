"""Roster import speed: N valid rows in a real .xlsx, parsed, validated and committed end to end.

    python -m bench.import_members [--rows 50000] [--database sqlite|postgres]

Figures: `seconds` for the first import (all rows new), `parse_seconds` for only reading the
.xlsx (openpyxl), `reimport_seconds` for importing the same file again (all rows unchanged), and
`naive_seconds` for the obvious alternative measured on the same database in the same run: the
same N members (other card numbers) written one by one with `Member.objects.create` inside one
transaction, without parsing or validating anything.
"""

import argparse
import datetime
import io
import os
import random
import sys
from contextlib import redirect_stdout

from bench._common import database_label, emit, fresh_database, log, setup_django, timer

SCALE = 0.05  # demo province for the cells: about 640 organisations, 7,500 members
SEED = 5


def make_members(n, cells, card_base, record_letters):
    """N typed member dicts spread over CELLS; card numbers from CARD_BASE, records end in RECORD_LETTERS."""
    from quantriet.org import demo_names as names
    from quantriet.org.models import Gender, MemberStatus

    rng = random.Random(SEED)
    today = datetime.date.today()
    kinh_family = [f for f, _ in names.KINH_FAMILY]
    members = []
    for i in range(n):
        female = rng.random() < 0.36
        gender = Gender.FEMALE if female else Gender.MALE
        middle = rng.choice(names.FEMALE_MIDDLE if female else names.MALE_MIDDLE)
        given = rng.choice(names.FEMALE_GIVEN if female else names.MALE_GIVEN)
        dob = today - datetime.timedelta(days=rng.randint(22 * 365, 75 * 365))
        probationary = rng.random() < 0.1
        if probationary:
            joined, official = today - datetime.timedelta(days=rng.randint(30, 360)), None
        else:
            span = (today - dob).days - 20 * 365 - 400
            joined = dob + datetime.timedelta(days=19 * 365 + rng.randint(0, span))
            official = joined + datetime.timedelta(days=365 + rng.randint(0, 30))
        members.append(
            {
                "full_name": f"{rng.choice(kinh_family)} {middle} {given}",
                "card_number": None if probationary else f"{card_base + i:08d}",
                "record_number": f"{i:06d}{record_letters}",
                "date_of_birth": dob,
                "gender": gender,
                "ethnicity": "Kinh" if rng.random() < 0.9 else "Khmer",
                "phone": f"09{rng.randrange(10**8):08d}" if rng.random() < 0.8 else "",
                "email": f"dv{i}@example.vn" if rng.random() < 0.2 else "",
                "joined_on": joined,
                "official_on": official,
                "status": MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                "cell": cells[i % len(cells)],
            }
        )
    return members


def to_xlsx(members) -> bytes:
    """MEMBERS as the import template's columns in a write-only workbook, as an office would fill it."""
    from openpyxl import Workbook

    from quantriet.core.text import vn_date
    from quantriet.org.models import Gender, MemberStatus
    from quantriet.org.roster import COLUMNS

    genders, statuses = dict(Gender.choices), dict(MemberStatus.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đảng viên")
    sheet.append([c.header for c in COLUMNS])
    for m in members:
        sheet.append(
            [
                m["full_name"],
                m["card_number"] or "",
                m["record_number"],
                vn_date(m["date_of_birth"]),
                genders[m["gender"]],
                m["ethnicity"],
                m["phone"],
                m["email"],
                vn_date(m["joined_on"]),
                vn_date(m["official_on"]),
                statuses[m["status"]],
                m["cell"].code,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(rows: int) -> dict:
    from django.db import transaction

    from quantriet.core.sheets import read_table
    from quantriet.org.demo import ROOT_CODE
    from quantriet.org.models import Member, Organization
    from quantriet.org.roster import import_roster

    root = Organization.objects.get(code=ROOT_CODE)
    cells = list(Organization.objects.cells().active().filter(path__startswith=root.path).order_by("path"))
    seeded = Member.objects.count()
    members = make_members(rows, cells, card_base=80_000_000, record_letters="BM")
    data = to_xlsx(members)
    log(f"{rows} rows over {len(cells)} cells: {len(data) / 1e6:.1f} MB .xlsx")

    with timer() as parse:
        read_table(data, "bench.xlsx")
    log(f"reading the file alone: {parse():.2f}s")

    with timer() as first:
        result = import_roster(None, data, "bench.xlsx", [root.path])
    assert (result.created, result.updated) == (rows, 0), result
    log(f"import: {first():.2f}s")

    with timer() as again:
        result = import_roster(None, data, "bench.xlsx", [root.path])
    assert (result.created, result.updated, result.unchanged) == (0, 0, rows), result
    log(f"re-import (unchanged): {again():.2f}s")

    naive = make_members(rows, cells, card_base=90_000_000, record_letters="NV")
    with timer() as one_by_one, transaction.atomic():
        for fields in naive:
            Member.objects.create(**fields)
    log(f"naive one-by-one create: {one_by_one():.2f}s")
    assert Member.objects.count() == seeded + 2 * rows

    return {
        "bench": "import_members",
        "rows": rows,
        "seconds": round(first(), 3),
        "database": database_label(),
        "rows_per_s": round(rows / first()),
        "parse_seconds": round(parse(), 3),
        "reimport_seconds": round(again(), 3),
        "naive_seconds": round(one_by_one(), 3),
        "naive_over_import": round(one_by_one() / first(), 2),
        "cells": len(cells),
        "file_mb": round(len(data) / 1e6, 2),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args(argv)
    # The upload limits are not what is measured; let --rows go past them.
    os.environ.setdefault("ROSTER_MAX_BYTES", str(1024**3))
    os.environ.setdefault("SHEET_MAX_ROWS", str(args.rows + 1))
    with fresh_database(args.database, "bench_import_members"), redirect_stdout(sys.stderr):
        setup_django(SCALE)
        figures = run(args.rows)
    emit(figures)


if __name__ == "__main__":
    main()
