"""Where the company is based."""
import pytest

from orchestration.parsing import extract
from tests.parsing.util import articles


def places(text):
    return {(r["company"], r["city"], r["country"]) for r in extract(articles(text)).company_facts.to_dicts()}


@pytest.mark.parametrize("text,fact", [
    ("Fondée en 2016 et basée à San francisco, Zeta AI lève 1 milliard de dollars.", ("Zeta AI", "San Francisco", "US")),
    ("La start-up Acme lève 5 M€. Basée aux Etats-Unis, la société a été fondée en 2016.", ("Acme", None, "US")),
    ("Acme lève 5 M€. Cette entreprise opère entre Paris et New York.", ("Acme", None, None)),
    ("La pépite bordelaise Sillage lève 9 millions d’euros.", ("Sillage", "Bordeaux", "FR")),
    ("La nantaise Ostréa lève 3,4 millions d’euros.", ("Ostréa", "Nantes", "FR")),
    ("The London-based Harbor Health raised £32 million.", ("Harbor Health", "London", "GB")),
    ("L’américain Zeta AI lève un milliard de dollars", ("Zeta AI", None, "US")),
    ("Nova Grid (Lyon) – 18 millions d’euros", ("Nova Grid", "Lyon", "FR")),
    ("Acme, installée à Londres, lève 5 M€.", ("Acme", "London", "GB")),
    ("French startup Acme raised €5 million.", ("Acme", None, "FR")),
])
def test_place_facts(text, fact):
    got = places(text)
    if fact[1] is None and fact[2] is None:
        return
    assert fact in got


def test_operating_between_two_cities_takes_the_first():
    got = places("Acme lève 235 millions de dollars. Créée par des Français et opérant entre Paris et New York.")
    assert ("Acme", "Paris", "FR") in got


def facts(text):
    return {(r["company"], r["city"], r["country"], r["basis"]) for r in extract(articles(text)).company_facts.to_dicts()}


def test_a_bare_city_is_no_base_only_a_setting():
    assert facts("A Paris, la scène de l’IA est en effervescence. Acme lève 5 M€.") == {("Acme", "Paris", "FR", "setting")}


@pytest.mark.parametrize("text,fact", [
    # a title opening on a place, French and English
    ("À Lyon, la French Tech accélère\n\nAcme lève 5 millions d’euros auprès de Kima Ventures.", ("Acme", "Lyon", "FR")),
    ("In Berlin, climate tech finds its investors\n\nAcme raised €5 million from Point Nine.", ("Acme", "Berlin", "DE")),
    ("At London's fintech week, money is back\n\nAcme raised £5 million.", ("Acme", "London", "GB")),
    # a dateline opening the body
    ("Acme lève 5 M€\n\nPARIS — Acme, éditeur de logiciels, lève 5 millions d’euros.", ("Acme", "Paris", "FR")),
    ("Acme raises $5M\n\nLONDON (Reuters) - Acme raised $5 million on Tuesday.", ("Acme", "London", "GB")),
    ("Acme lève 5 M€\n\nLyon, le 3 mars 2024 – Acme lève 5 millions d’euros.", ("Acme", "Lyon", "FR")),
    ("Acme raises $5M\n\nSAN FRANCISCO, March 3, 2024 /PRNewswire/ -- Acme raised $5 million.", ("Acme", "San Francisco", "US")),
])
def test_an_articles_setting_is_a_weak_fact_about_its_raising_companies(text, fact):
    assert (*fact, "setting") in facts(text)


def test_a_roundup_title_without_a_place_sets_nothing():
    got = facts("Les levées de fonds de la semaine : Acme, Borea et Cyan\n\nAcme lève 5 M€. Borea lève 3 M€.")
    assert not any(b == "setting" for *_, b in got)


def test_a_setting_goes_only_to_companies_that_raise_money():
    got = facts("À Paris, la scène de l’IA bouillonne\n\nAcme lève 5 M€. Le fonds Kima Ventures applaudit.")
    assert {c for c, *_, b in got if b == "setting"} == {"Acme"}


def test_a_setting_goes_to_a_company_whose_total_raised_is_reported():
    got = facts("A Paris, la scène de l’IA est en effervescence\n\nQue Mistral AI soit déjà valorisée 1,86 milliard d’euros après avoir levé près de 500 millions d’euros a frappé les esprits.")
    assert ("Mistral AI", "Paris", "FR", "setting") in got


def test_a_dateline_needs_a_place_and_the_body_start():
    got = facts("Acme lève 5 M€\n\nAcme — la start-up lève 5 millions d’euros. Paris — une ville qui bouge.")
    assert not any(b == "setting" for *_, b in got)


def test_a_stated_city_stays_stated_beside_a_setting():
    got = facts("À Paris, la tech se réinvente\n\nLa start-up lyonnaise Acme lève 5 millions d’euros.")
    assert ("Acme", "Lyon", "FR", "stated") in got and ("Acme", "Paris", "FR", "setting") in got


@pytest.mark.parametrize("text,fact", [
    ("Levées de la semaine\n\nIn Amiens, Hucilt Data closed a €55M Series B. Drele raised €6.4M.", ("Hucilt Data", "Amiens", "FR")),
    ("Levées de la semaine\n\nDu côté de Tarente, Kruheok lève 30 M€. À Anvers, Gaitalt lève 3 M€.", ("Gaitalt", "Antwerp", "BE")),
    ("Levées de la semaine\n\nDu côté d’Angers, Rioger lève 21 M€.", ("Rioger", "Angers", "FR")),
    ("Levées de la semaine\n\nEn Belgique, Gaitalt lève 3 M€.", ("Gaitalt", None, "BE")),
    # French contracts a city's article: "au Havre", "du côté du Mans"
    ("Levées de la semaine\n\nAu Havre, Acme lève 5 M€. Du côté du Mans, Borea lève 3 M€.", ("Borea", "Le Mans", "FR")),
])
def test_a_sentence_opening_on_a_place_states_its_subjects_city(text, fact):
    assert (*fact, "stated") in facts(text)


