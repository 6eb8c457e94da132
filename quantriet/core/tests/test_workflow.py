"""The document workflow (core.workflow) on a stand-in document, a memo of one party cell.

No app has a workflow document yet (action programmes come next), so `Memo` is declared here.
Its app label is not installed (no migration, invisible to makemigrations); `memo_table` creates
its table, outside any test's transaction, so that other connections see it too.

Personas (the demo's): the province's propaganda staff write (memo.write), the secretary of the
commune above the cell approves (memo.approve), a member of the cell may only see and comment,
the secretary of a sibling commune does not see the memo at all.
"""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.http import Http404
from django.utils import timezone

from quantriet.core.models import AuditEntry, WorkflowComment, WorkflowDocument
from quantriet.core.tests.own_connection import in_own_connection
from quantriet.core.workflow import (
    APPROVED,
    CONCLUDED,
    CONSULTATION,
    DRAFT,
    IN_FORCE,
    changes,
    comment_add,
    document_workflow,
    history,
    transition,
    transitions_for,
    version_save,
)
from quantriet.org.models import Organization, Role
from quantriet.org.policy import POLICY, PROPAGANDA, VIEW, Rule, access


class Memo(WorkflowDocument):
    org = models.ForeignKey(Organization, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    title = models.CharField(max_length=200)

    workflow = document_workflow(write="memo.write", approve="memo.approve", comment=VIEW)

    class Meta:
        app_label = "workflow_tests"

    def __str__(self):
        return self.title


def access_memo(user, memo_id, action=VIEW) -> Memo:
    """What an app's access.py holds: the gate (the memo's unit in USER's scope) and the policy."""
    memos = Memo.objects.filter(org__in=Organization.objects.visible_to(user)).select_related("org")
    return access(memos, memo_id, user, action, org_of=lambda memo: memo.org)


@pytest.fixture(scope="module")
def memo_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Memo)
        # Committed now: a content type made inside a test would vanish with its rollback.
        content_type = ContentType.objects.get_for_model(Memo)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Memo)
        content_type.delete()
        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def memo_policy(monkeypatch):
    """The memo's actions, as an app adds its own to org.policy.POLICY."""
    monkeypatch.setitem(POLICY, "memo.write", Rule(PROPAGANDA, "Soạn công văn"))
    monkeypatch.setitem(POLICY, "memo.approve", Rule(frozenset({Role.ADMIN, Role.LEADER}), "Thông qua công văn"))


@pytest.fixture
def writer(users):
    return users["tinh.tuyengiao"]


@pytest.fixture
def approver(users):
    return users["xa1.bithu"]


@pytest.fixture
def member(users):
    return users["dangvien1"]


@pytest.fixture
def memo(memo_table, member):
    return Memo.objects.create(org=member.member.cell, title="Chương trình hành động của chi bộ")


def stored(memo) -> Memo:
    return Memo.objects.get(pk=memo.pk)


def audit_of(memo):
    return AuditEntry.objects.filter(object_type="workflow_tests.memo", object_id=str(memo.pk))


def take(memo, name, user, comment=""):
    return transition(memo, name, user, comment=comment, access=access_memo)


# --- the path through every state ---------------------------------------------------------------


def test_a_memo_goes_through_every_state_and_every_transition(memo, writer, approver):
    path = [
        ("submit", writer, "", CONSULTATION),
        ("withdraw", writer, "", DRAFT),
        ("submit", writer, "", CONSULTATION),
        ("return", approver, "Cần cụ thể hóa thời hạn.", DRAFT),
        ("submit", writer, "", CONSULTATION),
        ("approve", approver, "", APPROVED),
        ("revise", approver, "Bổ sung nhiệm vụ sau hợp nhất xã.", DRAFT),
        ("submit", writer, "", CONSULTATION),
        ("approve", approver, "", APPROVED),
        ("enact", approver, "", IN_FORCE),
        ("revise", approver, "Điều chỉnh giữa kỳ.", DRAFT),
        ("submit", writer, "", CONSULTATION),
        ("approve", approver, "", APPROVED),
        ("enact", approver, "", IN_FORCE),
        ("conclude", approver, "Hoàn thành 9/10 nhiệm vụ.", CONCLUDED),
    ]
    for name, user, comment, target in path:
        assert take(memo, name, user, comment).state == target
        assert stored(memo).state == target
    assert {name for name, *_ in path} == set(Memo.workflow.transitions)
    assert stored(memo).state_label == "Đã tổng kết"


