"""The docs build (strict, into a temporary folder) and the built pages in a real browser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ._browser import browser, serve  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-j", "2", "-q", "-b", "html",
         str(ROOT / "docs"), str(out), "-d", str(out / ".doctrees")],
        capture_output=True, text=True, timeout=600,
    )
    # Sphinx writes "path: WARNING: ..."; the kernel's own TCP notice is not a docs warning.
    warnings = [ln for ln in proc.stderr.splitlines() if "WARNING:" in ln or "ERROR:" in ln]
    assert proc.returncode == 0 and not warnings, proc.stderr[-3000:]
    return out


def test_docs_build_is_clean_and_publishes_the_lessons(site):
    assert (site / "index.html").is_file()
    page = (site / "lessons" / "01-anatomy-of-a-reply.html").read_text(encoding="utf-8")
    assert "Anatomy of an SMTP reply" in page
    # the notebook was executed during the build: its outputs are on the page
    assert "Reply(250, 5 lines)" in page
    assert "Positive Completion" in page


def test_lesson_page_in_chromium_makes_no_offsite_request(site, browser):
    with serve(site) as base:
        page = browser.page()
        page.goto(base + "lessons/01-anatomy-of-a-reply.html", wait_until="networkidle")
        assert page.locator("h1").first.inner_text().startswith("Anatomy of an SMTP reply")
        assert page.locator("text=What you will learn").count() >= 1
        page.context.close()
    assert browser.offsite == []
    assert browser.errors == []
