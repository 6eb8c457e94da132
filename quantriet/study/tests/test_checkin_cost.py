"""What a check-in costs: its queries are few and bounded, and the shortcut it takes to decide
who is on the roster agrees with the roster itself (issue 16: check-in at the speed of the framework)."""

import json

from quantriet.core.models import ApiToken
from quantriet.org.models import Member
from quantriet.study import services
from quantriet.study.models import BridgePoint

from .test_conferences_common import code_at, make_conference, make_plan, org


def test_on_roster_agrees_with_the_roster_for_every_member(users):
    plan = make_plan(users["admin"])
    commune = make_conference(plan, org("X001"), users["admin"])
    province = make_conference(plan, org("TVL"), users["admin"], covered=[org("TVL-CQD")])
    BridgePoint.objects.create(conference=province, host=org("X002"), place="Hội trường xã", expected=40)
    members = list(Member.objects.select_related("cell"))
    for conference in (commune, province):
        roster = set(services.conference_roster(conference).values_list("pk", flat=True))
        assert 0 < len(roster) < len(members)  # some members are on it, some are not
        assert {m.pk for m in members if services.on_roster(conference, m)} == roster


def checkin_by_api(client, conference, token):
    return client.post(
        f"/api/v1/conferences/{conference.pk}/checkin",
        json.dumps({"code": code_at(conference)}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_members_check_in_by_api_costs_a_bounded_number_of_queries(users, client_as, django_assert_max_num_queries):
    """Token with the user and whether any grant (1; a member holds none, so no query for
    grants), the member with their cell (1: not joined to the token, see `ApiToken.live`), the
    conference through the gate (1), an earlier check-in (1), the participating units (1), the
    insert in its savepoint (3), the attempt (1), in one transaction (in tests, its savepoint: 2)."""
    conference = make_conference(make_plan(users["admin"]), org("X001"), users["admin"])
    token = ApiToken.issue(users["dangvien1"])
    client = client_as(None)
    with django_assert_max_num_queries(11):
        first = checkin_by_api(client, conference, token)
    assert first.status_code == 200 and first.json()["outcome"] == "ok"
    with django_assert_max_num_queries(7):
        again = checkin_by_api(client, conference, token)
    assert again.status_code == 200 and again.json()["outcome"] == "lap_lai"


def test_a_user_with_grants_still_reaches_their_scope_by_api(users, client_as, django_assert_max_num_queries):
    """The grant flag of the token's query must not hide a secretary's grants from the gate."""
    conference = make_conference(make_plan(users["admin"]), org("X001"), users["admin"])
    token = ApiToken.issue(users["xa1.bithu"])
    response = client_as(None).get(
        f"/api/v1/conferences/{conference.pk}/checkin-code", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200 and response.json()["code"]
    other = ApiToken.issue(users["xa2.bithu"])  # another commune's secretary: out of scope
    response = client_as(None).get(
        f"/api/v1/conferences/{conference.pk}/checkin-code", headers={"Authorization": f"Bearer {other}"}
    )
    assert response.status_code == 404
