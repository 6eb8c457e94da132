"""The copy check of commitments: a copy of a sample (verbatim, without diacritics), of a neighbour
registered earlier, or of a commitment of another cell is flagged; honest commitments sharing the
four headings, the stock formulas and quotations of the directive are not."""

import pytest

from quantriet.plans import demo_commitments as demo
from quantriet.plans.models_commitments import Heading

from .commitments_common import add_sample, member_in, write

pytestmark = pytest.mark.django_db

P, E, D, H = Heading.POLITICS, Heading.ETHICS, Heading.DUTIES, Heading.HO_CHI_MINH
#: What every honest commitment may repeat: the stock formulas and a sentence of Chỉ thị 28.
SHARED = {
    P: " Tuyệt đối trung thành với mục tiêu, lý tưởng của Đảng, kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí "
    "Minh. Chấp hành nghiêm chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước.",
    E: " Không vi phạm những điều đảng viên không được làm. Cần, kiệm, liêm, chính, chí công vô tư.",
    D: " Phấn đấu xếp loại đảng viên hoàn thành tốt nhiệm vụ trở lên.",
    H: " Viết kế hoạch hành động thực hiện nghị quyết đại hội đảng bộ các cấp gắn với học tập, làm theo tư tưởng, "
    "đạo đức, phong cách Hồ Chí Minh và cam kết tu dưỡng, rèn luyện, phấn đấu hàng năm.",
}


def honest(i: int) -> dict:
    return {heading: demo.HONEST[i][heading] + SHARED[heading] for heading in Heading}


@pytest.fixture
def cell(users):
    return users["dangvien1"].member.cell


@pytest.fixture
def sibling(cell):
    from quantriet.org.models import Organization

    return Organization.objects.cells().exclude(pk=cell.pk).filter(depth=cell.depth).first()


def test_honest_commitments_sharing_headings_formulas_and_the_directive_are_not_flagged(cell):
    written = [write(member_in(cell, f"Người Viết {i}"), honest(i)) for i in range(len(demo.HONEST))]
    assert [c.flagged for c in written] == [False] * len(demo.HONEST)
    assert all(c.copied_share == 0 and c.copied_from == [] and c.checked_at for c in written)


def test_a_copy_of_a_sample_is_flagged_with_the_sample_as_its_source(cell):
    sample = add_sample(demo.sample_text())
    write(member_in(cell, "Người Trung Thực"), honest(0))
    copied = write(member_in(cell, "Người Chép Mẫu"), demo._lightly_edited(demo.SAMPLE))
    assert copied.flagged and copied.copied_share >= 0.8
    assert copied.copied_from[0] == {**copied.copied_from[0], "type": "sample", "id": sample.pk}
    assert "verbatim" in copied.copy_kind
    assert "bản cam kết mẫu" in copied.flag_explanation


def test_a_sample_typed_without_diacritics_is_flagged_as_such(cell):
    add_sample(demo.sample_text())
    copied = write(member_in(cell, "Người Gõ Không Dấu"), {h: demo.unaccented(t) for h, t in demo.SAMPLE.items()})
    assert copied.flagged and copied.copied_from[0]["type"] == "sample"
    assert "unaccented" in copied.copy_kind and "gõ không dấu" in copied.copy_kind_text


def test_of_two_neighbours_the_later_is_flagged_and_the_earlier_is_not(cell):
    first = write(member_in(cell, "Người Viết Trước"), honest(1))
    later = write(member_in(cell, "Người Viết Sau"), demo.NEIGHBOUR_COPY)
    first.refresh_from_db()
    assert later.flagged and later.copied_from[0]["type"] == "commitment" and later.copied_from[0]["id"] == first.pk
    assert "đảng viên khác" in later.flag_explanation and first.member.full_name not in later.flag_explanation
    assert not first.flagged


def test_a_copy_from_another_cell_is_found_through_the_index(cell, sibling):
    original = write(member_in(sibling, "Người Chi Bộ Khác"), honest(2))
    copied = write(member_in(cell, "Người Chép Xa"), honest(2))
    assert copied.flagged and copied.copied_from[0]["id"] == original.pk


def test_a_draft_is_not_compared_nor_checked(cell):
    draft = write(member_in(cell, "Người Chưa Nộp"), honest(3), submit=False)
    copied = write(member_in(cell, "Người Nộp"), honest(3))
    assert draft.checked_at is None and not copied.flagged


def test_the_demo_flags_the_copies_and_only_them(users):
    from quantriet.plans.models_commitments import Commitment

    result = demo.seed_commitments()
    cell = users["dangvien1"].member.cell
    commitments = Commitment.objects.filter(cell=cell)
    flagged = {c.member_id for c in commitments if c.flagged}
    assert result["created"] == commitments.count() and result["flagged"] == len(flagged) >= 1
    mine = commitments.get(member=users["dangvien1"].member)
    assert not mine.flagged and mine.end_reviewed_at is not None
    honest = {text[P] for text in demo.HONEST}
    for commitment in commitments:
        written = commitment.items.get(heading=P).content
        assert commitment.flagged == (written not in honest), written[:60]
    assert demo.seed_commitments()["created"] == 0  # idempotent
