"""Investors and the lead."""
from orchestration.parsing import extract
from tests.parsing.util import articles


def investors(*texts):
    ex = extract(articles(*texts))
    return {(r["investor"], r["is_lead"], r["is_existing"]) for r in ex.investor_mentions.to_dicts()}


def names(*texts):
    return sorted(n for n, _, _ in investors(*texts))


def test_lead_is_an_investor():
    got = investors("Acme lève 10 millions d’euros. Le tour est mené par Alto Partners, avec la participation de Bpifrance.")
    assert ("Alto Partners", True, None) in got and ("Bpifrance", False, None) in got


def test_english_led_by_and_participation():
    got = names("Brightloop raised €22 million in a Series A led by Spree Ventures, with participation from Ahorn Capital.")
    assert got == ["Ahorn Capital", "Spree Ventures"]


def test_subject_list_before_participation_verb():
    got = names("Acme a levé 235 millions de dollars. Google, Amazon, Nvidia et Salesforce & Sound Ventures ont participé à l’opération.")
    assert got == ["Amazon", "Google", "Nvidia", "Salesforce Ventures", "Sound Ventures"]


def test_persons_not_employers():
    got = names(
        "Acme a levé 100 millions de dollars. Les investisseurs existants ont remis au pot, comme Lux Capital, le fonds "
        "Addition de Lee Fixel (investisseur dans Stripe et Spotify), le basketteur Kevin Durant, Olivier Pomel, "
        "co-fondateur et CEO de Datadog, Florian Douetteau, CEO de Dataiku ou encore Thibault Elzière d’Upflow.")
    assert got == ["Addition", "Florian Douetteau", "Kevin Durant", "Lux Capital", "Olivier Pomel", "Thibault Elzière"]


def test_existing_and_new_investors():
    got = investors(
        "Zeta lève 1 milliard de dollars. Ce tour est mené par son actionnaire historique Accel et voit remettre au pot "
        "Y Combinator et le groupe Nvidia. De nouveaux investisseurs rejoignent le tour de table, parmi lesquels Cisco "
        "Investments et Elad Gil.")
    assert ("Accel", True, True) in got and ("Nvidia", False, True) in got and ("Elad Gil", False, False) in got


def test_apposition_after_a_colon_list():
    got = names("Kyutai ouvre. Les trois mécènes ayant alloué 300 millions d’euros au projet : Xavier Niel, patron de l’opérateur "
                "Iliad (actionnaire du Monde), Eric Schmidt, ex-PDG de Google, et Rodolphe Saadé, PDG de l’armateur CMA CGM.")
    assert got == ["Eric Schmidt", "Rodolphe Saadé", "Xavier Niel"]


def test_genitive_owner_is_not_the_investor():
    got = names("Acme lève 5 millions d’euros. Sound Ventures, la société d’investissement de l’acteur Ashton Kutcher, "
                "participe aussi au tour de table.")
    assert got == ["Sound Ventures"]


def test_existing_investors_phrase_in_english():
    got = investors("Harbor Health has raised £32 million led by Kestrel Ventures. Existing investors Fenwick Capital "
                    "and Seedrun also participated.")
    assert ("Fenwick Capital", False, True) in got and ("Seedrun", False, True) in got


def test_investors_go_to_the_announced_round_not_the_recalled_one():
    ex = extract(articles(
        "Zeta lève 1 milliard de dollars. Sa précédente levée, en 2021, lui avait permis de réunir 325 millions de "
        "dollars. Ce nouveau tour est mené par Accel."))
    rm = {r["mention_id"]: r["amount"] for r in ex.round_mentions.to_dicts()}
    assert [rm[r["mention_id"]] for r in ex.investor_mentions.to_dicts()] == [1e9]


def test_customers_named_near_investors_are_not_investors():
    got = names("Acme a levé 5 millions d’euros auprès de Kima Ventures. Le distributeur Damart, premier client, "
                "n’entre pas au capital.")
    assert got == ["Kima Ventures"]


def test_grant_giver_is_the_investor():
    assert names("Cryolab a obtenu une subvention de 2,4 millions d’euros de Bpifrance dans le cadre du plan.") == ["Bpifrance"]
    assert names("Fernway has been awarded a £1.5m grant by Innovate UK to develop surveys.") == ["Innovate UK"]


