"""Sentence splitting with offsets into the article text."""
import polars as pl

from orchestration.parsing.language import detect_language
from orchestration.parsing.text import find_all, split_sentences
from tests.parsing.util import articles


def sentences(text):
    return split_sentences(articles(text)).to_dicts()


def test_offsets_point_into_the_text():
    text = "Titre de l'article\n\nAcme lève 10.000 euros. Elle vaut 1.2bn ! Fin"
    for s in sentences(text):
        assert text[s["s_start"]:s["s_end"]] == s["sentence"]
    assert [s["sentence"] for s in sentences(text)] == ["Titre de l'article", "Acme lève 10.000 euros.", "Elle vaut 1.2bn !", "Fin"]


def test_decimal_points_and_domains_do_not_end_sentences():
    assert len(sentences("Booking.com a levé 1.5 milliard. Deux.")) == 2


def test_titles_of_persons_do_not_end_sentences():
    assert len(sentences("Selon M. Dupont, la société a levé 5 M€. Fin.")) == 2


def test_single_capital_before_a_capitalised_sentence_ends_it():
    texts = [s["sentence"] for s in sentences("Le lancement a eu lieu à Station F. Etaient présents trois mécènes.")]
    assert texts == ["Le lancement a eu lieu à Station F.", "Etaient présents trois mécènes."]


def test_teasers_are_sentences_of_their_own():
    rows = sentences("Corps du texte.\n\nÀ lire aussiMistral AI lève 105 millions d’euros\n\nSuite.")
    teaser = [r for r in rows if r["is_teaser"]]
    assert [r["sentence"] for r in teaser] == ["Mistral AI lève 105 millions d’euros"]


def test_find_all_gives_offsets():
    df = pl.DataFrame({"t": ["a1 b22 c333"]})
    out = find_all(df, "t", r"\d+", "m").to_dicts()
    assert [(r["m"], r["m_start"], r["m_end"]) for r in out] == [("1", 1, 2), ("22", 4, 6), ("333", 8, 11)]


def test_language_by_function_words():
    df = pl.DataFrame({"t": ["La start-up a levé des fonds pour la croissance.", "The startup has raised money for the growth of its team."]})
    assert df.select(detect_language(pl.col("t")).alias("lang"))["lang"].to_list() == ["fr", "en"]
