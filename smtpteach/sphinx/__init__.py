"""The smtpteach Sphinx extension.

Add ``"smtpteach.sphinx"`` to ``extensions``. It

- serves the widget host (``smtpteach-widgets.js``) from the site itself and
  points myst-nb at it, so notebook widgets work with no kernel and no network
  (config ``smtpteach_offline_widgets``, default True);
- provides the ``smtp`` role and the ``smtp-entry`` and ``smtp-compare``
  directives (see :mod:`smtpteach.sphinx._roles`).

Config values are prefixed ``smtpteach_``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

STATIC = Path(__file__).resolve().parent.parent / "static" / "site"
HOST_JS = "smtpteach-widgets.js"


def _offline_widgets(app: Any, config: Any) -> None:
    if not config.smtpteach_offline_widgets:
        return
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    # myst-nb would load require.js and @jupyter-widgets/html-manager from CDNs;
    # our host renders smtpteach's (anywidget) widgets from the page's saved state.
    if hasattr(config, "nb_ipywidgets_js"):
        config.nb_ipywidgets_js = {HOST_JS: {"defer": "defer"}}


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("smtpteach_offline_widgets", True, "html", types=[bool])
    app.connect("config-inited", _offline_widgets, priority=900)
    from . import _roles

    _roles.setup(app)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
