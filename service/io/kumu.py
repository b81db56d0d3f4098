"""A Kumu map exported as CSV: its Elements sheet becomes stakeholders, its Connections
sheet relationships. Kumu has no kind, sector or intensity, so they are read from the
words of Type and Tags by the rules below (docs/import.md lists them).

- An element's **kind** and **sector** come from its Type, then its Tags, in order: the
  first word that names a kind gives the kind, the first that names a sector the sector.
  Words are matched whole, ignoring case ("NHS Trust", "charity", "Resident").
- An element whose kind cannot be told is a bad row, never guessed: a person's name must
  be stored sealed, an organisation's is not.
- No word naming a sector: sector "other" (the report counts them).
- A connection's **kind** comes from its Type (or Connection Type) by the words below;
  others are "other". Its **intensity** is its Intensity column if there is one, else 2
  (cooperation); Direction "directed" or "undirected"/"mutual" sets ``directed``.
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.base import MAX_NAME
from domain.vocabulary import RelationshipKind, StakeholderKind
from service.io.csv_import import (
    INTENSITIES,
    INTENSITY_HELP,
    Cells,
    RelationshipRow,
    StakeholderRow,
    sector_words,
    text_cell,
    words,
)
from service.io.reading import BadCell, Problem, Record, name_key, split_list, vocabulary_key

ELEMENT_COLUMNS = (("label",), ("type", "description", "tags"))
CONNECTION_COLUMNS = (("from", "to"), ("type", "connection_type", "direction", "tags", "intensity"))
DEFAULT_INTENSITY = 2
TAG_SEPARATORS = "|;,"

PERSON, GROUP, ORGANISATION = (
    StakeholderKind.PERSON.value,
    StakeholderKind.GROUP.value,
    StakeholderKind.ORGANISATION.value,
)

#: Words of Type and Tags -> (kind, sector); None where the word says nothing of it.
ELEMENT_WORDS: dict[str, tuple[str | None, str | None]] = {
    **dict.fromkeys(("person", "people", "individual"), (PERSON, None)),
    **dict.fromkeys(("group", "informal group", "network", "forum", "club"), (GROUP, None)),
    **dict.fromkeys(("organisation", "organization", "org", "agency", "service"), (ORGANISATION, None)),
    **dict.fromkeys(
        ("citizen", "resident", "carer", "family carer", "expert by experience", "service user"),
        (PERSON, "lived_experience"),
    ),
    **dict.fromkeys(("lived experience",), (None, "lived_experience")),
    **dict.fromkeys(("councillor", "mp", "mayor"), (PERSON, "elected_member")),
    **dict.fromkeys(
        ("community group", "residents association", "tenants association"), (GROUP, "community_group")
    ),
    **dict.fromkeys(("faith group",), (GROUP, "faith")),
    **dict.fromkeys(("church", "mosque", "temple", "gurdwara", "synagogue"), (ORGANISATION, "faith")),
    **dict.fromkeys(("council", "local authority", "commissioner"), (ORGANISATION, "public")),
    **dict.fromkeys(("social care", "adult social care", "public sector"), (None, "public")),
    **dict.fromkeys(("nhs", "nhs trust", "hospital", "gp", "gp practice", "icb"), (ORGANISATION, "health")),
    **dict.fromkeys(("housing association", "landlord"), (ORGANISATION, "housing")),
    **dict.fromkeys(("charity", "social enterprise", "cic"), (ORGANISATION, "vcse")),
    **dict.fromkeys(("voluntary", "vcfse", "third sector"), (None, "vcse")),
    **dict.fromkeys(("company", "employer", "shop"), (ORGANISATION, "business")),
    **dict.fromkeys(("private sector",), (None, "business")),
    **dict.fromkeys(("school", "college", "university"), (ORGANISATION, "education")),
    **dict.fromkeys(("fire and rescue",), (ORGANISATION, "police_fire")),
    **dict.fromkeys(("police", "fire"), (None, "police_fire")),
    **dict.fromkeys(("community",), (None, "community_group")),
}

CONNECTION_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "collaborates",
            "collaboration",
            "collaborate",
            "partner",
            "partnership",
            "works with",
            "joint working",
        ),
        "collaborates",
    ),
    **dict.fromkeys(("funds", "funding", "funder", "grant"), "funds"),
    **dict.fromkeys(("commissions", "commissioning", "commissioned", "contract"), "commissions"),
    **dict.fromkeys(
        ("refers to", "refers", "referral", "referrals", "signposts", "signposting"), "refers_to"
    ),
    **dict.fromkeys(
        ("shares information", "information sharing", "information", "data sharing"), "shares_information"
    ),
    **dict.fromkeys(("member of", "member", "membership", "part of", "belongs to"), "member_of"),
}
KIND_HELP = (
    "a Type or Tag naming the kind: person, group or organisation (or a word such as citizen, "
    "councillor, community group, council, NHS, charity: see docs/import.md)"
)


def _words(record: Record) -> list[str]:
    return [record.get("type"), *split_list(record.get("tags"), TAG_SEPARATORS)]


def element_row(record: Record, sectors: Mapping[str, str]) -> tuple[StakeholderRow | list[Problem], bool]:
    """The stakeholder of an element, and whether its sector fell back to "other"."""
    c = Cells(record)
    name = c.read("label", text_cell("label", max_length=MAX_NAME), "")
    notes = c.read("description", text_cell("description", required=False), "")
    named_sectors = sector_words(sectors)
    kind = sector = None
    for word in _words(record):
        key = " ".join(word.lower().split())
        found_kind, found_sector = ELEMENT_WORDS.get(key, (None, None))
        found_sector = found_sector or named_sectors.get(vocabulary_key(word))
        kind, sector = kind or found_kind, sector or found_sector
    if kind is None:
        c.problems.append(
            record.problem("type", "cannot tell a person, a group or an organisation", KIND_HELP)
        )
    if c.problems:
        return c.problems, False
    assert kind is not None
    return StakeholderRow(record, name=name, kind=kind, sector=sector or "other", notes=notes), sector is None


def _direction(value: str) -> bool | None:
    word = value.strip().lower()
    if not word:
        return None
    if word in ("directed", "direct", "one way"):
        return True
    if word in ("undirected", "mutual", "two way", "both"):
        return False
    raise BadCell("direction", "not a direction", "directed, undirected or mutual")


def connection_row(record: Record) -> RelationshipRow | list[Problem]:
    c = Cells(record)
    written = record.get("type") or record.get("connection_type")
    kinds = {k.value: k.value for k in RelationshipKind}
    kind = CONNECTION_WORDS.get(" ".join(written.lower().split())) or kinds.get(
        vocabulary_key(written), "other"
    )
    row = RelationshipRow(
        record,
        source=c.read("from", text_cell("from", max_length=MAX_NAME), ""),
        target=c.read("to", text_cell("to", max_length=MAX_NAME), ""),
        kind=kind,
        intensity=c.read(
            "intensity",
            words("intensity", INTENSITIES, default=DEFAULT_INTENSITY, describe=INTENSITY_HELP),
            DEFAULT_INTENSITY,
        ),
        directed=c.read("direction", _direction, None),
    )
    if not c.problems and name_key(row.source) == name_key(row.target):
        c.check("to", False, "the same element as from", "another element")
    return c.problems or row