def test_every_transition_leaves_one_audit_entry_with_the_states_and_the_reason(memo, writer, approver):
    take(memo, "submit", writer)
    take(memo, "return", approver, "  Cần cụ thể hóa thời hạn.  ")
    entries = list(history(memo))
    assert [(e.action, e.actor, e.before, e.after) for e in entries] == [
        ("workflow.submit", writer, {"state": DRAFT}, {"state": CONSULTATION, "version": 0, "comment": ""}),
        (
            "workflow.return",
            approver,
            {"state": CONSULTATION},
            {"state": DRAFT, "version": 0, "comment": "Cần cụ thể hóa thời hạn."},
        ),
    ]
    assert entries[0].object_repr == "Chương trình hành động của chi bộ"


def test_the_available_transitions_are_those_of_the_state_the_user_may_take(memo, writer, approver, member):
    def names(user):
        return [t.name for t in transitions_for(stored(memo), user, access=access_memo)]

    assert (names(writer), names(approver), names(member)) == (["submit"], [], [])
    take(memo, "submit", writer)
    assert (names(writer), names(approver), names(member)) == (["withdraw"], ["return", "approve"], [])


# --- refusals -----------------------------------------------------------------------------------


def test_an_illegal_transition_is_refused_naming_the_state_and_what_it_allows(memo, approver):
    with pytest.raises(ValidationError) as refused:
        take(memo, "approve", approver)
    assert refused.value.messages == [
        "Không thể “Thông qua”: văn bản đang ở trạng thái “Bản dự thảo”; "
        "từ trạng thái này chỉ có thể “Đưa ra lấy ý kiến”."
    ]
    assert stored(memo).state == DRAFT and memo.state == DRAFT
    assert not audit_of(memo).exists()


def test_a_concluded_memo_is_final(memo, writer, approver):
    for name, user, comment in [
        ("submit", writer, ""),
        ("approve", approver, ""),
        ("enact", approver, ""),
        ("conclude", approver, "Đã hoàn thành."),
    ]:
        take(memo, name, user, comment)
    with pytest.raises(ValidationError, match="“Đã tổng kết”; đây là trạng thái cuối"):
        take(memo, "revise", approver, "Sửa lại.")
    assert stored(memo).state == CONCLUDED


def test_an_unknown_transition_is_refused(memo, writer):
    with pytest.raises(ValidationError, match="Không có thao tác “publish”"):
        take(memo, "publish", writer)
    assert stored(memo).state == DRAFT


@pytest.mark.parametrize(
    "persona, name, refusal",
    [
        ("dangvien1", "submit", PermissionDenied),  # sees the memo, may not write it
        ("xa1.bithu", "submit", PermissionDenied),  # may approve, not write
        ("xa2.bithu", "submit", Http404),  # a sibling commune: out of scope
    ],
)
def test_a_transition_without_the_right_is_refused_by_the_policy(memo, users, persona, name, refusal):
    with pytest.raises(refusal) as refused:
        take(memo, name, users[persona])
    if refusal is PermissionDenied:
        assert str(refused.value) == (
            f"Soạn công văn cần quyền Quản trị hệ thống hoặc Tuyên giáo của {memo.org.name} (hoặc của cấp trên); "
            "tài khoản của bạn chưa được giao quyền đó."
        )
    assert stored(memo).state == DRAFT
    assert not audit_of(memo).exists()


def test_the_writer_may_not_approve(memo, writer):
    take(memo, "submit", writer)
    with pytest.raises(PermissionDenied, match="^Thông qua công văn cần quyền"):
        take(memo, "approve", writer)
    assert stored(memo).state == CONSULTATION


