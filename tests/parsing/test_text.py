"""Sentence splitting with offsets into the article text."""
import random

import polars as pl

from orchestration.parsing.language import detect_language
from orchestration.parsing.text import SENTENCE_END, find_all, split_sentences
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


# The sentence as one pattern matching every character of it, the definition SENTENCE_END's
# cuts must reproduce: text up to a terminator run followed by a space, a closing quote or the
# end, or up to a line break, plus the whitespace after it
WHOLE_SENTENCE = r"[^\n.!?…]*(?:[.!?…]+[^\s.!?…\"»”)][^\n.!?…]*)*(?:[.!?…]+[\"»”)]*|\n)?\s*"


def test_cutting_after_sentence_ends_gives_the_whole_sentences():
    rng = random.Random(7)
    alphabet = list("ab1 .!?…\"»”“«')\n\r\t(") + ["\u00a0", "\u202f", "\u2024", "\x01", "Acme", "10.5", "Inc.", "..."]
    texts = ["", ".", "...", "a", "a.", "a. ", "a.\n\nb", "a.)b", "« a. » b", "x\n", "\n\n"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    frame = pl.DataFrame({"t": texts})
    whole = frame.select(pl.col("t").str.extract_all(WHOLE_SENTENCE))["t"].to_list()
    cut = frame.select(pl.col("t").str.replace_all(SENTENCE_END, "${0}\x00").str.split("\x00"))["t"].to_list()
    for text, expected, got in zip(texts, whole, cut):
        assert [p for p in got if p] == [p for p in expected if p], repr(text)


def test_nul_characters_in_the_text_neither_cut_nor_shift_sentences():
    # the splitter marks its cuts with NUL: the text's own must not read as cuts (a NUL is
    # neither space nor terminator, so "M€.<NUL>" goes on)
    text = "Acme lève 5 M€.\x00 Deux\x00trois. Fin"
    rows = sentences(text)
    assert [r["sentence"] for r in rows] == ["Acme lève 5 M€.\x00 Deux\x00trois.", "Fin"]
    for r in rows:
        assert text[r["s_start"]:r["s_end"]] == r["sentence"]


def test_find_all_gives_offsets():
    df = pl.DataFrame({"t": ["a1 b22 c333"]})
    out = find_all(df, "t", r"\d+", "m").to_dicts()
    assert [(r["m"], r["m_start"], r["m_end"]) for r in out] == [("1", 1, 2), ("22", 4, 6), ("333", 8, 11)]


def test_language_by_function_words():
    df = pl.DataFrame({"t": ["La start-up a levé des fonds pour la croissance.", "The startup has raised money for the growth of its team."]})
    assert df.select(detect_language(pl.col("t")).alias("lang"))["lang"].to_list() == ["fr", "en"]
