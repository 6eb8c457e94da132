"""The demo plan's essays (bài thu hoạch): a sample library, essays submitted through the real
services (so every verdict comes from the originality engine), and about half of them graded.

Who writes: a realistic share (about seven in ten) of the members who must write, commune by
commune from the first demo commune (TVL-X001), until a target that grows with the province
(40 at the test scale, at most 300 at any scale). The demo logins (``dangvien1``, the commune
secretaries) get no essay: the browser journey submits one for ``dangvien1``.

What they write, drawn from one seeded random generator:
- most are honest, composed from pools of sentences with alternative wordings, about the
  writer's own job, place, figures and commitments. They are composed rather than copied from
  one honest essay with names and figures changed, because the engine masks names and numbers:
  such variants would rightly be flagged as copies of each other. Composed essays are still
  variations of one pool, which the engine's second stage pairs as paraphrases when they share
  their sentences: each is drawn again while the engine would pair it with an earlier one, and
  when the pool is spent the member has not written yet (so at larger scales fewer essays than
  the target are submitted: 129 at `make run`'s scale);
- some copy a sample essay from the library with the names and places swapped (and lightly
  reworded), a few are near-identical pairs (one member copies a colleague's essay), one or two
  copy the directive itself, a few are generic (no place, figure or commitment of their own).

Idempotent: nothing is done when the demo plan already has essays.
"""

import datetime
import random
import re
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from quantriet.core.audit import audit_record
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization, Title
from quantriet.org.tree import parent_path
from quantriet.originality.compare import fingerprint, similarity
from quantriet.originality.scan import SECOND_STAGE_FROM, confirm
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan
from quantriet.study.reference import plan_boilerplate, plan_reference

from . import originality, services
from .models import Essay, EssayVersion, Grade, SampleEssay, VerdictLabel

SEED = 2829
CORPUS = Path(__file__).resolve().parent.parent / "originality" / "tests" / "corpus"
#: Essays at the test scale, and never more than this many (``make run`` stays fast); in between, one
#: essay per 150 members who must write.
MIN_ESSAYS, MAX_ESSAYS = 40, 300
#: A composed essay is drawn again, up to this many times, while the engine would pair it with an earlier one.
DRAWS = 8
#: Share of the members who must write that have already submitted (the deadline is ahead).
SUBMITTED_SHARE = 0.7

#: The sample library: (title, corpus file, address), as the propaganda staff found them.
SAMPLES = [
    (
        "Mẫu bài thu hoạch học tập chỉ thị, nghị quyết của Đảng dành cho đảng viên",
        "mau-1-internet.txt",
        "https://vanbanmau.example.vn/bai-thu-hoach-hoc-tap-nghi-quyet-cho-dang-vien",
    ),
    (
        "Bài thu hoạch về trách nhiệm nêu gương của người đứng đầu (bản chia sẻ trên mạng)",
        "mau-2-internet.txt",
        "https://thuhoach.example.vn/mau/trach-nhiem-neu-guong-nguoi-dung-dau",
    ),
]
#: The third sample is not a corpus file: the test suite submits mau-3 as its generic essay,
#: which a library holding it would turn into a sample copy.
THIRD_SAMPLE = (
    "Bài thu hoạch mẫu: học tập, quán triệt chỉ thị, nghị quyết năm 2026",
    "https://tailieu.example.vn/bai-thu-hoach-mau-2026",
    "\n".join(
        [
            "BÀI THU HOẠCH MẪU",
            "Học tập, quán triệt chỉ thị, nghị quyết của Đảng",
            "",
            (
                "Được sự quan tâm của cấp ủy, tôi đã tham dự đầy đủ hội nghị học tập, quán triệt chỉ thị, nghị quyết "
                "mới của Đảng. Qua nghe báo cáo viên truyền đạt, tôi hiểu rõ hơn mục đích, yêu cầu, những quan điểm "
                "chỉ đạo và các nhiệm vụ, giải pháp chủ yếu mà văn bản đề ra, từ đó thêm tin tưởng vào sự lãnh đạo "
                "đúng đắn của Đảng."
            ),
            "",
            (
                "Về nhận thức, tôi thấy rằng mỗi chỉ thị, nghị quyết đều xuất phát từ thực tiễn và nhằm giải quyết "
                "những vấn đề cấp bách của đất nước, của địa phương. Người đảng viên muốn làm tốt nhiệm vụ thì trước "
                "hết phải học tập nghiêm túc, hiểu đúng tinh thần văn bản, không học qua loa cho có, không xem việc "
                "viết thu hoạch là thủ tục hành chính."
            ),
            "",
            (
                "Về trách nhiệm của bản thân, tôi luôn giữ vững lập trường tư tưởng chính trị, chấp hành nghiêm sự "
                "phân công của tổ chức, giữ mối liên hệ mật thiết với nhân dân nơi cư trú. Tuy vậy, có lúc tôi còn "
                "ngại va chạm, chưa mạnh dạn đấu tranh với những biểu hiện tiêu cực, việc tự học, tự nghiên cứu chưa "
                "thật thường xuyên."
            ),
            "",
            (
                "Thời gian tới, tôi xác định tiếp tục nghiên cứu kỹ văn bản, vận dụng linh hoạt vào công việc chuyên "
                "môn; tích cực tham gia sinh hoạt chi bộ, đóng góp ý kiến xây dựng; tuyên truyền để gia đình và bà "
                "con lối xóm hiểu, đồng thuận thực hiện; thường xuyên tự phê bình và phê bình, giữ gìn phẩm chất, đạo"
                " đức, lối sống của người đảng viên, góp phần xây dựng chi bộ trong sạch, vững mạnh."
            ),
        ]
    ),
)
#: Names and places written in the corpus samples, swapped for the copier's own.
SAMPLE_NAMES = {
    "mau-2-internet.txt": {"person": "Nguyễn Văn An", "cell": "Chi bộ ấp Tân Thành", "commune": "Đảng bộ xã Tân Hòa"},
}
#: Light rewording a copier applies (whole words, the first few found).
REWORDING = [
    ("nâng cao", "tăng cường"),
    ("thực hiện", "triển khai"),
    ("bản thân tôi", "cá nhân tôi"),
    ("thường xuyên", "liên tục"),
    ("tham gia", "tham dự"),
    ("nhiệm vụ", "công việc"),
    ("đồng thời", "bên cạnh đó"),
    ("vận động", "động viên"),
]


# ---------------------------------------------------------------- composing honest essays

_CHOICE = re.compile(r"\[([^\[\]]*)\]")


