"""The fixed vocabularies of the domain: sectors, kinds and scales.

Events store the plain string values, so the log stays readable by any tool and a
vocabulary can grow without an upcast.
"""

from __future__ import annotations

from enum import StrEnum


class Sector(StrEnum):
    """The default sectors of ARCHITECTURE.md; a locality may add its own."""

    PUBLIC = "public"
    HEALTH = "health"
    HOUSING = "housing"
    VCSE = "vcse"
    FAITH = "faith"
    BUSINESS = "business"
    ELECTED_MEMBER = "elected_member"
    COMMUNITY_GROUP = "community_group"
    LIVED_EXPERIENCE = "lived_experience"
    EDUCATION = "education"
    POLICE_FIRE = "police_fire"
    OTHER = "other"


DEFAULT_SECTORS: tuple[str, ...] = tuple(s.value for s in Sector)

SECTOR_LABELS: dict[str, str] = {
    "public": "Public sector (local authority, social care, commissioning)",
    "health": "Health (NHS)",
    "housing": "Housing",
    "vcse": "VCSE / VCFSE",
    "faith": "Faith",
    "business": "Business",
    "elected_member": "Elected member",
    "community_group": "Community group",
    "lived_experience": "Citizen / lived experience",
    "education": "Education",
    "police_fire": "Police and fire",
    "other": "Other",
}


class StakeholderKind(StrEnum):
    ORGANISATION = "organisation"
    GROUP = "group"
    PERSON = "person"


class RelationshipKind(StrEnum):
    COLLABORATES = "collaborates"
    FUNDS = "funds"
    COMMISSIONS = "commissions"
    REFERS_TO = "refers_to"
    SHARES_INFORMATION = "shares_information"
    MEMBER_OF = "member_of"
    OTHER = "other"


#: Kinds that have a direction (from -> to) in the directed tie graph.
DIRECTED_KINDS: frozenset[str] = frozenset({"funds", "commissions", "refers_to", "member_of"})


class Source(StrEnum):
    DECLARED = "declared"
    SURVEY = "survey"
    OBSERVED = "observed"


class MeetingKind(StrEnum):
    CHANGE_GROUP = "change_group"
    WORKSHOP = "workshop"
    CONVERSATION = "conversation"
    NETWORKING = "networking"
    PEER_NETWORK = "peer_network"


class AssetCategory(StrEnum):
    VENUE = "venue"
    VOLUNTEERS = "volunteers"
    TRANSPORT = "transport"
    KNOWLEDGE = "knowledge"
    FUNDING = "funding"
    NETWORK = "network"
    EQUIPMENT = "equipment"
    SERVICE = "service"
    OTHER = "other"


class MeasureKind(StrEnum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"


#: Intensity of a relationship (after the collaboration continuum).
INTENSITY_LABELS: dict[int, str] = {
    1: "awareness",
    2: "cooperation",
    3: "coordination",
    4: "integration",
}

#: PARTNER's three dimensions of trust and of value; each rated 1-4.
TRUST_DIMENSIONS: tuple[str, ...] = ("reliability", "in_community_interest", "open_to_discussion")
VALUE_DIMENSIONS: tuple[str, ...] = (
    "power_influence",
    "level_of_involvement",
    "resource_contribution",
)


def allowed(values: type[StrEnum]) -> str:
    """The allowed values of a vocabulary, for error messages."""
    return ", ".join(v.value for v in values)
