"""Keep the fidelity rows current: every committed change of study data queues a refresh of its subtrees."""

from django.dispatch import receiver
from django.utils import timezone

from quantriet.core.changes import plan_changed

from .tasks import refresh_orgs


@receiver(plan_changed)
def queue_refresh(sender, plan_id, org_ids, **kwargs):
    refresh_orgs.enqueue(plan_id, sorted(org_ids), timezone.now().isoformat())
