"""Investors and the lead: lists after a cue ("mené par", "auprès de", "led by",
"parmi lesquels") or before a participation verb ("X et Y ont participé"),
split into names, with descriptors and appositions removed.

Items: "le basketteur Kevin Durant" -> Kevin Durant (leading lowercase words go);
"Olivier Pomel, co-fondateur et CEO de Datadog" -> Olivier Pomel (an item
starting with a job title is an apposition); "la société ... de l'acteur X"
-> dropped (a genitive with an article names an owner, not the investor);
"Salesforce & Sound Ventures" -> Salesforce Ventures, Sound Ventures (a shared
fund suffix distributes over "&").
"""
from __future__ import annotations

import polars as pl

from .companies import GENERIC, WORD_U, with_lead_length
from .places import fold
from .text import find_all, fold_expr, mentions_any, rx, shift_in_group

_DE = r"(?:de\s+|d['’]\s*|du\s+|des\s+)"
LEAD_CUE = (
    r"(?i:\b(?:co-?)?(?:men[ée]e?s?|emmen[ée]e?s?|pilot[ée]e?s?|conduite?s?|dirig[ée]e?s?|orchestr[ée]e?s?)\s+"
    r"(?:conjointement\s+|notamment\s+|principalement\s+)?par\s+|\b(?:co-)?led\s+by\s+|\bspearheaded\s+by\s+|\bheaded\s+by\s+)"
)
PART_CUE = (
    rf"(?i:\bauprès\s+{_DE}|\bavec\s+la\s+participation\s+{_DE}|\baux\s+côtés\s+{_DE}|\brejoints?\s+par\s+"
    rf"|\bsouscrite?s?\s+par\s+(?:ses\s+|les\s+|des\s+)?|\bapportée?s?\s+par\s+|\bsubscribed\s+(?:to\s+)?by\s+|\bprovided\s+by\s+"
    rf"|\b(?:convaincu|séduit|attiré|convinced|attracted|persuaded|won\s+over)\s+(?:des\s+investisseurs\s+comme\s+|investors\s+such\s+as\s+)?"
    rf"|\bsoutenue?s?\s+par\s+|\baccompagnée?s?\s+par\s+|\bfinancée?s?\s+par\s+|\bbacked\s+by\s+"
    rf"|\bwith\s+(?:the\s+)?participation\s+(?:from|of|by)\s+|\bparticipation\s+(?:from|of)\s+|\balongside\s+|\balong\s+with\s+|\btogether\s+with\s+"
    rf"|\bjoined\s+by\s+|\bparmi\s+(?:lesquels|lesquelles|eux|elles)\s+|\bremettre\s+au\s+pot\s+|\bremis\s+au\s+pot\s*,?\s*"
    rf"|\bremettent\s+au\s+pot\s*,?\s*|\binvestors\s+include\s+|\bfrom\s+investors\s+(?:including\s+)?"
    rf"|\b(?:investisseurs|investors|mécènes|backers|actionnaires|shareholders|business\s+angels|participants)\b[^.:;]{{0,80}}:\s*"
    # the giver of a grant or loan: "une subvention de 2,4 millions d'euros de Bpifrance", "a grant by Innovate UK"
    rf"|\b(?:euros?|dollars?|livres?|francs\s+suisses|€|\$|£|[MmKk]€)\s+(?:de\s+la\s+part\s+)?(?:de\s+l['’]|de\s+la\s+|du\s+|de\s+|d['’])"
    rf"|\b(?:grant|loan|subsidy|facility|award)\s+(?:from|by)\s+(?:the\s+)?|\bawarded\s+(?:\S+\s+){{0,4}}?by\s+(?:the\s+)?"
    rf"|\b(?:sélectionnée?s?|retenue?s?|selected|chosen)\s+par\s+(?:l['’]|le\s+|la\s+)?|\bselected\s+by\s+(?:the\s+)?)"
)
WEAK_CUE = r"(?i:\bcomme\s+|\bnotamment\s+|\bdont\s+|\bincluding\s+|\bsuch\s+as\s+|\bfrom\s+|\bavec\s+|\bvia\s+)"
INVESTOR_CONTEXT = r"(?i)\b(?:investisseurs?|investors?|fonds\s+(?:d['’]investissement|de\s+capital)|funds|business\s+angels?|VC|actionnaires?|backers?|mécènes?|participants?)\b"
VERB_AFTER = (
    r"(?i:\s+(?:ont|a|have|has)\s+(?:également\s+|aussi\s+|notamment\s+|also\s+)?(?:participé|pris\s+part|taken\s+part|participated)"
    r"\s+(?:\S+\s+){0,2}?(?:à|au|in|to)\s+(?:l['’]|la\s+|le\s+|ce\s+|cette\s+|un\s+|the\s+|this\s+)?(?:opération|levée|tour|round|financement|funding|raise|augmentation|deal|investissement|investment)"
    r"|\s+(?:participent|participe|participated|took\s+part|prend\s+part|prennent\s+part)\s+(?:\S+\s+){0,2}?(?:à|au|in|to)\s+(?:l['’]|la\s+|le\s+|ce\s+|cette\s+|un\s+|the\s+|this\s+)?(?:opération|levée|tour|round|financement|funding|raise|augmentation|deal|investissement|investment)"
    r"|\s+(?:ont|a|have|has)\s+(?:également\s+|aussi\s+|notamment\s+|also\s+)?(?:investi|remis\s+au\s+pot|réinvesti|invested|chipped\s+in)"
    r"|\s+(?:investissent|réinvestissent|remettent\s+au\s+pot|also\s+invested|invested|se\s+joignent\s+au\s+tour|rejoignent\s+le\s+tour|joined\s+the\s+round)"
    r"|\s+(?:(?:have|has|ont|a)\s+)?(?:also|également|aussi)\s+(?:participated|joined|invested|participé|investi|participent|participe|put\s+in|chipped\s+in|returned|took\s+part|pris\s+part)"
    r"|\s+(?:(?:a|ont|has|have)\s+)?(?:co-?)?(?:led|leads|mené|mène|mènent|co-?mené|conduit|piloté|pilote|emmené|dirigé)\s+(?:again\s+|à\s+nouveau\s+)?"
    r"(?:the\s+|this\s+|l['’]|le\s+|la\s+|ce\s+|cette\s+)?(?:round|opération|tour|levée|financement|investment|deal)"
    r"|\s+(?:investit|investissent|invests|participe|participent|se\s+joint|se\s+joignent)\s+(?:également|aussi|as\s+well|too|à\s+titre\s+personnel|personally)"
    r"|\s+(?:participated|ont\s+participé|a\s+participé|participent|participe|joined|returned|se\s+sont\s+joints)\s*[.;]?\s*$"
    r"|\s+(?:returned|participated\s+(?:as\s+well|too)|followed\s+on|ont\s+suivi|ont\s+remis\s+au\s+pot|remettent\s+au\s+pot|ont\s+réinvesti|also\s+put\s+in\s+money)\b)"
)
SPAN_END = (
    r"(?i)^(.*?)(?:[.;!?«»]|:\s|\s[–—-]\s|\b(?:pour|afin|qui|which|who|that|portant|bringing|valorisant|valuing|selon"
    r"|according|dans\s+le\s+cadre|in\s+order|to\s+(?:help|fund|finance|accelerate|expand|develop|support|grow|build)"
    r"|et\s+(?:voit|a|est|permet|devrait|compte|va|vont|ont)|ce\s+qui|soit|at\s+a|à\s+une|lors)\b|$)"
)
SPLIT = r"\s*,\s*|\s+et\s+|\s+and\s+|\s*;\s*|\s+ainsi\s+que\s+|\s+as\s+well\s+as\s+|\s+ou\s+encore\s+|\s+ou\s+|\s+or\s+"
TITLE = (
    r"(?i)^(?:(?:a|an|the|le|la|l['’]|un|une|son|sa|its|their)\s+)?(?:co-?fondat\w*|cofondat\w*|fondat\w*|co-?founder|founder|ceo|pdg|dg|cto|coo|cfo|président\w*|president"
    r"|directeur|directrice|patron\w*|ex-|ancien\w*|former|partner|associée?|managing|chairman|head|boss|chief|chef"
    r"|responsable|membre|member|investisseur\s+dans|investor\s+in|general\s+partner|fils\s+d|fille\s+d|son\s+of|daughter\s+of|l['’]ex-)\b"
)
GENITIVE = r"(?i)^(?-i:[^\p{Lu}])*\b(?:de\s+(?:la\s|les\s|l['’])|du\s|des\s|of\s+the\s|d['’]\s*(?:un|une)\s)"
FUND_SUFFIX = r"^(\S+)\s*&\s*(.+?)\s+(Ventures|Capital|Partners|Investments|Invest|Fund|Growth|VC)$"
NAME_LEAD = rf"{WORD_U}(?:[ \u00a0](?:(?:des|du|of|for|&)[ \u00a0])?{WORD_U})*"
EXISTING = r"(?i)\b(?:existants?|historiques?|actuels|existing|current\s+investors|déjà\s+présents?|remis\s+au\s+pot|remettre\s+au\s+pot|remettent\s+au\s+pot|réinvesti\w*|returning|follow-on|reinvest\w*|previous\s+backers)\b"
NEW = r"(?i)\b(?:nouveaux\s+investisseurs|nouvel\s+investisseur|nouveaux\s+venus|new\s+investors?|new\s+backers?|rejoints?|rejoignent|joined\s+by|newcomers?|fait\s+son\s+entrée|font\s+leur\s+entrée|entrent\s+au\s+capital)\b"
# every cue holds one of these (a prefilter that spares most sentences the cue patterns)
CUE_WORDS = [
    "par ", "by ", "aupres", "participation", "cotes", "rejoint", "soutenu", "accompagn", "financ", "backed", "alongside", "along with", "together with",
    "joined", "parmi", "au pot", "include", "investor", "investisseur", "mecene", "particip", "invest", "returned",
    "backer", "angel", "actionnaire", "shareholder", "comme ", "notamment", "dont ", "including", "such as", "from ",
    "avec ", "via ", "took part", "pris part", "prend part", "prennent part", "chipped", "put in", "suivi", "followed",
    "euro", "dollar", "livre", "franc", "€", "$", "£", "grant", "award", "loan", "subsid", "facility", "select", "retenu",
    "led ", "lead", "mene", "convaincu", "seduit", "attire", "convinced", "attracted", "persuaded", "won over", "conduit", "pilot", "emmen", "dirig", "orchestr", "spearhead", "headed",
]
LEAD_VERB = r"(?i)\b(?:co-?)?(?:led|leads|mené|mène|mènent|conduit|piloté|pilote|emmené|dirigé)\b"
# a sentence that says someone did NOT invest, or names customers: weak cues there name no investor
NOT_INVESTING = (
    r"(?i)\b(?:not\s+(?:an?\s+)?invest\w*|did\s+not\s+invest|n['’](?:a|ont|est|entre|entrent)\s+pas|ne\s+participe\s+pas"
    r"|customers?|clients?|partenaires?|partners?\s+(?:such|like|including)|distributeur)\b"
)
SCHEMA = {"article_id": pl.Utf8, "sentence_idx": pl.Int64, "cue_start": pl.Int64, "investor": pl.Utf8, "is_lead": pl.Boolean,
          "is_existing": pl.Boolean, "key": pl.Utf8}



