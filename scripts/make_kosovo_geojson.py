"""Make ``src/kfgraph/web/static/geo/kosovo.geojson``: Kosovo's outline and municipalities, small enough to ship.

    python scripts/make_kosovo_geojson.py NE_KOSOVO_ADMIN1.json

Input: the Kosovo features of Natural Earth's 1:10m "Admin 1 – States, Provinces"
layer (public domain), as GeoJSON. Needs ``npx mapshaper`` (npm, MPL-2.0), which
simplifies shared borders once, so neighbouring municipalities still meet, and
dissolves them into the outline. Each municipality is named by the gazetteer
(``data/gazetteer/places.csv``): Natural Earth uses the Serbian names, which the
gazetteer lists as aliases. See ``static/geo/README.md`` for source and licence.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "data" / "gazetteer" / "places.csv"
OUT = ROOT / "src" / "kfgraph" / "web" / "static" / "geo" / "kosovo.geojson"
SIMPLIFY = "25%"  # of the vertices kept (Visvalingam, mapshaper default): ~25 KB
PRECISION = "0.0001"  # degrees, about 10 m


def gazetteer_names() -> dict[str, tuple[str, str]]:
    """Every name and alias of a municipality or city, folded to lower case -> (key, label)."""
    names: dict[str, tuple[str, str]] = {}
    with PLACES.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            if row["kind"] not in ("municipality", "city"):
                continue
            for name in [row["label"], *row["aliases"].split("|")]:
                if name:
                    names.setdefault(name.casefold(), (row["key"], row["label"]))
    return names


def mapshaper(*args: str) -> None:
    subprocess.run(["npx", "--no-install", "mapshaper", *args], check=True)


def main(source: Path) -> None:
    names = gazetteer_names()
    with tempfile.TemporaryDirectory() as tmp:
        municipalities, outline = Path(tmp) / "municipalities.json", Path(tmp) / "outline.json"
        mapshaper("-i", str(source), "-filter-fields", "name", "-simplify", SIMPLIFY, "keep-shapes",
                  "-o", str(municipalities), "format=geojson", f"precision={PRECISION}")
        mapshaper("-i", str(municipalities), "-dissolve", "-o", str(outline), "format=geojson",
                  "geojson-type=FeatureCollection",
                  f"precision={PRECISION}")
        parts = json.loads(municipalities.read_text(encoding="utf-8"))["features"]
        border = json.loads(outline.read_text(encoding="utf-8"))["features"]
    features = []
    for feature in sorted(parts, key=lambda f: f["properties"]["name"]):
        source_name = feature["properties"]["name"]
        key, label = names.get(source_name.casefold()) or names[source_name.removeprefix("Kosovska ").casefold()]
        feature["properties"] = {"kind": "municipality", "key": key, "name": label, "source_name": source_name}
        features.append(feature)
    for feature in border:
        feature["properties"] = {"kind": "outline", "name": "Kosovo"}
        features.append(feature)
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m Admin 1 (public domain), simplified; see README.md beside this file",
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {len(features)} features, {OUT.stat().st_size:,} bytes to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
