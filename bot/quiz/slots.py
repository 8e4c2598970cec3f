"""Typed lists for wrong options when the article has too few names of the key's sort: a US
state for a US state, a UK nation for a UK nation, a country of the same region for a
country, a city of the same country for a city, a nationality of the same region for a
nationality. A name in none of these lists gets wrong options from the article only."""

from __future__ import annotations

import functools
import re

# Countries and nationalities by region: a wrong option from the same part of the world
# is plausible; Japan against Wales is not.
_REGIONS = {
    "europe": (
        "France Germany Italy Spain Portugal Netherlands Belgium Ireland Sweden Norway Denmark "
        "Finland Poland Austria Switzerland Greece"
    ),
    "east_asia": "China Japan South_Korea North_Korea Taiwan Vietnam Thailand Indonesia",
    "south_asia": "India Pakistan Bangladesh Sri_Lanka Nepal Afghanistan",
    "middle_east": "Iran Iraq Israel Syria Jordan Saudi_Arabia Egypt Turkey Lebanon",
    "africa": "Nigeria Kenya Ghana South_Africa Ethiopia Zimbabwe Uganda Senegal",
    "americas": "United_States Canada Mexico Brazil Argentina Chile Colombia Peru Cuba",
    "oceania": "Australia New_Zealand Fiji Papua_New_Guinea",
    "ex_soviet": "Russia Ukraine Belarus Georgia Kazakhstan Armenia Lithuania Latvia",
}
_NATIONALITIES = {
    "europe": (
        "French German Italian Spanish Portuguese Dutch Belgian Irish Swedish Norwegian "
        "Danish Finnish Polish Austrian Swiss Greek"
    ),
    "east_asia": "Chinese Japanese South_Korean North_Korean Vietnamese Thai Indonesian",
    "south_asia": "Indian Pakistani Bangladeshi Sri_Lankan Nepalese Afghan",
    "middle_east": "Iranian Iraqi Israeli Syrian Jordanian Saudi Egyptian Turkish",
    "africa": "Nigerian Kenyan Ghanaian South_African Ethiopian Zimbabwean Ugandan",
    "americas": "American Canadian Mexican Brazilian Argentine Chilean Colombian Cuban",
    "oceania": "Australian New_Zealand",
    "ex_soviet": "Russian Ukrainian Belarusian Georgian Kazakh Armenian Lithuanian",
    "uk": "British English Scottish Welsh Irish",
}
_CITIES = {
    "uk": (
        "London Manchester Birmingham Leeds Glasgow Edinburgh Cardiff Belfast Liverpool "
        "Bristol Newcastle Sheffield Nottingham Southampton Aberdeen"
    ),
    "us": "New_York Los_Angeles Chicago Washington Boston San_Francisco Seattle Miami",
    "italy": "Rome Milan Turin Naples Florence Venice Genoa Bologna",
    "france": "Paris Marseille Lyon Nice Toulouse Bordeaux Lille",
    "germany": "Berlin Munich Hamburg Frankfurt Cologne Dortmund Stuttgart",
    "spain": "Madrid Barcelona Valencia Seville Bilbao Malaga",
}


def _split(table: dict[str, str], prefix: str) -> dict[str, tuple[str, ...]]:
    return {
        f"{prefix}:{k}": tuple(w.replace("_", " ") for w in v.split()) for k, v in table.items()
    }


@functools.cache
def slot_lists() -> dict[str, tuple[str, ...]]:
    """Every typed list, by its sort ("country:europe", "us_state", "city:uk", ...)."""
    import pycountry

    lists = {
        **_split(_REGIONS, "country"),
        **_split(_NATIONALITIES, "nationality"),
        **_split(_CITIES, "city"),
    }
    lists["us_state"] = tuple(
        sorted(s.name for s in pycountry.subdivisions.get(country_code="US") if s.type == "State")
    )
    lists["uk_nation"] = tuple(
        sorted(
            s.name.split("[")[0].strip()
            for s in pycountry.subdivisions.get(country_code="GB")
            if s.type in ("Country", "Nation", "Province")
        )
    )
    return lists


_PLACE_SLOT = re.compile(
    r"\b(?:in|of|to|from|at|for|across|into|on|by|with|and|or|than|throughout|outside)\s$"
)


def place_slot(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] is a place used as a noun after a preposition ("in Wales", "to
    Russia") or before punctuation, where another place of its sort reads as well; not one
    used as a modifier ("US interest rates", "the US pair"), where it would not."""
    return bool(_PLACE_SLOT.search(text[max(a - 12, 0) : a]) or re.match(r"[,.;:)]", text[b:]))


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


@functools.cache
def _sort_of_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for sort, names in slot_lists().items():
        for name in names:
            out.setdefault(_key(name), sort)
    return out


def sort_of(name: str, before: str = "") -> str | None:
    """The sort of `name` (a key of `slot_lists()`), or None when it is in no list. `before`
    is the text before it: "the US state of" makes a US state whatever the name."""
    if re.search(r"\bstate of\s*$", before, re.I) and _key(name) in map(
        _key, slot_lists()["us_state"]
    ):
        return "us_state"  # "the US state of Georgia"
    return _sort_of_name().get(_key(name))


def typed_options(sort: str) -> tuple[str, ...]:
    """The names of one sort, for wrong options."""
    return slot_lists().get(sort, ())
