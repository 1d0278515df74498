"""Places: gazetteer names and spellings, bilingual pairs, patterns, kinds, coordinates, dateline."""

from __future__ import annotations

from kfgraph.models import EntityKind, PlaceKind

PLACE = EntityKind.PLACE


def test_spellings_fold_to_one_place_with_coordinates(run, by_key):
    result = run("Patrols left Prishtinë for Peć. In Pejё (sic) and Priština the day was calm.")
    places = by_key(result, PLACE)
    assert set(places) == {"pristina", "peja"}
    assert places["pristina"].place_kind is PlaceKind.CITY
    assert (places["pristina"].latitude, places["pristina"].longitude) == (42.67272, 21.16688)
    assert len(places["peja"].mentions) == 2  # the Cyrillic "ё" homoglyph is folded


def test_metonymic_capitals_are_places(run, by_key):
    result = run("The dialogue between Pristina and Belgrade resumed in Brussels.")
    assert {"pristina", "belgrade", "brussels"} == set(by_key(result, PLACE))


def test_crossings_camps_and_regions(run, by_key):
    result = run(
        "Troops at the Jarinje crossing point and at Camp Novo Selo supported stability in the Western Balkans "
        "and in northern Kosovo.")
    places = by_key(result, PLACE)
    assert places["jarinje"].place_kind is PlaceKind.CROSSING
    assert places["camp-novo-selo"].place_kind is PlaceKind.CAMP
    assert places["western-balkans"].place_kind is PlaceKind.REGION
    assert places["northern-kosovo"].place_kind is PlaceKind.REGION


def test_bilingual_pairs_known_and_unknown(run, by_key):
    result = run("Schools in Ferizaj/Uroševac, Banje/Banja and Rakoc/Rakovac received desks.")
    places = by_key(result, PLACE)
    assert {"Ferizaj", "Uroševac"} <= set(places["ferizaj"].alt_labels) | {places["ferizaj"].label}
    village = places["banje-banja"]
    assert village.place_kind is PlaceKind.VILLAGE
    assert {"Banje", "Banja"} <= set(village.alt_labels)
    assert "rakoc-rakovac" in places


def test_pair_of_two_known_places_is_not_one_name(run, by_key):
    result = run("Flights on the Pristina/Belgrade route resumed.")
    assert {"pristina", "belgrade"} == set(by_key(result, PLACE))


def test_airfield_pair_is_one_other_place(run, by_key):
    result = run("The drill took place at Gjakova/Djakovica airfield.")
    places = by_key(result, PLACE)
    assert set(places) == {"gjakova-djakovica-airfield"}
    assert places["gjakova-djakovica-airfield"].place_kind is PlaceKind.OTHER


def test_village_and_camp_patterns(run, by_key):
    result = run("The team visited the village of Kamenovo and Camp Marechal near Zubin Potok.")
    places = by_key(result, PLACE)
    assert places["kamenovo"].place_kind is PlaceKind.VILLAGE
    assert places["camp-marechal"].place_kind is PlaceKind.CAMP
    assert places["zubin-potok"].place_kind is PlaceKind.MUNICIPALITY


def test_camp_name_stops_before_the_city(run, by_key):
    # regression: "Camp Film City Pristina" was read as one unknown camp
    result = run("A ceremony was held at Camp Film City Pristina, Kosovo.")
    assert {"camp-film-city", "pristina", "kosovo"} == set(by_key(result, PLACE))


def test_camp_named_after_a_known_place(run, by_key):
    # "Camp Ibar" is a camp named after the river, not "Camp" beside the place "Ibar"
    result = run("The minister visited the contingent at Camp Ibar in Lipljan.")
    places = by_key(result, PLACE)
    assert places["camp-ibar"].place_kind is PlaceKind.CAMP
    assert set(places) == {"camp-ibar", "lipjan"}


def test_every_settlement_of_a_listed_plural(run, by_key):
    result = run("Patrols visited the villages of Magura, Dobrotin and Gadime, and the municipalities of Gjilan and Kamenica.")
    places = by_key(result, PLACE)
    assert {k: places[k].place_kind for k in ("magura", "dobrotin", "gadime")} == dict.fromkeys(
        ("magura", "dobrotin", "gadime"), PlaceKind.VILLAGE)
    assert {"gjilan", "kamenica"} <= set(places)


def test_places_inside_organization_names(run, by_key):
    # Naples and Montenegro name the organizations, not places of their own; Kosovo, a region, counts.
    result = run("Allied Joint Force Command in Naples thanked the Government of Montenegro and the Kosovo Police.")
    assert set(by_key(result, PLACE)) == {"kosovo"}


def test_countries_of_troop_contributors(run, by_key):
    result = run("Soldiers from Italy, Moldavia, Türkiye and Slovenia took part.")
    places = by_key(result, PLACE)
    assert {"italy", "moldova", "turkey", "slovenia"} == set(places)
    assert all(p.place_kind is PlaceKind.COUNTRY for p in places.values())
    assert "Moldavia" in places["moldova"].alt_labels


def test_dateline_resolves_even_without_a_span(run, by_key):
    result = run("KFOR soldiers donated books.", dateline="PRISHTINA")
    assert result.dateline_place == "pristina"
    assert by_key(result, PLACE)["pristina"].mentions == ()


def test_unknown_dateline_is_a_new_city(run, by_key):
    result = run("KFOR soldiers met local leaders.", dateline="RASKA")
    assert result.dateline_place == "raska"
    place = by_key(result, PLACE)["raska"]
    assert place.label == "Raska" and place.place_kind is PlaceKind.CITY and place.mentions == ()


def test_dateline_with_region_and_bilingual_name(run):
    assert run("Text.", dateline="GJILAN/GNJILANE, Kosovo").dateline_place == "gjilan"
    assert run("Text.", dateline="12 May 2016").dateline_place is None


def test_demonyms_are_not_places(run, by_key):
    result = run("Italian and Hungarian soldiers were injured.")
    assert by_key(result, PLACE) == {}
