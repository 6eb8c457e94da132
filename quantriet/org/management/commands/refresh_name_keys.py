from django.core.management.base import BaseCommand

from quantriet.core.collation import refresh_name_keys
from quantriet.org.models import Member


class Command(BaseCommand):
    help = "Tính lại khóa sắp xếp tên tiếng Việt của mọi đảng viên (chạy sau khi nâng cấp thư viện ICU)."

    def handle(self, *args, **options):
        changed = refresh_name_keys(Member.objects.all())
        self.stdout.write(f"Đã cập nhật khóa sắp xếp của {changed} đảng viên.")
