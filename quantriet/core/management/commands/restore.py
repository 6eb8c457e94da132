import subprocess
import time
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from quantriet.core.backup import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu vào cơ sở dữ liệu và thư mục tệp tải lên còn trống, rồi so số dòng và mã kiểm "
        "tra của từng bảng, từng tệp với bản sao lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="tệp .tar do lệnh backup tạo")
        parser.add_argument("--database-url", help="cơ sở dữ liệu đích (mặc định: của hệ thống; phải còn trống)")
        parser.add_argument("--media-root",
                            help=f"thư mục tệp tải lên đích (mặc định {settings.MEDIA_ROOT}; phải trống)")  # fmt: skip

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"Không thấy tệp {archive}.")
        database = dict(connection.settings_dict)
        if options["database_url"]:
            database = dj_database_url.parse(options["database_url"])
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        started = time.monotonic()
        try:
            result = restore_backup(archive, database, media_root)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from None
        except subprocess.CalledProcessError as failure:
            raise CommandError(f"{failure.cmd[0]} báo lỗi: {failure.stderr.decode(errors='replace')[-500:]}") from None
        if result["problems"]:
            raise CommandError("Khôi phục KHÔNG khớp bản sao lưu:\n" + "\n".join(result["problems"]))
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lúc {result['created_at']}: {result['tables']} bảng ({result['rows']} dòng) và "
            f"{result['files']} tệp, khớp từng bảng, từng tệp, trong {time.monotonic() - started:.1f} giây."
        )