def expand(rng: random.Random, template: str, **values) -> str:
    """TEMPLATE with each [a|b|c] replaced by one alternative, then {name} filled from VALUES."""
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    return text.format(**values)


TITLES = [
    "BÀI THU HOẠCH\nHọc tập, quán triệt Chỉ thị số 28-CT/TU của Ban Thường vụ Tỉnh ủy",
    "BÀI THU HOẠCH CÁ NHÂN\nVề việc học tập Chỉ thị 28-CT/TU",
    "Thu hoạch sau học tập Chỉ thị 28-CT/TU",
    "BÀI THU HOẠCH\nHọc tập, quán triệt Chỉ thị số 28-CT/TU ngày 19/10/2022 của Ban Thường vụ Tỉnh ủy",
]
AUTHOR = [
    "Họ và tên: {name}. {cell}, {commune}.",
    "Người viết: {name}, {job}, {cell}.",
    "Đảng viên: {name}, {cell}, {commune}.",
    "Tôi là {name}, {job}, sinh hoạt tại {cell}.",
]
#: The directive's own words an honest essay may quote (boilerplate for the engine).
QUOTES = [
    "tổ chức học tập, quán triệt chỉ thị, nghị quyết bằng các hình thức phù hợp, linh hoạt",
    "tăng cường kỷ cương, kỷ luật trong học tập chỉ thị, nghị quyết bằng việc áp dụng quy chế lớp học",
    "người đứng đầu và cấp ủy các địa phương, đơn vị phải gương mẫu, tập trung, trực tiếp xây dựng kế hoạch "
    "hành động của cá nhân",
    "khắc phục triệt để tình trạng tổ chức học tập, nghiên cứu, quán triệt nghị quyết còn hình thức, qua loa",
]
OPENINGS = [
    "Ngày {day}, {cell} [tổ chức|mở|triển khai] [buổi học tập|hội nghị học tập|buổi sinh hoạt chuyên đề] Chỉ thị "
    "số 28-CT/TU, do đồng chí bí thư [trực tiếp chủ trì|chủ trì và trực tiếp truyền đạt]. Điều tôi [tâm đắc|ghi nhớ|"
    "thấm thía] nhất là yêu cầu {quote}. [Nghe xong|Sau buổi học|Về nhà đọc lại tài liệu], tôi [nhận ra|thấy rõ|tự "
    "hỏi] [việc học của chi bộ mình lâu nay|cách học của bản thân|nếp học nghị quyết ở {place}] [còn nặng đọc cho "
    "đủ|chưa thật gắn với việc làm|nhiều lúc chỉ để có chữ ký].",
    "[Qua đợt|Sau đợt|Trong đợt] học tập Chỉ thị 28-CT/TU [tháng này|vừa qua|đợt này] tại {cell}, tôi [hiểu|nhận "
    "thức] rõ hơn [trách nhiệm nêu gương của từng đảng viên|vì sao Tỉnh ủy phải ra một chỉ thị riêng về cách học "
    "nghị quyết|rằng học nghị quyết là để làm chứ không để đối phó]. Chỉ thị yêu cầu {quote}; [đọc đến đây|nghe "
    "đồng chí bí thư nhắc ý này|chỗ này] tôi [liên tưởng ngay đến|nghĩ ngay tới|nhớ lại] [những buổi học vội ở "
    "{place}|các đợt học trước của chi bộ|chính mình ở mấy lần học trước].",
    "Buổi học ngày {day} [kéo dài gần|diễn ra trong|chỉ khoảng] {hours} giờ nhưng [để lại cho tôi nhiều suy nghĩ|"
    "làm tôi phải nhìn lại mình|khác hẳn những lần trước]. Đồng chí bí thư không đọc lại văn bản mà [nêu thẳng|"
    "đưa ra|kể] [tình hình của {place}|những con số của chi bộ|chuyện học cho có ở đơn vị], [rồi|sau đó] mới "
    "[giới thiệu|nhắc lại] yêu cầu {quote}.",
    "[Thành thật mà nói|Nói thật lòng|Tôi phải thừa nhận], trước khi học Chỉ thị 28-CT/TU tôi [nghĩ|cho rằng] "
    "[đây lại là một văn bản chung chung|việc này chủ yếu là của cấp ủy|mình chỉ cần dự cho đủ buổi]. Nhưng khi "
    "[đọc kỹ|nghe phân tích] yêu cầu {quote}, tôi [hiểu|thấy] [trách nhiệm nằm ở từng người|mình cũng là người "
    "phải thay đổi|chi bộ {place} đang mắc đúng những điều chỉ thị nêu].",
    "[Tôi được dự|Tôi dự] [hội nghị|buổi học] [trực tuyến tại điểm cầu|tập trung ở hội trường] của {commune} "
    "[hôm|ngày] {day}. [Khác với|Không giống] [những lần trước|nhiều đợt học khác], [lần này|đợt này] [có ban quản "
    "lý lớp học|có điểm danh, ghi chép đầy đủ|ai vắng đều phải học bù], [khiến|làm] tôi [thấy mình phải học thật|"
    "không thể học lướt]. Câu tôi [chép vào sổ|gạch chân] là {quote}.",
    "[Điều|Chỗ] [làm tôi suy nghĩ|đọng lại] [sau|qua] buổi học [ngày|hôm] {day} [không nằm ở câu chữ|không phải "
    "lời văn] mà ở [cách chi bộ {place} đang học|chính thói quen học của tôi]. [Chỉ thị nói|Văn bản yêu cầu] "
    "{quote}, [còn|trong khi] [chúng tôi|chi bộ chúng tôi] [nhiều năm|bấy lâu] [vẫn đọc cho hết giờ|vẫn học cho "
    "xong việc].",
]
SELF_CRITICISM = [
    "Nhìn lại bản thân, [có lần tôi|năm ngoái tôi từng|đã có đợt tôi] [nộp thu hoạch muộn|chép lại phần tóm tắt "
    "tài liệu cho xong|chỉ dự nửa buổi vì bận việc nhà], [chưa dám nói thẳng|chưa nêu được việc cụ thể|chưa gắn "
    "với công việc] của mình.",
    "Bản thân tôi [còn ngại phát biểu|ít khi góp ý|thường im lặng] trong sinh hoạt chi bộ, [nhất là|kể cả] khi "
    "thấy [việc học còn hình thức|cách làm chưa hợp lý|ý kiến của dân chưa được trả lời].",
    "Tôi tự nhận [mình còn|bản thân còn] [chậm đổi mới cách làm|dựa nhiều vào kinh nghiệm|ngại dùng điện thoại để "
    "học trực tuyến], [nên|vì thế] [có buổi học|nhiều điều trong nghị quyết] [tiếp thu chưa trọn|chưa đưa được vào "
    "việc làm hằng ngày].",
    "[Có lúc|Đôi khi|Nhiều lần] tôi [đi họp cho có mặt|nghe rồi để đó|ghi chép sơ sài], về nhà [không đọc lại|"
    "quên ngay|không kể lại cho gia đình], đó là [cái tật|khuyết điểm|điều] tôi phải sửa trước tiên.",
    "[Tôi nhận|Tôi thấy] [khuyết điểm|hạn chế] [lớn nhất|rõ nhất] của mình là [hứa nhiều làm ít|đăng ký rồi để "
    "đó|làm theo cảm hứng], [kế hoạch|cam kết] năm ngoái [mới làm được một nửa|bỏ dở giữa chừng|không ai kiểm "
    "tra lại].",
    "[Việc học tập|Sinh hoạt] của [bản thân tôi|tôi] [còn phụ thuộc|còn dựa] vào [lời nhắc của chi ủy|thông báo "
    "của cấp trên], [chưa tự giác|thiếu chủ động] [tìm đọc|nghiên cứu] [tài liệu|văn bản] [trước buổi học|ở "
    "nhà].",
]
PROPOSALS = [
    "Tôi [đề xuất|kiến nghị|đề nghị] chi bộ [mở thêm điểm cầu trực tuyến|bố trí điểm học] tại [nhà văn hóa|"
    "trụ sở] {place} để [đảng viên đi làm xa|các đồng chí lớn tuổi] [vẫn học được|đỡ phải đi lại].",
    "[Theo tôi|Tôi nghĩ], [chi bộ|chi ủy] nên [giao|phân công] mỗi đảng viên [một việc cụ thể|một phần việc] "
    "[gắn với|sát với] [công việc|chức trách] của mình, [cuối quý|mỗi kỳ sinh hoạt] [kiểm điểm|báo cáo] [công "
    "khai|trước chi bộ].",
    "[Tôi mong|Mong] [tài liệu học tập|tài liệu tóm tắt] [được in|được làm] [ngắn gọn hơn|bằng sơ đồ|có hình "
    "ảnh], [kèm|có] [bản dịch tiếng Khmer|ví dụ của địa phương] để [bà con|đảng viên] [dễ nhớ|dễ hiểu].",
    "[Chi bộ|Chi ủy] [nên|cần] [mời|đưa] [người dân|đại diện các hộ] [cùng dự|cùng nghe] [phần liên hệ thực "
    "tiễn|buổi đối thoại] để [biết|nghe] [dân đang cần gì|bà con góp ý] [cho sát|cho thật].",
]
CLOSINGS = [
    "[Đây là|Đó là] [những việc|các việc] [vừa sức|trong tầm tay] tôi, [tôi|bản thân tôi] [quyết tâm|xin hứa] "
    "[làm đến nơi đến chốn|làm cho được] [và mời|và đề nghị] [các đồng chí|chi bộ] [giám sát|nhắc nhở].",
    "Tôi [sẽ|xin] báo cáo kết quả [từng việc|thực hiện] với chi bộ vào [kỳ sinh hoạt cuối quý|buổi sinh hoạt "
    "tháng {month}|cuối năm] để [được góp ý|chi ủy theo dõi, đánh giá|đồng chí bí thư kiểm tra].",
    "[Mong|Đề nghị] chi ủy [giao|phân công] người [theo dõi|nhắc nhở] để tôi [giữ đúng cam kết|không bỏ dở giữa "
    "chừng], và [lấy|xem] kết quả này khi [đánh giá, xếp loại đảng viên|bình xét] cuối năm.",
    "[Những việc trên|Các việc đã đăng ký] tôi [ghi vào sổ tay đảng viên|dán ở bàn làm việc|gửi cho chi ủy] và sẽ "
    "[tự kiểm điểm|rút kinh nghiệm] [mỗi tháng|sau mỗi quý] một lần.",
]

