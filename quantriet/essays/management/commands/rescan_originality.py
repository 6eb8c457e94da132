from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quantriet.essays.models import Essay, VerdictLabel
from quantriet.essays.originality import plan_rescan, plan_rescan_start
from quantriet.study.models import StudyPlan


class Command(BaseCommand):
    help = (
        "Kiểm tra lại trùng lặp mọi bài thu hoạch của một kế hoạch (lập lại chỉ mục, tính lại kết luận); "
        "với --all: quét lại mọi kế hoạch (sau khi nâng cấp bộ máy kiểm tra)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--plan", type=int, help="Mã kế hoạch học tập")
        which.add_argument("--all", action="store_true", help="Mọi kế hoạch có bài thu hoạch")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Đưa vào hàng đợi tác vụ nền (db_worker) thay vì chạy ngay; tiến độ xem tại /viec-nen/<mã>/",
        )

    def handle(self, *args, plan, background, **options):
        if options["all"]:
            plans = list(StudyPlan.objects.filter(pk__in=Essay.objects.values("plan_id")).order_by("pk"))
        else:
            found = StudyPlan.objects.filter(pk=plan).first()
            if found is None:
                raise CommandError(f"Không có kế hoạch mã {plan}.")
            plans = [found]
        for each in plans:
            if options["all"]:
                self.stdout.write(f"== Kế hoạch {each.pk}: {each.title}")
            if background:
                self.start(each)
            else:
                self.rescan(each)

    def start(self, plan):
        # A job without a creator: its page is for superusers.
        job, created = plan_rescan_start(None, plan)
        state = "Đã đưa vào hàng đợi" if created else "Đang có một lượt quét lại kế hoạch này"
        self.stdout.write(f"{state}: việc nền {job.pk} ({job.get_status_display()}), xem tại {job.get_absolute_url()}")

    def rescan(self, plan):
        passes = iter(["Lập chỉ mục", "Tính kết luận"])

        def progress(items, total):
            return tqdm(items, total=total, desc=next(passes), unit="bài", file=self.stderr._out, disable=total == 0)

        counts = plan_rescan(plan, progress)
        for value, label in VerdictLabel.choices:
            self.stdout.write(f"{label}: {counts[value]}")