def test_subject_that_led_the_round_is_the_lead():
    got = investors("Helix Forge has raised $300 million in a Series D. Summit Ridge led the round again, joined by "
                    "new investor Meridian Capital Management.")
    leads = {n for n, lead, _ in got if lead}
    assert leads == {"Summit Ridge"} and ("Meridian Capital Management", False, False) in got


def test_weak_cue_needs_a_name_after_it():
    # the investor is the subject of "a investi"; "notamment investi dans X" lists no investors
    assert names("Serac Partners a notamment investi dans Nova Grid et dans Ciel Bleu, dont il a mené le tour de "
                 "25 millions d’euros.") == ["Serac Partners"]


def test_person_not_the_firm_in_english():
    got = names("Wren Analytics has raised $1.2 million. The round was led by Hudson Angels, with participation from "
                "angel investors including Dana Kim, a partner at Foghorn Capital who is investing personally.")
    assert got == ["Dana Kim", "Hudson Angels"]


def test_customers_in_a_negated_sentence_are_not_investors():
    got = names("Harbor Health has raised £32 million led by Kestrel Ventures. Most of its revenue comes from contracts "
                "with NHS trusts and insurers such as Bupa, which is a customer and not an investor.")
    assert got == ["Kestrel Ventures"]


def test_subscribed_by_and_en_tete_lead():
    got = investors("Trèfle a bouclé un bridge de deux millions d’euros en obligations convertibles. Ce financement a été "
                    "souscrit par ses investisseurs historiques, Atlantique Ventures en tête.")
    assert ("Atlantique Ventures", True, True) in got


def test_person_investing_personally_after_the_verb():
    got = names("Nova Grid lève 18 millions d’euros en série A menée par Alto Partners. Claire Vasseur, cofondatrice de "
                "l’énergéticien Voltaïa, investit également à titre personnel.")
    assert got == ["Alto Partners", "Claire Vasseur"]


def test_angel_investors_descriptor_is_no_name():
    got = names("Quillon raised a £5M seed round led by Tamesis Ventures. Angel investors including Priya Raman, "
                "founder of Ledgerline, also joined.")
    assert got == ["Priya Raman", "Tamesis Ventures"]


def test_persuaded_investors():
    assert names("La jeune pousse Datakit a convaincu Kima Ventures et Side Capital d'investir 4 millions d'euros.") == [
        "Kima Ventures", "Side Capital"]
    assert extract(articles("La jeune pousse Datakit a convaincu Kima Ventures et Side Capital d'investir 4 millions "
                            "d'euros.")).round_mentions["company"].to_list() == ["Datakit"]


def test_bare_participated_and_equity():
    got = names("Tidewater AI raised $60M in a Series B led by Granite Peak Partners. Existing investors Lattice Capital "
                "and Pierside Ventures participated.")
    assert got == ["Granite Peak Partners", "Lattice Capital", "Pierside Ventures"]
    ex = extract(articles("Le montant se décompose en 20 millions d'euros de fonds propres, dans le cadre d'une série B "
                          "menée par Armor Partners, et 10 millions d'euros de dette bancaire."))
    assert sorted(ex.round_mentions["amount"].to_list()) == [10e6, 20e6]


def test_institutions_keep_their_adjective():
    """'European' opens the name of an institution, it is no demonym to strip."""
    got = names("Voltkraft raised €60m in a Series C led by Blue Heron Capital, with participation from the "
                "European Innovation Council Fund.", "Seapoint secured €12m in debt financing from the European Investment Bank.")
    assert got == ["Blue Heron Capital", "European Innovation Council Fund", "European Investment Bank"]


def test_along_with_and_took_part():
    got = names("Aubrac AI has raised $200 million in a Series D round led by Meridian Crest. Existing investors "
                "Brume Capital and Hexa Partners also took part, along with Nvidia.")
    assert got == ["Brume Capital", "Hexa Partners", "Meridian Crest", "Nvidia"]
    assert names("Acme lève 5 M€ auprès de Kima. Sowefund a également pris part à l'opération, avec Alto.") >= ["Kima"]


def test_the_company_with_its_legal_form_is_no_investor():
    got = names("Corvanta Secures US$ 15 Million Series A\n\nNews provided by Corvanta Inc.\n\n"
                "Corvanta today announced a US$ 15 million Series A led by Longhorn Growth Partners.")
    assert got == ["Longhorn Growth Partners"]
