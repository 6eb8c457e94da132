"""My verdicts and grades through the API, and my own verdict on my essay page.

A member reads their own verdict: the label, the scores and how many near-duplicate essays were
found, never which ones (ids, authors or texts of other members). `GET /me/essays/{id}` is the
caller's own essay only: anyone else's is a 404, graders included.
"""

import pytest
from django.urls import reverse

from quantriet.essays import services
from quantriet.essays.models import EssayVerdict, VerdictLabel
from quantriet.originality.tests import corpus
from quantriet.tests.matrix import ALL

from .common import ESSAY

VERDICT_FIELDS = {
    "label",
    "label_text",
    "flagged",
    "explanation",
    "reference_share",
    "sample_score",
    "generic_score",
    "near_duplicates",
    "copying",
    "copying_text",
    "computed_at",
}


@pytest.fixture
def copied(plan, users):
    """dangvien1 copies another member's essay (reworded): both are near-duplicates of each other."""
    other = services.essay_writers(plan).filter(user__isnull=True).order_by("id").first()
    theirs = services.essay_submit(users["admin"], plan, other, corpus.read("mau-1-internet.txt"))
    me = users["dangvien1"]
    mine = services.essay_submit(me, plan, me.member, corpus.read("chep-1a-doi-tu.txt"))
    assert [d["essay"] for d in EssayVerdict.objects.get(essay=mine).duplicates] == [theirs.pk]
    return {"mine": mine, "theirs": theirs, "other": other}


def test_my_essays_carry_my_verdict_without_the_other_essays(api, copied):
    body = api("dangvien1").get("/api/v1/me/essays").json()
    [item] = body["items"]
    verdict = item["verdict"]
    assert set(verdict) == VERDICT_FIELDS
    assert verdict["label"] == VerdictLabel.COPIES_ESSAY and verdict["label_text"] == "Nghi sao chép bài khác"
    assert verdict["flagged"] is True and verdict["near_duplicates"] == 1
    assert "bài thu hoạch khác" in verdict["explanation"]
    stored = EssayVerdict.objects.get(essay=copied["mine"])
    assert verdict["reference_share"] == stored.reference_share and verdict["generic_score"] == stored.generic_score
    assert verdict["sample_score"] == 0
    raw = api("dangvien1").get("/api/v1/me/essays").content.decode()
    assert copied["other"].full_name not in raw and '"duplicates"' not in raw
    assert item["versions"] == 1 and item["grade"] is None


def test_my_essay_has_versions_grade_and_verdict(api, copied, users, plan):
    me = users["dangvien1"]
    essay = services.essay_submit(me, plan, me.member, ESSAY)  # a resubmission, honest this time
    criteria = list(services.rubric_ensure(users["admin"], plan).criteria.all())
    services.essay_grade(users["xa1.bithu"], essay, {c.pk: "2" for c in criteria}, "Có liên hệ cụ thể.")
    response = api("dangvien1").get(f"/api/v1/me/essays/{essay.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == essay.pk and body["text"] == ESSAY and body["source"] == "go_truc_tiep"
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["versions"][0]["text"] == ESSAY and body["versions"][0]["words"] == len(ESSAY.split())
    assert body["versions"][1]["source_label"] == "Gõ trực tiếp" and body["versions"][1]["late"] is False
    grade = body["grade"]
    assert grade["total"] == "8.0" and grade["band"] == "Tốt" and grade["comment"] == "Có liên hệ cụ thể."
    assert [(s["criterion"], s["points"]) for s in grade["scores"]] == [(c.name, "2.0") for c in criteria]
    assert set(body["verdict"]) == VERDICT_FIELDS
    # The resubmission is no longer a copy: the label follows the current text, and the other essay's too.
    assert body["verdict"]["near_duplicates"] == 0 and body["verdict"]["label"] != VerdictLabel.COPIES_ESSAY
    assert EssayVerdict.objects.get(essay=copied["theirs"]).duplicates == []
    assert copied["other"].full_name not in response.content.decode()


def test_an_essay_without_a_verdict_reads_null(api, plan, users):
    me = users["dangvien1"]
    essay = services.essay_submit(me, plan, me.member, ESSAY)
    EssayVerdict.objects.filter(essay=essay).delete()
    assert api("dangvien1").get("/api/v1/me/essays").json()["items"][0]["verdict"] is None
    assert api("dangvien1").get(f"/api/v1/me/essays/{essay.pk}").json()["verdict"] is None


def test_my_essay_per_persona_is_mine_only(api, plan, users, client_as):
    """Each persona reads their own essay; anyone else's (a grader's view included) is a 404."""
    essays = {p: services.essay_submit(users[p], plan, users[p].member, ESSAY) for p in ["xa1.bithu", "dangvien1"]}
    for persona in ALL:
        client = api(persona)
        for owner, essay in essays.items():
            expected = 200 if owner == persona else 404
            assert client.get(f"/api/v1/me/essays/{essay.pk}").status_code == expected, (persona, owner)
    client = api("dangvien1")
    assert client.get("/api/v1/me/essays/999999999").status_code == 404
    assert client.get(f"/api/v1/me/essays/{2**63}").status_code == 422
    assert client.get("/api/v1/me/essays/0").status_code == 422
    assert client_as(None).get(f"/api/v1/me/essays/{essays['dangvien1'].pk}").status_code == 401


def test_my_page_shows_my_own_label_only(client_as, copied, plan):
    page = client_as("dangvien1").get(reverse("essays:write", args=[plan.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kết quả kiểm tra trùng lặp:" in html and "Nghi sao chép bài khác" in html
    assert "Bài trùng phần lớn với bài thu hoạch khác trong cùng kế hoạch." in html
    theirs = copied["theirs"]
    assert copied["other"].full_name not in html
    assert (
        f"bài #{theirs.pk}" not in html
        and reverse("essays:compare", args=[copied["mine"].pk, "bai", theirs.pk]) not in html
    )
    assert html.count("Nghi sao chép bài khác") == 1


def test_my_page_without_an_essay_shows_no_verdict(client_as, plan):
    html = client_as("dangvien1").get(reverse("essays:write", args=[plan.pk])).content.decode()
    assert "Kết quả kiểm tra trùng lặp" not in html
