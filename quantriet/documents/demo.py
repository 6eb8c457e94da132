"""Demo documents: Chỉ thị 28-CT/TU (the directive this project serves) and a few companions.

Chỉ thị 28-CT/TU and Nghị quyết 57-NQ/TW are real documents; their bodies here are the
fixture text and a short summary. The fixture is the directive itself, from its header to the
signature: its text as the provincial press published it (the article's headline, lead paragraph
and byline dropped), under a header and signature block set in the party document format from the
facts the article gives (number, date, issuer, signer). The provincial and commune plans are invented for the demo
(their numbers are made up), so search and the access gate have something to show.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from quantriet.org.models import Organization

from . import services
from .models import Audience, Digest, Document
from .symbols import parse_symbol

ROOT_CODE = "TVL"
FIRST_COMMUNE_CODE = f"{ROOT_CODE}-X001"
FIXTURE = Path(__file__).parent / "fixtures" / "chi-thi-28-CT-TU.txt"


@dataclass(frozen=True)
class Spec:
    symbol: str
    issued_on: datetime.date
    title: str
    issuer_name: str
    signer: str
    body: str
    org_code: str | None = None
    digests: dict = field(default_factory=dict)  # audience -> (title, [key points])


DIRECTIVE_28_DIGESTS = {
    Audience.KEY_CADRES: (
        "Chỉ thị 28-CT/TU: việc người đứng đầu phải làm",
        [
            "Bí thư cấp ủy trực tiếp chủ trì hội nghị và trực tiếp quán triệt, không giao thay.",
            "Khi quán triệt phải nêu tình hình cụ thể của địa phương, đơn vị để đảng viên liên hệ thực tiễn.",
            "Lập ban quản lý lớp học do phó bí thư thường trực chỉ đạo, chịu trách nhiệm về chất lượng.",
            "Tự xây dựng kế hoạch hành động cá nhân, sát chức trách, nhiệm vụ của mình.",
            "Chương trình hành động của cấp ủy phải bàn bạc dân chủ, thực chất, sát hợp, khả thi.",
            "Đưa việc thực hiện Chỉ thị vào chương trình kiểm tra, giám sát hằng năm; chống hình thức, qua loa.",
            "Bố trí kinh phí hằng năm; văn phòng cấp ủy lập dự toán, quản lý, sử dụng hiệu quả.",
        ],
    ),
    Audience.MEMBERS: (
        "Chỉ thị 28-CT/TU: đảng viên cần nhớ",
        [
            "Dự đủ buổi học tập, quán triệt (tập trung hoặc trực tuyến), chấp hành quy chế lớp học.",
            "Tự viết bài thu hoạch, liên hệ với công việc và nơi mình sinh hoạt, cư trú.",
            "Xây dựng kế hoạch hành động cá nhân và cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm.",
            "Kết quả và thái độ học tập được tính khi đánh giá, xếp loại đảng viên cuối năm.",
            "Gắn việc học tập với học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        ],
    ),
    Audience.MASS_ORGS: (
        "Chỉ thị 28-CT/TU: đoàn viên, hội viên cùng thực hiện",
        [
            "Mặt trận và các đoàn thể biên tập tài liệu ngắn gọn, dễ hiểu, dễ nhớ, dễ thực hiện.",
            "Nắm nội dung cốt lõi của chỉ thị, nghị quyết qua sinh hoạt đoàn, hội.",
            "Tuyên truyền lại cho gia đình và bà con nơi cư trú.",
            "Theo dõi chuyên mục, cổng thông tin của tỉnh; không chia sẻ thông tin xuyên tạc.",
        ],
    ),
    Audience.PUBLIC: (
        "Chỉ thị 28-CT/TU nói gì với người dân",
        [
            "Người đứng đầu các tổ chức đảng phải gương mẫu, đi đầu học tập và làm theo nghị quyết.",
            "Nội dung cơ bản của nghị quyết được đăng trên báo, đài, Cổng thông tin điện tử của tỉnh.",
            "Bà con được Mặt trận, các đoàn thể phổ biến bằng tài liệu ngắn gọn, dễ hiểu.",
        ],
    ),
}

RESOLUTION_57_BODY = """Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, \
công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia (tóm tắt những nội dung chính).

