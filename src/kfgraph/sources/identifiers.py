"""Release identifiers: kept as written when IRI-safe, else slugified."""

from __future__ import annotations

import re

from kfgraph.iris import slugify

_IRI_SAFE = re.compile(r"[A-Za-z0-9._-]+")


def identifier_for(name: str) -> str:
    """The file stem or record id, slugified only when it is not IRI-safe.

    >>> identifier_for("2022-12-21-kfor-jarinje-presence")
    '2022-12-21-kfor-jarinje-presence'
    >>> identifier_for("Pejë patrol (draft)")
    'peje-patrol-draft'
    """
    return name if _IRI_SAFE.fullmatch(name) else slugify(name)
