from django.core.management.base import BaseCommand

from quantriet.accounts.services import tokens_prune


class Command(BaseCommand):
    help = "Xóa các mã truy cập API đã hết hạn (chạy hằng ngày, cùng lúc với send_overdue_reminders)."

    def handle(self, *args, **options):
        count = tokens_prune()
        self.stdout.write(f"Đã xóa {count} mã truy cập API hết hạn.")
