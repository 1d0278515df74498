"""The Jinja2 environment every HTML page shares: ``templates/``, autoescaped, with the header navigation.

``templates/base.html`` is the layout every page extends.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi.templating import Jinja2Templates

from kfgraph.web.type_words import plain_types

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"

NAV: tuple[tuple[str, str], ...] = (
    ("Query", "/"),
    ("Releases", "/releases"),
    ("Entities", "/entities"),
    ("Map", "/map"),
    ("Validate", "/validate"),
    ("Dumps", "/dumps"),
)
"""The header navigation of every page, as (label, path)."""


def page_templates() -> Jinja2Templates:
    """The Jinja2 templates shared by every HTML page (autoescaped)."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["nav"] = NAV
    templates.env.filters["plain_types"] = plain_types
    templates.env.filters["web_link"] = web_link
    return templates


def web_link(url: object) -> str:
    """``url`` if a browser may follow it (``http``/``https``), else ``""``: data never becomes a script link.

    >>> web_link("https://jfcnaples.nato.int/kfor"), web_link("javascript:alert(3)"), web_link(" JavaScript:x")
    ('https://jfcnaples.nato.int/kfor', '', '')
    """
    text = str(url or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else ""
