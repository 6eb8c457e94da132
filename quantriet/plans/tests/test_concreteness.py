"""The concreteness check on hand-made programmes: concrete, pasted from the level above, restating it."""

import dataclasses
import unicodedata
from datetime import date
from decimal import Decimal

import pytest

from quantriet.originality import align
from quantriet.plans.concreteness import CONCRETE_FROM, COPIED_FLAG, Programme, Task, concreteness

PROVINCE, COMMUNE, CELL, OTHER_CELL = "0001", "00010003", "000100030005", "000100030006"

RESOLUTION = (
    "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
    "quốc gia.\nNâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết "
    "liệt lãnh đạo, chỉ đạo, tạo xung lực mới cho phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển "
    "đổi số quốc gia.\nKhẩn trương, quyết liệt hoàn thiện thể chế; xóa bỏ mọi tư tưởng, quan niệm, rào cản "
    "đang cản trở sự phát triển.\nPhát triển hạ tầng số, bảo đảm kết nối băng rộng đến mọi thôn, ấp; phổ cập "
    "kỹ năng số cho người dân.\n"
)

PROVINCE_PROGRAMME = Programme(
    PROVINCE,
    "Chương trình hành động của Ban Chấp hành Đảng bộ tỉnh thực hiện Nghị quyết số 57-NQ/TW. Mục đích: quán "
    "triệt sâu sắc nghị quyết, cụ thể hóa thành các nhiệm vụ của các cấp ủy, chính quyền trong toàn tỉnh.",
    (
        Task("Tổ chức học tập, quán triệt nghị quyết đến toàn thể cán bộ, đảng viên trong Đảng bộ tỉnh.",
             lead_org_path=PROVINCE, deadline=date(2025, 6, 30), product="Báo cáo kết quả học tập"),
        Task("Xây dựng đề án phát triển hạ tầng số của tỉnh giai đoạn 2025 - 2030, trình Ban Thường vụ Tỉnh ủy.",
             lead_org_path=PROVINCE, deadline=date(2025, 12, 31), product="Đề án được phê duyệt"),
        Task("Các huyện, xã chỉ đạo phổ cập kỹ năng số cho người dân, ưu tiên người cao tuổi và đồng bào dân tộc.",
             lead_org_path=PROVINCE, deadline=date(2026, 12, 31), product="Kế hoạch phổ cập kỹ năng số"),
        Task("Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình, nâng tỷ lệ hồ sơ nộp trực tuyến.",
             lead_org_path=PROVINCE, deadline=date(2026, 12, 31), product="Báo cáo sơ kết hằng năm"),
    ),
)  # fmt: skip

COMMUNE_PROGRAMME = Programme(
    COMMUNE,
    "Chương trình hành động của Đảng ủy xã Long Đức thực hiện Nghị quyết số 57-NQ/TW. Xã có 9 ấp, 2.140 hộ; "
    "mới 38% hộ có người biết dùng điện thoại thông minh để nộp hồ sơ trực tuyến, ấp Kinh Xáng và ấp Rạch Cốc "
    "chưa có sóng 4G ổn định. Đảng ủy xác định nhiệm vụ trọng tâm là đưa dịch vụ công đến tận ấp.",
    (
        Task("Mở lớp hướng dẫn dùng ứng dụng VNeID và Cổng dịch vụ công cho người dân tại nhà văn hóa 9 ấp, "
             "mỗi ấp hai buổi vào tối thứ Bảy.", lead_org_path="000100030002", lead_person="Trần Văn Thanh",
             deadline=date(2025, 9, 30), product="18 buổi hướng dẫn, danh sách người tham dự",
             indicator="Số người dân được hướng dẫn", target=Decimal(900), unit="người"),
        Task("Thành lập tổ công nghệ số cộng đồng ở mỗi ấp, do bí thư chi bộ ấp làm tổ trưởng, đoàn viên thanh "
             "niên làm thành viên.", lead_org_path=COMMUNE, deadline=date(2025, 7, 31),
             product="Quyết định thành lập 9 tổ", indicator="Số tổ hoạt động", target=Decimal(9), unit="tổ"),
        Task("Đề nghị nhà mạng lắp trạm phát sóng tại ấp Kinh Xáng và ấp Rạch Cốc, Ủy ban nhân dân xã bố trí mặt bằng.",
             lead_org_path=COMMUNE, lead_person="Lê Thị Hồng",
             deadline=date(2025, 12, 31), product="Hai trạm phát sóng đi vào hoạt động",
             indicator="Số ấp có sóng 4G ổn định", target=Decimal(9), unit="ấp"),
        Task("Nâng tỷ lệ hồ sơ thủ tục hành chính của xã nộp trực tuyến từ 38% lên 70% vào cuối năm 2026.",
             lead_org_path="000100030001", deadline=date(2026, 12, 31), product="Báo cáo quý của bộ phận một cửa",
             indicator="Tỷ lệ hồ sơ nộp trực tuyến", target=Decimal(70), unit="%"),
    ),
)  # fmt: skip