def test_a_transition_that_needs_a_reason_refuses_none(memo, writer, approver):
    take(memo, "submit", writer)
    with pytest.raises(ValidationError, match="“Trả lại để sửa” cần ghi rõ ý kiến, lý do."):
        take(memo, "return", approver, "   ")
    assert stored(memo).state == CONSULTATION
    assert not WorkflowComment.objects.filter(object_id=memo.pk).exists()

    take(memo, "return", approver, "Thiếu nguồn lực thực hiện.")
    (reason,) = stored(memo).comments.all()
    assert (reason.author, reason.text, reason.transition, reason.version) == (
        approver,
        "Thiếu nguồn lực thực hiện.",
        "return",
        0,
    )


# --- comments -----------------------------------------------------------------------------------


def test_comments_keep_their_author_time_version_and_anchor(memo, writer, member):
    take(memo, "submit", writer)
    version_save(memo, {"title": memo.title}, writer, access=access_memo)
    before = timezone.now()
    comment_add(memo, member, "Đề nghị giao nhiệm vụ 2 cho tổ đảng.", anchor="task:2", access=access_memo)
    comment_add(memo, writer, "Đã tiếp thu.", access=access_memo)
    first, second = stored(memo).comments.all()
    assert (first.author, first.text, first.anchor, first.version, first.transition) == (
        member,
        "Đề nghị giao nhiệm vụ 2 cho tổ đảng.",
        "task:2",
        1,
        "",
    )
    assert before <= first.created_at <= second.created_at <= timezone.now()
    assert (second.author, second.anchor) == (writer, "")
    assert [e.action for e in history(memo)][-2:] == ["workflow.comment", "workflow.comment"]


def test_a_comment_is_refused_out_of_scope_empty_or_unprintable(memo, users, member):
    with pytest.raises(Http404):
        comment_add(memo, users["xa2.bithu"], "Ý kiến.", access=access_memo)
    with pytest.raises(ValidationError, match="Hãy nhập nội dung ý kiến."):
        comment_add(memo, member, " \n ", access=access_memo)
    with pytest.raises(ValidationError, match="ký tự điều khiển"):
        comment_add(memo, member, "Ý kiến\x00", access=access_memo)
    with pytest.raises(ValidationError, match="dài 5.001 ký tự, quá mức 5.000"):
        comment_add(memo, member, "a" * 5001, access=access_memo)
    assert not stored(memo).comments.exists()
    assert not audit_of(memo).exists()


# --- versions -----------------------------------------------------------------------------------


def test_versions_say_what_changed(memo, writer):
    first = {"title": "Chương trình", "tasks": {"1": {"name": "Học tập", "deadline": "2026-03-01"}}}
    v1 = version_save(memo, first, writer, summary="Bản đầu", access=access_memo)
    assert (v1.number, v1.created_by, v1.summary) == (1, writer, "Bản đầu")
    assert v1.changes == [
        {"field": "tasks", "before": None, "after": first["tasks"]},
        {"field": "title", "before": None, "after": "Chương trình"},
    ]
    second = {
        "title": "Chương trình",
        "tasks": {"1": {"name": "Học tập", "deadline": "2026-04-15"}, "2": {"name": "Sơ kết"}},
    }
    v2 = version_save(memo, second, writer, access=access_memo)
    assert v2.changes == [
        {"field": "tasks.1.deadline", "before": "2026-03-01", "after": "2026-04-15"},
        {"field": "tasks.2", "before": None, "after": {"name": "Sơ kết"}},
    ]
    assert version_save(memo, second, writer, access=access_memo) is None  # nothing changed: no version
    assert stored(memo).version == 2
    assert [(v.number, v.content) for v in stored(memo).versions.all()] == [(1, first), (2, second)]
    assert [e.after["fields"] for e in history(memo)] == [["tasks", "title"], ["tasks.1.deadline", "tasks.2"]]


def test_a_field_removed_from_the_content_is_a_change():
    assert changes({"a": 1, "b": {"c": 2}}, {"b": {}}) == [
        {"field": "a", "before": 1, "after": None},
        {"field": "b.c", "before": 2, "after": None},
    ]


