"""What the evaluation gives out: a unit's summary of the year rolled up the tree (page, .docx, .xlsx)
and one evaluation's form (.docx, .xlsx).

The summary is for those who review the unit's evaluations (`evaluation.review`, as its API); a form
for whoever may read the evaluation (`access_evaluation`: its member, and the committees above).
Out of scope is a 404, without the right a 403.
"""

import datetime

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from quantriet.core.files import attachment
from quantriet.core.params import year_param
from quantriet.org.models import Organization
from quantriet.org.policy import can, require
from quantriet.org.selectors import org_ancestors

from . import exports
from .access import access_evaluation
from .models import DECIDED, CriteriaSet, Evaluation, Subject
from .rules import DEFAULT_MEMBER_RULES
from .selectors import HIGH_STUDY, RAISED_BY, SKIMMED_BELOW, STANDS_OUT_MIN, STUDY_BINS, evaluation_summary

#: Band colours of the summary's chart, best first (Bootstrap's success, primary, warning, danger).
BAND_COLOURS = {"xuat_sac": "#198754", "tot": "#0d6efd", "hoan_thanh": "#ffc107", "khong_hoan_thanh": "#dc3545"}


def _summary_org(request, org_pk) -> Organization:
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    require(request.user, "evaluation.review", org)
    return org


def band_labels(year: int) -> dict[str, str]:
    """The bands' names in the member criteria set of YEAR (the defaults' before any set)."""
    found = CriteriaSet.objects.in_force(Subject.MEMBER, datetime.date(year, 12, 31))
    bands = found.rules().bands if found else DEFAULT_MEMBER_RULES.bands
    return {band.code: band.label for band in bands}


def _chart(rows, labels: dict[str, str]) -> dict:
    """The page's two charts: the members rated by band (shares) of each unit that rated any, and the
    study points given beside the fidelity index of each unit that has either."""
    rated = [row for row in rows if row.evaluated]
    studied = [row for row in rows if row.study_mean is not None or row.fidelity is not None]
    return {
        "bands": {
            "labels": [row.org.name for row in rated],
            "datasets": [{"label": labels[code], "colour": BAND_COLOURS[code],
                          "data": [round(100 * row.share(code), 1) for row in rated],
                          "counts": [row.bands[code] for row in rated]} for code in BAND_COLOURS],
        },
        "study": {
            "labels": [row.org.name for row in studied],
            "given": [None if row.study_mean is None else round(100 * row.study_mean, 1) for row in studied],
            "fidelity": [None if row.fidelity is None else round(row.fidelity, 1) for row in studied],
        },
    }  # fmt: skip


def _percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)


def _line(row, labels: dict[str, str]) -> dict:
    """ROW as the page's table shows it: counts with their shares, percentages rounded."""
    proposed = row.study_proposed_mean
    return {
        "row": row, "org": row.org,
        "bands": [{"code": code, "label": labels[code], "count": row.bands[code], "percent": _percent(row.share(code))}
                  for code in BAND_COLOURS],
        "study": _percent(row.study_mean), "proposed": _percent(proposed),
        "bins": [row.study_bins[key] for key, *_ in STUDY_BINS],
        "fidelity": None if row.fidelity is None else round(row.fidelity), "own": labels.get(row.own_band, ""),
    }  # fmt: skip


@require_GET
def summary(request, org_pk):
    """The unit's members rated in the year, by band, for the unit and each unit below, with the study
    criterion's distribution beside the fidelity index: who rates high while studying lightly."""
    org = _summary_org(request, org_pk)
    year = year_param(request)
    whole, *children = evaluation_summary(org, year)
    labels = band_labels(year)
    visible = set(Organization.objects.visible_to(request.user).filter(pk__in=[r.org.pk for r in children])
                  .values_list("pk", flat=True))  # fmt: skip
    context = {
        "org": org, "year": year, "whole": _line(whole, labels), "children": [_line(row, labels) for row in children],
        "ancestors": [a for a in org_ancestors(org) if can(request.user, "evaluation.review", a)],
        "chart": _chart(children, labels), "bins": STUDY_BINS, "visible": visible,
        "rule": {"min": STANDS_OUT_MIN, "below": SKIMMED_BELOW, "high": round(100 * HIGH_STUDY),
                 "raised": round(100 * RAISED_BY)},
        "standing_out": sum(bool(row.stands_out) for row in children),
    }  # fmt: skip
    return render(request, "evaluation/summary.html", context)


@require_GET
def summary_docx(request, org_pk):
    org = _summary_org(request, org_pk)
    year = year_param(request)
    data = exports.summary_docx(org, year, evaluation_summary(org, year), band_labels(year))
    return attachment(data, f"bieu-tong-hop-xep-loai-{year}-{org.code}.docx")


@require_GET
def summary_xlsx(request, org_pk):
    org = _summary_org(request, org_pk)
    year = year_param(request)
    rows = evaluation_summary(org, year)
    members = None
    if rows[0].evaluated <= exports.MEMBERS_SHEET_MAX:
        members = (
            Evaluation.objects.filter(year=year, state=DECIDED, member__isnull=False, org__path__startswith=org.path)
            .select_related("member", "org", "criteria_set")
            .order_by("org__path", "member__name_key", "pk")
        )
    data = exports.summary_xlsx(rows, band_labels(year), members)
    return attachment(data, f"tong-hop-xep-loai-{year}-{org.code}.xlsx")


def _form_name(evaluation: Evaluation, extension: str) -> str:
    who = f"dang-vien-{evaluation.member_id}" if evaluation.member_id else f"tap-the-{evaluation.org.code}"
    return f"phieu-danh-gia-{evaluation.year}-{who}.{extension}"


@require_GET
def form_docx(request, pk):
    evaluation = access_evaluation(request.user, pk)
    return attachment(exports.form_docx(evaluation), _form_name(evaluation, "docx"))


@require_GET
def form_xlsx(request, pk):
    evaluation = access_evaluation(request.user, pk)
    return attachment(exports.form_xlsx(evaluation), _form_name(evaluation, "xlsx"))


urlpatterns = [
    path("tong-hop/<int:org_pk>/", summary, name="summary"),
    path("tong-hop/<int:org_pk>/bieu-tong-hop.docx", summary_docx, name="summary_docx"),
    path("tong-hop/<int:org_pk>/tong-hop.xlsx", summary_xlsx, name="summary_xlsx"),
    path("<int:pk>/phieu.docx", form_docx, name="form_docx"),
    path("<int:pk>/phieu.xlsx", form_xlsx, name="form_xlsx"),
]