#: The commune's programme pasted by a cell: the name at the top changed, nothing else.
PASTED = Programme(
    CELL,
    COMMUNE_PROGRAMME.preamble.replace("Đảng ủy xã Long Đức", "Chi bộ ấp Phú Thọ", 1),
    COMMUNE_PROGRAMME.tasks,
)

#: A cell's programme restating the province's duties, reworded a little, led by the province.
RESTATING = Programme(
    OTHER_CELL,
    "Chương trình hành động của Chi bộ ấp Tân Lập thực hiện Nghị quyết số 57-NQ/TW. Mục đích: quán triệt sâu "
    "sắc nghị quyết, cụ thể hóa thành nhiệm vụ của cấp ủy, chính quyền trong toàn tỉnh.",
    (
        Task("Tổ chức học tập, quán triệt nghị quyết đến toàn thể cán bộ, đảng viên trong Đảng bộ.",
             lead_org_path=PROVINCE, deadline=date(2025, 6, 30), product="Báo cáo kết quả học tập"),
        Task("Xây dựng đề án phát triển hạ tầng số giai đoạn 2025 - 2030, trình Ban Thường vụ.",
             lead_org_path=PROVINCE, product="Đề án được phê duyệt"),
        Task("Chỉ đạo phổ cập kỹ năng số cho người dân, ưu tiên người cao tuổi và đồng bào dân tộc.",
             lead_org_path=PROVINCE, product="Kế hoạch phổ cập kỹ năng số"),
        Task("Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình, nâng tỷ lệ hồ sơ nộp trực tuyến.",
             lead_org_path=PROVINCE, product="Báo cáo sơ kết hằng năm"),
    ),
)  # fmt: skip


def check(programme, *others):
    return concreteness(programme, {f"p{i}": other for i, other in enumerate(others)}, [RESOLUTION])


def test_a_concrete_programme_scores_high_and_is_not_flagged():
    found = check(COMMUNE_PROGRAMME, PROVINCE_PROGRAMME)
    assert found.copied < 0.2 and found.complete == 1.0 and found.own == 1.0 and found.local == 1.0
    assert found.score >= 80 and found.flags == ()
    assert {"Kinh Xáng", "Rạch Cốc", "2.140"} <= set(found.evidence)


def test_a_programme_pasted_from_the_level_above_is_flagged_with_its_passages():
    found = check(PASTED, PROVINCE_PROGRAMME, COMMUNE_PROGRAMME)
    assert found.copied >= COPIED_FLAG and "sao_chep" in found.flags
    assert found.own == 0.0  # the tasks are the commune's, led by the commune
    assert found.score < CONCRETE_FROM and "chua_cu_the" in found.flags
    assert {passage.source for passage in found.passages} == {"p1"}
    for passage in found.passages:
        ours, theirs = PASTED.text[slice(*passage.text)], COMMUNE_PROGRAMME.text[slice(*passage.source_span)]
        assert ours.split()[-3:] == theirs.split()[-3:]
    assert found.evidence == ()  # its own names are all in what it copied


def test_restating_the_province_is_copied_and_not_the_units_own_work():
    found = check(RESTATING, PROVINCE_PROGRAMME)
    assert found.copied >= COPIED_FLAG and found.own == 0.0 and found.complete == 0.0
    assert found.flags == ("sao_chep", "chua_cu_the")


def test_quoting_the_resolution_is_not_copying_a_programme():
    quoting = Programme(
        COMMUNE,
        COMMUNE_PROGRAMME.preamble + "\n" + RESOLUTION,
        COMMUNE_PROGRAMME.tasks,
    )
    other = Programme(CELL, "Chương trình của chi bộ.\n" + RESOLUTION, ())
    assert check(quoting, other).copied == 0.0
    assert concreteness(quoting, {"other": other}).copied > 0.3  # without the resolution as boilerplate


def test_the_measures_of_tasks():
    task = COMMUNE_PROGRAMME.tasks[0]
    assert task.complete and task.led_within(COMMUNE) and not task.led_within(OTHER_CELL)
    vague = Task("Tăng cường công tác chuyển đổi số.", lead_org_path=COMMUNE, product="Báo cáo")
    assert not vague.complete  # no deadline, no indicator
    assert not Task("x", lead_org_path=PROVINCE).led_within(COMMUNE)
    assert Task("x", lead_org_path=CELL, lead_person="Nguyễn Văn An").led_within(COMMUNE)
    assert not Task("x", lead_person="Nguyễn Văn An").led_within(CELL)  # whose person: unknown
    empty = check(Programme(COMMUNE, "Chương trình.", ()))
    assert (empty.complete, empty.own, empty.copied) == (0.0, 0.0, 0.0)


