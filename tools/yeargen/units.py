"""The units of a generated year: the 益阳 units first, then synthetic ones."""

from __future__ import annotations

from collections.abc import Iterator

from kaoping.org.defaults import YIYANG_UNITS

# Province-like leading blocks for synthetic codes (the real 省 prefixes), then 市 01–99, 县 01–30.
PROVINCES = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46)
PROVINCES += (50, 51, 52, 53, 54, 61, 62, 63, 64, 65)
CITIES_PER_PROVINCE, COUNTIES_PER_CITY = 99, 30


def unit_list(units: int) -> Iterator[tuple[str, str]]:
    """The first eight are the 益阳 units; beyond them synthetic codes, unique and never 4309xx."""
    if units < 1:
        raise ValueError("units must be at least 1")
    yield from YIYANG_UNITS[:units]
    capacity = len(PROVINCES) * CITIES_PER_PROVINCE * COUNTIES_PER_CITY
    if units - len(YIYANG_UNITS) > capacity:
        raise ValueError(f"at most {capacity + len(YIYANG_UNITS)} units")
    for n in range(units - len(YIYANG_UNITS)):
        province, rest = divmod(n, CITIES_PER_PROVINCE * COUNTIES_PER_CITY)
        city, county = divmod(rest, COUNTIES_PER_CITY)
        yield f"{PROVINCES[province]:02d}{city + 1:02d}{county + 1:02d}", f"第{n + 1:04d}县"
