"""Who raised it."""
import pytest

from tests.parsing.util import rounds


def companies(*texts):
    return [(r["company"], r["amount"]) for r in rounds(*texts)]


@pytest.mark.parametrize("text,company", [
    ("La start-up Acme Robotics annonce avoir levé 12 millions d’euros.", "Acme Robotics"),
    ("L’américain Zeta AI lève un milliard de dollars", "Zeta AI"),
    ("Sa société, Zeta AI, annonce avoir bouclé un tour de table de 40 millions d’euros.", "Zeta AI"),
    ("Quant à Borea, fondée en 2016, elle a de nouveau récolté 18 millions d’euros en août.", "Borea"),
    ("Les 105 millions de dollars levés par le Français Mistral AI ont marqué.", "Mistral AI"),
    ("London-based Harbor Health has raised £32 million in a Series B round.", "Harbor Health"),
    ("Geneva-based Alpinum raises CHF 18 million for avalanche sensors", "Alpinum"),
    ("Kima Ventures a investi 3 millions d’euros dans Ostréa.", "Ostréa"),
    ("De même que l’installation à Paris, après un tour de table de plus de 100 millions d’euros, de Poolside.", "Poolside"),
    ("La pépite lyonnaise Pépin signe un pré-amorçage de 1,8 million d’euros.", "Pépin"),
    ("Selon TechCrunch, Orbital a levé 5 millions de dollars.", "Orbital"),
])
def test_company_of_a_round(text, company):
    assert companies(text)[0][0] == company


def test_pronoun_carries_the_previous_company():
    text = ("Il y a un an, Nimbus levait 40 millions de dollars. Aujourd’hui, la start-up cofondée par Jean Dupont "
            "frappe un grand coup : elle vient de collecter 100 millions de dollars en série C.")
    assert companies(text) == [("Nimbus", 40e6), ("Nimbus", 100e6)]


def test_descriptor_subject_carries_the_round_up_heading():
    text = ("Les levées de la semaine\n\nNova Grid (Lyon) – 18 millions d’euros\nLa start-up lyonnaise, qui pilote les "
            "micro-réseaux, boucle une série A de 18 M€ menée par Alto Partners.\n\nVitalia (Strasbourg) – 4,8 millions "
            "d’euros\nBasée à Strasbourg, Vitalia développe un test. Elle lève 4,8 millions d’euros en amorçage.\n\n"
            "Ondine (Rennes) – 2 millions d’euros\nLa rennaise Ondine lève deux millions d’euros en amorçage.")
    assert companies(text) == [("Nova Grid", 18e6), ("Vitalia", 4.8e6), ("Ondine", 2e6)]


def test_sentence_initial_common_noun_is_no_company():
    text = ("Quant à Borea, elle a récolté 18 millions d’euros. Plate-forme de référence du secteur, elle est "
            "valorisée 400 millions d’euros.")
    r = rounds(text)[0]
    assert r["company"] == "Borea" and r["valuation"] == 400e6


def test_lever_le_voile_is_no_raise():
    assert rounds("Kubik lève le voile sur sa nouvelle batterie à 2 millions d’euros l’unité.") == []


def test_main_company_when_the_sentence_names_none():
    text = ("Kyutai, un laboratoire\n\nKyutai ouvre ses portes. Kyutai recrute. Etaient présents les trois mécènes "
            "ayant alloué 300 millions d’euros au projet : Xavier Niel, patron d’Iliad, et Eric Schmidt.")
    assert companies(text) == [("Kyutai", 300e6)]


def test_antecedent_of_a_relative_clause():
    text = ("Mais les investisseurs gardent en mémoire la chute de Synapse Médical : la société parisienne, qui avait "
            "levé 120 millions d’euros en 2021, a fermé.")
    assert companies(text)[0][0] == "Synapse Médical"
    text = "Serac Partners a investi dans Ciel Bleu Énergie, dont il a co-mené le tour de 25 millions d’euros."
    assert companies(text)[0][0] == "Ciel Bleu Énergie"


def test_title_subject_is_the_main_company():
    text = ("Medisense s’offre le néerlandais GlucoTrack\n\nLa grenobloise Medisense annonce le rachat de la société "
            "néerlandaise GlucoTrack. L’opération est financée par la série A de 12 millions d’euros bouclée le mois "
            "dernier. Medisense avait levé 3 millions d’euros en 2021. GlucoTrack, qui emploie 15 personnes, apporte un algorithme.")
    assert companies(text)[0][0] == "Medisense"


