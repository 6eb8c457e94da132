"""Reminders for overdue obligations: an email and an in-app notification, at most once a week.

Who is reminded: the obligation's accountable head (the secretary at publish time) when they have
an account with an email address. Otherwise those who run the unit's conferences (`conference.run`:
leaders, office, propaganda staff; not the admins) on the organisation itself, or, if nobody does
there, on the nearest organisation above it (the upper committee is answerable for pushing its
cells); the head's own account, if it has no email, still gets the in-app notification. One email
per person lists all their overdue units; one notification per obligation links to its plan's
overdue list.

Run daily by `manage.py send_overdue_reminders` (cron) or by a worker through the
`send_overdue_reminders_task` task.
"""

import datetime
import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from quantriet.core.audit import audit_record
from quantriet.core.models import Notification
from quantriet.core.people import person_name
from quantriet.org import policy
from quantriet.org.models import Grant, Role
from quantriet.org.tree import ancestor_paths

from .models import Obligation, ObligationStatus, PlanStatus

log = logging.getLogger(__name__)

#: An obligation is reminded again only after this long.
REMIND_EVERY = timedelta(days=7)


def _ancestor_paths(path):
    """PATH and the paths above it, nearest first."""
    return sorted(ancestor_paths([path]), key=len, reverse=True)


def _answerable_roles():
    """Roles reminded when the accountable head cannot be reached: those that run the unit's
    conferences (`conference.run`) answer for holding them. Admins run the software, not a unit's
    study: their grant does not make them answerable, so they are not reminded."""
    return policy.rule("conference.run").roles - {Role.ADMIN}


def _fallback_users(obligations):
    """{obligation pk: [users]} holding an answerable role on the org or, failing that, the nearest org above."""
    paths = {p for ob in obligations for p in _ancestor_paths(ob.org.path)}
    holders = defaultdict(list)
    grants = (
        Grant.objects.filter(org__path__in=paths, role__in=_answerable_roles(), user__is_active=True)
        .select_related("user", "org")
        .order_by("user_id")
    )
    for grant in grants:
        if grant.user not in holders[grant.org.path]:
            holders[grant.org.path].append(grant.user)
    found = {}
    for ob in obligations:
        found[ob.pk] = next((holders[p] for p in _ancestor_paths(ob.org.path) if holders.get(p)), [])
    return found


def _recipients(ob, fallback):
    """(users to email, users to notify) for one obligation."""
    head_user = ob.head.user if ob.head is not None and ob.head.user_id else None
    if head_user is not None and not head_user.is_active:
        head_user = None
    if head_user is not None and head_user.email:
        return [head_user], [head_user]
    users = list(fallback)
    email = [u for u in users if u.email]
    if head_user is not None and head_user not in users:
        users.append(head_user)
    return email, users


def _due(today, now):
    """Overdue obligations of published plans not reminded within REMIND_EVERY."""
    return (
        Obligation.objects.with_status(ObligationStatus.OVERDUE, today)
        .filter(plan__status=PlanStatus.PUBLISHED)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
    )


def _line(ob, today):
    days = (today - ob.deadline).days
    return (
        f"{ob.org.name} chưa tổ chức học tập, quán triệt theo “{ob.plan.title}” "
        f"(hạn {ob.deadline:%d/%m/%Y}, quá {days} ngày)"
    )


def send_overdue_reminders(today: datetime.date | None = None) -> dict:
    """Remind the people answerable for every overdue obligation; returns the counts.

    Each obligation is claimed (reminded_at set) in one transaction together with its
    notifications, so two runs at once do not remind twice. Emails go out after the commit;
    one that fails is logged and counted, and the in-app notification still stands.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    counts = {"obligations": 0, "notifications": 0, "emails": 0, "email_errors": 0, "unreachable": 0}
    mail = defaultdict(list)  # user -> [lines]
    User = get_user_model()
    with transaction.atomic():
        due = list(
            _due(today, now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("plan", "org", "head__user")
            .order_by("plan_id", "org__path")
        )
        fallback = _fallback_users(due)
        notifications, claimed = [], []
        for ob in due:
            email_to, notify = _recipients(ob, fallback.get(ob.pk, []))
            if not notify:
                counts["unreachable"] += 1
                continue
            line = _line(ob, today)
            url = reverse("study:plan", args=[ob.plan_id]) + f"?trang_thai={ObligationStatus.OVERDUE}#progress"
            for user in notify:
                notifications.append(Notification(user=user, text=f"Quá hạn: {line}."[:500], url=url))
            for user in email_to:
                mail[user.pk].append(line)
            claimed.append(ob.pk)
        Notification.objects.bulk_create(notifications, batch_size=1000)
        Obligation.objects.filter(pk__in=claimed).update(reminded_at=now)
        counts["obligations"] = len(claimed)
        counts["notifications"] = len(notifications)
        if claimed:
            audit_record(
                None, "obligation.remind", None, None, counts | {"ids": claimed[:1000]}, object_type="study.obligation"
            )
    users = User.objects.select_related("member").in_bulk(list(mail))
    for user_pk, lines in mail.items():
        user = users[user_pk]
        body = (
            f"Kính gửi đồng chí {person_name(user)},\n\n"
            "Các tổ chức đảng sau đây đã quá hạn tổ chức học tập, quán triệt theo kế hoạch:\n\n"
            + "\n".join(f"- {line}" for line in lines)
            + "\n\nĐề nghị đồng chí chỉ đạo tổ chức hội nghị và ghi nhận kết quả trên hệ thống Quán Triệt."
            "\n\nThư này được gửi tự động; mỗi đơn vị được nhắc lại sau 7 ngày nếu vẫn chưa tổ chức."
        )
        subject = f"[Quán Triệt] {len(lines)} đơn vị quá hạn học tập, quán triệt"
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:
            log.exception("overdue reminder to user %s failed", user_pk)
            counts["email_errors"] += 1
        else:
            counts["emails"] += 1
    return counts


@task()
def send_overdue_reminders_task(today: str | None = None) -> dict:
    """The same, for a worker (`manage.py db_worker`); TODAY is an ISO date or None."""
    return send_overdue_reminders(datetime.date.fromisoformat(today) if today else None)
