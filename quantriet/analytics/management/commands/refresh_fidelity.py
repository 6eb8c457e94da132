import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quantriet.analytics.rollup import refresh
from quantriet.study.models import PlanStatus, StudyPlan


class Command(BaseCommand):
    help = (
        "Tính lại toàn bộ chỉ số làm kỹ của các kế hoạch đang triển khai (hoặc một kế hoạch). "
        "Chạy hằng đêm: hạn hoàn thành qua đi thì đơn vị chưa tổ chức chuyển thành quá hạn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="Chỉ tính kế hoạch có mã số này")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **options):
        plans = StudyPlan.objects.select_related("issuer")
        if options["plan"]:
            plans = plans.filter(pk=options["plan"]).exclude(status=PlanStatus.DRAFT)
            if not plans:
                raise CommandError(f"Không có kế hoạch đã ban hành mang mã số {options['plan']}.")
        else:
            plans = plans.filter(status=PlanStatus.PUBLISHED)
        for plan in plans:
            with tqdm(total=5, desc=plan.symbol or str(plan.pk), file=sys.stderr, disable=options["quiet"]) as bar:

                def progress(done, total, bar=bar):
                    bar.total = total
                    bar.n = done
                    bar.refresh()

                rows = refresh(plan, progress=progress)
            self.stdout.write(f"{plan}: đã tính {rows} tổ chức.")
