"""Results for the board: per member (best score, attempts, passed) and per child organisation."""

from django.urls import reverse

from quantriet.org.models import Organization
from quantriet.quizzes import results, services
from quantriet.quizzes.models import Attempt

from .common import right_answers


def take(the_quiz, member, perfect):
    attempt, _ = services.attempt_start(None, the_quiz, member)
    return services.attempt_submit(None, attempt, right_answers(attempt) if perfect else {})


def test_results_per_member_and_per_child_org(quiz, users, client_as):
    me, xa2 = users["dangvien1"].member, users["xa2.bithu"].member
    take(quiz, me, perfect=False)
    take(quiz, me, perfect=True)
    take(quiz, xa2, perfect=False)
    commune1, commune2 = users["xa1.bithu"].grants.get().org, users["xa2.bithu"].grants.get().org
    rows = {m.pk: m for m in results.member_results(quiz, commune1)}
    assert rows[me.pk].best_score == 100 and rows[me.pk].attempt_count == 2 and rows[me.pk].has_passed
    assert xa2.pk not in rows
    children = {
        row["org"].pk: row for row in results.child_summaries(quiz, quiz.plan.issuer, Organization.objects.all())
    }
    one, two = children[commune1.pk], children[commune2.pk]
    assert (one["took"], one["passed"], float(one["mean"])) == (1, 1, 100.0)
    assert (two["took"], two["passed"], float(two["mean"])) == (1, 0, 0.0)
    assert one["pass_rate"] == round(100 / one["takers"], 1)
    page = client_as("xa1.bithu").get(reverse("quizzes:results", args=[quiz.plan_id])).content.decode()
    assert me.full_name in page and xa2.full_name not in page
    root = client_as("tinh.tuyengiao").get(reverse("quizzes:results", args=[quiz.plan_id])).content.decode()
    assert commune1.name in root and commune2.name in root
    assert Attempt.objects.filter(quiz=quiz).count() == 3


def test_every_rate_names_its_base(quiz, users, client_as):
    """The dashboard's 72,7 % is of those who took the quiz; the page says so and gives both bases."""
    me, other = users["dangvien1"].member, users["xa1.bithu"].member
    take(quiz, me, perfect=True)
    take(quiz, other, perfect=False)
    commune = users["xa1.bithu"].grants.get().org
    summary = results.org_summary(quiz, commune)
    assert (summary["took"], summary["passed"], summary["pass_rate_of_took"]) == (2, 1, 50.0)
    assert summary["pass_rate"] == round(100 / summary["takers"], 1)
    page = client_as("xa1.bithu").get(reverse("quizzes:results", args=[quiz.plan_id])).content.decode()
    assert "50,0 % số người đã làm bài</strong> (1/2)" in page
    rate = f"{100 / summary['takers']:.1f}".replace(".", ",")
    assert f"bằng {rate} % số đảng viên phải làm (1/{summary['takers']})" in page
