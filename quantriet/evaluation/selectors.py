"""Reads of evaluations that pages and the API need."""

from django.db.models import Count
from django.db.models.functions import Substr

from quantriet.org.models import Organization
from quantriet.org.tree import path_length

from .models import DECIDED, Evaluation
from .rules import BAND_CODES


def band_summary(org: Organization, year: int) -> list[dict]:
    """For ORG and each of its active children: how many members of the subtree were rated in YEAR
    (decided evaluations), and how many in each band — one grouped query, whatever the size."""
    children = list(Organization.objects.active().filter(path__startswith=org.path, depth=org.depth + 1)
                    .order_by("path"))  # fmt: skip
    decided = Evaluation.objects.filter(year=year, state=DECIDED, member__isnull=False, org__path__startswith=org.path)
    counts: dict[str, dict[str, int]] = {}
    grouped = (
        decided.annotate(child=Substr("org__path", 1, path_length(org.depth + 1)))
        .values_list("child", "band")
        .annotate(n=Count("id"))
    )
    for child, band, number in grouped:
        counts.setdefault(child, {})[band] = number  # one row per (child, band): grouped in SQL
    rows = []
    for unit in [org, *children]:
        if unit is org:
            bands = {code: sum(found.get(code, 0) for found in counts.values()) for code in BAND_CODES}
        else:
            bands = {code: counts.get(unit.path, {}).get(code, 0) for code in BAND_CODES}
        rows.append({"org_id": unit.pk, "org_name": unit.name, "evaluated": sum(bands.values()), "bands": bands})
    return rows
