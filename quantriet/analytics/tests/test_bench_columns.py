"""The national benchmark writes its 5.6 million rows with COPY, column by column: its column lists
must follow the schema as migrations change it (twice a new NOT NULL column broke it unseen)."""

import pytest
from django.apps import apps
from django.db.models import NOT_PROVIDED

from bench.fidelity_national import COLUMNS


def _columns(model) -> tuple[set[str], set[str]]:
    """All columns of MODEL, and those a row must be given (NOT NULL with no default in the database)."""
    fields = model._meta.concrete_fields
    every = {f.column for f in fields}
    required = {f.column for f in fields if not f.null and not f.primary_key and f.db_default is NOT_PROVIDED}
    return every, required


@pytest.mark.parametrize("label", sorted(COLUMNS))
def test_the_benchmark_copies_every_required_column_and_no_unknown_one(label):
    every, required = _columns(apps.get_model(label))
    given = set(COLUMNS[label])
    assert given <= every, f"{label}: unknown columns {sorted(given - every)}"
    assert required <= given, f"{label}: required but not given {sorted(required - given)}"


def test_a_missing_column_is_seen():
    every, required = _columns(apps.get_model("org.Member"))
    assert "name_key" in required and "name_key" in every  # the column that once broke the load
