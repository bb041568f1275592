"""pytest set-up for the whole tree: the tests, the package's doctests and the lessons.

nbval's kernels listen on Unix sockets, not on TCP ports (see docs/_ext/unix_kernels.py):
with pytest-xdist, the other worker's browser or SMTP server can take a port that
jupyter_client picked for a kernel before the kernel binds it.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "docs" / "_ext"))

import unix_kernels

unix_kernels.use_for_nbval()


def _forget_package_caches(*, catalogue: bool) -> None:
    from smtpteach import _catalogue, _explain

    if catalogue:
        _catalogue._DEFAULT = None
    elif _catalogue._DEFAULT is not None:
        # the built-in catalogue stays, but not what other modules memoised on it
        for memo in ("_compare_facts", "_quiz_pools"):
            _catalogue._DEFAULT.__dict__.pop(memo, None)
    _explain._DEFAULT_CATALOGUE = None
    _explain._RULES = None
    # what ``smtpteach.X`` fetched lazily and kept (FREQUENTLY_CONFUSED is read from the catalogue)
    import smtpteach

    for name in smtpteach._LAZY:
        vars(smtpteach).pop(name, None)
    # every memoised function of the package (functools.cache and lru_cache): the record rules, the glossary,
    # the parsed YAML files... whichever modules are loaded
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "smtpteach" or name.startswith("smtpteach.")):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


# whether this is mutmut's "stats" run (see pytest_sessionstart)
_STATS_RUN = False


def pytest_sessionstart(session):
    """Under ``make mutate``, forget the package's per-process caches (the catalogue,
    the explain rules) at the start of each mutant's test session. mutmut forks every
    mutant's run from a process that has already loaded them with the original code,
    so without this a mutant in the loading code would never run.

    In the stats run, the processes the tests start (the CLI run as a program, with the
    README's examples in a folder of their own) must not record which functions they
    reach: mutmut's recording reads its configuration from the working folder, which
    for them holds none, so the child fails and the whole run stops before its first
    mutant. Only this process's record counts, and mutmut keeps its own copy of the
    mode, so the variable goes from the environment the children inherit. A mutant's
    run keeps it: there, a child runs the mutant too."""
    global _STATS_RUN
    if "MUTANT_UNDER_TEST" in os.environ:
        _forget_package_caches(catalogue=True)
    # set afresh each session: mutmut forks the mutants' sessions from the process of the stats run
    _STATS_RUN = os.environ.get("MUTANT_UNDER_TEST") == "stats"
    if _STATS_RUN:
        del os.environ["MUTANT_UNDER_TEST"]


def pytest_runtest_setup(item):
    """While mutmut records which tests reach which function (its "stats" run), forget
    the caches before every test, so that every test using the catalogue or the rules is
    recorded as reaching their loading code, not only the first test that loaded them.
    The built-in catalogue itself stays (tests check that lookups return its very
    entries); the tests that load catalogues of their own reach its loading code."""
    if _STATS_RUN:
        _forget_package_caches(catalogue=False)


#: The test files that take longest (seconds of one run on 2 cores, December 2026), run first. With `make test`'s
#: ``--dist loadfile --no-loadscope-reorder``, pytest-xdist hands out whole files in this order, longest first:
#: otherwise it starts with the files that hold the most tests, which are quick, and one worker ends the run alone
#: with a minute of browser tests while the other waits. The rest keep that order (most tests first).
LONGEST_FIRST = (
    "tests/test_site.py",  # 190 s: the site built twice (tests/_site.py), then read in a browser
    "tests/test_sphinx_ext.py",  # 125 s: Sphinx projects of its own
    "tests/test_site_a11y.py",  # 110 s: axe-core and the keyboard, in a browser
    "tests/test_lite.py",  # 65 s: JupyterLite built, and lessons run in it
    "tests/test_sphinx_audit.py",  # 37 s
    "tests/test_benchmarks.py",  # 34 s
)


def pytest_collection_modifyitems(session, config, items):
    """The longest test files first, then the others by their number of tests (see LONGEST_FIRST); the tests of a
    file keep their order."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.nodeid.split("::")[0]] = counts.get(item.nodeid.split("::")[0], 0) + 1

    def rank(item) -> tuple[int, int]:
        path = item.nodeid.split("::")[0]
        return (LONGEST_FIRST.index(path), 0) if path in LONGEST_FIRST else (len(LONGEST_FIRST), -counts[path])

    items.sort(key=rank)
