"""Writes of the analytics app (audited): a plan's fidelity configuration."""

from django.db import transaction
from django.utils import timezone

from quantriet.core.audit import audit_record, snapshot

from .models import FidelityConfig

CONFIG_FIELDS = ["weights", "margin", "floor", "recipients", "escalate_after_days"]


@transaction.atomic
def config_save(
    actor, plan, weights: dict, margin: float, floor: float, recipients: dict | None = None, escalate_after_days=None
) -> FidelityConfig:
    """Set PLAN's weights, thresholds and (when given) the report's recipients per level and the
    delay before an overdue programme task goes up a level; the caller then recomputes the rows
    (a background job)."""
    config = FidelityConfig.objects.select_for_update().filter(plan=plan).first()
    before = snapshot(config, CONFIG_FIELDS) if config else None
    config = config or FidelityConfig(plan=plan)
    config.weights, config.margin, config.floor = weights, margin, floor
    if recipients is not None:
        config.recipients = recipients
    if escalate_after_days is not None:
        config.escalate_after_days = escalate_after_days
    config.updated_by, config.updated_at = actor, timezone.now()
    config.save()
    audit_record(actor, "fidelity.config", config, before, snapshot(config, CONFIG_FIELDS))
    return config