# every pattern runs on accent-folded text with ASCII word boundaries (see text.rx)
LEAD_CUE = rx(LEAD_CUE)
PART_CUE = rx(PART_CUE)
WEAK_CUE = rx(WEAK_CUE)
INVESTOR_CONTEXT = rx(INVESTOR_CONTEXT)
VERB_AFTER = rx(VERB_AFTER)
SPAN_END = rx(SPAN_END)
TITLE = rx(TITLE)
GENITIVE = rx(GENITIVE)
EXISTING = rx(EXISTING)
LEAD_VERB = rx(LEAD_VERB)
NEW = rx(NEW)
# SPAN_END's group is the text before the first clause end (or all of it): without a capture group, the
# clause end and everything after it are cut instead (a DFA search, ~5x faster than capturing); the same
# length as long as the text holds no line break (SPAN_END's "." stops at one; a sentence has none)
_SPAN_END_CUES = SPAN_END[len("(?i)^(.*?)"):-len("|$)")] + ")"
assert SPAN_END == "(?i)^(.*?)" + _SPAN_END_CUES[:-1] + "|$)"
SPAN_REST = f"(?i){_SPAN_END_CUES}(?s:.*)"

def _items(spans: pl.DataFrame) -> pl.DataFrame:
    """Split list spans into cleaned investor names.

    What an item yields (none, one name, or two for "A & B Ventures") depends on its text alone, and
    items recur (2.7k distinct of 41k in 5,000 articles): each distinct item is cleaned once, and the
    names it yields joined back to its occurrences, in order."""
    pieces = (
        spans.with_columns(pl.col("_span").str.replace_all(r"\([^)]*\)|\[[^\]]*\]", " ").alias("_span"))
        .with_columns(pl.col("_span").str.replace_all(SPLIT, "\u0000").str.split("\u0000").alias("_item"))
        .explode("_item")
    )
    per_item = (
        pieces.select(pl.col("_item").unique())
        .with_columns(pl.col("_item").alias("_raw_item"))
        .with_columns(pl.col("_item").str.strip_chars(" ,.;:«»\"“”'’\u00a0\u202f"))
        # "aux côtés d'A et du fonds B": the preposition distributes over the list
        .with_columns(pl.col("_item").str.replace(r"(?i)^(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s+", "")
                      .str.replace(r"(?i)^(?:d['’])", ""))
        .filter(pl.col("_item").str.len_chars() > 1)
        .with_columns(fold_expr(pl.col("_item")).alias("_itemf"))
        # "co-fondateur et CEO de Datadog" is an apposition; "former footballer Lars Becker" describes a name
        .filter(~(pl.col("_itemf").str.contains(TITLE) & pl.col("_itemf").str.contains(rx(r"(?i)\b(?:de|d['’]|du|des|of|at|chez|with|from|for)\b")))
                & ~pl.col("_itemf").str.contains(GENITIVE))
        # "Salesforce & Sound Ventures" -> two funds sharing the suffix
        .with_columns(
            pl.when(pl.col("_item").str.contains(FUND_SUFFIX))
            .then(pl.concat_list(
                pl.col("_item").str.replace(FUND_SUFFIX, "$1 $3"), pl.col("_item").str.replace(FUND_SUFFIX, "$2 $3")))
            .otherwise(pl.concat_list(pl.col("_item"))).alias("_item")
        )
        .explode("_item")
        # "Existing investors Fenwick Capital": a capitalised common word opening a descriptor
        .with_columns(pl.col("_item").str.replace(
            r"^(?:Existing|New|Returning|Current|Previous|Early|Other|Several|Many|Les|Des|Ses|Ces|Nos|Leurs|Plusieurs"
            r"|Nouveaux|Anciens|Son|Sa|Its|Their|Angel|Angels|Business)\s+(?:\p{Ll}[\p{L}-]*\s+)+(\p{Lu})", "$1"))
        # drop leading lowercase descriptors, keep the first capitalised name
        # the whole match (group 0), not a group spanning it: found by the DFA, no capturing engine
        .with_columns(pl.col("_item").str.extract(NAME_LEAD, 0).alias("investor"))
        .pipe(with_lead_length, "investor", fold_expr(pl.col("investor")), "_lead")
        .with_columns(pl.col("investor").str.slice(pl.col("_lead")).str.strip_chars(" -&"))
        .drop("_lead")
        .filter(pl.col("investor").str.len_chars() >= 2)
        .filter(~pl.col("investor").is_in(list(GENERIC)))
        .select("_raw_item", pl.col("_item").alias("_clean_item"), "_itemf", "investor")
    )
    return (pieces.join(per_item, left_on="_item", right_on="_raw_item", how="inner", maintain_order="left_right")
            .with_columns(pl.col("_clean_item").alias("_item")).drop("_clean_item"))


