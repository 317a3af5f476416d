"""The records entity extraction passes between its steps: an entity and a candidate span."""

from __future__ import annotations

from dataclasses import dataclass

# Where an entity came from, most trusted first: a reviewer filters on it.
SOURCES = ("gazetteer", "acronym", "pattern", "ner")


@dataclass(frozen=True)
class Entity:
    """One canonical entity with every surface name it is known by.

    `names` are long forms (matched case-insensitively unless `case_sensitive`),
    `acronyms` are matched exactly as written. Both serve matching only: the names an
    entity is stored with are the surfaces a document printed.
    """

    canonical: str
    label: str
    names: tuple[str, ...]
    acronyms: tuple[str, ...] = ()
    case_sensitive: bool = False
    source: str = "gazetteer"

    @property
    def aliases(self) -> tuple[str, ...]:
        """All names, long forms first."""
        return self.names + self.acronyms


@dataclass(frozen=True)
class Candidate:
    """A span of the text one source reads as a mention of `entity`; lower `rank` wins ties."""

    start: int
    end: int
    entity: Entity
    rank: int
