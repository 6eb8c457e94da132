"""The demo plan's quiz: a question bank on Chỉ thị 28-CT/TU, the quiz, and attempts with results.

The questions follow the directive's text (documents/fixtures/chi-thi-28-CT-TU.txt). Attempts go
through the services (drawn, answered, scored, audited, the QuizResult rollup written by
``attempt_close``) with times in the past, for about half
of the members of the first demo communes, so the results pages have something to show; the
demo logins (``dangvien1``, the secretaries) are left without one so the quiz can be tried. Idempotent: nothing is done
when the demo plan already has a quiz.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from quantriet.core.audit import audit_record
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan

from . import services
from .models import Attempt, Choice, Question, QuestionKind, Quiz

SEED = 2830
#: Communes whose members have taken the quiz, and the share of their members who did.
COMMUNES = 3
TAKEN_SHARE = 0.5
MAX_TAKERS = 150

SINGLE, MULTIPLE = QuestionKind.SINGLE, QuestionKind.MULTIPLE

#: (kind, question, [(choice, correct)], explanation)
QUESTIONS = [
    (
        SINGLE,
        "Chỉ thị 28-CT/TU của Ban Thường vụ Tỉnh ủy được ban hành ngày nào?",
        [("19/10/2022", True), ("30/3/2015", False), ("28/02/2022", False), ("01/7/2025", False)],
        "Chỉ thị 28-CT/TU do Phó Bí thư Tỉnh ủy Kim Ngọc Thái ký ngày 19/10/2022; ngày 30/3/2015 là ngày "
        "của Chỉ thị 25-CT/TU trước đó.",
    ),
    (
        SINGLE,
        "Chỉ thị 28-CT/TU được ban hành trên cơ sở tổng kết việc thực hiện chỉ thị nào?",
        [
            ("Chỉ thị 25-CT/TU ngày 30/3/2015 của Ban Thường vụ Tỉnh ủy", True),
            ("Nghị quyết 57-NQ/TW của Bộ Chính trị", False),
            ("Đề án 02-ĐA/TU ngày 28/02/2022 của Ban Thường vụ Tỉnh ủy", False),
            ("Chỉ thị 05-CT/TW của Bộ Chính trị", False),
        ],
        "Chỉ thị nêu: qua tổng kết, đánh giá kết quả thực hiện Chỉ thị số 25-CT/TU ngày 30/3/2015 về nâng cao "
        "trách nhiệm của người đứng đầu, vẫn còn những hạn chế nhất định.",
    ),
    (
        SINGLE,
        "Chỉ thị 28-CT/TU đề ra bao nhiêu nhóm nhiệm vụ, giải pháp?",
        [("Tám", True), ("Năm", False), ("Sáu", False), ("Mười", False)],
        "Chỉ thị đề ra tám nhóm nhiệm vụ, giải pháp, từ nâng cao nhận thức, trách nhiệm đến phát huy vai trò "
        "của các cơ quan thông tin đại chúng.",
    ),
    (
        SINGLE,
        "Theo Chỉ thị 28-CT/TU, ai phải là người chủ trì, chỉ đạo hội nghị quán triệt và trực tiếp triển khai "
        "chỉ thị, nghị quyết của Đảng?",
        [
            ("Bí thư cấp ủy", True),
            ("Phó bí thư thường trực cấp ủy", False),
            ("Trưởng ban tuyên giáo cấp ủy", False),
            ("Báo cáo viên do cấp trên cử về", False),
        ],
        "Nhiệm vụ thứ hai: bí thư cấp ủy phải là người chủ trì, chỉ đạo hội nghị quán triệt và trực tiếp triển "
        "khai, nhất là các chỉ thị, nghị quyết về xây dựng Đảng và nghị quyết của đảng bộ cấp mình.",
    ),
    (
        SINGLE,
        "Ban quản lý lớp học tập, quán triệt chỉ thị, nghị quyết do ai trực tiếp chỉ đạo, theo dõi và chịu "
        "trách nhiệm về chất lượng học tập?",
        [
            ("Đồng chí phó bí thư thường trực cấp ủy", True),
            ("Đồng chí bí thư cấp ủy", False),
            ("Chánh văn phòng cấp ủy", False),
            ("Chủ nhiệm ủy ban kiểm tra", False),
        ],
        "Chỉ thị quy định thành lập ban quản lý lớp học do đồng chí phó bí thư thường trực cấp ủy trực tiếp chỉ "
        "đạo, theo dõi, chịu trách nhiệm về chất lượng học tập của đảng viên, đảng bộ, chi bộ.",
    ),
    (
        MULTIPLE,
        "Khi chủ trì hội nghị quán triệt, bí thư cấp ủy cần quán triệt thêm tình hình cụ thể của địa phương, "
        "đơn vị nhằm mục đích gì? (chọn tất cả các ý đúng)",
        [
            ("Giúp cán bộ, đảng viên có cơ sở để liên hệ thực tiễn", True),
            ("Giúp phản bác các quan điểm, luận điệu xuyên tạc, chống phá của các thế lực thù địch", True),
            ("Rút ngắn thời gian hội nghị để tiết kiệm kinh phí", False),
            ("Thay cho việc đảng viên viết bài thu hoạch", False),
        ],
        "Theo nhiệm vụ thứ hai, nêu tình hình cụ thể giúp cán bộ, đảng viên có cơ sở liên hệ thực tiễn và phản "
        "bác các quan điểm sai trái; việc viết thu hoạch vẫn là yêu cầu riêng.",
    ),
    (
        MULTIPLE,
        "Hình thức tổ chức học tập phù hợp, linh hoạt theo Chỉ thị 28-CT/TU nhằm những mục tiêu nào? (chọn tất "
        "cả các ý đúng)",
        [
            ("Khắc phục tình trạng cấp trên làm kỹ, cấp dưới làm lướt", True),
            ("Tiết kiệm thời gian, kinh phí và mở rộng đối tượng tham dự", True),
            ("Bảo đảm nâng cao chất lượng thông tin, tạo sự đồng bộ, thống nhất", True),
            ("Bỏ hẳn hình thức hội nghị tập trung", False),
        ],
        "Chỉ thị vẫn duy trì hội nghị tập trung cho cán bộ chủ chốt và cho đảng viên ở cơ sở không có điều kiện "
        "học trực tuyến; ba ý còn lại là mục tiêu được nêu ở nhiệm vụ thứ hai.",
    ),
    (
        SINGLE,
        "Theo Chỉ thị 28-CT/TU, kết quả và ý thức, thái độ học tập nghị quyết của cán bộ, đảng viên được sử "
        "dụng như thế nào?",
        [
            ("Là một tiêu chí đánh giá, xếp loại đảng viên hằng năm", True),
            ("Chỉ để ban tuyên giáo tổng hợp, báo cáo", False),
            ("Để xét nâng lương trước thời hạn", False),
            ("Không được sử dụng vào việc đánh giá", False),
        ],
        "Nhiệm vụ thứ tư: lấy kết quả và ý thức, thái độ học tập nghị quyết của cán bộ, đảng viên là một tiêu "
        "chí đánh giá, xếp loại đảng viên hằng năm.",
    ),
    (
        MULTIPLE,
        "Sau học tập chỉ thị, nghị quyết, cán bộ, đảng viên cần nâng cao tinh thần trách nhiệm, tính tự giác "
        "trong những việc nào? (chọn tất cả các ý đúng)",
        [
            ("Viết thu hoạch sau học tập", True),
            ("Viết kế hoạch hành động thực hiện nghị quyết đại hội đảng bộ các cấp", True),
            ("Cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm", True),
            ("Chép lại toàn văn nghị quyết vào sổ tay", False),
        ],
        "Nhiệm vụ thứ tư nêu ba việc: viết thu hoạch, viết kế hoạch hành động gắn với học tập và làm theo tư "
        "tưởng, đạo đức, phong cách Hồ Chí Minh, và cam kết tu dưỡng, rèn luyện hằng năm.",
    ),
    (
        SINGLE,
        "Kế hoạch hành động cá nhân thực hiện nghị quyết của người đứng đầu phải gắn với nội dung nào?",
        [
            ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", True),
            ("Chương trình công tác của cơ quan cấp trên", False),
            ("Kế hoạch của ban tuyên giáo", False),
            ("Tiêu chí thi đua của công đoàn", False),
        ],
        "Nhiệm vụ thứ ba: người đứng đầu phải trực tiếp xây dựng kế hoạch hành động của cá nhân gắn với học tập "
        "và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh, sát hợp với chức trách, nhiệm vụ.",
    ),
    (
        MULTIPLE,
        "Chỉ thị yêu cầu khắc phục triệt để những biểu hiện nào trong học tập, quán triệt nghị quyết? (chọn tất "
        "cả các ý đúng)",
        [
            ("Tổ chức học tập còn hình thức, qua loa", True),
            ("Cụ thể hóa chỉ thị, nghị quyết chưa sát thực tiễn", True),
            ("Nhận thức của cán bộ, đảng viên còn chung chung", True),
            ("Học tập trực tuyến qua mạng", False),
        ],
        "Nhiệm vụ thứ sáu yêu cầu khắc phục triệt để tình trạng học tập hình thức, qua loa, cụ thể hóa chưa sát "
        "thực tiễn và nhận thức còn chung chung; học trực tuyến là hình thức được khuyến khích.",
    ),
    (
        SINGLE,
        "Kinh phí cho công tác học tập, quán triệt, tuyên truyền nghị quyết được bố trí như thế nào?",
        [
            (
                "Hằng năm cấp ủy bố trí từ ngân sách nhà nước; văn phòng cấp ủy lập dự toán và quản lý, sử dụng",
                True,
            ),
            ("Đảng viên tự đóng góp theo từng đợt học", False),
            ("Chỉ dùng nguồn xã hội hóa", False),
            ("Ban tuyên giáo tự cân đối từ kinh phí hoạt động", False),
        ],
        "Nhiệm vụ thứ bảy: hằng năm cấp ủy bố trí kinh phí từ ngân sách nhà nước; văn phòng cấp ủy các cấp lập "
        "dự toán trình cấp ủy phê duyệt, chịu trách nhiệm quản lý, sử dụng hiệu quả.",
    ),
    (
        SINGLE,
        "Theo Chỉ thị 28-CT/TU, hội nghị báo cáo viên được duy trì tổ chức với tần suất nào?",
        [("Hằng tháng", True), ("Hằng quý", False), ("Sáu tháng một lần", False), ("Mỗi năm một lần", False)],
        "Nhiệm vụ thứ năm: duy trì tổ chức hội nghị báo cáo viên hằng tháng; cung cấp, định hướng nội dung cho "
        "đội ngũ báo cáo viên hằng tháng, quý.",
    ),
    (
        SINGLE,
        "Cơ quan nào được Ban Thường vụ Tỉnh ủy giao ban hành kế hoạch, hướng dẫn việc học tập, quán triệt và "
        "theo dõi, báo cáo việc thực hiện Chỉ thị 28-CT/TU?",
        [
            ("Ban Tuyên giáo Tỉnh ủy", True),
            ("Văn phòng Tỉnh ủy", False),
            ("Ủy ban Kiểm tra Tỉnh ủy", False),
            ("Ban Tổ chức Tỉnh ủy", False),
        ],
        "Đoạn cuối Chỉ thị giao Ban Tuyên giáo Tỉnh ủy ban hành kế hoạch, hướng dẫn, phối hợp Văn phòng Tỉnh ủy "
        "kiểm tra, giám sát và báo cáo Ban Thường vụ Tỉnh ủy.",
    ),
]

QUIZ_SETTINGS = {
    "time_limit_minutes": 20,
    "questions_per_attempt": 8,
    "attempts_allowed": 2,
    "pass_mark": 70,
    "shuffle": True,
}


def _answers(rng, attempt, correct, skill):
    """The member's answers: right with probability SKILL, else a plausible wrong pick."""
    answers = {}
    for item in attempt.layout:
        qid, shown = item["q"], item["c"]
        right = correct[qid]
        if rng.random() < skill:
            answers[qid] = right
        elif len(right) > 1:
            answers[qid] = right[:-1]  # missed one of the right answers: the whole question is wrong
        else:
            answers[qid] = [rng.choice([c for c in shown if c not in right])]
    return answers


