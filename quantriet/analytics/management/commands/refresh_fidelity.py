import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from tqdm import tqdm

from quantriet.analytics.changes import refresh_all_changed
from quantriet.analytics.rollup import refresh
from quantriet.study.models import PlanStatus, StudyPlan


class Command(BaseCommand):
    help = (
        "Tính lại chỉ số làm kỹ. Mặc định: toàn bộ các kế hoạch đang triển khai (chạy hằng đêm, vì khi qua "
        "hạn, đơn vị chưa tổ chức chuyển thành quá hạn). --changed: chỉ các đơn vị có số liệu thay đổi "
        "từ lần trước; --every N: lặp lại sau mỗi N giây (tiến trình chạy nền bên cạnh db_worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="Chỉ tính kế hoạch có mã số này")
        parser.add_argument("--changed", action="store_true", help="Chỉ tính lại những gì đã thay đổi")
        parser.add_argument("--every", type=float, help="Lặp lại sau mỗi bấy nhiêu giây (cùng --changed)")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **options):
        if options["every"] is not None:
            if not options["changed"] or options["every"] <= 0:
                raise CommandError("--every cần đi cùng --changed và là số giây lớn hơn 0.")
            self.watch(options["every"])
        elif options["changed"]:
            self.stdout.write(f"Đã tính lại {refresh_all_changed()} tổ chức có số liệu thay đổi.")
        else:
            self.refresh_plans(self.plans(options["plan"]), options["quiet"])

    def plans(self, plan_id):
        plans = StudyPlan.objects.select_related("issuer")
        if plan_id is None:
            return plans.filter(status=PlanStatus.PUBLISHED)
        plans = plans.filter(pk=plan_id).exclude(status=PlanStatus.DRAFT)
        if not plans:
            raise CommandError(f"Không có kế hoạch đã ban hành mang mã số {plan_id}.")
        return plans

    def refresh_plans(self, plans, quiet):
        for plan in plans:
            with tqdm(total=5, desc=plan.symbol or str(plan.pk), file=sys.stderr, disable=quiet) as bar:

                def progress(done, total, bar=bar):
                    bar.total, bar.n = total, done
                    bar.refresh()

                rows = refresh(plan, progress=progress)
            self.stdout.write(f"{plan}: đã tính {rows} tổ chức.")

    def watch(self, seconds):
        """Follow the changes for ever (Ctrl+C or SIGTERM stops it between two runs)."""
        while True:
            close_old_connections()
            refresh_all_changed()
            time.sleep(seconds)
