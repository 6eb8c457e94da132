"""Announce, after commit, that a plan's study data changed for some organisations.

The study, essays and quizzes services call `plan_data_changed(plan_id, org_ids)` when they
write attendance, conferences, essays, verdicts, grades or quiz results; bulk writes call it
once with every organisation they touched. The signal `plan_changed` goes out only if the
transaction commits. Its listeners (the fidelity rollups) sit above the apps that write, which
therefore need not know them.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

#: Sent after commit with ``plan_id`` and ``org_ids`` (a frozenset of organisation ids).
plan_changed = Signal()


def plan_data_changed(plan_id: int, org_ids) -> None:
    touched = frozenset(org_id for org_id in org_ids if org_id is not None)
    if touched:
        transaction.on_commit(partial(plan_changed.send, sender=None, plan_id=plan_id, org_ids=touched))
