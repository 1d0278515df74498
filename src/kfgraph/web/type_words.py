"""A resource's types in plain words, for the line above its name: "Organization · organizational unit".

Types are read from their IRIs' last segment (``schema:NewsArticle`` → "news
article"); what repeats the kind, and the technical types every such resource
has (``nif:Context``, ``sem:Event``, ``geo:Geometry`` …), are left out.

>>> plain_types(["https://schema.org/Organization", "http://www.w3.org/ns/org#Organization",
...              "http://www.w3.org/ns/org#OrganizationalUnit"], "organization")
'Organization · organizational unit'
>>> plain_types(["http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Context",
...              "https://schema.org/NewsArticle"], "release")
'Release · news article'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TECHNICAL = frozenset({"Context", "OffsetBasedString", "Mention", "Thing", "Resource", "Geometry", "SpatialThing",
                       "Concept", "NamedIndividual"})


def words_of(iri: str) -> str:
    local = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return " ".join(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("_", " ").split()).lower()


def plain_types(types: Iterable[object], kind: str) -> str:
    """``Kind · other type, other type`` (``types``: IRIs, or objects with an ``iri``)."""
    head = (kind or "resource").replace("_", " ")
    seen = {head.lower()}
    extra = []
    for item in types:
        iri = str(getattr(item, "iri", item))
        local = re.split(r"[/#]", iri.rstrip("/#"))[-1]
        words = words_of(iri)
        if local in TECHNICAL or not words or words in seen:
            continue
        seen.add(words)
        extra.append(words)
    return head[:1].upper() + head[1:] + (" · " + ", ".join(extra) if extra else "")
