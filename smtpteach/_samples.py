"""The sample files that ship with smtpteach, for the lessons and the how-to guides.

``mail.log`` is one day of a small site's outgoing Postfix server, and ``bounces``
a folder of bounce messages (RFC 3464 delivery status notifications). Every reply
in them is a real one, from the development part of the project's corpus, with
example addresses and documentation IP addresses; ``SOURCES.yaml`` names where
each came from. ``tools/make_samples.py`` builds them.
"""

from __future__ import annotations

import os
from pathlib import Path

from ._errors import InvalidArgumentError, InvalidTypeError

__all__ = ["sample_path", "SAMPLES"]

SAMPLES = ("mail.log", "bounces", "SOURCES.yaml")


def sample_path(name: str) -> Path:
    """The path of a sample that ships with smtpteach: ``"mail.log"``, ``"bounces"``
    (a folder of ``.eml`` files) or ``"SOURCES.yaml"``.

    >>> import smtpteach
    >>> smtpteach.sample_path("mail.log").name
    'mail.log'
    >>> sorted(p.name for p in smtpteach.sample_path("bounces").glob("*.eml"))[:2]
    ['01.eml', '02.eml']
    >>> smtpteach.sample_path("maillog")
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidArgumentError: no sample named 'maillog'; the samples are mail.log, bounces, SOURCES.yaml
    """
    if not isinstance(name, str):
        raise InvalidTypeError(f"a sample's name is a string such as 'mail.log', not {type(name).__name__}")
    if name not in SAMPLES:
        raise InvalidArgumentError(f"no sample named {name!r}; the samples are {', '.join(SAMPLES)}")
    from ._loading import _data_dir

    return Path(os.path.join(_data_dir(), "samples", name))
