import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quantriet.core.sheets import SheetError
from quantriet.org.models import Organization
from quantriet.org.roster import import_roster


class Command(BaseCommand):
    help = "Nhập danh sách đảng viên từ tệp .xlsx hoặc .csv theo mẫu (tất cả hoặc không dòng nào)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx hoặc .csv")
        parser.add_argument("--org", help="Mã tổ chức: mọi chi bộ trong tệp phải thuộc tổ chức này")
        parser.add_argument("--quiet", action="store_true", help="Không hiện thanh tiến độ")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        scope = Organization.objects.get_root_nodes()
        if options["org"]:
            org = Organization.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"Không có tổ chức mã “{options['org']}”.")
            paths = [org.path]
        else:
            paths = [root.path for root in scope]
        bar = tqdm(total=1, unit="dòng", desc="Nhập danh sách", disable=options["quiet"], file=sys.stderr)

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            result = import_roster(None, path.read_bytes(), path.name, paths, progress)
        except SheetError as error:
            bar.close()
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Tệp bị từ chối với {len(error.problems)} lỗi; không dòng nào được ghi.")
        bar.close()
        self.stdout.write(
            f"Đã nhập {result.rows} dòng: thêm mới {result.created}, cập nhật {result.updated}, "
            f"không đổi {result.unchanged}, chuyển chi bộ {result.transferred}."
        )
