"""The one way writes are recorded: every service calls ``audit_record``."""

import datetime
import decimal

from django.forms.models import model_to_dict

from .models import AuditEntry


def _jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj, fields=None) -> dict:
    """A JSON-ready dict of OBJ's field values (foreign keys as ids)."""
    return {k: _jsonable(v) for k, v in model_to_dict(obj, fields=fields).items()}


def audit_entry(actor, action: str, obj=None, before=None, after=None, *, object_type=None) -> AuditEntry:
    """An unsaved audit entry, for callers that bulk-create many at once."""
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        before=before,
        after=after,
    )


def audit_record(actor, action: str, obj=None, before=None, after=None, *, object_type=None) -> AuditEntry:
    entry = audit_entry(actor, action, obj, before, after, object_type=object_type)
    entry.save()
    return entry
