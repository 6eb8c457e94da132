"""The one workflow for documents that are drafted, discussed, approved, put in force and revised
(action programmes, evaluation forms, inspection conclusions, budget estimates).

A `Workflow` is data: its states (with their Vietnamese labels) and its transitions, each naming
the policy action (a key of org.policy.POLICY) its actor needs. `document_workflow` builds the
default one; an app names its own actions in it and sets it on its model, a subclass of
core.models.WorkflowDocument (the `state` and `version` columns):

    class ActionProgram(WorkflowDocument):
        workflow = document_workflow(write="programme.write", approve="programme.approve", comment=VIEW)

Core imports no app, so the policy is injected: every write below takes ACCESS, the kind's own
`access_<kind>(user, id, action)` (404 outside the scope, the action's 403 without the right),
the same gate its views use. The app's service passes it once:

    def programme_transition(user, programme, name, comment=""):
        return workflow.transition(programme, name, user, comment=comment, access=access_programme)

Each write runs in one transaction and leaves an audit entry ("workflow.<transition>",
"workflow.comment", "workflow.version"); those entries are the document's history (`history`).
A transition is one conditional UPDATE (… WHERE state = the state the actor saw), so of two
concurrent transitions from the same state exactly one wins; the other is refused in Vietnamese.
"""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from .audit import audit_record
from .models import DRAFT, AuditEntry, WorkflowComment, WorkflowVersion
from .numbers import format_integer
from .text import unprintable_problem

#: A document kind's access function: access_<kind>(user, id, action) → the object, or Http404 /
#: PermissionDenied (see org.policy.access).
Access = Callable[..., object]

COMMENT_MAX = 5000
#: Audit actions of the non-transition writes: no transition may take these names.
RESERVED_NAMES = {"comment", "version"}


@dataclass(frozen=True)
class State:
    code: str
    label: str
    #: Whether the content may change (a new version saved) in this state.
    editable: bool = False


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    #: The policy action (org.policy.POLICY) the actor needs on the document.
    action: str
    label: str
    #: Whether the actor must say why (the comment is kept with the document).
    needs_comment: bool = False