Quan điểm: phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu, \
là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại, hoàn thiện quan hệ sản xuất, đổi mới phương \
thức quản trị quốc gia, phát triển kinh tế - xã hội.

Mục tiêu đến năm 2030: quy mô kinh tế số đạt tối thiểu 30% GDP; kinh phí chi cho nghiên cứu phát triển đạt 2% \
GDP; bố trí ít nhất 3% tổng chi ngân sách hằng năm cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số \
quốc gia; Việt Nam thuộc nhóm dẫn đầu Đông Nam Á về nghiên cứu và phát triển trí tuệ nhân tạo.

Nhiệm vụ, giải pháp: nâng cao nhận thức, đổi mới tư duy, quyết tâm chính trị; khẩn trương hoàn thiện thể chế, \
xóa bỏ mọi tư tưởng, quan niệm, rào cản đang cản trở sự phát triển; tăng cường đầu tư, hoàn thiện hạ tầng; phát \
triển nguồn nhân lực chất lượng cao; đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan trong hệ thống chính \
trị; thúc đẩy mạnh mẽ hoạt động khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong doanh nghiệp."""

PROVINCIAL_PLAN_BODY = """I. MỤC ĐÍCH, YÊU CẦU
Cán bộ, đảng viên nắm vững quan điểm, mục tiêu, nhiệm vụ của Nghị quyết số 57-NQ/TW; mỗi cấp ủy xây dựng \
chương trình hành động sát tình hình địa phương; khắc phục tình trạng cấp trên làm kỹ, cấp dưới làm lướt.

II. NỘI DUNG, ĐỐI TƯỢNG, HÌNH THỨC
Hội nghị trực tuyến cấp tỉnh cho cán bộ chủ chốt, kết nối điểm cầu các đảng ủy xã, phường; bí thư cấp ủy trực \
tiếp chủ trì và quán triệt. Các chi bộ tổ chức học tập cho đảng viên trong kỳ sinh hoạt gần nhất.

III. THỜI GIAN HOÀN THÀNH
Cấp tỉnh hoàn thành trong tháng 9/2025; đảng ủy xã, phường và các chi bộ hoàn thành trước ngày 31/10/2025.

IV. TÀI LIỆU, KINH PHÍ
Tài liệu do Ban Tuyên giáo và Dân vận Tỉnh ủy biên soạn, có bản tóm tắt theo đối tượng; kinh phí theo dự toán \
của văn phòng cấp ủy các cấp.

