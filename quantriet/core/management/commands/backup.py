import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from quantriet.core.backup import create_backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp tải lên vào một tệp .tar (kèm số dòng và mã kiểm tra từng bảng)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BACKUP_DIR),
                            help=f"thư mục chứa bản sao lưu (mặc định {settings.BACKUP_DIR})")  # fmt: skip

    def handle(self, *args, **options):
        started = time.monotonic()
        archive, manifest = create_backup(Path(options["dir"]))
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Đã sao lưu {len(manifest['tables'])} bảng ({rows} dòng) và {len(manifest['media'])} tệp tải lên vào "
            f"{archive} ({archive.stat().st_size / 1e6:.1f} MB) trong {time.monotonic() - started:.1f} giây."
        )
