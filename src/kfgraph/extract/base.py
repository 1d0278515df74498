"""The extractor interface: one release in, one ``Extraction`` out."""

from __future__ import annotations

from typing import Protocol

from kfgraph.models import Extraction, Release


class Extractor(Protocol):
    """Reads entities, events and figures from a release; pure, no I/O."""

    def extract(self, release: Release) -> Extraction: ...
