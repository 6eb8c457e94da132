"""Stored programmes for the tests (test code only): the hand-made programmes of test_concreteness
written into the demo tree through the services."""

from django.contrib.auth import get_user_model

from quantriet.org.models import Organization
from quantriet.org.tree import parent_path
from quantriet.plans import concreteness, services
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan


def demo_plan() -> StudyPlan:
    return StudyPlan.objects.get(symbol=PLAN_SYMBOL)


def places(users) -> dict:
    """The demo's province, first commune, dangvien1's cell and a sibling cell of it."""
    cell = users["dangvien1"].member.cell
    commune = Organization.objects.get(path=parent_path(cell.path))
    sibling = Organization.objects.filter(path__startswith=commune.path, depth=cell.depth).exclude(pk=cell.pk).first()
    return {"province": Organization.objects.get(path=cell.path[:4]), "commune": commune, "cell": cell,
            "sibling": sibling}  # fmt: skip


def task_inputs(programme: concreteness.Programme, lead: Organization, person=None) -> list[services.TaskInput]:
    """PROGRAMME's tasks as service input, each led by LEAD (and PERSON for those naming one)."""
    return [
        services.TaskInput(
            content=task.content,
            lead_org=lead,
            lead_person=person if task.lead_person else None,
            deadline=task.deadline,
            product=task.product,
            indicator=task.indicator,
            target=task.target,
            unit=task.unit,
        )
        for task in programme.tasks
    ]


def store(actor, plan, org, programme: concreteness.Programme, lead=None, person=None, title=None):
    """ORG's programme for PLAN with PROGRAMME's preamble and tasks (led by LEAD, default ORG)."""
    stored = services.programme_create(actor, plan, org, title or f"Chương trình hành động của {org.name}")
    services.programme_save(
        actor,
        stored,
        title=stored.title,
        preamble=programme.preamble,
        symbol="",
        tasks=task_inputs(programme, lead or org, person),
    )
    stored.refresh_from_db()
    return stored


def admin():
    return get_user_model().objects.get(username="admin")
