"""Spreadsheets of any size for import tests and the import benchmark: a seeded random
locality of stakeholders (one in ten a person, some with assets) and relationships
between distinct pairs of them."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from domain.vocabulary import DEFAULT_SECTORS, RelationshipKind

KINDS = [k.value for k in RelationshipKind]
START = date(2020, 1, 1)


def stakeholder_name(number: int) -> str:
    return f"Stakeholder {number:06d}"


def stakeholders_csv(count: int, *, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "kind", "sector", "since", "assets"])
    for number in range(count):
        kind = "person" if number % 10 == 0 else rng.choice(["organisation", "group"])
        since = START + timedelta(days=rng.randrange(365))
        assets = "venue: a hall; volunteers: ten helpers" if number % 4 == 0 else ""
        writer.writerow(
            [stakeholder_name(number), kind, rng.choice(DEFAULT_SECTORS), since.strftime("%d/%m/%Y"), assets]
        )
    return out.getvalue().encode("utf-8-sig")


def relationships_csv(stakeholders: int, count: int, *, seed: int = 11) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["from", "to", "kind", "intensity", "valid_from"])
    seen: set[tuple[int, int]] = set()
    while len(seen) < count:
        a, b = rng.randrange(stakeholders), rng.randrange(stakeholders)
        if a == b or (min(a, b), max(a, b)) in seen:
            continue
        seen.add((min(a, b), max(a, b)))
        valid_from = START + timedelta(days=400 + rng.randrange(700))
        writer.writerow(
            [
                stakeholder_name(a),
                stakeholder_name(b),
                rng.choice(KINDS),
                rng.randint(1, 4),
                valid_from.isoformat(),
            ]
        )
    return out.getvalue().encode("utf-8")
