"""Helpers for the browser tests: a static server on 127.0.0.1 and Debian's chromium.

Every request that is not to 127.0.0.1 fails in the browser itself and is recorded,
so a test can fail on any attempt to leave the site.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

try:
    from ._guards import require
except ImportError:  # the benchmarks import this file as a top-level module
    from _guards import require  # type: ignore[no-redef]

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# the browser tests' Chromium finds no host but 127.0.0.1: a request off the site fails in the
# browser itself, and Browser records it (a route would stop every request on its way, at a cost)
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("SMTPTEACH_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    # the search page fetches every result page at once: keep a long backlog
    request_queue_size = 256
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # a page left while it still fetched closes its connections: nothing went wrong
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _HeaderHandler(_QuietHandler):
    headers_to_send: dict[str, str] = {}
    served: list[tuple[str, int]]

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()

    def log_request(self, code: object = "-", size: object = "-") -> None:
        self.served.append((self.path, int(getattr(code, "value", code))))


_PORTS_USED: set[int] = set()


@contextlib.contextmanager
def serve(directory: Path, headers: dict[str, str] | None = None,
          served: list[tuple[str, int]] | None = None) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 on a port no earlier server of this process had; yields the base
    URL. Every response carries ``headers``; each request's path and status is appended to ``served``.

    A new port is a new origin to the browser: nothing the shared tab cached or stored for an earlier
    test's pages is found again (see :meth:`Browser.tab`)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    if headers or served is not None:
        handler = functools.partial(type("Handler", (_HeaderHandler,), {
            "headers_to_send": dict(headers or {}), "served": served if served is not None else []}),
            directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    while server.server_address[1] in _PORTS_USED:  # the system may hand a freed port out again
        taken = server
        server = _Server(("127.0.0.1", 0), handler)
        taken.server_close()
    _PORTS_USED.add(server.server_address[1])
    # serve_forever looks for shutdown() every poll_interval: at its default of half a second, each test's
    # server took a quarter of a second on average to stop, some forty seconds over the browser tests
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# what a new context gives a page, and what tab() puts back
VIEWPORT = {"width": 1280, "height": 720}


class Browser:
    def __init__(self, browser):
        self.browser = browser
        self.offsite: list[str] = []
        self.errors: list[str] = []
        self._tab = None

    def tab(self):
        """The session's one shared tab, on about:blank, with the scheme and size a new page has.

        A page in a new tab costs Chromium a new renderer process: about a second of CPU here, on top of
        the 0.4 s that loading a lesson page costs in a tab it already has. So a test that only reads and
        works the site's pages takes this tab, and gives it back with :meth:`leave`. It starts as a first
        visit does: every :func:`serve` listens on a port of its own, so each test's pages are another
        origin, with nothing cached and no storage left from the test before. A test that changes the
        tab or its context for good (an init script, a route, several tabs) takes :meth:`page` instead.
        """
        if self._tab is None or self._tab.is_closed():
            self._tab = self.page()
            return self._tab
        if self._tab.url != "about:blank":  # a test that failed left its page open
            self._tab.goto("about:blank")
        self._tab.emulate_media(color_scheme="light")
        self._tab.set_viewport_size(VIEWPORT)
        return self._tab

    def leave(self, page) -> None:
        """Done with a page: the shared tab goes to about:blank while the test's server still answers (its
        scripts and requests stop with it); a page of its own is closed with its context."""
        if page is self._tab:
            page.goto("about:blank")
        else:
            page.context.close()

    def page(self):
        """A tab in a new context of its own, as a first visit; close it with ``page.context.close()``."""
        context = self.browser.new_context(viewport=VIEWPORT)
        page = context.new_page()

        def request(request):
            parts = urlsplit(request.url)
            if parts.scheme not in ("data", "blob", "file") and parts.hostname != "127.0.0.1":
                self.offsite.append(request.url)  # and the browser cannot resolve its host (OFFLINE_ARGS)

        context.on("request", request)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        return page


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    require(path is not None,
            "no chromium: install Debian's 'chromium' package (make test does so as root) to run browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS + OFFLINE_ARGS, headless=True)
        try:
            yield Browser(b)
        finally:
            b.close()
