from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quantriet.essays.models import VerdictLabel
from quantriet.essays.originality import plan_rescan, plan_rescan_start
from quantriet.study.models import StudyPlan


class Command(BaseCommand):
    help = "Kiểm tra lại trùng lặp mọi bài thu hoạch của một kế hoạch (lập lại chỉ mục, tính lại kết luận)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True, help="Mã kế hoạch học tập")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Đưa vào hàng đợi tác vụ nền (db_worker) thay vì chạy ngay; tiến độ xem tại /viec-nen/<mã>/",
        )

    def handle(self, *args, plan, background, **options):
        found = StudyPlan.objects.filter(pk=plan).first()
        if found is None:
            raise CommandError(f"Không có kế hoạch mã {plan}.")
        if background:
            # A job without a creator: its page is for superusers.
            job, created = plan_rescan_start(None, found)
            state = "Đã đưa vào hàng đợi" if created else "Đang có một lượt quét lại kế hoạch này"
            self.stdout.write(
                f"{state}: việc nền {job.pk} ({job.get_status_display()}), xem tại {job.get_absolute_url()}"
            )
            return
        passes = iter(["Lập chỉ mục", "Tính kết luận"])

        def progress(items, total):
            return tqdm(items, total=total, desc=next(passes), unit="bài", file=self.stderr._out, disable=total == 0)

        counts = plan_rescan(found, progress)
        for value, label in VerdictLabel.choices:
            self.stdout.write(f"{label}: {counts[value]}")
