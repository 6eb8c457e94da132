"""Commitments written through the services for the tests (test code only)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from quantriet.org.models import Member, MemberStatus
from quantriet.plans import services_commitments as services
from quantriet.plans.models_commitments import Heading, ItemRating, SampleCommitment

YEAR = timezone.localdate().year


def member_in(cell, name: str) -> Member:
    """A new member of CELL with a login of their own (so they write as themselves)."""
    user = get_user_model().objects.create_user(f"tv-{Member.objects.count()}-{len(name)}")
    return Member.objects.create(
        full_name=name, date_of_birth=datetime.date(1985, 5, 1), gender="nam", joined_on=datetime.date(2010, 1, 1),
        official_on=datetime.date(2011, 1, 1), status=MemberStatus.FULL, cell=cell, user=user,
    )  # fmt: skip


def write(member: Member, contents: dict, submit: bool = True, year: int = YEAR):
    """MEMBER's commitment with CONTENTS (Heading → text), registered unless SUBMIT is False."""
    commitment = services.commitment_save(member.user, member, year, {h.value: t for h, t in contents.items()})
    if submit:
        commitment = services.commitment_submit(member.user, commitment)
    commitment.refresh_from_db()
    return commitment


def self_review(commitment, stage=services.END, rating=ItemRating.GOOD):
    reviews = {h.value: (f"Đã thực hiện phần {h.label.lower()}.", rating) for h in Heading}
    return services.commitment_self_review(commitment.member.user, commitment, stage, reviews)


def add_sample(text: str, title: str = "Mẫu cam kết trên mạng") -> SampleCommitment:
    return SampleCommitment.objects.create(title=title, text=text)
