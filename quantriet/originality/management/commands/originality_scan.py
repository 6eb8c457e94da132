import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from quantriet.core.files import extract_text
from quantriet.originality.align import kind_label
from quantriet.originality.cluster import clusters
from quantriet.originality.index import DEFAULT_THRESHOLD
from quantriet.originality.scan import MAX_DF, reference_copies, scan

EXTENSIONS = {".txt", ".docx"}


class Command(BaseCommand):
    help = (
        "Tìm các cặp bài gần trùng lặp (chép, sửa từ, đảo đoạn, rút gọn, đổi tên người và địa danh, "
        "gõ không dấu, dính chữ, diễn đạt lại, ghép nhiều nguồn) trong mọi tệp .txt (UTF-8) và .docx của một thư mục."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="Thư mục chứa các bài (.txt, .docx)")
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=(
                "Ngưỡng trùng lặp, từ 0 đến 1: tỉ lệ bài ngắn hơn có trong bài kia, hoặc được diễn đạt lại "
                f"từ bài kia (mặc định {DEFAULT_THRESHOLD})"
            ),
        )
        parser.add_argument("--json", action="store_true", help='In {"pairs": [...]} thay cho báo cáo')
        parser.add_argument(
            "--kind",
            action="store_true",
            help="Với --json: thêm cách chép của mỗi cặp (verbatim, unaccented, glued, paraphrased, spliced)",
        )
        parser.add_argument(
            "--reference",
            action="append",
            default=[],
            metavar="TỆP",
            help="Văn bản gốc (chỉ thị, nghị quyết) mà bài nào cũng được trích; có thể lặp lại",
        )
        parser.add_argument(
            "--max-df",
            type=int,
            default=MAX_DF,
            help=f"Bỏ qua cụm từ có trong hơn chừng này bài không liên quan nhau (mặc định {MAX_DF})",
        )

    def handle(self, *args, **options):
        folder = Path(options["dir"])
        if not folder.is_dir():
            raise CommandError(f"Không tìm thấy thư mục {folder}.")
        threshold = options["threshold"]
        if not 0 < threshold <= 1:
            raise CommandError("Ngưỡng phải lớn hơn 0 và không quá 1.")
        texts = self.read_folder(folder)
        references = [self.read_reference(Path(name)) for name in options["reference"]]
        pairs = scan(
            texts, references=references, threshold=threshold, max_df=options["max_df"], progress=self.progress
        )
        if options["json"]:
            self.write_json(pairs, with_kind=options["kind"])
        else:
            self.write_report(
                folder, texts, pairs, threshold, reference_copies(texts, references) if references else []
            )

    def progress(self, items, label):
        return tqdm(items, desc=label, unit="bài", file=sys.stderr, leave=False)

    def read_folder(self, folder: Path) -> dict[str, str]:
        texts = {}
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in EXTENSIONS:
                text = self.read_text(path)
                if text is not None:
                    texts[path.name] = text
        return texts

    def read_text(self, path: Path) -> str | None:
        """The text of PATH, or None (with a warning on stderr) if it cannot be read."""
        data = path.read_bytes()
        try:
            if path.suffix.lower() == ".docx":
                return extract_text(path.name, data)
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.stderr.write(f"Bỏ qua “{path.name}”: tệp .txt không phải mã UTF-8.")
        except ValidationError as error:
            self.stderr.write(f"Bỏ qua “{path.name}”: {' '.join(error.messages)}")
        return None

    def read_reference(self, path: Path) -> str:
        text = self.read_text(path) if path.is_file() else None
        if text is None:
            raise CommandError(f"Không đọc được văn bản gốc {path}.")
        return text

    def write_json(self, pairs, with_kind: bool):
        rows = sorted(
            (
                {"a": p.a, "b": p.b, "similarity": round(p.similarity, 3)} | ({"kind": p.kind} if with_kind else {})
                for p in pairs
            ),
            key=lambda row: (-row["similarity"], row["a"], row["b"]),
        )
        self.stdout.write(json.dumps({"pairs": rows}, ensure_ascii=False))

    def write_report(self, folder, texts, pairs, threshold, copies):
        out = self.stdout.write
        out(f"Đã đọc {len(texts)} bài trong thư mục {folder}.")
        out(f"Ngưỡng {_percent(threshold)}: tỉ lệ nội dung của bài ngắn hơn có trong bài kia.")
        if not pairs:
            out("Không có cặp bài nào gần trùng lặp.")
        else:
            out(f"\n{len(pairs)} cặp bài gần trùng lặp:")
            for pair in pairs:
                out(f"  {_percent(pair.similarity):>6}  {pair.a}  ↔  {pair.b}  ({kind_label(pair.kind)})")
            out("\nNhóm bài gần trùng lặp:")
            for number, group in enumerate(clusters((p.a, p.b) for p in pairs), 1):
                out(f"  Nhóm {number} ({len(group)} bài): {', '.join(group)}")
        if copies:
            out("\nBài chép nguyên văn bản gốc:")
            for name, share in copies:
                out(f"  {_percent(share):>6}  {name}")


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%".replace(".", ",")