#: Jobs: (how the author line calls it, ranges of its figures n1…n5, the local situation, the commitments).
ROLES = [
    (
        "chi hội trưởng phụ nữ ấp",
        dict(n1=(40, 120), n2=(5, 25), n3=(2, 8), n4=(10, 30), n5=(2, 6)),
        [
            "Chi hội phụ nữ {place} có {n1} hội viên, [trong đó|nhưng] {n2} chị [đi làm công nhân ở Bình Dương|"
            "làm thuê theo mùa vụ|ít khi sinh hoạt]; [các buổi sinh hoạt|những lần họp hội] [thường|hay] [vắng|chỉ "
            "có] hơn một nửa.",
            "Mô hình [tiết kiệm nuôi heo đất|tổ hùn vốn xoay vòng|góp gạo tình thương] của chi hội [năm rồi|năm qua] "
            "[mới giúp|chỉ giúp được] {n3} hộ, [vì|do] [ít người biết|chưa ai đứng ra vận động|tôi chưa theo sát].",
        ],
        [
            "[vận động thêm|phát triển thêm] {n4} hội viên [tham gia mô hình tiết kiệm|vào tổ hùn vốn] để [giúp|hỗ "
            "trợ] {n5} hộ [khó khăn|nghèo] [có vốn làm ăn|sửa nhà] trước Tết",
            "[mỗi tháng|hằng tháng] [đến thăm|ghé nhà] {n5} [chị em|hội viên] [đi làm xa|có hoàn cảnh khó khăn] để "
            "[kể lại|giới thiệu] nội dung [nghị quyết|chỉ thị] bằng lời dễ hiểu",
            "[lập nhóm Zalo|mở nhóm nhắn tin] cho chi hội để [báo lịch sinh hoạt|gửi tóm tắt tài liệu] cho {n1} "
            "[hội viên|chị em]",
        ],
    ),
    (
        "giáo viên",
        dict(n1=(200, 900), n2=(3, 20), n3=(8, 20), n4=(2, 6), n5=(2, 6)),
        [
            "[Trường chúng tôi|Ở trường] có {n1} [học sinh|em], [năm học vừa rồi|năm qua] {n2} em [bỏ học giữa "
            "chừng|nghỉ học dài ngày], [phần lớn|chủ yếu] là con em [gia đình đi làm thuê|đồng bào Khmer|hộ nghèo] ở "
            "{place}.",
            "[Trước đây|Lâu nay] [việc học nghị quyết|buổi học chính trị] [thường dồn vào dịp hè|hay bị lồng vào "
            "họp hội đồng], [thầy cô|giáo viên] nghe xong [ít ai|hiếm người] [liên hệ với việc dạy học|nhắc lại với "
            "học sinh].",
        ],
        [
            "[phụ đạo miễn phí|kèm thêm] [vào chiều thứ Bảy|mỗi tuần hai buổi] cho {n3} học sinh [có nguy cơ bỏ học|"
            "học yếu]",
            "[cùng giáo viên chủ nhiệm|với Ban đại diện cha mẹ học sinh] [đến nhà|thăm] từng em [nghỉ học|vắng nhiều] "
            "[ít nhất|tối thiểu] mỗi học kỳ một lần",
            "[soạn|làm] [bản tóm tắt|sơ đồ] [nghị quyết|chỉ thị] [một trang|ngắn gọn] để [giới thiệu|trao đổi] "
            "trong [buổi sinh hoạt tổ chuyên môn|họp tổ] đầu tháng",
        ],
    ),
    (
        "cán bộ công an xã",
        dict(n1=(3, 12), n2=(1, 3), n3=(2, 6), n4=(2, 6), n5=(2, 6)),
        [
            "Năm qua trên địa bàn {place} [xảy ra|có] {n1} vụ [trộm cắp tài sản|trộm bò, máy bơm|lừa đảo qua mạng], "
            "[có|trong đó] {n2} vụ [được phát hiện|được làm rõ] nhờ [người dân báo tin|nhóm an ninh trật tự].",
            "[Anh em trong đơn vị|Lực lượng chúng tôi] [trực ca đêm|đi tuần nhiều], [có buổi học|nhiều lần] [vào "
            "hội trường ngủ gật|ký tên cho đủ danh sách], [đúng là|chính là] [cái làm lướt|tình trạng hình thức] "
            "chỉ thị phê phán.",
        ],
        [
            "[tổ chức|mở] {n3} buổi [nói chuyện|tuyên truyền] [tại các tổ nhân dân tự quản|ở nhà văn hóa ấp] về "
            "[phòng chống lừa đảo qua mạng|phòng chống trộm cắp] trong [sáu tháng|năm nay]",
            "[đề xuất|kiến nghị] chi ủy [xếp lịch học|bố trí buổi học] [vào buổi chiều|tránh ngày sau ca trực] để "
            "[anh em|cán bộ] [học cho thật|tỉnh táo tiếp thu]",
            "[phụ trách|nhận] tổ tuần tra [của ấp|khu vực chợ] và báo cáo [số người tham dự|kết quả] [từng buổi|mỗi "
            "tháng]",
        ],
    ),
    (
        "điều dưỡng trạm y tế",
        dict(n1=(10, 40), n2=(80, 250), n3=(40, 65), n4=(70, 90), n5=(2, 6)),
        [
            "[Cuối năm|Đến tháng trước] {place} còn {n1} trẻ chưa tiêm đủ [mũi sởi|các mũi tiêm chủng], [tập trung|"
            "phần nhiều] ở [các hộ đi làm ăn xa|vùng ven sông].",
            "Trạm đang quản lý {n2} người [tăng huyết áp|đái tháo đường] nhưng [chỉ khoảng|chưa tới] {n3}% tái khám "
            "đúng hẹn; [ngày nào cũng có người trực|trạm ít người] nên [buổi học|sinh hoạt chi bộ] hay bị dời.",
        ],
        [
            "[mỗi tuần|hằng tuần] dành [một buổi chiều|một buổi] [đi cùng cộng tác viên y tế|xuống ấp] đến từng hộ "
            "có trẻ [chưa tiêm đủ|bỏ mũi]",
            "[lập danh sách|làm sổ theo dõi] người bệnh [có số điện thoại|theo từng ấp] để [nhắn tin nhắc lịch tái "
            "khám|gọi nhắc uống thuốc]",
            "nâng tỷ lệ tái khám đúng hẹn lên [trên|ít nhất] {n4}% [trong năm nay|đến cuối quý]",
        ],
    ),
    (
        "xã viên hợp tác xã",
        dict(n1=(60, 200), n2=(80, 300), n3=(5, 40), n4=(40, 150), n5=(5, 30)),
        [
            "Hợp tác xã [của chúng tôi|ở {place}] có {n1} thành viên, [canh tác|sản xuất] {n2} héc-ta [lúa|lúa và "
            "dừa|rau màu]; [vụ vừa rồi|mùa khô năm nay] [nước mặn vào sớm|hạn kéo dài], {n3} héc-ta bị thiệt hại.",
            "[Thông tin|Lịch đóng mở cống và độ mặn] [đến với bà con chậm|ít người nắm], trong khi [tôi|bản thân "
            "tôi] [chưa chủ động|ít khi] đưa [chủ trương mới|nghị quyết] về [chuyển đổi cây trồng|sản xuất] đến "
            "với [xã viên|bà con].",
        ],
        [
            "[dành mười lăm phút|dành thời gian] trong [họp tổ sản xuất|buổi họp hợp tác xã] [mỗi tháng|hằng tháng] "
            "để [giới thiệu|nói về] chủ trương mới [về nông nghiệp|của Đảng]",
            "[lập nhóm Zalo|mở nhóm nhắn tin] để [báo độ mặn|báo lịch đóng mở cống] [hằng ngày|mỗi sáng] cho {n4} hộ",
            "[làm thử|xây dựng] mô hình [lúa - tôm|trồng màu tiết kiệm nước] trên {n5} héc-ta [ven sông|của gia đình]",
        ],
    ),
    (
        "cựu chiến binh, tổ trưởng tổ tự quản",
        dict(n1=(30, 80), n2=(2, 9), n3=(8, 20), n4=(10, 40), n5=(2, 5)),
        [
            "Tổ tự quản [của tôi|tôi phụ trách] ở {place} có {n1} hộ, [trong đó|có] {n2} hộ [cận nghèo|chưa có nhà "
            "vệ sinh đạt chuẩn|còn nợ quỹ]; [đường|con hẻm] vào [tổ|xóm] [ngập mỗi mùa nước nổi|chưa có đèn].",
            "[Các buổi họp tổ|Họp dân] [thường chỉ có|hay chỉ có] {n3} [người|hộ] dự, [phần nhiều|chủ yếu] là [người "
            "lớn tuổi|cựu chiến binh], [thanh niên|người trẻ] [ít khi đến|hầu như vắng].",
        ],
        [
            "[vận động|kêu gọi] bà con [góp công|góp tiền] [lắp {n4} bóng đèn|làm đoạn đường bê tông] [trước mùa "
            "mưa|trong năm nay]",
            "[mỗi quý|hằng quý] [họp tổ|họp dân] một lần và [kể lại|phổ biến] [điểm mới của nghị quyết|nội dung chỉ "
            "thị] bằng lời [dễ hiểu|ngắn gọn]",
            "[kèm cặp|giúp] {n5} hộ [cận nghèo|khó khăn] [làm hồ sơ vay vốn|tìm việc làm] để thoát nghèo",
        ],
    ),
    (
        "bí thư chi đoàn",
        dict(n1=(20, 60), n2=(5, 20), n3=(1, 3), n4=(2, 5), n5=(2, 5)),
        [
            "Chi đoàn {place} có {n1} đoàn viên nhưng {n2} [bạn|em] [đi làm ở thành phố|học xa], [sinh hoạt|họp] "
            "[chỉ được|lèo tèo] [vài người|hơn chục người]; [đoàn viên|thanh niên] [ít quan tâm|ngại đọc] [văn bản "
            "của Đảng|nghị quyết].",
            "[Năm qua|Năm rồi] chi đoàn [mới giới thiệu|chỉ giới thiệu được] {n3} đoàn viên ưu tú [cho chi bộ|để "
            "kết nạp], [thấp hơn chỉ tiêu|chưa đạt kế hoạch].",
        ],
        [
            "[làm|dựng] [video ngắn|bản tin] [tóm tắt nghị quyết|về chỉ thị] [đăng trên trang của xã đoàn|gửi nhóm "
            "Zalo] [mỗi tháng|hằng tháng]",
            "[giúp|hỗ trợ] [người lớn tuổi|đảng viên cao tuổi] [cài ứng dụng|học trực tuyến] [tại nhà văn hóa|ở "
            "từng nhà] [trước kỳ học sau|trong quý này]",
            "[giới thiệu|bồi dưỡng] [ít nhất|thêm] {n4} đoàn viên ưu tú [cho chi bộ|để kết nạp Đảng] [trong năm|"
            "năm nay]",
        ],
    ),
    (
        "công chức văn phòng xã",
        dict(n1=(150, 600), n2=(5, 30), n3=(2, 5), n4=(2, 5), n5=(2, 5)),
        [
            "[Bộ phận một cửa|Văn phòng] [của xã|ở {place}] [mỗi tháng|hằng tháng] nhận [khoảng|gần] {n1} hồ sơ, "
            "[có|nhưng] {n2} hồ sơ [trễ hẹn|phải bổ sung nhiều lần], [người dân|bà con] [phải đi lại|than phiền].",
            "[Tôi|Bản thân tôi] [được giao|lo] [chuẩn bị hội trường|in tài liệu] cho [buổi học|hội nghị] nhưng "
            "[chính mình|lại] [ít khi|không] [ngồi dự trọn buổi|đọc hết tài liệu].",
        ],
        [
            "[giảm|đưa] [số hồ sơ trễ hẹn|hồ sơ trễ hạn] [xuống dưới|còn không quá] {n3} hồ sơ mỗi tháng [trong năm "
            "nay|đến cuối năm]",
            "[hướng dẫn|giúp] [người dân|bà con] [nộp hồ sơ trực tuyến|dùng dịch vụ công trực tuyến] [ngay tại bộ "
            "phận một cửa|qua điện thoại]",
            "[dự|tham gia] [đủ|trọn] [các buổi học|mọi buổi học] và [viết thu hoạch|nộp thu hoạch] [đúng hạn|trong "
            "tuần]",
        ],
    ),
    (
        "trưởng ấp",
        dict(n1=(250, 700), n2=(20, 90), n3=(5, 25), n4=(3, 10), n5=(2, 5)),
        [
            "[Ấp|Khóm] [chúng tôi|tôi phụ trách] ở {place} có {n1} hộ, {n2} hộ [đi làm ăn xa|vắng nhà quanh năm]; "
            "[năm rồi|năm qua] [còn|vẫn còn] {n3} hộ nghèo.",
            "[Khi triển khai|Lúc tuyên truyền] [chủ trương|nghị quyết] [xuống dân|ở ấp], [tôi|chúng tôi] [thường "
            "đọc lại văn bản|chỉ thông báo qua loa phát thanh], [nên|vì vậy] bà con [nghe mà không hiểu|ít quan "
            "tâm].",
        ],
        [
            "[đến từng nhà|họp từng tổ] [giải thích|nói] [điểm mới|việc cần làm] của [chỉ thị|nghị quyết] [bằng lời "
            "dễ hiểu|ngắn gọn]",
            "[giúp|vận động] {n4} hộ nghèo [có việc làm|vay vốn làm ăn] [trong năm nay|trước cuối năm]",
            "[tổ chức|mở] [buổi đối thoại|buổi họp dân] [mỗi quý|hằng quý] để [nghe|ghi nhận] ý kiến bà con",
        ],
    ),
    (
        "đảng viên hưu trí",
        dict(n1=(8, 25), n2=(3, 15), n3=(2, 5), n4=(2, 5), n5=(2, 5)),
        [
            "[Chi bộ|Ở {place}] [có|hiện có] {n1} đảng viên [hưu trí|cao tuổi], [nhiều đồng chí|có đồng chí] [sức "
            "khỏe yếu|đi lại khó khăn], [nên|vì thế] [buổi học|sinh hoạt] [thường vắng|ít khi đủ].",
            "[Tôi|Bản thân tôi] [đã nghỉ hưu|nghỉ công tác] {n2} năm, [ở nhà|thời gian rảnh] nhiều nhưng [ít khi|"
            "chưa] [đọc báo Đảng|tìm hiểu nghị quyết] [một cách nghiêm túc|cho kỹ].",
        ],
        [
            "[kể lại|tóm tắt] nội dung [buổi học|chỉ thị] cho {n3} [đồng chí|đảng viên] [vắng mặt vì ốm|không đi "
            "được] [ngay trong tuần|tại nhà]",
            "[tham gia|nhận] [tổ hòa giải|tổ tuyên truyền] [của ấp|ở khu dân cư] và [giúp|hòa giải] [các vụ mâu "
            "thuẫn|chuyện xích mích] [trong xóm|giữa các hộ]",
            "[đọc báo|nghe thời sự] [mỗi ngày|hằng ngày] và [ghi|chép] [sổ tay|vở] [những điểm mới|điều cần nhớ]",
        ],
    ),
]
#: Generic essays: no place, no figure, no commitment of their own (the pool varies the wording).
GENERIC = [
    "[Được sự quan tâm của cấp ủy|Thực hiện kế hoạch của cấp trên|Theo sự phân công], [vừa qua|thời gian qua] "
    "[tôi|bản thân] [đã tham dự|được tham gia] [buổi học tập|hội nghị học tập], [quán triệt|nghiên cứu] [chỉ thị, "
    "nghị quyết|văn bản] [của Đảng|mới của Đảng]. [Qua đó|Qua học tập], [nhận thức|hiểu biết] về [vị trí, vai "
    "trò|tầm quan trọng] của [công tác học tập|việc học tập] [chỉ thị, nghị quyết|nghị quyết] [được nâng lên|rõ "
    "ràng hơn], [thêm|càng thêm] [tin tưởng|vững tin] [vào sự lãnh đạo của Đảng|vào đường lối đổi mới].",
    "[Người đảng viên|Mỗi cán bộ, đảng viên] [phải|cần] [luôn gương mẫu|gương mẫu đi đầu] [trong lời nói và việc "
    "làm|trong mọi việc], [nói đi đôi với làm|lời nói đi đôi với việc làm], [giữ gìn|rèn luyện] [phẩm chất|đạo "
    "đức], [lối sống|tác phong], [gắn bó|giữ mối liên hệ] [với nhân dân|với quần chúng]. [Việc học tập|Học tập "
    "nghị quyết] [không phải là|không thể là] [việc làm hình thức|chuyện làm cho có] mà là [nhiệm vụ chính trị|"
    "trách nhiệm] [thường xuyên|lâu dài].",
    "[Thời gian tới|Trong thời gian tới|Từ nay], [tôi|bản thân] [tiếp tục|sẽ tiếp tục] [nghiên cứu|học tập] [để "
    "nâng cao|nhằm nâng cao] [trình độ|nhận thức] [lý luận chính trị|chính trị], [chuyên môn, nghiệp vụ|nghiệp "
    "vụ]; [tích cực|chủ động] [tuyên truyền|vận động] [gia đình|người thân] và [nhân dân|bà con] [nơi cư trú|"
    "xung quanh] [thực hiện tốt|chấp hành tốt] [chủ trương của Đảng|đường lối của Đảng], [chính sách, pháp luật "
    "của Nhà nước|pháp luật], [góp phần|cùng] xây dựng [tổ chức đảng|chi bộ] [trong sạch, vững mạnh|vững mạnh].",
    "[Bên cạnh|Ngoài] [những ưu điểm|mặt làm được], [bản thân|tôi] [vẫn còn|còn có] [một số hạn chế|những mặt "
    "chưa tốt] [như|là] [việc tự học|nghiên cứu tài liệu] [chưa thường xuyên|còn ít], [vận dụng|áp dụng] [vào "
    "thực tế|vào công việc] [có lúc|đôi khi] [chưa kịp thời|chưa hiệu quả], [tinh thần|ý thức] [đấu tranh|phê "
    "bình] [chưa cao|còn hạn chế].",
    "[Có thể khẳng định|Tôi nhận thấy] [chỉ thị, nghị quyết|các văn bản] của Đảng [luôn|đều] [xuất phát từ thực "
    "tiễn|phù hợp với thực tiễn], [đáp ứng|phản ánh] [nguyện vọng|lợi ích] của [nhân dân|quần chúng]; [vì vậy|do "
    "đó] [mỗi người|từng đảng viên] [phải|cần] [nghiêm túc|tự giác] [học tập|nghiên cứu], [hiểu đúng|nắm chắc] "
    "và [làm theo|thực hiện] [cho tốt|một cách hiệu quả].",
    "[Chỉ thị đã chỉ rõ|Văn bản nêu rõ] [những tồn tại, hạn chế|các mặt còn yếu] trong [công tác học tập, quán "
    "triệt|việc học tập nghị quyết] [thời gian qua|những năm gần đây], [đồng thời|cùng với đó] [đề ra|xác định] "
    "[các nhóm giải pháp|nhiều giải pháp] [cụ thể|thiết thực]. Đây là [cơ sở|căn cứ] [quan trọng|cần thiết] để "
    "[các cấp ủy|tổ chức đảng các cấp] [lãnh đạo, chỉ đạo|tổ chức thực hiện] [trong thời gian tới|từ nay về sau].",
    "[Về nhận thức|Về tư tưởng], [tôi luôn|bản thân luôn] [xác định|ý thức được] [học tập lý luận|việc học tập] "
    "là [nhiệm vụ|trách nhiệm] [của người đảng viên|của mỗi cán bộ, đảng viên], [là điều kiện|là yêu cầu] để "
    "[hoàn thành tốt|thực hiện tốt] [nhiệm vụ được giao|công việc được phân công] và [giữ vững|củng cố] [lập "
    "trường|bản lĩnh] [chính trị|tư tưởng].",
    "[Để thực hiện có hiệu quả|Nhằm đưa chỉ thị vào cuộc sống], [cần|phải] [tăng cường|đẩy mạnh] [công tác "
    "tuyên truyền|tuyên truyền, phổ biến], [đa dạng hóa|đổi mới] [hình thức|cách thức] [học tập|tổ chức học "
    "tập], [gắn|kết hợp] [lý luận với thực tiễn|học với làm] và [thường xuyên|định kỳ] [kiểm tra, đôn đốc|sơ "
    "kết, đánh giá] [việc thực hiện|kết quả thực hiện].",
    "[Mỗi người|Từng cán bộ, đảng viên] [cần|phải] [đề cao|nêu cao] [tinh thần tự học|ý thức tự học], [tự rèn "
    "luyện|tự tu dưỡng], [không ngừng|luôn luôn] [học hỏi|trau dồi] [kiến thức|hiểu biết], [khiêm tốn|cầu thị] "
    "[lắng nghe|tiếp thu] [ý kiến góp ý|sự góp ý] của [đồng chí, đồng nghiệp|tập thể] để [tiến bộ|hoàn thiện "
    "bản thân].",
    "[Tóm lại|Nhìn chung], [việc học tập|đợt học tập] [chỉ thị|nghị quyết] [lần này|vừa qua] [có ý nghĩa|mang ý "
    "nghĩa] [rất quan trọng|hết sức quan trọng], [giúp|tạo điều kiện cho] [cán bộ, đảng viên|mỗi người] [nâng "
    "cao|củng cố] [nhận thức|trách nhiệm], [góp phần|đóng góp vào] [thực hiện thắng lợi|hoàn thành] [nhiệm vụ "
    "chính trị|các mục tiêu] [của địa phương|của đơn vị].",
]


