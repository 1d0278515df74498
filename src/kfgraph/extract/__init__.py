"""Entity extraction: releases in, ``Extraction`` out.

    Extractor       the protocol the pipeline calls
    RuleExtractor   gazetteer + patterns + coreference (the real one)
    FakeExtractor   canned results for tests of other layers
    load_gazetteer  data/gazetteer/*.csv -> Gazetteer
"""

from kfgraph.extract.base import Extractor
from kfgraph.extract.fake import FakeExtractor
from kfgraph.extract.gazetteer import Gazetteer, load_gazetteer
from kfgraph.extract.rules import RuleExtractor

__all__ = ["Extractor", "FakeExtractor", "Gazetteer", "RuleExtractor", "load_gazetteer"]
