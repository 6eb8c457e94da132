"""Demo yearly commitments: the members of dangvien1's cell for the current year.

`seed_commitments()` puts a sample commitment in the library (as found on the internet), then
writes, through the services (so each is checked as a member's would be):
- distinct honest commitments (hand-written, each with its own ấp, figures and duties; they share
  the four headings, the stock formulas and a quotation of Chỉ thị 28 — none is flagged), the first
  for dangvien1 with both self-reviews, one reviewed by the cell's secretary;
- copies of the sample: two nearly verbatim, one typed without diacritics;
- one copy of a neighbour's commitment (reworded a little), registered after it;
- the rest of the cell's members have not written yet (the secretary's list shows them).
Idempotent: nothing is done when the cell already has commitments for the year.
"""

import unicodedata

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from quantriet.org.models import Member, Title

from . import services_commitments as services
from .models_commitments import Commitment, Heading, ItemRating, ReviewRating, SampleCommitment

P, E, D, H = Heading.POLITICS, Heading.ETHICS, Heading.DUTIES, Heading.HO_CHI_MINH

SAMPLE_TITLE = "Mẫu bản cam kết tu dưỡng, rèn luyện, phấn đấu của đảng viên năm 2026 (bản chia sẻ trên mạng)"
SAMPLE_URL = "https://vanbanmau.example.vn/mau-ban-cam-ket-tu-duong-ren-luyen-phan-dau-dang-vien"
SAMPLE = {
    P: "Luôn giữ vững lập trường, quan điểm, bản lĩnh chính trị vững vàng trước mọi khó khăn, thử thách. "
    "Thường xuyên nghiên cứu, học tập các nghị quyết, chỉ thị của Đảng để nâng cao nhận thức, không dao động "
    "trước những luận điệu sai trái, xuyên tạc của các thế lực thù địch trên mạng xã hội. Tích cực tham gia đấu "
    "tranh bảo vệ nền tảng tư tưởng của Đảng, kịp thời báo cáo với chi bộ những biểu hiện tiêu cực phát hiện được.",
    E: "Luôn giữ gìn phẩm chất đạo đức, lối sống trong sạch, lành mạnh, giản dị, khiêm tốn, gần gũi với quần chúng "
    "nhân dân. Đoàn kết, thương yêu, giúp đỡ đồng chí, đồng nghiệp trong công tác cũng như trong cuộc sống. Chống "
    "chủ nghĩa cá nhân, cơ hội, thực dụng, bè phái, cục bộ; không tham gia các tệ nạn xã hội, không nói và làm trái "
    "với quan điểm của Đảng. Gương mẫu trong gia đình và nơi cư trú, vận động người thân chấp hành tốt pháp luật.",
    D: "Nêu cao tinh thần trách nhiệm, chủ động, sáng tạo trong công việc, hoàn thành đúng tiến độ và đạt chất lượng "
    "cao mọi nhiệm vụ được cấp trên giao. Không ngừng học tập nâng cao trình độ chuyên môn, nghiệp vụ, kỹ năng làm "
    "việc để đáp ứng yêu cầu nhiệm vụ trong tình hình mới. Thực hiện tốt quy chế làm việc, giờ giấc, kỷ luật lao "
    "động của cơ quan, đơn vị; tích cực tham gia các phong trào thi đua do địa phương phát động.",
    H: "Xây dựng kế hoạch cụ thể để thường xuyên tự học tập, tự tu dưỡng, rèn luyện theo tấm gương đạo đức của "
    "Người, biến việc học tập và làm theo Bác thành việc làm tự giác, thường xuyên hằng ngày. Mỗi năm đăng ký ít "
    "nhất một việc làm cụ thể để làm theo Bác, gắn với chức trách, nhiệm vụ được giao, và báo cáo kết quả với chi "
    "bộ vào dịp sơ kết, tổng kết năm.",
}