def _place(org: Organization) -> str:
    """ "Chi bộ ấp Phú Hòa" → "ấp Phú Hòa"; "Đảng bộ xã Long Đức" → "xã Long Đức"."""
    for prefix in ("Chi bộ ", "Đảng bộ "):
        if org.name.startswith(prefix):
            return org.name[len(prefix) :]
    return org.name


class EssayDemo:
    def __init__(self, plan: StudyPlan, actor=None):
        self.rng = random.Random(SEED)
        self.plan = plan
        self.actor = actor
        self.today = timezone.localdate()
        self.communes = {}
        self.reference = plan_reference(plan)
        self.boilerplate = plan_boilerplate(plan)
        self.honest_drawn, self.generic_drawn = [], []

    def commune_of(self, cell) -> Organization:
        key = parent_path(cell.path)
        if key not in self.communes:
            self.communes[key] = Organization.objects.get(path=key)
        return self.communes[key]

    # ------------------------------------------------------------ texts

    def details(self, member, role, figures):
        r = self.rng
        commune = self.commune_of(member.cell)
        day = self.today - datetime.timedelta(days=r.randint(5, 25))
        return {
            "name": member.full_name,
            "cell": member.cell.name,
            "commune": commune.name,
            "place": r.choice([_place(member.cell), _place(commune)]),
            "job": role,
            "day": f"{day:%d/%m/%Y}",
            "month": r.randint(1, 12),
            "year": self.today.year,
            "hours": r.choice(["hai", "ba", "gần ba"]),
            "quote": r.choice(QUOTES),
            **{name: r.randint(low, high) for name, (low, high) in figures.items()},
        }

    def honest(self, member) -> str | None:
        """A composed honest essay the engine would pair with no earlier one, or None (see `_distinct`).

        The essays are composed from one pool of sentences with their wording varied: two drawn
        with the same sentences are paraphrases of each other, as the engine rightly says.
        """
        return self._distinct(lambda: self._honest(member), self.honest_drawn)

    def generic(self, member) -> str | None:
        return self._distinct(self._generic, self.generic_drawn)

    def _distinct(self, make, drawn: list[tuple[str, set[int]]]) -> str | None:
        """A text from MAKE the engine would not pair with the DRAWN ones, drawn up to DRAWS times;
        None when the pool is spent (that member has not submitted yet: a demo's honest essays stay honest)."""
        for _ in range(DRAWS):
            text = make()
            shingles = fingerprint(text).shingles(self.reference)
            if not self._paired(text, shingles, drawn):
                drawn.append((text, shingles))
                return text
        return None

    def _paired(self, text: str, shingles: set[int], drawn: list[tuple[str, set[int]]]) -> bool:
        """Would the engine pair TEXT with one of the DRAWN texts (the same two stages as on submit)?"""
        shares = {(-1, i): similarity(shingles, other).containment for i, (_, other) in enumerate(drawn)}
        related = {pair: share for pair, share in shares.items() if share >= SECOND_STAGE_FROM}
        if not related:
            return False
        texts = {-1: text, **{i: drawn[i][0] for _, i in related}}
        sure = {pair: share for pair, share in related.items() if share >= originality.THRESHOLD}
        return bool(confirm(texts, related, boilerplate=self.boilerplate, sure=sure))

    def _honest(self, member) -> str:
        r = self.rng
        role, figures, situation, commitments = r.choice(ROLES)
        values = self.details(member, role, figures)
        x = lambda template: expand(r, template, **values)  # noqa: E731
        chosen = r.sample(commitments, k=r.choice([2, 3]))
        ordinals = ["Thứ nhất", "Thứ hai", "Thứ ba"]
        pledge = " ".join(f"{ordinals[i]}, {x(c)}." for i, c in enumerate(chosen))
        lead = x("[Sau khi học tập Chỉ thị|Từ bài học về nêu gương|Vì vậy], tôi [cam kết|đăng ký với chi bộ|tự đặt "
                 "cho mình kế hoạch] [năm nay|trong năm {year}|từ tháng này]:")  # fmt: skip
        paragraphs = [
            x(r.choice(TITLES)),
            x(r.choice(AUTHOR)),
            x(r.choice(OPENINGS)),
            " ".join(x(s) for s in situation) + " " + x(r.choice(SELF_CRITICISM)),
            f"{lead} {pledge} {x(r.choice(CLOSINGS))}",
        ]
        if r.random() < 0.6:
            paragraphs.insert(4, x(r.choice(PROPOSALS)))
        return "\n\n".join(paragraphs)

    def _generic(self) -> str:
        r = self.rng
        head = r.choice(["BÀI THU HOẠCH\nHọc tập, quán triệt chỉ thị, nghị quyết của Đảng", "Bài thu hoạch cá nhân"])
        return "\n\n".join([head, *(expand(r, p) for p in r.sample(GENERIC, k=2))])

    def sample_copy(self, member, sample: SampleEssay, source: str) -> str:
        """The sample with the copier's own name and places written in, lightly reworded."""
        text = sample.text.replace("BÀI THU HOẠCH MẪU", "BÀI THU HOẠCH", 1)
        commune = self.commune_of(member.cell)
        swaps = SAMPLE_NAMES.get(source, {})
        for key, value in (("person", member.full_name), ("cell", member.cell.name), ("commune", commune.name)):
            if key in swaps:
                text = text.replace(swaps[key], value)
        if "person" not in swaps:  # a sample without a name: the copier adds their author line
            title, _, rest = text.partition("\n\n")
            text = f"{title}\n\nHọ và tên: {member.full_name}, {member.cell.name}.\n\n{rest}"
        for old, new in self.rng.sample(REWORDING, k=3):
            text = text.replace(old, new, 1)
        return text

    def resolution_copy(self, member) -> str:
        text = (CORPUS / "chep-nghi-quyet.txt").read_text(encoding="utf-8")
        return text.replace("Ngô Văn Lực", member.full_name).replace("Chi bộ ấp Sóc Ruộng", member.cell.name)

    def near_copy(self, member, original: Essay) -> str:
        """A colleague's essay, with the copier's name on top and a few words changed."""
        text = original.text.replace(original.member.full_name, member.full_name)
        text = text.replace(original.member.cell.name, member.cell.name)
        for old, new in REWORDING[:4]:
            text = text.replace(old, new, 1)
        return text

    # ------------------------------------------------------------ who writes

    def writers(self, target: int, skip: set[int]):
        """About SUBMITTED_SHARE of each commune's writers, communes in code order from TVL-X001."""
        writers = services.essay_writers(self.plan).exclude(pk__in=skip).select_related("cell")
        communes = Organization.objects.filter(code__startswith=f"{ROOT_CODE}-X", depth=2).order_by("code")
        chosen = []
        for commune in communes:
            members = list(writers.filter(cell__path__startswith=commune.path).order_by("cell__path", "id"))
            chosen += [m for m in members if self.rng.random() < SUBMITTED_SHARE]
            if len(chosen) >= target:
                break
        return chosen[:target]


