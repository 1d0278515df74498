"""How fast is SHACL validation of a batch of release graphs?

    /work/venv/bin/python bench/validate.py [--releases 64] [--repeat 5]

Builds a synthetic union of ``--releases`` release graphs shaped like the
vocabulary contract (~170 triples each: a release, 7 entities, ~12 mentions,
2 events, a membership, a force figure; KFOR and places shared across
releases), validates it with ``kfgraph.validate`` and prints ms per release.
Nothing is written to disk. On a shared machine trust the CPU figure more
than the wall-clock one.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kfgraph.iris import IriMinter
from kfgraph.models import EntityKind
from kfgraph.validate import load_validator
from kfgraph.vocab import EVENT_TYPE, FIGURE_KIND, GEO, KFG, NIF, ORG, PLACE_KIND, PROV, RANK, RDF, RDFS, SCHEMA, SEM, SKOS, WGS, XSD

ROOT = Path(__file__).resolve().parents[1]
PLACES = [("pristina", "Pristina", "city", "42.67272", "21.16688"), ("jarinje", "Jarinje", "crossing", "43.21861", "20.69167"),
          ("zvecan", "Zvecan", "city", "42.90750", "20.84028"), ("camp-film-city", "Camp Film City", "camp", "42.66", "21.15")]
TYPES = ["Exercise", "Training", "Patrol", "Visit", "Meeting", "Donation", "Statement"]


def release_graph(n: int, iris: IriMinter, rng: random.Random) -> Graph:
    ident = f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}-release-{n}"
    words = [rng.choice(["KFOR", "troops", "patrol", "Kosovo", "Police", "met", "the", "camp", "near", "Jarinje"]) for _ in range(300)]
    text = " ".join(words)
    g = Graph()
    rel = iris.release(ident)
    date = Literal(f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}", datatype=XSD.date)
    for p, o in [(RDF.type, SCHEMA.NewsArticle), (RDF.type, NIF.Context), (SCHEMA.identifier, Literal(ident)),
                 (SCHEMA.datePublished, date), (SCHEMA.headline, Literal(f"Headline {n}")), (SCHEMA.text, Literal(text)),
                 (NIF.isString, Literal(text)), (KFG.dateline, Literal("PRISTINA")), (KFG.byline, Literal("Story by KFOR PAO")),
                 (KFG.sourceFile, Literal(f"{ident}.txt")), (KFG.checksum, Literal("sha256:" + "ab" * 32)),
                 (SCHEMA.url, URIRef(f"https://jfcnaples.nato.int/kfor/{ident}"))]:
        g.add((rel, p, o))
    cursor = 0

    def mention(entity: URIRef) -> None:
        nonlocal cursor
        start, end = cursor, cursor + 4
        cursor += 10
        m = iris.mention(ident, start, end)
        g.add((entity, KFG.hasMention, m))
        for p, o in [(RDF.type, KFG.Mention), (RDF.type, NIF.OffsetBasedString), (NIF.referenceContext, rel),
                     (NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)),
                     (NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)), (NIF.anchorOf, Literal(text[start:end]))]:
            g.add((m, p, o))

    def entity(kind: EntityKind, key: str, label: str, types: list[URIRef], mentions: int) -> URIRef:
        e = iris.entity_of(kind, key)
        for t in types:
            g.add((e, RDF.type, t))
        g.add((e, RDFS.label, Literal(label)))
        g.add((rel, SCHEMA.mentions, e))
        for _ in range(mentions):
            mention(e)
        return e

    kfor = entity(EntityKind.ORGANIZATION, "kfor", "KFOR", [SCHEMA.Organization, ORG.Organization], 4)
    g.add((kfor, SKOS.altLabel, Literal("Kosovo Force")))
    police = entity(EntityKind.ORGANIZATION, "kosovo-police", "Kosovo Police", [SCHEMA.Organization, ORG.Organization], 1)
    person = entity(EntityKind.PERSON, f"person-{n % 20}", f"Person {n % 20}", [SCHEMA.Person], 2)
    g.add((person, KFG.rank, RANK["OF-7-major-general"]))
    places = []
    for key, label, kind, lat, lon in rng.sample(PLACES, 3):
        p = entity(EntityKind.PLACE, key, label, [SCHEMA.Place], 1)
        g.add((p, KFG.placeKind, PLACE_KIND[kind]))
        g.add((p, WGS.lat, Literal(lat, datatype=XSD.decimal)))
        g.add((p, WGS.long, Literal(lon, datatype=XSD.decimal)))
        geometry = URIRef(f"{p}#geometry")
        g.add((p, GEO.hasGeometry, geometry))
        g.add((geometry, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)))
        places.append(p)
    for k in (1, 2):
        ev = iris.event(ident, k)
        for p, o in [(RDF.type, SCHEMA.Event), (RDF.type, SEM.Event), (KFG.eventType, EVENT_TYPE[rng.choice(TYPES)]),
                     (SCHEMA.startDate, date), (SCHEMA.location, places[k]), (SEM.hasPlace, places[k]),
                     (SEM.hasActor, kfor), (SEM.hasActor, police), (SCHEMA.description, Literal("A sentence.")),
                     (PROV.wasDerivedFrom, rel), (SCHEMA.mentions, ev)]:
            g.add((ev, p, o) if p != SCHEMA.mentions else (rel, p, o))
        mention(ev)
    ms = iris.membership(f"person-{n % 20}", "commander", "kfor")
    for p, o in [(RDF.type, ORG.Membership), (ORG.member, person), (ORG.organization, kfor), (ORG.role, iris.role("commander")),
                 (KFG.rank, RANK["OF-7-major-general"]), (KFG.attestedOn, date), (PROV.wasDerivedFrom, rel)]:
        g.add((ms, p, o))
    g.add((iris.role("commander"), RDF.type, ORG.Role))
    g.add((iris.role("commander"), SKOS.prefLabel, Literal("Commander")))
    fig = iris.figure(ident, 1)
    for p, o in [(RDF.type, KFG.Figure), (RDF.type, KFG.ForceFigure), (RDF.type, SCHEMA.QuantitativeValue),
                 (SCHEMA.value, Literal(3700)), (SCHEMA.unitText, Literal("personnel")),
                 (KFG.figureKind, FIGURE_KIND.ForceStrength), (KFG.figureOf, kfor), (PROV.wasDerivedFrom, rel)]:
        g.add((fig, p, o))
    g.add((rel, KFG.reportsFigure, fig))
    mention(fig)
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    iris = IriMinter("http://localhost:8000/")
    graphs = [release_graph(n, iris, rng) for n in range(args.releases)]
    union = Graph()
    for g in graphs:
        union += g
    t0 = time.perf_counter()
    validator = load_validator(ROOT / "shapes")
    load_ms = (time.perf_counter() - t0) * 1000
    timings, cpu = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        report = validator.validate(union)
        timings.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    single = []
    for g in graphs[: min(16, len(graphs))]:
        t0 = time.perf_counter()
        validator.validate(g)
        single.append(time.perf_counter() - t0)
    best = min(timings) * 1000
    print(f"shapes loaded in {load_ms:.0f} ms")
    print(f"union of {args.releases} releases, {len(union)} triples ({len(union) / args.releases:.0f}/release): "
          f"best {best:.0f} ms = {best / args.releases:.2f} ms/release "
          f"(CPU {min(cpu) * 1000 / args.releases:.2f} ms/release); conforms={report.conforms}, results={len(report.results)}")
    print(f"one release at a time: median {sorted(single)[len(single) // 2] * 1000:.2f} ms/release")


if __name__ == "__main__":
    main()
