"""The frequently confused pairs, kept in the data (facts.yaml ``confused``)."""

from __future__ import annotations

from ._catalogue import Catalogue, _resolve, default_catalogue

__all__ = ["FREQUENTLY_CONFUSED", "confused_pairs"]  # noqa: F822 (module __getattr__)


def confused_pairs(*, lang: str = "en", catalogue: Catalogue | None = None) -> list[tuple[str, str, str]]:
    """Each pair learners mix up, with a one-line reason in ``lang``.

    >>> confused_pairs()[0][:2]
    ('450', '550')
    """
    cat = _resolve(catalogue)
    return [(a, b, cat.pair_reason(a, b, lang=lang)) for a, b in cat.confused]


def __getattr__(name: str):
    # FREQUENTLY_CONFUSED is read from the data on first use, not at import
    if name == "FREQUENTLY_CONFUSED":
        return default_catalogue().confused
    raise AttributeError(name)