#: Honest commitments, each written by a different member about their own work.
HONEST = [
    {
        P: "Tôi đăng ký học đủ các lớp quán triệt Chỉ thị 28-CT/TU và các nghị quyết năm 2026, viết thu hoạch liên "
        "hệ với công việc tổ hòa giải ấp Phú Hòa. Mỗi tháng tôi đọc báo Nhân dân và bản tin thời sự của xã ít nhất "
        "bốn lần để nắm tình hình, trao đổi lại với bà con trong tổ 3 những điều mới về chính sách đất đai.",
        E: "Tôi không uống rượu bia trong giờ làm việc, không cho vay lãi, sống hòa thuận với xóm giềng. Gia đình "
        "tôi giữ danh hiệu gia đình văn hóa năm thứ năm liên tiếp; con trai tôi đi nghĩa vụ quân sự đúng hẹn.",
        D: "Là tổ trưởng tổ hòa giải, tôi cam kết hòa giải thành ít nhất 80% vụ việc phát sinh trong ấp, không để vụ "
        "nào kéo dài quá 30 ngày. Tôi vận động 12 hộ còn lại của tổ 3 đóng góp làm tuyến đường bê tông nội đồng dài "
        "450 mét trước tháng 9.",
        H: "Làm theo lời Bác dạy về tiết kiệm, tôi trồng rau sạch trên phần đất trống sau nhà, chia cho hai hộ nghèo "
        "trong tổ mỗi tuần. Tôi nhận kèm cặp một quần chúng ưu tú, cháu Thạch Thị Sa Rây, để giới thiệu với chi bộ "
        "xem xét kết nạp trong năm.",
    },
    {
        P: "Là giáo viên trường tiểu học Long Đức B, tôi dự đủ các buổi sinh hoạt chuyên đề của chi bộ và tự nghiên "
        "cứu thêm tài liệu về chuyển đổi số trong giáo dục. Khi phụ huynh chia sẻ tin sai trên nhóm Zalo lớp 4A, tôi "
        "giải thích lại và báo ban giám hiệu để có thông tin chính thức.",
        E: "Tôi không dạy thêm thu tiền học sinh của lớp mình, không nhận quà của phụ huynh dưới mọi hình thức. Tôi "
        "đi xe đạp đến trường những ngày gần để tiết kiệm xăng và làm gương cho học sinh về đi lại an toàn.",
        D: "Lớp 4A tôi chủ nhiệm phấn đấu 100% học sinh hoàn thành chương trình, không em nào bỏ học; tôi đến nhà "
        "ba em có hoàn cảnh khó khăn mỗi tháng một lần. Tôi làm xong bộ bài giảng điện tử môn Tiếng Việt học kỳ II "
        "để tổ chuyên môn dùng chung trước ngày 15 tháng 1.",
        H: "Tôi kể chuyện Bác Hồ với thiếu nhi vào tiết sinh hoạt lớp đầu mỗi tháng và cùng học sinh làm tủ sách "
        "Bác Hồ với 60 đầu sách quyên góp. Tôi tự sửa tính nóng vội khi nhắc nhở học sinh, như Bác dặn phải thương "
        "yêu các cháu.",
    },
    {
        P: "Tôi là công an viên ấp Mỹ Hiệp, tham gia đầy đủ các đợt tuyên truyền Luật Cư trú và phòng chống lừa đảo "
        "qua mạng. Tôi đã lập nhóm Zalo an ninh trật tự cho 85 hộ của ấp để kịp thời cải chính tin đồn thất thiệt.",
        E: "Tôi cam kết không sử dụng rượu bia khi tuần tra, không nhận tiền của người vi phạm, giải quyết "
        "việc của dân công khai tại trụ sở. Vợ chồng tôi thống nhất không tổ chức tiệc tùng linh đình "
        "khi mừng nhà mới.",
        D: "Năm nay tôi phấn đấu ấp không có người nghiện ma túy mới, giảm 20% số vụ trộm vặt so với năm 2025, tuần "
        "tra ban đêm ít nhất tám lần mỗi tháng cùng tổ bảo vệ an ninh. Tôi cập nhật đủ dữ liệu định danh điện tử cho "
        "người cao tuổi của ấp trước quý III.",
        H: "Học tác phong gần dân của Bác, mỗi tuần tôi dành buổi tối thứ năm đến nhà văn hóa ấp tiếp bà con. Tôi giúp "
        "ông Lâm Văn Út neo đơn sửa lại mái nhà trước mùa mưa cùng đoàn thanh niên.",
    },
    {
        P: "Làm kế toán hợp tác xã nông nghiệp Tân Lập, tôi học đủ các chuyên đề và tìm hiểu kỹ Luật Hợp tác xã năm "
        "2023 để tham mưu ban giám đốc. Tôi không chia sẻ, bình luận những bài viết chưa rõ nguồn gốc về giá lúa trên "
        "mạng xã hội.",
        E: "Tôi công khai sổ sách thu chi của hợp tác xã mỗi quý tại đại hội thành viên, không ghi khống chứng từ. "
        "Trong gia đình tôi nhắc nhở hai con chăm học, không chơi game quá một giờ mỗi ngày.",
        D: "Tôi cam kết lập báo cáo tài chính năm đúng hạn 31 tháng 3, thu hồi 70% khoản nợ vật tư phân bón còn "
        "tồn của thành viên và chuyển toàn bộ sổ sách sang phần mềm kế toán mới trong sáu tháng đầu năm.",
        H: "Làm theo Bác về tính cần kiệm, tôi đề xuất cắt giảm chi phí hội nghị của hợp tác xã để dành 15 triệu đồng "
        "hỗ trợ giống lúa cho bốn hộ thành viên bị thiệt hại do hạn mặn.",
    },
    {
        P: "Tôi đã nghỉ hưu, sinh hoạt tại chi bộ ấp, đọc kỹ tài liệu quán triệt nghị quyết rồi nói chuyện lại với hội "
        "người cao tuổi trong các buổi họp mặt hằng tháng. Thấy thông tin xấu về cán bộ xã trên mạng, tôi hỏi rõ sự "
        "việc trước khi bàn tán.",
        E: "Tôi giữ nếp sống giản dị, vận động con cháu tổ chức đám giỗ gọn nhẹ, không mời quá ba mâm. Tôi đóng góp "
        "ý kiến thẳng thắn trong sinh hoạt chi bộ, kể cả với đồng chí bí thư khi thấy việc chưa đúng.",
        D: "Là chi hội trưởng người cao tuổi, tôi vận động 95% hội viên tham gia bảo hiểm y tế, tổ chức hai lớp tập "
        "dưỡng sinh buổi sáng ở sân đình, thăm hỏi đủ các cụ ốm đau trong năm.",
        H: "Theo gương Bác thương yêu thiếu nhi, tôi dạy miễn phí chữ Hán Nôm và thư pháp cho 10 em học sinh vào sáng "
        "chủ nhật, nhắc các em lễ phép, chăm ngoan.",
    },
]