def _grader(commune, users):
    """Who grades a commune's essays: its secretary when they have a login, else the provincial propaganda staff."""
    secretary = commune.holder(Title.SECRETARY)
    if secretary is not None and secretary.user_id:
        return secretary.user
    return users["tinh.tuyengiao"]


COMMENTS = {
    "Tốt": [
        "Bài viết nắm chắc nội dung Chỉ thị, liên hệ sát thực tế đơn vị, kế hoạch hành động cụ thể, có thời hạn.",
        "Liên hệ bản thân thẳng thắn, có số liệu của địa phương; cam kết rõ ràng, đo được. Đề nghị nhân rộng.",
    ],
    "Khá": [
        "Nội dung đạt yêu cầu, có liên hệ địa phương; phần kế hoạch hành động cần ghi rõ thời hạn hoàn thành.",
        "Bài viết có ý thức tự liên hệ; cần nêu thêm hạn chế của bản thân và cách khắc phục cụ thể hơn.",
    ],
    "Đạt": [
        "Bài viết còn chung chung, liên hệ thực tiễn chưa sâu; đề nghị bổ sung việc làm cụ thể của bản thân.",
        "Nắm được ý chính nhưng chưa gắn với chức trách được giao; cam kết còn chung, khó kiểm tra.",
    ],
    "Chưa đạt": [
        "Bài có nhiều đoạn trùng với bài mẫu trên mạng, không có liên hệ của bản thân. Đề nghị viết lại.",
        "Bài chép lại nội dung văn bản, không liên hệ thực tế địa phương, bản thân. Chi bộ nhắc nhở, viết lại.",
    ],
}
#: Share of the maximum each criterion gets, by verdict: honest essays score well, copies poorly.
LEVELS = {
    VerdictLabel.ORIGINAL: (0.7, 1.0),
    VerdictLabel.GENERIC: (0.4, 0.7),
    VerdictLabel.COPIES_ESSAY: (0.2, 0.5),
    VerdictLabel.COPIES_SAMPLE: (0.1, 0.4),
    VerdictLabel.COPIES_RESOLUTION: (0.1, 0.3),
}


