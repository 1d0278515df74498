"""Posts and the change-of-command event of one release, tied together.

    date_command_changes(entities, events) -> (entities, events)

A release reporting a change of command yields a ChangeOfCommand event (``events.py``) and the two
posts (``command_changes.py``). Here the posts take the event's day where their own sentence gave none,
and both commanders become actors of the event, even when only one of them is named in its sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from kfgraph.models import Entity, EntityKind, Event, EventType, RoleHeld


def date_command_changes(entities: list[Entity], events: tuple[Event, ...]) -> tuple[list[Entity], tuple[Event, ...]]:
    changing = [e for e in entities if e.kind is EntityKind.PERSON and any(r.change for r in e.roles)]
    coc = next((ev for ev in events if ev.event_type is EventType.CHANGE_OF_COMMAND), None)
    if not changing or coc is None:
        return entities, events
    day = coc.date
    if day is not None:
        dated = {e.key: replace(e, roles=tuple(_dated(r, day) for r in e.roles)) for e in changing}
        entities = [dated.get(e.key, e) if e.kind is EntityKind.PERSON else e for e in entities]
    actors = tuple(dict.fromkeys([*coc.participants, *(e.ref for e in changing)]))
    events = tuple(replace(ev, participants=actors) if ev is coc else ev for ev in events)
    return entities, events


def _dated(held: RoleHeld, day: dt.date) -> RoleHeld:
    if held.change == "incoming" and held.start is None:
        return replace(held, start=day)
    if held.change == "outgoing" and held.end is None:
        return replace(held, end=day)
    return held