#: The neighbour's copy: HONEST[1] reworded a little by another teacher of the cell.
NEIGHBOUR_COPY = {
    P: "Là giáo viên trường tiểu học Long Đức B, tôi dự đầy đủ các buổi sinh hoạt chuyên đề của chi bộ và tự nghiên "
    "cứu thêm tài liệu về chuyển đổi số trong giáo dục. Khi phụ huynh chia sẻ thông tin sai trên nhóm Zalo lớp 4B, "
    "tôi giải thích lại và báo cáo ban giám hiệu để có thông tin chính thức.",
    E: "Tôi không dạy thêm thu tiền học sinh lớp mình, không nhận quà của phụ huynh dưới bất kỳ hình thức nào. Tôi "
    "đi xe đạp đến trường những ngày gần để tiết kiệm xăng và làm gương cho học sinh về đi lại an toàn.",
    D: "Lớp 4B tôi chủ nhiệm phấn đấu 100% học sinh hoàn thành chương trình, không em nào bỏ học; tôi đến thăm nhà "
    "hai em có hoàn cảnh khó khăn mỗi tháng một lần. Tôi làm xong bộ bài giảng điện tử môn Toán học kỳ II để tổ "
    "chuyên môn dùng chung trước ngày 15 tháng 1.",
    H: "Tôi kể chuyện Bác Hồ với thiếu nhi vào tiết sinh hoạt lớp đầu mỗi tháng và cùng học sinh làm tủ sách Bác Hồ "
    "với 50 đầu sách quyên góp. Tôi tự sửa tính nóng vội khi nhắc nhở học sinh, như Bác dặn phải thương yêu các cháu.",
}

