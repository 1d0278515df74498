"""An Extraction as plain JSON-ready data, for ``kfgraph extract`` and people tuning rules."""

from __future__ import annotations

from typing import Any

from kfgraph.models import Entity, EntityKind, Extraction

_KIND_NAMES = {
    EntityKind.ORGANIZATION: "organizations",
    EntityKind.PERSON: "persons",
    EntityKind.PLACE: "places",
    EntityKind.MANDATE: "mandates",
}


def _entity(entity: Entity) -> dict[str, Any]:
    data: dict[str, Any] = {"label": entity.label, "key": entity.key, "alt_labels": list(entity.alt_labels)}
    if entity.kind is EntityKind.ORGANIZATION:
        data.update(parent=entity.parent, mandates=list(entity.mandates), government=entity.is_government)
    elif entity.kind is EntityKind.PERSON:
        data.update(
            rank=entity.rank.label if entity.rank else None,
            code=entity.rank.notation if entity.rank else None,
            roles=[f"{r.role}" + (f" of {r.organization}" if r.organization else "") for r in entity.roles],
            nationality=entity.nationality,
        )
    elif entity.kind is EntityKind.PLACE:
        data.update(kind=entity.place_kind.value if entity.place_kind else None, lat=entity.latitude, long=entity.longitude)
    else:
        data.update(identifier=entity.legislation_identifier, date=entity.legislation_date)
    data["mentions"] = [[m.start, m.end, m.text] for m in entity.mentions]
    return data


def describe_extraction(extraction: Extraction) -> dict[str, Any]:
    """Everything one release yielded, keyed by kind."""
    release = extraction.release
    data: dict[str, Any] = {
        "identifier": release.identifier,
        "title": release.title,
        "date_published": release.date_published,
        "dateline": release.dateline,
        "dateline_place": extraction.dateline_place,
    }
    for name in _KIND_NAMES.values():
        data[name] = []
    for entity in extraction.entities:
        data[_KIND_NAMES[entity.kind]].append(_entity(entity))
    data["events"] = [
        {
            "type": e.event_type.value,
            "date": e.date,
            "place": e.place,
            "participants": [p.key for p in e.participants],
            "sentence": e.evidence.text,
        }
        for e in extraction.events
    ]
    data["figures"] = [{"value": f.value, "unit": f.unit, "kind": f.kind.value, "subject": f.subject, "text": f.mention.text}
                       for f in extraction.figures]
    return data


def describe_extraction_text(extraction: Extraction) -> str:
    """The same, as aligned lines for a terminal."""
    data = describe_extraction(extraction)
    lines = [f"release {data['identifier']} ({data['date_published']}, dateline {data['dateline']})"]
    for kind in ("organizations", "persons", "places", "mandates"):
        for item in data[kind]:
            extra = ", ".join(f"{k}={v}" for k, v in item.items() if k not in ("label", "key", "alt_labels", "mentions") and v)
            lines.append(f"  {kind[:-1]:<12} {item['label']} [{item['key']}] {extra}".rstrip())
    for event in data["events"]:
        lines.append(f"  event        {event['type']} date={event['date']} place={event['place']} actors={event['participants']}")
    for figure in data["figures"]:
        lines.append(f"  figure       {figure['value']} {figure['unit']} [{figure['kind']}] ({figure['text']})")
    return "\n".join(lines)
