"""Rendered fragments kept by their content: a table's HTML is cached under a digest of every value it
shows, so an unchanged page is drawn once per server process and a changed value is a new key (nothing to
invalidate). The views compute the key from the same data they hand the template."""

import hashlib
from collections.abc import Iterable

FRAGMENT_SECONDS = 3600


def fragment_key(*parts: object) -> str:
    """A digest of these values (plain data: str, numbers, Decimal, dates, None, tuples and lists)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def rows_key(rows: Iterable[tuple], *context: object) -> str:
    return fragment_key(tuple(rows), *context)