def find_investors(sentences: pl.DataFrame, figure_sentences: pl.DataFrame) -> pl.DataFrame:
    """Investor names per sentence: article_id, sentence_idx, cue_start, investor, is_lead, is_existing, key.

    `figure_sentences` (article_id, sentence_idx) are sentences holding a round
    figure: weak cues ("avec", "comme", "from") count only there or where the
    sentence talks about investors.
    """
    s = sentences.select("article_id", "sentence_idx", "sentence", "sfold").filter(mentions_any(CUE_WORDS))
    strong = find_all(s, "sfold", f"(?P<lead>{LEAD_CUE})|{PART_CUE}", "_cue")
    # the sentences with a weak cue first: the two sentence tests after it are much slower
    weak = find_all(
        s.filter(pl.col("sfold").str.contains(WEAK_CUE)).filter(~pl.col("sfold").str.contains(rx(NOT_INVESTING))).join(figure_sentences.select("article_id", "sentence_idx").unique().with_columns(pl.lit(True).alias("_fig")),
               on=["article_id", "sentence_idx"], how="left")
        .filter(pl.col("sfold").str.contains(INVESTOR_CONTEXT) | pl.col("_fig").is_not_null()).drop("_fig"),
        "sfold", WEAK_CUE, "_cue")
    # a weak cue opens a list only when a name or a determiner follows ("notamment investi dans X" is no list)
    weak = weak.filter(pl.col("sfold").str.slice(pl.col("_cue_end"), 12).str.contains(
        rx(r"^(?:\p{Lu}|\p{Ll}\p{Lu}|(?:le|la|les|l['’]|the|des|du|de|d['’]|son|ses|sa|its|their|plusieurs|several)\b)")))
    after = pl.concat([
        strong.with_columns(pl.col("_cue").str.contains(rx(f"^{LEAD_CUE}")).alias("is_lead")),
        weak.with_columns(pl.lit(False).alias("is_lead")),
    ]).sort("article_id", "sentence_idx", "_cue_start")
    # the list runs from the cue to the next cue or the end of the clause
    to_next = pl.col("sfold").str.slice(pl.col("_cue_end"), (pl.col("_next").fill_null(10**9) - pl.col("_cue_end")).clip(lower_bound=0))
    if after.height and after.select(pl.col("sfold").str.contains("\n", literal=True).any()).item():
        span_len = to_next.str.extract(SPAN_END, 1).str.len_chars().cast(pl.Int64)
    else:
        span_len = to_next.str.replace(SPAN_REST, "").str.len_chars().cast(pl.Int64)
    after = after.with_columns(shift_in_group(pl.col("_cue_start"), -1, "article_id", "sentence_idx").alias("_next")).with_columns(
        span_len.alias("_span_len"),
        pl.col("sfold").str.slice((pl.col("_cue_start") - 60).clip(lower_bound=0), pl.col("_cue_start").clip(upper_bound=60) + 40).alias("_ctx"),
    ).with_columns(pl.col("sentence").str.slice(pl.col("_cue_end"), pl.col("_span_len")).alias("_span"))
    # subject lists: "A, B et C ont participé à l'opération"
    before = find_all(s, "sfold", VERB_AFTER, "_cue")
    before = before.with_columns(
        pl.col("sentence").str.slice(0, pl.col("_cue_start")).str.extract(r"(?s)(?:^|[.;:«»]\s*)([^.;:«»]*)$", 1).alias("_span"),
        pl.col("_cue").str.contains(LEAD_VERB).alias("is_lead"),
        pl.col("sfold").alias("_ctx"),
    )
    # "Ciel Bleu, dont il a mené le tour": a pronoun is the subject, not a list of names
    before = before.filter(~fold_expr(pl.col("_span")).str.contains(
        rx(r"(?i)\b(?:il|elle|ils|elles|it|they|he|she|qui|which|who|dont|on|nous|we|celui-ci|celle-ci)\s*,?\s*$")))
    cols = ["article_id", "sentence_idx", "_cue_start", "_span", "is_lead", "_ctx", "sentence"]
    spans = pl.concat([after.select(cols), before.select(cols)])
    if spans.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    items = _items(spans)
    # "Atlantique Ventures en tête": the first of the list leads
    items = items.with_columns((pl.col("is_lead") | pl.col("_itemf").str.contains(rx(r"(?i)\ben\s+tête\b"))).alias("is_lead"))
    # each test once (eager polars evaluates a sub-expression again at every use)
    items = items.with_columns(
        (pl.col("_ctx").str.contains(EXISTING) | fold_expr(pl.col("_span")).str.contains(EXISTING)).alias("_ex"),
        pl.col("_ctx").str.contains(NEW).alias("_nw"),
    )
    ex, nw = pl.col("_ex"), pl.col("_nw")
    items = items.with_columns(
        pl.when(ex & ~nw).then(True).when(nw & ~ex).then(False).otherwise(None).alias("is_existing"),
        fold(pl.col("investor")).alias("key"),
    )
    return items.select("article_id", "sentence_idx", pl.col("_cue_start").alias("cue_start"), "investor", "is_lead", "is_existing", "key")
