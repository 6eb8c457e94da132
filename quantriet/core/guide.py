"""The user guide, docs/huong-dan-su-dung.md, as a page of the site (menu "Hướng dẫn").

Rendered with Python-Markdown. Raw HTML in the text is shown as text, never passed through;
every heading gets an id (from its Vietnamese words) and a "#" link, so a section can be linked
to, e.g. /huong-dan/#1-đăng-nhập.
"""

from functools import lru_cache

import markdown
from django.conf import settings
from markdown.extensions.toc import slugify_unicode

GUIDE = settings.BASE_DIR / "docs" / "huong-dan-su-dung.md"


def render_markdown(text: str) -> tuple[str, str]:
    """(the HTML of TEXT, its table of contents as HTML)."""
    md = markdown.Markdown(
        extensions=["tables", "toc", "sane_lists", "fenced_code"],
        extension_configs={
            "toc": {"slugify": slugify_unicode, "permalink": "#", "permalink_title": "Liên kết tới mục này"}
        },
    )
    # No raw HTML: block-level HTML and inline tags are kept as text and escaped on output.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md.convert(text), md.toc


def guide() -> tuple[str, str]:
    """The guide as (HTML, table of contents), rendered again only when the file changes."""
    return _rendered(GUIDE.stat().st_mtime_ns)


@lru_cache(maxsize=1)
def _rendered(mtime_ns: int) -> tuple[str, str]:
    return render_markdown(GUIDE.read_text(encoding="utf-8"))
