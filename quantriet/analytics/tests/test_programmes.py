"""The action programmes in the fidelity index and on the home page: a programme counts once put
forward, a pasted one flags its unit; overdue tasks show on the leader's to-do list, those of the
units below once overdue longer than the plan's delay."""

import pytest

from quantriet.analytics.models import FidelityConfig, FidelityScore
from quantriet.analytics.rollup import refresh
from quantriet.plans import services
from quantriet.plans.tests.common import demo_plan, places, store
from quantriet.plans.tests.test_concreteness import COMMUNE_PROGRAMME, PASTED
from quantriet.plans.tests.test_pages import overdue

pytestmark = pytest.mark.django_db


def test_the_fidelity_row_carries_the_programme_once_put_forward(users):
    plan, where = demo_plan(), places(users)
    store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    pasted = store(users["xa1.bithu"], plan, where["cell"], PASTED, lead=where["commune"])
    refresh(plan)
    row = FidelityScore.objects.get(plan=plan, org=where["cell"])
    assert row.components["concreteness"] is None and "ctr_sao_chep" not in row.flags  # a draft is not judged
    services.programme_transition(users["xa1.bithu"], pasted, "submit")
    refresh(plan)
    row = FidelityScore.objects.get(plan=plan, org=where["cell"])
    assert row.components["concreteness"] == pytest.approx(pasted.concreteness / 100)
    assert "sao_chep" in row.programme_flags
    assert ("ctr_sao_chep" in row.flags) == (row.state != "chua_den_han")  # judged like the unit's other flags


def test_the_home_page_shows_own_overdue_tasks_and_escalates_after_the_delay(client_as, users):
    plan, where = demo_plan(), places(users)
    overdue(users, plan, where)
    commune_home = client_as("xa1.bithu").get("/").content.decode()
    # xa1.bithu leads the commune: the cell's task 30 days late is escalated, the one 3 days late is not yet.
    assert commune_home.count("Báo lên cấp trên") == 1 and "quá 3 ngày" not in commune_home


def test_the_escalation_delay_is_the_plans(client_as, users):
    plan, where = demo_plan(), places(users)
    overdue(users, plan, where)
    FidelityConfig.objects.create(plan=plan, escalate_after_days=60)
    assert "Báo lên cấp trên" not in client_as("xa1.bithu").get("/").content.decode()
    FidelityConfig.objects.filter(plan=plan).update(escalate_after_days=1)
    assert client_as("xa1.bithu").get("/").content.decode().count("Báo lên cấp trên") == 2
