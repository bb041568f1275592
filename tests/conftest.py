from __future__ import annotations

import os
import re
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import settings

import smtpteach

from ._browser import browser  # noqa: F401  (a session fixture for the browser tests)
from ._site import built_sites, site, site_again  # noqa: F401  (the built site, shared by the workers)

# The property tests draw the same examples on every run, so CI passes or fails for a
# reason it can show again; HYPOTHESIS_PROFILE=explore draws new ones each time.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

DATA = Path(str(files("smtpteach") / "data"))
ROOT = Path(__file__).resolve().parent.parent

# Every process the tests start (the notebooks' kernels, the Sphinx builds, the CLI run as a program) imports the
# package of this tree, whatever an installed copy elsewhere says: a clone tested with another clone's environment
# would otherwise test that other clone's code in its kernels
if Path(smtpteach.__file__).resolve().parent.parent == ROOT:
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


@pytest.fixture(scope="session", autouse=True)
def _own_parse_cache(tmp_path_factory):
    """The tests never read the user's cache of parsed data files: an entry left by
    other code (a mutant under 'make mutate', an older checkout) must not decide a test."""
    previous = os.environ.get("SMTPTEACH_CACHE_DIR")
    os.environ["SMTPTEACH_CACHE_DIR"] = str(tmp_path_factory.mktemp("smtpteach-cache"))
    yield
    if previous is None:
        os.environ.pop("SMTPTEACH_CACHE_DIR", None)
    else:
        os.environ["SMTPTEACH_CACHE_DIR"] = previous
DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE | re.UNICODE)
# Vietnamese reduplicatives are words, not slips.
REDUPLICATIVES = {"dần", "từng", "thường", "lâu", "nhiều", "ít", "chung"}


def doubled_words(text: str) -> list[str]:
    """Words written twice in a row ("when when"), ignoring numbers and Vietnamese reduplication."""
    return [m.group(0) for m in DOUBLED.finditer(text)
            if not m.group(1).isdigit() and m.group(1).casefold() not in REDUPLICATIVES]


@pytest.fixture(scope="session")
def catalogue() -> smtpteach.Catalogue:
    cat = smtpteach.default_catalogue()
    cat.check()
    return cat


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the package data, to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def own_codes_yaml(code: str, en: dict[str, str], vi: dict[str, str], *, override: bool = False) -> str:
    """A user's codes file with one non-standard basic code (the README's format)."""
    import json

    return "\n".join([
        "schema: 1", "basic:", f'  "{code}":', *(["    override: true"] if override else []),
        "    status: non-standard", "    references: []", "    commands: [RCPT]", "    retry: dont-retry",
        "    actor: sender-admin", "    text:", f"      en: {json.dumps(en, ensure_ascii=False)}",
        f"      vi: {json.dumps(vi, ensure_ascii=False)}", "",
    ])
