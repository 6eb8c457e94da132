"""Members who attend through a bridging point (điểm cầu) see the conference and can check in."""

from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.models import BridgePoint, CheckinOutcome, Conference

from .test_conferences_common import make_conference, make_plan, org


def test_bridge_host_members_see_and_check_in(users):
    plan = make_plan(users["admin"])
    province = make_conference(plan, org("TVL"), users["admin"], covered=[org("TVL-CQD")])
    BridgePoint.objects.create(conference=province, host=org("X001"), place="Hội trường phường", expected=40)
    member = users["dangvien1"]
    assert Conference.objects.visible_to(member).filter(pk=province.pk).exists()
    assert not Conference.objects.visible_to(users["xa2.bithu"]).filter(pk=province.pk).exists()
    outcome, row = services.checkin(member, province, codes.make_code(province))
    assert outcome == CheckinOutcome.OK and row.member == member.member


def test_members_api_refuses_absurd_pages(client_as, users):
    from quantriet.core.models import ApiToken

    token = ApiToken.issue(users["xa1.bithu"])
    response = client_as(None).get(
        "/api/v1/members?page=100000000000000000000000", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
