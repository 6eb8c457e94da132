import argparse
import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quantriet.analytics.rollup import refresh
from quantriet.essays.demo import seed_essays
from quantriet.evaluation.defaults import ensure_default_sets
from quantriet.evaluation.demo import seed_evaluations
from quantriet.org.demo import DEMO_USERS, seed_demo
from quantriet.plans.demo import seed_programmes
from quantriet.plans.demo_commitments import seed_commitments
from quantriet.quizzes.demo import seed_quiz
from quantriet.study.demo import seed_study
from quantriet.study.models import PlanStatus, StudyPlan


class MembersBar:
    """The one long step of building the province, shown as it is: members created out of the real total.

    The bar opens when seed_demo knows how many members it will create (none when the province
    already exists) and counts only them; orgs and positions are reported in the summary line.
    """

    def __init__(self, disable=False, file=None):
        self.disable, self.file, self.bar = disable, file or sys.stderr, None

    def progress(self, step, n=1):
        if step == "members_total":
            self.bar = tqdm(total=n, unit=" đảng viên", desc="Tạo đảng viên mẫu", file=self.file, disable=self.disable)
        elif step == "members" and self.bar is not None:
            self.bar.update(n)
            if self.bar.n >= self.bar.total:
                self.bar.close()  # now, so its time and rate are those of the members alone

    def close(self):
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = "Tạo tỉnh mẫu (giống Vĩnh Long sau hợp nhất) và các tài khoản demo. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=0.05,
            help="Quy mô: 1.0 ≈ 150.000 đảng viên, khoảng 5.000 chi bộ (mặc định 0.05)",
        )
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument(
            "--essays",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Tạo cả bài thu hoạch, thư viện bài mẫu và bài kiểm tra mẫu (mặc định: có; "
            "--no-essays cho các bộ kiểm thử cần thư viện bài mẫu trống)",
        )

    def handle(self, *args, **options):
        scale = options["scale"]
        if not 0 < scale <= 2:
            raise CommandError("--scale phải trong khoảng (0, 2].")
        bar = MembersBar(disable=options["quiet"])
        started = time.monotonic()
        summary = seed_demo(scale, bar.progress)
        bar.close()
        ensure_default_sets()  # written by a migration; a database flushed since has none
        if summary["created"]:
            self.stdout.write(
                f"Đã tạo tỉnh mẫu: {summary['orgs']} tổ chức đảng, {summary['members']} đảng viên, "
                f"{summary['positions']} chức vụ trong {time.monotonic() - started:.1f} giây."
            )
        else:
            self.stdout.write("Tỉnh mẫu đã có sẵn; giữ nguyên dữ liệu, đặt lại mật khẩu các tài khoản demo.")
        started = time.monotonic()
        member = get_user_model().objects.get(username="dangvien1").member
        study = seed_study(member)
        if study["created"]:
            self.stdout.write(
                f"Đã tạo kế hoạch học tập Chỉ thị 28-CT/TU: {study['conferences']} hội nghị, "
                f"{study['attendance']} lượt điểm danh trong {time.monotonic() - started:.1f} giây."
            )
        if options["essays"]:
            self.seed_essays_and_quiz()
            self.seed_programmes()
            self.seed_commitments()
        self.refresh_fidelity()
        if options["essays"]:
            self.seed_evaluations()  # after the fidelity index, from which a cell's study points are proposed
        self.stdout.write("Hội nghị đang diễn ra để thử điểm danh QR: chi bộ của dangvien1 (xa1.bithu điều hành).")
        for username, description in DEMO_USERS.items():
            self.stdout.write(f"  {username:<16} {description}")

    def refresh_fidelity(self):
        """The demo's dashboards open ready: every published plan's fidelity rows computed now."""
        started = time.monotonic()
        rows = sum(refresh(plan) for plan in StudyPlan.objects.filter(status=PlanStatus.PUBLISHED))
        self.stdout.write(f"Đã tính chỉ số làm kỹ cho {rows} tổ chức trong {time.monotonic() - started:.1f} giây.")

    def seed_programmes(self):
        """The demo plan's action programmes, before the fidelity index reads their concreteness."""
        started = time.monotonic()
        found = seed_programmes()
        if found["created"]:
            flags, states = found["flags"], found["states"]
            flagged = {kind: row["sao_chep"] for kind, row in flags.items()}
            self.stdout.write(
                f"Đã tạo {found['programmes']} chương trình hành động ({flags['concrete']['total']} cụ thể, "
                f"{flags['pasted']['total']} chép cấp trên, {flags['half']['total']} chép một nửa, "
                f"{flags['restating']['total']} nhắc lại việc của tỉnh; {sum(flagged.values())} bị gắn cờ sao chép, "
                f"{flagged['concrete']} bản cụ thể bị gắn cờ), {states['in_force']} đang thực hiện, "
                f"{states['consultation']} đang lấy ý kiến, {found['tasks']} nhiệm vụ, {found['updates']} báo cáo tiến "
                f"độ, {found['overdue']} nhiệm vụ quá hạn ({found['escalated']} quá hạn trên 7 ngày) trong "
                f"{time.monotonic() - started:.1f} giây."
            )

    def seed_commitments(self):
        """This year's commitments of dangvien1's cell: some written, some copied from a sample."""
        started = time.monotonic()
        found = seed_commitments()
        if found["created"]:
            self.stdout.write(
                f"Đã tạo {found['created']} bản cam kết năm nay của chi bộ của dangvien1 ({found['flagged']} bản bị "
                f"gắn cờ sao chép) trong {time.monotonic() - started:.1f} giây."
            )

    def seed_evaluations(self):
        """Last year's evaluations, decided, and this year's in progress in xa1.bithu's commune."""
        started = time.monotonic()
        found = seed_evaluations()
        if not found["created"]:
            return
        last, this = found["last_year"], found["this_year"]
        bands, states = last["bands"], this["states"]
        self.stdout.write(
            f"Đã tạo đánh giá, xếp loại mẫu trong {time.monotonic() - started:.1f} giây: năm {last['year']} đã quyết "
            f"định cho {last['members']} đảng viên ({bands.get('xuat_sac', 0)} hoàn thành xuất sắc, "
            f"{bands.get('tot', 0)} hoàn thành tốt, {bands.get('hoan_thanh', 0)} hoàn thành, "
            f"{bands.get('khong_hoan_thanh', 0)} không hoàn thành nhiệm vụ) và {last['collectives']} tổ chức đảng; "
            f"năm {this['year']} đang làm ở {this.get('commune', '')}: {states.get('decided', 0)} bản đã quyết định, "
            f"{states.get('reviewed', 0)} chờ quyết định, {states.get('self_assessed', 0)} đã tự đánh giá, "
            f"{states.get('draft', 0)} đang tự đánh giá, {this.get('not_started', 0)} đảng viên chưa bắt đầu."
        )
        if "over_quota" not in this:
            return
        over, copied = this["over_quota"], this["copied"]
        self.stdout.write(f"  Chi bộ vượt tỷ lệ “xuất sắc” (chờ quyết định): {over['cell']} — {over['refusal']}")
        if copied["cell"]:
            self.stdout.write(
                f"  Chi bộ có đảng viên chép bài thu hoạch (điểm học tập đề xuất không tính bài chép): "
                f"{copied['cell']} ({copied['members']} đảng viên), các bản tự đánh giá chờ chi bộ nhận xét."
            )
        if this.get("skimming"):
            self.stdout.write(
                f"  Chi bộ học tập làm lướt mà cho điểm học tập tối đa (trang Kết quả xếp loại nêu để xem lại): "
                f"{this['skimming']}."
            )
        self.stdout.write(
            f"  Bản đánh giá năm {this['year']} của dangvien1 ({this['mine']['cell']}): chưa bắt đầu — để tự đánh giá "
            "trên điện thoại."
        )

    def seed_essays_and_quiz(self):
        started = time.monotonic()
        essays = seed_essays()
        if essays["created"]:
            labels = essays["labels"]
            flagged = essays["essays"] - labels["doc_lap"]
            self.stdout.write(
                f"Đã tạo {essays['essays']} bài thu hoạch ({flagged} bài bị gắn cờ: {labels['chep_bai_mau']} chép bài "
                f"mẫu, {labels['sao_chep']} gần trùng, {labels['chep_nghi_quyet']} chép nghị quyết, "
                f"{labels['chung_chung']} chung chung), {essays['graded']} bài đã chấm, {essays['samples']} bài mẫu "
                f"trên mạng trong {time.monotonic() - started:.1f} giây."
            )
        started = time.monotonic()
        quiz = seed_quiz()
        if quiz["created"]:
            self.stdout.write(
                f"Đã tạo bài kiểm tra Chỉ thị 28-CT/TU: {quiz['questions']} câu hỏi, {quiz['attempts']} lượt làm bài "
                f"của {quiz['takers']} đảng viên ({quiz['passed']} đạt) trong {time.monotonic() - started:.1f} giây."
            )
