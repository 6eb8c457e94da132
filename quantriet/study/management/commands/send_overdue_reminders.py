import datetime

from django.core.management.base import BaseCommand, CommandError

from quantriet.study.reminders import send_overdue_reminders


class Command(BaseCommand):
    help = (
        "Nhắc các tổ chức đảng quá hạn tổ chức học tập, quán triệt: gửi email và thông báo trong hệ thống "
        "cho người đứng đầu (hoặc lãnh đạo, văn phòng cấp ủy). Mỗi đơn vị được nhắc tối đa 7 ngày một lần."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ngay", dest="day", help="Tính quá hạn đến ngày này (dd/mm/yyyy); mặc định hôm nay.")

    def handle(self, *args, **options):
        today = None
        if options["day"]:
            try:
                today = datetime.datetime.strptime(options["day"], "%d/%m/%Y").date()
            except ValueError:
                raise CommandError("--ngay phải có dạng dd/mm/yyyy, ví dụ 15/10/2026.")
        counts = send_overdue_reminders(today)
        self.stdout.write(
            f"Đã nhắc {counts['obligations']} đơn vị quá hạn: gửi {counts['emails']} email, "
            f"tạo {counts['notifications']} thông báo."
        )
        if counts["email_errors"]:
            self.stdout.write(self.style.WARNING(f"Không gửi được {counts['email_errors']} email (xem nhật ký lỗi)."))
        if counts["unreachable"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{counts['unreachable']} đơn vị quá hạn không có ai để nhắc "
                    "(người đứng đầu chưa có tài khoản, chưa phân quyền lãnh đạo hoặc văn phòng cấp ủy)."
                )
            )