#: Who writes what, in the order they register (the neighbour copies the second honest one, written before it).
ORDER = ["honest", "sample_edited", "honest", "unaccented", "neighbour", "honest", "sample", "honest", "honest"]

SELF_REVIEW = {
    P: "Đã học đủ các lớp, viết thu hoạch đạt loại khá.",
    E: "Giữ được như đã cam kết, không có vi phạm.",
    D: "Đạt phần lớn chỉ tiêu; còn một việc chậm tiến độ do thời tiết.",
    H: "Đã làm được việc đã đăng ký, chi bộ ghi nhận.",
}


def sample_text() -> str:
    """The sample as published: its four headings and their paragraphs."""
    return "\n\n".join(f"{heading.label}\n{SAMPLE[heading]}" for heading in Heading)


def unaccented(text: str) -> str:
    """TEXT typed without diacritics (case kept), as a member on a phone without Vietnamese input would."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _lightly_edited(contents: dict) -> dict:
    """A sample copy with the member's few touches: a sentence of their own at the end of two headings."""
    return {
        **contents,
        D: contents[D] + " Riêng năm nay tôi nhận thêm việc ghi biên bản sinh hoạt chi bộ.",
        H: contents[H] + " Việc tôi đăng ký là giữ vệ sinh đoạn kênh trước nhà.",
    }


@transaction.atomic
def seed_commitments(year: int | None = None) -> dict:
    """Commitments of dangvien1's cell for YEAR (default this year); {"created": n, "flagged": n}."""
    year = year or timezone.localdate().year
    member = get_user_model().objects.get(username="dangvien1").member
    cell = member.cell
    if Commitment.objects.filter(cell=cell, year=year).exists():
        return {"created": 0, "flagged": 0}
    sample = SampleCommitment.objects.filter(source_url=SAMPLE_URL).first() or SampleCommitment.objects.create(
        title=SAMPLE_TITLE, text=sample_text(), source_url=SAMPLE_URL
    )
    secretary = cell.holder(Title.SECRETARY)
    others = Member.objects.filter(cell=cell).exclude(pk=member.pk).exclude(pk=getattr(secretary, "pk", None))
    writers = [member, *others.order_by("name_key", "pk"), *([secretary] if secretary else [])]
    honest = iter(HONEST)
    texts = {
        "sample_edited": _lightly_edited(SAMPLE),
        "sample": SAMPLE,
        "unaccented": {h: unaccented(text) for h, text in SAMPLE.items()},
        "neighbour": NEIGHBOUR_COPY,
    }
    written, teacher = [], None
    for writer, kind in zip(writers, ORDER, strict=False):
        contents = next(honest, None) if kind == "honest" else texts[kind]
        if contents is None:
            break
        commitment = _write(writer, year, contents)
        written.append(commitment)
        if contents is HONEST[1]:
            teacher = commitment
    _self_review(written[0], services.MID)
    _self_review(written[0], services.END)
    if teacher is not None:
        _self_review(teacher, services.MID)
        _self_review(teacher, services.END)
        reviewer = get_user_model().objects.get(username="xa1.bithu")
        services.commitment_review(
            reviewer, teacher, "Đồng chí thực hiện tốt cam kết, gương mẫu trong công tác chủ nhiệm lớp.",
            ReviewRating.GOOD,
        )  # fmt: skip
    return {"created": len(written), "flagged": Commitment.objects.filter(cell=cell, year=year, flagged=True).count(),
            "sample": sample.pk}  # fmt: skip


def _write(member: Member, year: int, contents: dict) -> Commitment:
    actor = member.user  # the persona writes as themself; the other demo members have no login
    contents = {h.value: text for h, text in contents.items()}
    commitment = services.commitment_save(actor, member, year, contents, as_system=actor is None)
    return services.commitment_submit(actor, commitment, as_system=actor is None)


def _self_review(commitment: Commitment, stage: str):
    reviews = {h.value: (text, ItemRating.GOOD) for h, text in SELF_REVIEW.items()}
    actor = commitment.member.user
    services.commitment_self_review(actor, commitment, stage, reviews, as_system=actor is None)