V. THU HOẠCH
Cán bộ chủ chốt và đảng viên viết bài thu hoạch, liên hệ với nhiệm vụ của bản thân và xây dựng kế hoạch hành \
động cá nhân; chi bộ tổng hợp, báo cáo cấp ủy cấp trên."""

COMMUNE_PLAN_BODY = """Thực hiện Chỉ thị số 28-CT/TU của Ban Thường vụ Tỉnh ủy, {issuer} ban hành kế hoạch:
1. Bí thư Đảng ủy trực tiếp chủ trì hội nghị học tập, quán triệt; Phó Bí thư Thường trực chỉ đạo ban quản lý lớp học.
2. Mỗi chi bộ thảo luận, liên hệ tình hình sản xuất, đời sống của khu dân cư; đảng viên viết thu hoạch và kế hoạch \
hành động cá nhân.
3. Ủy ban Kiểm tra Đảng ủy đưa việc thực hiện Chỉ thị vào chương trình kiểm tra, giám sát năm."""

DIRECTIVE_28 = Spec(
    symbol="28-CT/TU",
    issued_on=datetime.date(2022, 10, 19),
    title=(
        "Về nêu cao trách nhiệm, gương mẫu của người đứng đầu tổ chức đảng trong nghiên cứu, học tập, quán triệt, "
        "tuyên truyền và triển khai thực hiện các chỉ thị, nghị quyết của Đảng"
    ),
    issuer_name="Ban Thường vụ Tỉnh ủy Trà Vinh",
    signer="Kim Ngọc Thái (Phó Bí thư Tỉnh ủy)",
    body="",  # read from the fixture
    org_code=ROOT_CODE,
    digests=DIRECTIVE_28_DIGESTS,
)

COMPANIONS = [
    Spec(
        symbol="57-NQ/TW",
        issued_on=datetime.date(2024, 12, 22),
        title="Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        issuer_name="Bộ Chính trị",
        signer="Tô Lâm (Tổng Bí thư)",
        body=RESOLUTION_57_BODY,
        digests={
            Audience.MEMBERS: (
                "Nghị quyết 57-NQ/TW: đảng viên cần nhớ",
                [
                    "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu.",
                    "Đến năm 2030, kinh tế số đạt tối thiểu 30% GDP.",
                    "Mỗi đảng viên chủ động học và dùng dịch vụ công trực tuyến, ứng dụng số trong công việc.",
                ],
            )
        },
    ),
    Spec(
        symbol="15-KH/BTGDVTU",
        issued_on=datetime.date(2025, 8, 20),
        title="Học tập, quán triệt, tuyên truyền và triển khai thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
        issuer_name="Ban Tuyên giáo và Dân vận Tỉnh ủy Vĩnh Long",
        signer="Phó Trưởng ban Thường trực",
        body=PROVINCIAL_PLAN_BODY,
        org_code=ROOT_CODE,
    ),
    Spec(
        symbol="09-KH/ĐU",
        issued_on=datetime.date(2025, 9, 10),
        title="Thực hiện Chỉ thị số 28-CT/TU của Ban Thường vụ Tỉnh ủy trong {unit}",
        issuer_name="",  # the commune committee's name, from the tree
        signer="Bí thư Đảng ủy",
        body=COMMUNE_PLAN_BODY,
        org_code=FIRST_COMMUNE_CODE,
    ),
]


def _issuer_name(spec: Spec, org) -> str:
    if spec.issuer_name:
        return spec.issuer_name
    return org.name.replace("Đảng bộ", "Đảng ủy", 1) if org else "Đảng ủy xã"


def _register(spec: Spec, actor, body: str | None = None) -> Document:
    """The document of SPEC, created unless it exists, with any missing digest added."""
    org = Organization.objects.filter(code=spec.org_code).first() if spec.org_code else None
    names = {"issuer": _issuer_name(spec, org), "unit": org.name if org else ""}
    document = Document(
        title=spec.title.format(**names),
        issuer_name=names["issuer"],
        issuing_org=org,
        issued_on=spec.issued_on,
        signer=spec.signer,
        body=spec.body.format(**names) if body is None else body,
    )
    symbol = parse_symbol(spec.symbol)
    existing = Document.objects.filter(
        number=symbol.number,
        type_code=symbol.type_code,
        issuer_code=symbol.issuer_code,
        issued_on=spec.issued_on,
        issuing_org=org,
    ).first()
    document = existing or services.document_save(actor, document, spec.symbol)
    have = set(document.digests.values_list("audience", flat=True))
    for audience, (title, points) in spec.digests.items():
        if audience not in have:
            digest = Digest(document=document, audience=audience, title=title, key_points="\n".join(points))
            services.digest_save(actor, digest)
    return document


@transaction.atomic
def register_directive_28(actor=None) -> Document:
    """Register Chỉ thị 28-CT/TU with its digests, and the companion documents; idempotent.

    Returns the directive. Its issuing organisation is the demo province (code TVL) when it
    exists, else none. The commune plan is skipped when the demo's first commune is missing.
    """
    directive = _register(DIRECTIVE_28, actor, body=FIXTURE.read_text(encoding="utf-8").strip())
    for spec in COMPANIONS:
        if spec.org_code and not Organization.objects.filter(code=spec.org_code).exists():
            continue
        _register(spec, actor)
    return directive
