from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from quantriet.org.models import Organization, OrgKind
from quantriet.org.services import org_create


class Command(BaseCommand):
    help = "Thêm một tổ chức đảng (không có --parent: thêm tổ chức gốc, ví dụ một tỉnh ủy)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã tổ chức, ví dụ TVL")
        parser.add_argument("name", help="Tên, ví dụ “Đảng bộ tỉnh Vĩnh Long”")
        parser.add_argument("--kind", choices=OrgKind.values, default=OrgKind.TINH_UY)
        parser.add_argument("--parent", help="Mã tổ chức cấp trên")

    def handle(self, *args, code, name, kind, parent, **options):
        parent_org = None
        if parent:
            parent_org = Organization.objects.filter(code=parent).first()
            if parent_org is None:
                raise CommandError(f"Không có tổ chức mã “{parent}”.")
        try:
            org = org_create(None, parent_org, code=code, name=name, kind=kind)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(f"Đã thêm {org.name} ({org.code}).")
