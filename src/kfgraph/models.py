"""The data that flows through kfgraph, as frozen dataclasses with no rdflib.

    Release  --extract-->  Extraction(release, entities, events, figures)

Every character offset (``Mention.start``/``end``) indexes ``Release.text``,
the body paragraphs joined by blank lines, so a mention can be highlighted
later from what the graph stores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class EntityKind(StrEnum):
    """The four kinds of named thing kfgraph extracts (events are separate)."""

    ORGANIZATION = "organization"
    PERSON = "person"
    PLACE = "place"
    MANDATE = "mandate"


class EventType(StrEnum):
    """The twelve event types; values are the SKOS prefLabels in ontology/."""

    EXERCISE = "Exercise"
    TRAINING = "Training"
    DEPLOYMENT = "Deployment"
    PATROL = "Patrol"
    VISIT = "Visit"
    MEETING = "Meeting"
    CHANGE_OF_COMMAND = "ChangeOfCommand"
    CEREMONY = "Ceremony"
    DONATION = "Donation"
    INCIDENT = "Incident"
    STATEMENT = "Statement"
    OTHER = "Other"


class FigureKind(StrEnum):
    """What a figure counts; values are the local names of the figure-kind scheme in ontology/.

    ``WOUNDED`` and ``KILLED`` are narrower than ``CASUALTIES`` (used when a count mixes both).
    """

    FORCE_STRENGTH = "ForceStrength"
    CONTRIBUTING_NATIONS = "ContributingNations"
    CASUALTIES = "Casualties"
    WOUNDED = "Wounded"
    KILLED = "Killed"
    PARTICIPANTS = "Participants"
    EQUIPMENT = "Equipment"
    OTHER = "Other"


class PlaceKind(StrEnum):
    """Kinds of place; values are the local names of the place-kind scheme."""

    CITY = "city"
    VILLAGE = "village"
    MUNICIPALITY = "municipality"
    CROSSING = "crossing"
    CAMP = "camp"
    REGION = "region"
    COUNTRY = "country"
    OTHER = "other"


@dataclass(frozen=True)
class Release:
    """One press release, cleaned of page boilerplate."""

    identifier: str
    source: str
    title: str | None
    date_published: dt.date | None
    dateline: str | None
    byline: str | None
    paragraphs: tuple[str, ...]
    checksum: str
    url: str | None = None
    warnings: tuple[str, ...] = ()  # what reading dropped ("field 'url' dropped: ..."), for the build report

    @property
    def text(self) -> str:
        """The body as one string; all mention spans index into it."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Mention:
    """A stretch of ``Release.text``: ``text == release.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EntityRef:
    """Points at an entity by kind and dataset-wide key."""

    kind: EntityKind
    key: str


@dataclass(frozen=True)
class Rank:
    """A military rank spelled out, with its NATO code (``OF-7``, ``OR-9``)."""

    label: str
    notation: str


@dataclass(frozen=True)
class RoleHeld:
    """A role a person holds, optionally in an organization (by key).

    ``change`` is ``"incoming"`` or ``"outgoing"`` when the release reports a change of command;
    ``start``/``end`` then hold its day when the release gives one: the incoming commander holds the
    post from that day, the outgoing one until that day.
    """

    role: str
    organization: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    change: str | None = None


@dataclass(frozen=True)
class Entity:
    """A real-world thing as seen in one release.

    ``key`` is stable across the whole dataset (``kfor``,
    ``angelo-michele-ristuccia``): two releases naming the same thing yield
    the same key and the same canonical ``label``. Kind-specific fields are
    ``None`` or empty where they do not apply.
    """

    kind: EntityKind
    key: str
    label: str
    alt_labels: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    # organizations
    parent: str | None = None
    mandates: tuple[str, ...] = ()
    is_government: bool = False
    # persons
    rank: Rank | None = None
    roles: tuple[RoleHeld, ...] = ()
    nationality: str | None = None
    # places
    place_kind: PlaceKind | None = None
    latitude: float | None = None
    longitude: float | None = None
    # mandates
    legislation_identifier: str | None = None
    legislation_date: dt.date | None = None

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.kind, self.key)


@dataclass(frozen=True)
class Event:
    """Something that happened, reported in one release.

    ``number`` orders events within their release (1, 2, ...); ``evidence``
    is the sentence the event was read from.
    """

    number: int
    event_type: EventType
    evidence: Mention
    date: dt.date | None = None
    place: str | None = None
    participants: tuple[EntityRef, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A number a release reports: ``3,700 personnel``, ``27 countries``, ``21 soldiers injured``.

    ``unit`` is what is counted, ``kind`` what the count is (strength, casualties ...) and
    ``subject`` the key of the organization it is a figure of, when the text says.
    """

    number: int
    value: int
    unit: str
    mention: Mention
    subject: str | None = None
    kind: FigureKind = FigureKind.OTHER


@dataclass(frozen=True)
class Extraction:
    """All that was read from one release."""

    release: Release
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    figures: tuple[Figure, ...] = ()
    dateline_place: str | None = None
    notes: tuple[str, ...] = field(default=())