def _points(rng, criteria, label) -> dict:
    low, high = LEVELS[label]
    points = {}
    for criterion in criteria:
        share = rng.uniform(low, high)
        points[criterion.pk] = (criterion.max_points * Decimal(str(round(share, 2)))).quantize(Decimal("0.5"))
    return points


@transaction.atomic
def seed_essays(actor=None) -> dict:
    """The sample library, the demo plan's essays and about half of them graded (once)."""
    plan = StudyPlan.objects.filter(symbol=PLAN_SYMBOL).first()
    if plan is None or Essay.objects.filter(plan=plan).exists():
        return {"created": False}
    demo = EssayDemo(plan, actor)
    users = {u.username: u for u in get_user_model().objects.filter(username="tinh.tuyengiao")}
    librarian = users.get("tinh.tuyengiao")
    samples = []
    for title, name, url in SAMPLES:
        text = (CORPUS / name).read_text(encoding="utf-8")
        samples.append((originality.sample_add(librarian, title, text, url), name))
    title, url, text = THIRD_SAMPLE
    samples.append((originality.sample_add(librarian, title, text, url), ""))

    total = services.essay_writers(plan).count()
    target = min(MAX_ESSAYS, max(MIN_ESSAYS, total // 150))
    # The demo logins (dangvien1, the secretaries) keep their own essay pages empty.
    personas = set(services.essay_writers(plan).filter(user__isnull=False).values_list("pk", flat=True))
    writers = demo.writers(target, personas)
    rng = demo.rng
    essays, honest = [], []
    for i, member in enumerate(writers):
        roll, original = rng.random(), False
        if i == 3 or 0.74 <= roll < 0.84:  # i == 3 and the like: a few of each kind even at the test scale
            sample, source = samples[1] if i == 3 else samples[i % len(samples)]
            text = demo.sample_copy(member, sample, source)
        elif i == 7 or roll >= 0.995:
            text = demo.resolution_copy(member)
        elif (i == 5 or 0.86 <= roll < 0.90) and honest:
            text = demo.near_copy(member, honest.pop(rng.randrange(len(honest))))
        elif i == 9 or 0.90 <= roll:
            text = demo.generic(member)
        else:
            text, original = demo.honest(member), True
        if text is None:
            continue
        essay = services.essay_submit(actor, plan, member, text)
        essays.append(essay)
        if original:
            honest.append(essay)

    # Submitted over the last three weeks, not all this second.
    versions = []
    for essay in essays:
        at = timezone.now() - datetime.timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
        essay.submitted_at = at
        version = essay.versions.get()
        version.submitted_at = at
        versions.append(version)
    Essay.objects.bulk_update(essays, ["submitted_at"], batch_size=500)
    EssayVersion.objects.bulk_update(versions, ["submitted_at"], batch_size=500)

    rubric = services.rubric_ensure(actor, plan)
    criteria = list(rubric.criteria.all())
    graders = {}
    labels = dict(Essay.objects.filter(plan=plan).values_list("pk", "verdict__label"))
    for essay in essays:
        if rng.random() >= 0.5:
            continue
        commune = demo.commune_of(essay.cell)
        if commune.pk not in graders:
            graders[commune.pk] = _grader(commune, users)
        points = _points(rng, criteria, labels[essay.pk])
        band = rubric.band_for(sum(points.values(), Decimal(0)))
        services.essay_grade(graders[commune.pk], essay, points, rng.choice(COMMENTS[band]))

    counts = dict.fromkeys(VerdictLabel.values, 0)
    for label in labels.values():
        counts[label] += 1
    summary = {
        "created": True,
        "samples": len(samples),
        "essays": len(essays),
        "graded": Grade.objects.filter(essay__plan=plan).count(),
        "labels": counts,
    }
    audit_record(actor, "demo.seed_essays", plan, None, summary)
    return summary
