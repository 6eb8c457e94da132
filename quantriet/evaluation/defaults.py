"""The default criteria sets written into the database (a data migration calls `write_default_sets`
with the historical models): members and collectives, from the date Quy định 366-QĐ/TW was issued."""

import datetime

from . import rules

#: Quy định 366-QĐ/TW of the Politburo, 30/8/2025 (replacing 124-QĐ/TW); guidance 43-HD/BTCTW, 31/10/2025.
BASIS = "Quy định 366-QĐ/TW ngày 30/8/2025; Hướng dẫn 43-HD/BTCTW ngày 31/10/2025"
VALID_FROM = datetime.date(2025, 8, 30)
DEFAULT_SETS = (
    ("dang_vien", "Tiêu chí đánh giá, xếp loại đảng viên (mặc định)", rules.DEFAULT_MEMBER_RULES),
    ("tap_the", "Tiêu chí đánh giá, xếp loại tổ chức đảng (mặc định)", rules.DEFAULT_COLLECTIVE_RULES),
)


def write_default_sets(criteria_set, criterion_group, criterion, band) -> None:
    """Create the default sets with the given model classes (historical ones in a migration)."""
    for subject, name, found in DEFAULT_SETS:
        write_set((criteria_set, criterion_group, criterion, band), subject, name, BASIS, VALID_FROM, found)


def write_set(models, subject: str, name: str, basis: str, valid_from, found: rules.Rules, to_confirm=True):
    """A criteria set holding FOUND (its groups, criteria, bands, quota), with MODELS (the criteria set,
    group, criterion and band classes): the defaults, or a copy an administrator starts a new period from."""
    criteria_set, criterion_group, criterion, band = models
    made = criteria_set.objects.create(
        subject=subject, name=name, basis=basis, valid_from=valid_from,
        excellent_share=found.excellent_share, heads_follow_unit=found.heads_follow_unit, to_confirm=to_confirm,
    )  # fmt: skip
    for order, group in enumerate(found.groups, start=1):
        group_row = criterion_group.objects.create(criteria_set=made, order=order, key=group.key, label=group.label)
        for position, item in enumerate(group.criteria, start=1):
            criterion.objects.create(
                group=group_row, order=position, key=item.key, label=item.label, max_points=item.max_points,
                floor=item.floor, study=item.study,
            )  # fmt: skip
    for order, item in enumerate(found.bands, start=1):
        band.objects.create(
            criteria_set=made, order=order, code=item.code, label=item.label, min_points=item.min_points,
            needs_no_discipline=item.needs_no_discipline, needs_floors=item.needs_floors,
        )  # fmt: skip
    return made


def ensure_default_sets() -> bool:
    """Write the default sets when the database has no criteria set at all (a demo database flushed
    by a test, say); whether it wrote them. A database with any set of its own is left alone."""
    from .models import Band, CriteriaSet, Criterion, CriterionGroup

    if CriteriaSet.objects.exists():
        return False
    write_default_sets(CriteriaSet, CriterionGroup, Criterion, Band)
    return True
