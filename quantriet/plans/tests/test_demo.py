"""The demo's action programmes (plans.demo): one for every unit under the province, the engine's
verdicts as the demo means them (pasted flagged, concrete not), overdue and escalated tasks."""

import datetime

from django.utils import timezone

from quantriet.core.models import DRAFT
from quantriet.core.workflow import CONSULTATION, IN_FORCE
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.plans import selectors
from quantriet.plans.demo import seed_programmes
from quantriet.plans.models import Programme, ProgrammeTask

from .common import demo_plan


def test_the_demo_programmes(users):
    summary = seed_programmes()
    assert summary["created"]
    assert seed_programmes() == {"created": False}  # idempotent
    plan = demo_plan()
    programmes = list(Programme.objects.filter(plan=plan).select_related("org"))
    assert len(programmes) == summary["programmes"]
    root = Organization.objects.get(path=programmes[0].org.path[:4])
    province = next(p for p in programmes if p.org == root)
    assert province.state == IN_FORCE and province.approval_ref.startswith("Nghị quyết số")
    assert province.approved_on < timezone.localdate() and province.tasks.count() >= 8

    # Every unit directly under the province has its programme, linked to the province's.
    under = set(Organization.objects.filter(path__startswith=root.path, depth=2).values_list("pk", flat=True))
    assert under and under <= {p.org_id for p in programmes}
    assert all(p.parent_id == province.pk for p in programmes if p.org.depth == 2)

    # The engine's verdicts: read from the tasks, not from the demo's own bookkeeping. A programme
    # all of whose tasks the level above leads is pasted (or restates it); one leading all its own is concrete.
    leads = {}
    for programme_id, lead_path in ProgrammeTask.objects.filter(programme__plan=plan).values_list(
        "programme_id", "lead_org__path"
    ):
        leads.setdefault(programme_id, []).append(lead_path or "")
    pasted = [p for p in programmes if p.org.depth == 2 and set(leads[p.pk]) == {root.path}]
    concrete = [p for p in programmes if p.org.depth > 1 and all(lead.startswith(p.org.path) for lead in leads[p.pk])]
    assert len(pasted) >= 5 and len(concrete) >= len(programmes) // 2
    assert all("sao_chep" in p.flags for p in pasted)
    assert [p.org.name for p in concrete if p.flags] == []
    assert all(p.copied_share < 0.2 and p.complete_share == 1.0 and p.own_share == 1.0 for p in concrete)
    flags = summary["flags"]
    assert flags["concrete"]["sao_chep"] == 0 and flags["pasted"]["sao_chep"] == flags["pasted"]["total"] > 0
    assert flags["restating"]["sao_chep"] == 1

    # xa1.bithu's commune has a flagged cell (its programme pasted), and cells still drafts.
    commune = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    cells = [p for p in programmes if p.org.depth == 3 and p.org.path.startswith(commune.path)]
    assert any("sao_chep" in p.flags for p in cells)
    assert {p.state for p in cells} >= {DRAFT, CONSULTATION, IN_FORCE}
    consulted = [p for p in programmes if p.state == CONSULTATION]
    assert consulted and all(p.comments.exists() for p in consulted)

    # Overdue tasks: some just overdue, some escalated to the level above (xa1's and the province's home).
    today = timezone.localdate()
    overdue = ProgrammeTask.objects.filter(selectors.overdue_q(today), programme__plan=plan)
    escalated = overdue.filter(deadline__lt=today - datetime.timedelta(days=7))
    assert escalated.exists() and overdue.filter(deadline__gte=today - datetime.timedelta(days=7)).exists()
    for top in (commune, root):
        found, total = selectors.overdue_on_todo([top], today, {}, 7)
        assert total and any(task.escalated for task in found), top.name