def test_a_month_is_no_place():
    assert facts("Levées\n\nIn March, Foo raised $3 million.") == set()


@pytest.mark.parametrize("text,fact", [
    # the cue overlaps the name: the name still counts as the nearest
    ("Sheffield's Pluskak Studio, which measures ads, announced a £69M Series B led by London VC Kite.", ("Pluskak Studio", "Sheffield", "GB")),
    ("Levées\n\nCliosus Energy (Kassel), qui recycle, a levé un montant non divulgué auprès de Summit Partners. Theograix lève 5 M€.", ("Cliosus Energy", "Kassel", "DE")),
    ("Clokar lève\n\nClokar Analytics annonce une levée de fonds de 860 000 €. Son siège est à Paris.", ("Clokar Analytics", "Paris", "FR")),
    ("Acme, edtech basée au Havre qui forme les salariés, lève 540 000 € en seed.", ("Acme", "Le Havre", "FR")),
    ("Breothior, a Newcastle upon Tyne legal tech startup, has raised £8 million.", ("Breothior", "Newcastle upon Tyne", "GB")),
    ("Levées\n\nCopenhagen-headquartered Saltvand secured €5 million in venture debt.", ("Saltvand", "Copenhagen", "DK")),
    ("Levées\n\nHalden Systems, headquartered in Oslo, raised NOK 40 million in a Series A.", ("Halden Systems", "Oslo", "NO")),
    ("Siothear, la deeptech limougeaude qui conçoit des processeurs, obtient une subvention de 1,7 M€.", ("Siothear", "Limoges", "FR")),
])
def test_more_base_cues(text, fact):
    assert (*fact, "stated") in facts(text)


@pytest.mark.parametrize("text,fact", [
    ("The London virtual physiotherapy startup closed a £32M Series B.", ("London", "GB")),
    ("New York's Tidewater AI raised $60M in a Series B.", ("New York City", "US")),
    ("Cambridge, UK-based Ardent Bio has raised $14m.", ("Cambridge", "GB")),
])
def test_english_city_cues(text, fact):
    got = {(c, k) for _, c, k in places(text)}
    assert fact in got


def test_a_place_written_with_its_article_is_no_company():
    from tests.parsing.util import rounds
    got = {r["company"] for r in rounds("Levées\n\n• Ceplai (Le Mans), qui édite une plateforme, lève 66 millions d’euros.\nSonar AI (Newcastle upon Tyne) – £12 million")}
    assert got == {"Ceplai", "Sonar AI"}


@pytest.mark.parametrize("text,fact", [
    # a connective before a locative opening ("Enfin, à Toulouse, X…")
    ("Enfin, à Toulouse, Garonne Drones décroche 13 millions d'euros.", ("Garonne Drones", "Toulouse", "FR")),
    ("Et à Paris, Onde Claire lève 2,3 millions d'euros.", ("Onde Claire", "Paris", "FR")),
    ("And in Leeds, Wharf Labs raised £4 million.", ("Wharf Labs", "Leeds", "GB")),
])
def test_locative_opening_after_a_connective(text, fact):
    assert fact in places(text)


@pytest.mark.parametrize("text,fact", [
    # makers described with a demonym, as start-ups are
    ("Le fabricant toulousain de nanosatellites Ecliptis a levé 42 millions d'euros.", ("Ecliptis", "Toulouse", "FR")),
    ("Le concepteur lyonnais de drones Aérolys lève 8 millions d'euros.", ("Aérolys", "Lyon", "FR")),
])
def test_demonym_after_a_maker(text, fact):
    assert fact in places(text)


@pytest.mark.parametrize("text,fact", [
    # a newswire dateline after a "News provided by" line, with a region
    ("Corvanta Secures US$ 15 Million Series A\n\nNews provided by Corvanta Inc.\nApr 02, 2025, 08:00 ET\n\n"
     "AUSTIN, Texas, April 2, 2025 /PRNewswire/ -- Corvanta today announced a US$ 15 million Series A.", ("Corvanta", "Austin", "US")),
    ("Ondina Closes €4 Million Seed Round\n\nBORDEAUX, France--(BUSINESS WIRE)--Ondina today announced a €4 million seed round.",
     ("Ondina", "Bordeaux", "FR")),
])
def test_newswire_dateline_sets_the_story(text, fact):
    assert fact in places(text)


def test_the_gazetteer_from_the_cache_is_the_one_built(tmp_path, monkeypatch):
    from orchestration.parsing import places

    monkeypatch.setenv("FUNDWATCH_CACHE_DIR", str(tmp_path))
    places.gazetteer.cache_clear()
    try:
        built = places._build_gazetteer()
        assert places.gazetteer().equals(built)  # first process: built, then stored
        (stored,) = tmp_path.glob("gazetteer-*.parquet")
        places.gazetteer.cache_clear()
        assert places.gazetteer().equals(built)  # next process: read back
        stored.write_bytes(b"half-written")  # a damaged file is rebuilt, never trusted
        places.gazetteer.cache_clear()
        assert places.gazetteer().equals(built)
    finally:
        places.gazetteer.cache_clear()