def test_content_changes_only_in_a_draft_or_under_consultation(memo, writer, approver):
    take(memo, "submit", writer)
    version_save(memo, {"title": "Dự thảo lần 2"}, writer, access=access_memo)
    take(memo, "approve", approver)
    with pytest.raises(ValidationError) as refused:
        version_save(memo, {"title": "Sửa sau khi thông qua"}, writer, access=access_memo)
    assert refused.value.messages == [
        "Văn bản đang ở trạng thái “Đã thông qua”: chỉ sửa nội dung khi ở trạng thái “Bản dự thảo” hoặc "
        "“Lấy ý kiến”. Muốn sửa đổi, bổ sung, hãy đưa văn bản về dự thảo trước."
    ]
    assert stored(memo).version == 1
    take(memo, "revise", approver, "Bổ sung.")
    assert version_save(memo, {"title": "Sửa đổi, bổ sung"}, writer, access=access_memo).number == 2


def test_a_version_without_the_right_is_refused(memo, member):
    with pytest.raises(PermissionDenied, match="^Soạn công văn cần quyền"):
        version_save(memo, {"title": "Của tôi"}, member, access=access_memo)
    assert stored(memo).version == 0 and not stored(memo).versions.exists()


# --- copies loaded before someone else wrote ----------------------------------------------------


def test_a_version_saved_from_a_stale_copy_is_refused(memo, writer):
    mine, theirs = stored(memo), stored(memo)
    version_save(theirs, {"title": "Của họ"}, writer, access=access_memo)
    with pytest.raises(ValidationError) as refused:
        version_save(mine, {"title": "Của tôi"}, writer, access=access_memo)
    assert refused.value.messages == ["Văn bản vừa được người khác lưu phiên bản 1; hãy tải lại trang rồi làm lại."]
    assert [v.content for v in stored(memo).versions.all()] == [{"title": "Của họ"}]


def test_saving_a_stale_copy_does_not_undo_a_transition(memo, writer):
    stale = stored(memo)
    take(memo, "submit", writer)
    version_save(memo, {"title": memo.title}, writer, access=access_memo)
    stale.title = "Tên mới"
    stale.save()
    assert (stored(memo).title, stored(memo).state, stored(memo).version) == ("Tên mới", CONSULTATION, 1)


def at_once(memo_id, *steps):
    """Take STEPS (name, user, comment) on the memo as concurrent writers, each from its own copy
    loaded before any of them writes; what each returned or raised.

    PostgreSQL: each writer has its own thread and connection, released together by a barrier.
    SQLite admits one writer at a time (BEGIN IMMEDIATE): the second starts once the first has
    committed, so there they run one after the other — the stale copy case.
    """
    outcomes = [None] * len(steps)

    def write(i, copy, barrier=None):
        name, user, comment = steps[i]
        try:
            copy = copy or Memo.objects.get(pk=memo_id)
            if barrier:
                barrier.wait(timeout=30)
            outcomes[i] = take(copy, name, user, comment)
        except ValidationError as refused:
            outcomes[i] = refused

    if connection.vendor != "postgresql":
        copies = [Memo.objects.get(pk=memo_id) for _ in steps]
        for i, copy in enumerate(copies):
            write(i, copy)
        return outcomes
    barrier = threading.Barrier(len(steps))

    def run(i):
        try:
            write(i, None, barrier)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(steps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("names", [("approve", "approve"), ("approve", "return")])
def test_of_two_concurrent_transitions_exactly_one_wins(memo_table, users, approver, names):
    cell = users["dangvien1"].member.cell
    memo = in_own_connection(lambda: Memo.objects.create(org=cell, title="Tranh chấp", state=CONSULTATION))
    try:
        outcomes = at_once(memo.pk, *[(name, approver, "Lý do trả lại." if name == "return" else "") for name in names])
        won = [o for o in outcomes if isinstance(o, Memo)]
        lost = [o for o in outcomes if isinstance(o, ValidationError)]
        assert len(won) == 1 and len(lost) == 1
        winner = names[outcomes.index(won[0])]
        target = Memo.workflow.transition(winner).target
        assert lost[0].messages == [
            f"Văn bản vừa được người khác chuyển sang trạng thái “{Memo.workflow.state(target).label}”; "
            "hãy tải lại trang rồi làm lại."
        ]
        assert stored(memo).state == target
        assert [e.action for e in history(memo)] == [f"workflow.{winner}"]
        assert stored(memo).comments.count() == (1 if winner == "return" else 0)
    finally:
        in_own_connection(lambda: (audit_of(memo).delete(), Memo.objects.filter(pk=memo.pk).delete()))
