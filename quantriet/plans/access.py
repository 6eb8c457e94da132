"""Programmes and their tasks by id, through the gate and the policy (org.policy): out of scope (or
missing) is a 404, in scope without the right the action's 403.

Every action is checked on the programme's organisation: drafting and editing (`programme.write`)
by its committee, deciding (`programme.approve`) by its leaders, reporting a task's progress
(`programme.report`) by its committee or the task's lead person. Commenting is a plain read
(VIEW): whoever sees a draft — the unit's committee, the levels above, the members working under
it — may give an opinion on it.
"""

from quantriet.org.policy import VIEW, access

from .models import Programme, ProgrammeTask


def access_programme(user, programme_id, action=VIEW) -> Programme:
    programmes = Programme.objects.visible_to(user).select_related("plan", "org", "parent__org")
    return access(programmes, programme_id, user, action, org_of=lambda programme: programme.org)


def access_task(user, task_id, action=VIEW) -> ProgrammeTask:
    """The task TASK_ID of a programme in USER's scope; its lead person may report on it."""
    tasks = ProgrammeTask.objects.filter(programme__in=Programme.objects.visible_to(user))
    tasks = tasks.select_related("programme__org", "programme__plan", "lead_org", "lead_person")
    leads = (
        (lambda task: task.lead_person is not None and task.lead_person.user_id == user.pk)
        if (action == "programme.report")
        else None
    )
    return access(tasks, task_id, user, action, org_of=lambda task: task.programme.org, also=leads)