def test_sentences_resembling_many_programmes_do_not_add_up_to_a_copy():
    """Each of four programmes shares one task with the commune's, amid its own content: none is a
    copy of the other, and four small resemblances are not a copy either."""
    others = {
        f"cell-{number}": Programme(
            f"00010004000{number}", PROVINCE_PROGRAMME.preamble, (task, *PROVINCE_PROGRAMME.tasks)
        )
        for number, task in enumerate(COMMUNE_PROGRAMME.tasks, start=1)
    }
    found = concreteness(COMMUNE_PROGRAMME, others, [RESOLUTION])
    assert found.copied < COPIED_FLAG and "sao_chep" not in found.flags
    # What is counted as copied comes from the sources named as copied, each a copy pair on its own.
    assert found.copied == pytest.approx(sum(share for _, share, _ in found.sources), abs=0.01)
    assert len(found.sources) < len(others)


def test_a_task_and_its_product_are_one_sentence():
    """Typed with a full stop, a task and its product would be two sentences: one shared task
    would count twice towards a copy."""
    task = Task("Mở lớp hướng dẫn dùng ứng dụng VNeID cho người dân tại nhà văn hóa ấp.", product="Danh sách người dự.")
    programme = Programme(CELL, "Chi bộ ấp Phú Thọ thực hiện nghị quyết theo tình hình của ấp.", (task,))
    assert task.line == "Mở lớp hướng dẫn dùng ứng dụng VNeID cho người dân tại nhà văn hóa ấp (Danh sách người dự)"
    assert len(align.align(programme.text, programme.text).pairs) == 2


#: The stock phrasing of party programmes: how a task is carried out, what it is for, who reports.
STOCK_MEANS = (
    "vận động đoàn viên thanh niên và hội viên phụ nữ cùng tham gia",
    "lồng ghép vào sinh hoạt chi bộ hằng tháng",
    "phối hợp với Mặt trận Tổ quốc và các đoàn thể",
)
STOCK_AIMS = (
    "góp phần thực hiện thắng lợi nghị quyết đại hội",
    "nâng cao chất lượng sinh hoạt và vai trò của đảng viên",
    "tạo chuyển biến rõ nét trong nhận thức và hành động",
)


def _in_stock_phrasing(path: str, works: tuple[str, ...], person: str) -> Programme:
    tasks = tuple(
        Task(f"{work}, {STOCK_MEANS[i % 3]}, {STOCK_AIMS[(i + 1) % 3]}; giao đồng chí {person} phụ trách, báo cáo chi "
             "ủy hằng quý.", lead_org_path=path, deadline=date(2026, 6, 30), product="Báo cáo kết quả")
        for i, work in enumerate(works)
    )  # fmt: skip
    return Programme(path, "Chi bộ xác định nhiệm vụ trọng tâm năm 2026.", tasks)


def test_own_tasks_in_the_stock_phrasing_of_programmes_are_not_copies():
    """Two cells, each its own works, both written the way party programmes are: at the essays'
    sentence threshold every task aligned with the other's and the second cell was a copy."""
    first = _in_stock_phrasing(CELL, (
        "Mở lớp dạy nghề may công nghiệp cho lao động nữ ở ấp Phú Hòa",
        "Sửa chữa cầu khỉ qua rạch Bà Bèo trước mùa mưa",
        "Thành lập tổ hợp tác nuôi lươn không bùn ở ấp Tân Quy", "Trồng 2.000 cây sao dọc đường liên ấp",
        "Lắp 40 bóng đèn năng lượng mặt trời ở đường vào trường tiểu học",
        "Tổ chức giải bóng chuyền thanh niên mừng ngày thành lập Đoàn"), "Nguyễn Văn Tư")  # fmt: skip
    second = _in_stock_phrasing(OTHER_CELL, (
        "Nạo vét kênh thủy lợi Ông Đồ phục vụ vụ lúa hè thu", "Khám sức khỏe miễn phí cho người cao tuổi ở khóm 3",
        "Chuyển 15 hécta lúa kém hiệu quả sang trồng dừa sáp", "Dựng tủ sách pháp luật ở nhà văn hóa khóm 5",
        "Vận động hộ kinh doanh ký cam kết không lấn chiếm vỉa hè",
        "Hỗ trợ 12 hộ nghèo làm chuồng trại chăn nuôi bò"), "Lê Thị Hoa")  # fmt: skip
    found = concreteness(second, {"first": first}, [RESOLUTION])
    assert found.copied == 0 and found.flags == () and found.sources == ()
    # Pasting the first, name changed, is still a copy.
    pasted = Programme(OTHER_CELL, first.preamble, first.tasks)
    assert concreteness(pasted, {"first": first}, [RESOLUTION]).copied >= COPIED_FLAG


def _without_diacritics(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


def test_a_paste_typed_without_diacritics_is_still_a_copy():
    unaccented = Programme(
        CELL,
        _without_diacritics(PASTED.preamble),
        tuple(dataclasses.replace(task, content=_without_diacritics(task.content)) for task in PASTED.tasks),
    )
    found = concreteness(unaccented, {"commune": COMMUNE_PROGRAMME}, [RESOLUTION])
    assert found.copied >= 0.9 and "sao_chep" in found.flags
    assert found.sources[0][0] == "commune" and "unaccented" in found.sources[0][2]