class Workflow:
    """States and transitions of one kind of document; `edit_action` saves versions,
    `comment_action` adds comments (policy actions, like the transitions')."""

    def __init__(self, states: Iterable[State], transitions: Iterable[Transition], *, edit_action, comment_action):
        self.states = {s.code: s for s in states}
        self.transitions = {t.name: t for t in transitions}
        self.edit_action, self.comment_action = edit_action, comment_action
        self._check()

    def _check(self):
        """Refuse a definition the functions below could not run (a programming error)."""
        if DRAFT not in self.states:
            raise ValueError(f"A workflow starts in {DRAFT!r}: declare that state")
        for t in self.transitions.values():
            if t.name in RESERVED_NAMES:
                raise ValueError(f"Transition name {t.name!r} is reserved")
            if not set(t.sources) | {t.target} <= set(self.states):
                raise ValueError(f"Transition {t.name!r} names an undeclared state")
            # The conditional UPDATE tells concurrent transitions apart by the state they change.
            if t.target in t.sources:
                raise ValueError(f"Transition {t.name!r} must change the state")

    def state(self, code: str) -> State:
        return self.states[code]

    def transition(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise ValidationError(f"Không có thao tác “{name}” đối với loại văn bản này.") from None

    def leaving(self, code: str) -> list[Transition]:
        """The transitions from state CODE, in the order they were declared."""
        return [t for t in self.transitions.values() if code in t.sources]

    def editable_states(self) -> list[str]:
        return [s.code for s in self.states.values() if s.editable]


CONSULTATION, APPROVED, IN_FORCE, CONCLUDED = "consultation", "approved", "in_force", "concluded"


def document_workflow(*, write: str, approve: str, comment: str) -> Workflow:
    """The default workflow, with the app's policy actions: WRITE drafts and edits, APPROVE
    decides, COMMENT gives opinions (often the policy's VIEW: anyone who can see the draft).

    Bản dự thảo → Lấy ý kiến → Đã thông qua → Đang thực hiện → Đã tổng kết; a draft under
    consultation can be withdrawn or returned, and an approved or in-force document revised
    (sửa đổi, bổ sung): both go back to draft, with a new version to follow.
    """
    states = [
        State(DRAFT, "Bản dự thảo", editable=True),
        State(CONSULTATION, "Lấy ý kiến", editable=True),
        State(APPROVED, "Đã thông qua"),
        State(IN_FORCE, "Đang thực hiện"),
        State(CONCLUDED, "Đã tổng kết"),
    ]
    transitions = [
        Transition("submit", (DRAFT,), CONSULTATION, write, "Đưa ra lấy ý kiến"),
        Transition("withdraw", (CONSULTATION,), DRAFT, write, "Rút về để sửa"),
        Transition("return", (CONSULTATION,), DRAFT, approve, "Trả lại để sửa", needs_comment=True),
        Transition("approve", (CONSULTATION,), APPROVED, approve, "Thông qua"),
        Transition("enact", (APPROVED,), IN_FORCE, approve, "Đưa vào thực hiện"),
        Transition("conclude", (IN_FORCE,), CONCLUDED, approve, "Tổng kết", needs_comment=True),
        Transition("revise", (APPROVED, IN_FORCE), DRAFT, approve, "Sửa đổi, bổ sung", needs_comment=True),
    ]
    return Workflow(states, transitions, edit_action=write, comment_action=comment)


def _clean_text(text: str, what: str, limit: int = COMMENT_MAX) -> str:
    """TEXT in NFC without surrounding blanks; refused when unprintable or too long."""
    text = unicodedata.normalize("NFC", text or "").strip()
    problem = unprintable_problem(text)
    if problem:
        raise ValidationError(f"{what} {problem}")
    if len(text) > limit:
        raise ValidationError(f"{what} dài {format_integer(len(text))} ký tự, quá mức {format_integer(limit)}.")
    return text


def _illegal(workflow: Workflow, step: Transition, code: str) -> ValidationError:
    """The refusal of STEP from state CODE, naming the state and what it allows."""
    possible = ", ".join(f"“{t.label}”" for t in workflow.leaving(code))
    then = f"từ trạng thái này chỉ có thể {possible}" if possible else "đây là trạng thái cuối, không chuyển tiếp được"
    now = workflow.state(code).label
    return ValidationError(f"Không thể “{step.label}”: văn bản đang ở trạng thái “{now}”; {then}.")


def _changed_meanwhile(document) -> ValidationError:
    """The refusal of a write made from a copy older than the database's row, saying what changed."""
    row = type(document)._base_manager.filter(pk=document.pk).values("state", "version").first()
    if row is None:
        what = "thay đổi"
    elif row["state"] != document.state:
        what = f"chuyển sang trạng thái “{document.workflow.state(row['state']).label}”"
    else:
        what = f"lưu phiên bản {row['version']}"
    return ValidationError(f"Văn bản vừa được người khác {what}; hãy tải lại trang rồi làm lại.")


def _comment_create(document, user, text: str, *, anchor="", transition="") -> WorkflowComment:
    return WorkflowComment.objects.create(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        author=user,
        text=text,
        version=document.version,
        anchor=anchor,
        transition=transition,
    )


@transaction.atomic
def transition(document, name: str, user, *, comment: str = "", access: Access):
    """Take transition NAME on DOCUMENT as USER; returns DOCUMENT in its new state.

    Refused with the policy's 404/403 (through ACCESS) without the right, with a Vietnamese
    ValidationError when NAME does not leave DOCUMENT's state, when a required comment is
    missing, or when someone changed the state since DOCUMENT was loaded. A refusal leaves
    the database as it was.
    """
    workflow = document.workflow
    step = workflow.transition(name)
    access(user, document.pk, step.action)
    if document.state not in step.sources:
        raise _illegal(workflow, step, document.state)
    comment = _clean_text(comment, "Ý kiến")
    if step.needs_comment and not comment:
        raise ValidationError(f"“{step.label}” cần ghi rõ ý kiến, lý do.")
    before = document.state
    moved = type(document)._base_manager.filter(pk=document.pk, state=before).update(state=step.target)
    if not moved:
        raise _changed_meanwhile(document)
    document.state = step.target
    if comment:
        _comment_create(document, user, comment, transition=name)
    audit_record(
        user,
        f"workflow.{name}",
        document,
        before={"state": before},
        after={"state": step.target, "version": document.version, "comment": comment},
    )
    return document


def transitions_for(document, user, *, access: Access) -> list[Transition]:
    """The transitions from DOCUMENT's state that USER may take (for the page's buttons)."""
    allowed = []
    for step in document.workflow.leaving(document.state):
        try:
            access(user, document.pk, step.action)
        except (PermissionDenied, Http404):
            continue
        allowed.append(step)
    return allowed


@transaction.atomic
def comment_add(document, user, text: str, *, access: Access, anchor: str = "") -> WorkflowComment:
    """USER's comment on DOCUMENT (ANCHOR: the part it is about), on its current version."""
    access(user, document.pk, document.workflow.comment_action)
    text = _clean_text(text, "Ý kiến")
    if not text:
        raise ValidationError("Hãy nhập nội dung ý kiến.")
    comment = _comment_create(document, user, text, anchor=anchor)
    audit_record(user, "workflow.comment", document, after={"comment": comment.pk, "version": document.version})
    return comment


def changes(before: dict, after: dict, prefix: str = "") -> list[dict]:
    """Field by field, what differs from BEFORE to AFTER (nested dicts as dotted paths "tasks.3.deadline";
    a field added or removed has None on the missing side)."""
    found = []
    for key in sorted(set(before) | set(after), key=str):
        old, new = before.get(key), after.get(key)
        path = f"{prefix}{key}"
        if isinstance(old, dict) and isinstance(new, dict):
            found += changes(old, new, f"{path}.")
        elif old != new:
            found.append({"field": path, "before": old, "after": new})
    return found


@transaction.atomic
def version_save(document, content: dict, user, *, summary: str = "", access: Access) -> WorkflowVersion | None:
    """Save CONTENT (the app's JSON-ready snapshot of DOCUMENT) as its next version, with what
    changed since the previous one; None when nothing changed.

    Only in an editable state (a draft, or under consultation); refused when someone saved a
    version or changed the state since DOCUMENT was loaded.
    """
    workflow = document.workflow
    access(user, document.pk, workflow.edit_action)
    editable = workflow.editable_states()
    if document.state not in editable:
        names = " hoặc ".join(f"“{workflow.state(code).label}”" for code in editable)
        raise ValidationError(
            f"Văn bản đang ở trạng thái “{document.state_label}”: chỉ sửa nội dung khi ở trạng thái {names}. "
            "Muốn sửa đổi, bổ sung, hãy đưa văn bản về dự thảo trước."
        )
    summary = _clean_text(summary, "Tóm tắt thay đổi", limit=WorkflowVersion._meta.get_field("summary").max_length)
    previous = document.versions.filter(number=document.version).values_list("content", flat=True).first() or {}
    found = changes(previous, content)
    if not found:
        return None
    number = document.version + 1
    saved = (
        type(document)
        ._base_manager.filter(pk=document.pk, version=document.version, state__in=editable)
        .update(version=number)
    )
    if not saved:
        raise _changed_meanwhile(document)
    document.version = number
    version = WorkflowVersion.objects.create(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        number=number,
        created_by=user,
        summary=summary,
        content=content,
        changes=found,
    )
    audit_record(
        user,
        "workflow.version",
        document,
        after={"version": number, "summary": summary, "fields": [c["field"] for c in found]},
    )
    return version


def history(document):
    """DOCUMENT's audit entries written here (transitions, comments, versions), oldest first."""
    return AuditEntry.objects.filter(
        object_type=document._meta.label_lower, object_id=str(document.pk), action__startswith="workflow."
    ).order_by("at", "id")