def _takers(plan, skip):
    communes = Organization.objects.filter(code__startswith=f"{ROOT_CODE}-X", depth=2).order_by("code")[:COMMUNES]
    takers = services.quiz_takers(plan).exclude(pk__in=skip)
    members = []
    for commune in communes:
        members += list(takers.filter(cell__path__startswith=commune.path).order_by("cell__path", "id"))
    return members


@transaction.atomic
def seed_quiz(actor=None) -> dict:
    """The question bank on Chỉ thị 28-CT/TU, the demo plan's quiz and attempts (once)."""
    plan = StudyPlan.objects.filter(symbol=PLAN_SYMBOL).first()
    if plan is None or Quiz.objects.filter(plan=plan).exists():
        return {"created": False}
    document = plan.documents.order_by("pk").first()
    staff = get_user_model().objects.filter(username="tinh.tuyengiao").first()
    if not Question.objects.filter(document=document).exists():
        for kind, text, choices, explanation in QUESTIONS:
            services.question_add(staff, document, kind, text, explanation, choices)
    quiz = services.quiz_save(staff, plan, **QUIZ_SETTINGS)

    rng = random.Random(SEED)
    correct = {}
    for qid, cid in Choice.objects.filter(question__in=quiz.bank(), correct=True).values_list("question", "id"):
        correct.setdefault(qid, []).append(cid)
    personas = set(services.quiz_takers(plan).filter(user__isnull=False).values_list("pk", flat=True))
    members = [m for m in _takers(plan, personas) if rng.random() < TAKEN_SHARE]
    now = timezone.now()
    for member in members[:MAX_TAKERS]:
        skill = rng.uniform(0.45, 0.98)
        started = now - datetime.timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
        for _ in range(QUIZ_SETTINGS["attempts_allowed"]):
            # The seed from the demo's generator: the same demo gets the same papers and scores every time.
            attempt, _ = services.attempt_start(member.user, quiz, member, at=started, seed=rng.getrandbits(62))
            taken = datetime.timedelta(minutes=rng.randint(4, 18), seconds=rng.randint(0, 59))
            attempt = services.attempt_submit(
                member.user, attempt, _answers(rng, attempt, correct, skill), at=started + taken
            )
            if attempt.passed or rng.random() < 0.4:
                break  # passed, or did not try again
            started += datetime.timedelta(days=rng.randint(1, 3))
            skill = min(0.98, skill + 0.15)  # read the explanations, did better

    attempts = Attempt.objects.filter(quiz=quiz)
    summary = {
        "created": True,
        "questions": Question.objects.filter(document=document).count(),
        "takers": attempts.values("member").distinct().count(),
        "attempts": attempts.count(),
        "passed": attempts.filter(passed=True).values("member").distinct().count(),
    }
    audit_record(actor, "demo.seed_quiz", quiz, None, summary)
    return summary
