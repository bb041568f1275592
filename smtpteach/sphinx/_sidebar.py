"""The site's navigation tree: each language's own, worked out once a folder instead of once a page.

furo draws its sidebar from the template's ``toctree()``, asked for the whole tree
(``collapse=False``) on every page. Sphinx resolves that tree afresh for each page, copying
every document's table of contents each time: on this site, about half of the time it takes
to write the pages. Only two things in the result depend on the page: the links, relative to
the page's folder, and the branch marked ``current`` that leads to the page. So the tree is
resolved once for each language and folder, for a page that is in no tree, and each page gets
a copy with its own branch marked as Sphinx marks it (the reference to the page itself
becomes ``#``). Anything else (a collapsed tree, one cut to a depth, another builder) is resolved
per page, as Sphinx does.

A page in a second language (``vi/...``) gets that language's tree: the toctrees of its home
page (``vi/index``) instead of the root page's.
"""

from __future__ import annotations

import functools
import posixpath
import weakref
from typing import Any

# the page the tree of a folder is resolved for: in no toctree, and no document's name
_NOBODY = "\x00sidebar"
# False: every page's tree is resolved afresh, as Sphinx does (the baseline of the benchmark, and
# what the tests hold the trees made once a folder to)
PER_FOLDER = True
# each build environment's trees, by home page, folder and the template's options
_TREES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def forget(app: Any, env: Any) -> None:
    """The documents were read again: their trees are worked out again."""
    _TREES.pop(env, None)


def language_toctree(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The page's ``toctree()``: its language's tree (furo builds its sidebar from it, in its own
    handler, which runs after this one)."""
    from . import _split_language

    if "toctree" not in context:
        return
    lang, _ = _split_language(app, pagename)
    home = app.config.root_doc if lang == app.config.smtpteach_language else f"{lang}/index"
    if home in app.env.found_docs:
        context["toctree"] = functools.partial(_tree, app, pagename, home)


def _tree(app: Any, pagename: str, home: str, *, collapse: bool = True, includehidden: bool = False,
          maxdepth: int | str = 0, titles_only: bool = False) -> str:
    """What Sphinx's ``toctree()`` gives a template, made from the toctrees of ``home``."""
    # a template may give the depth as a string, and "" for none (as Sphinx's own toctree() reads it)
    depth = 0 if maxdepth == "" else int(maxdepth)
    options = dict(maxdepth=depth, titles_only=bool(titles_only), collapse=bool(collapse),
                   includehidden=bool(includehidden))
    if collapse or depth >= 0 or app.builder.name != "html" or not PER_FOLDER:
        # a collapsed tree differs from page to page, and so does one cut to a depth (Sphinx marks the
        # branch that leads to the page before it cuts the page away); other builders name their pages
        # otherwise
        return _render(app, _resolve(app, pagename, home, options))
    nobody = posixpath.join(posixpath.dirname(pagename), _NOBODY)
    trees = _TREES.setdefault(app.env, {})
    key = (home, nobody, tuple(sorted(options.items())))
    if key not in trees:
        trees[key] = _resolve(app, nobody, home, options)
    here = app.builder.get_relative_uri(nobody, pagename)  # the page's own file name
    return _render(app, [_mark_current(tree.deepcopy(), here) for tree in trees[key]])


def _resolve(app: Any, pagename: str, home: str, options: dict) -> list[Any]:
    from sphinx import addnodes

    # pruned to maxdepth as Sphinx's own toctree() prunes it (furo asks for no limit)
    resolved = (app.env.resolve_toctree(pagename, app.builder, toctree, prune=True, **options)
                for toctree in app.env.get_doctree(home).findall(addnodes.toctree))
    return [tree for tree in resolved if tree is not None]


def _mark_current(tree: Any, here: str) -> Any:
    """What Sphinx does for the page a tree is resolved for: each reference to it (``here``,
    relative to its own folder) points into the page itself, and the branch that holds its
    title, from the link up to the tree, is ``current``."""
    from docutils import nodes

    for ref in list(tree.findall(nodes.reference)):
        anchor = ref.get("anchorname", "")
        if ref.get("refuri") != here + anchor:
            continue
        ref["refuri"] = anchor
        if not anchor:
            node = ref
            while node is not None:
                node["classes"].append("current")
                node = node.parent
    return tree


def _render(app: Any, trees: list[Any]) -> str:
    return "".join(app.builder.render_partial(tree)["fragment"] for tree in trees)