def test_a_preposition_before_a_title_name_makes_it_no_subject():
    text = ("Après Nova Grid et Quantix, Lyon tient une nouvelle pépite : Azimut Bio\n\nLa start-up lyonnaise annonce "
            "une levée de 12 M$ en série A. Azimut Bio vise la FDA.")
    assert companies(text)[0][0] == "Azimut Bio"


def test_lender_gives_to_the_company():
    text = "La Banque européenne d'investissement (BEI) accorde un prêt de 8 millions d'euros à la biotech marseillaise Cellia."
    assert companies(text)[0][0] == "Cellia"


def test_a_date_dates_the_figure_nearest_to_it():
    import datetime as dt

    rs = rounds("Orbital, qui avait levé 10 millions d'euros l'an dernier, annonce une levée de 40 millions d'euros.",
                published=dt.date(2024, 6, 12))
    by_amount = {r["amount"]: r for r in rs}
    assert by_amount[10e6]["announced_on"] == dt.date(2023, 1, 1) and by_amount[10e6]["is_recalled"]
    assert by_amount[40e6]["announced_on"] == dt.date(2024, 6, 12) and not by_amount[40e6]["is_recalled"]


def test_a_subject_giving_the_money_is_not_the_raiser():
    text = ("Hydrolia has raised €40 million in a Series B. On top of the equity round, the European Investment Bank is "
            "providing €10.5 million in venture debt, which Hydrolia will use to build a plant.")
    assert [c for c, _ in companies(text)] == ["Hydrolia", "Hydrolia"]


def test_gapping_gives_each_figure_its_company():
    got = companies("Cette semaine, Alan a levé 173 millions d'euros, Pennylane 75 millions et Swile 200 millions.")
    assert got == [("Alan", 173e6), ("Pennylane", 75e6), ("Swile", 200e6)]


@pytest.mark.parametrize("text,company", [
    # complement_after_de_l: a name after "de l'" is a complement, as after "de"
    ("Sablière, fondée par deux anciens ingénieurs de l'École centrale, annonce une levée de 35 millions d'euros.", "Sablière"),
    ("Acme, founded by two alumni of the Royal College, raised $12 million.", "Acme"),
    # agent_behind_a_title: "par la docteure X" is the agent of the participle, no subject
    ("Osmia, fondée à Bordeaux par la docteure Camille Nguyen, vient de lever deux millions d'euros.", "Osmia"),
    ("Tessel, founded in 2023 by the engineer Ciara Doyle, raised €6.5m in a seed round.", "Tessel"),
    # headline_verb_tail: a title-case headline's verb ends the company name
    ("Corvanta Secures US$ 15 Million Series A to Expand AI-Powered Claims Automation", "Corvanta"),
    ("Helioscribe Awarded £1.2 Million Innovate UK Grant", "Helioscribe"),
    ("Pixelune Lève 800 k€ Pour Son Outil De Sous-Titrage", "Pixelune"),
    # lead_names_its_target: a lead verb then "round in X" names the raiser
    ("Last month, Atlantico Verde led a €5m round in Seville-based solar startup Solara Grid.", "Solara Grid"),
    ("Le mois dernier, Kima a mené un tour de 2 millions d'euros dans la start-up Ostréa.", "Ostréa"),
])
def test_company_of_a_round_issue3(text, company):
    assert companies(text)[0][0] == company


@pytest.mark.parametrize("text,company", [
    # bracketed_place: a name alone in brackets after another name qualifies it
    ("- Saeclaes Pay (Halle), which makes an AI assistant for lawyers, announced a €17m round.", "Saeclaes Pay"),
    ("Hiplion (Genève) – 860 000 francs suisses", "Hiplion"),
    ("- Cudent ('s-Hertogenbosch), which builds grid software, raised €3 million in a seed round.", "Cudent"),
    # relative_without_comma: "that captures CO2", "qui capte le CO2"
    ("Sisken, a Livorno carbon capture startup that captures CO2 from chimneys, has closed a €1.7m round.", "Sisken"),
    ("Pozeal, cleantech lilloise qui capte le CO2 des cheminées industrielles, lève 800 000 €.", "Pozeal"),
    ("The company said that Acme raised $5M.", "Acme"),
    # sector words ending in -tech lead a name, they are none
    ("Installée à Amiens, la HRtech Deanin annonce une levée de fonds de 15,2 M€.", "Deanin"),
    ("The LegalTech Quillon raised €2m.", "Quillon"),
])
def test_company_of_a_round_issue3_round_ups(text, company):
    assert companies(text)[0][0] == company
