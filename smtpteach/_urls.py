"""Where things live on the published site, and links to the RFCs.

One place for every URL scheme, so the CLI, the renderers, the widgets and the
Sphinx extension agree.
"""

from __future__ import annotations

import re

__all__ = ["page_url", "compare_url", "reference_url", "lang_prefix"]

_RFC_RE = re.compile(r"RFC ([0-9]+)(?: §([0-9A-Z][0-9.]*))?")
IANA_REGISTRY = "https://www.iana.org/assignments/smtp-enhanced-status-codes/smtp-enhanced-status-codes.xhtml"


def lang_prefix(lang: str) -> str:
    """English pages sit at the site root, other languages under ``<lang>/``."""
    return "" if lang == "en" else f"{lang}/"


def page_url(code: str, *, lang: str = "en") -> str:
    """The reference page of a code, relative to the site root.

    >>> page_url("550"), page_url("5.1.1", lang="vi")
    ('reference/codes/550.html', 'vi/reference/enhanced/X.1.1.html')
    """
    if "." in code:
        generic = "X." + code.split(".", 1)[1]
        return f"{lang_prefix(lang)}reference/enhanced/{generic}.html"
    return f"{lang_prefix(lang)}reference/codes/{code}.html"


def compare_url(a: str, b: str, *, lang: str = "en") -> str:
    """
    >>> compare_url("211", "550")
    'compare/211-vs-550.html'
    """
    return f"{lang_prefix(lang)}compare/{a}-vs-{b}.html"


def reference_url(reference: str) -> str:
    """An absolute link for a reference such as "RFC 5321 §4.2.3".

    >>> reference_url("RFC 5321 §4.2.3")
    'https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3'
    """
    m = _RFC_RE.fullmatch(reference)
    if m:
        url = f"https://www.rfc-editor.org/rfc/rfc{m.group(1)}"
        return url + (f"#section-{m.group(2)}" if m.group(2) else "")
    if reference.startswith("draft-"):
        return f"https://datatracker.ietf.org/doc/{reference}/"
    return IANA_REGISTRY
