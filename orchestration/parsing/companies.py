"""Who raised it: capitalised name spans, cleaned of descriptors, and the rule
that picks the company of each figure.

Order of the rule, for one figure:
1. the agent of a passive after it ("105 millions levés par X");
2. the target after an investing verb ("investit 5 M€ dans X");
3. the nearest subject-like name before it in the sentence (not after a
   preposition: "selon X", "mené par X", "de X" are complements);
4. a pronoun or bare descriptor ("elle", "la société") carries the company of
   the previous figure;
5. the first name after it ("l'installation, après un tour de 100 M€, de X");
6. the company of the previous figure, else the article's main company.
"""
from __future__ import annotations

import polars as pl

from .places import fold, gazetteer
from .text import find_all, fold_expr, rx

# names are matched on accent-folded text, so ASCII classes (plus the letters NFD does not fold) suffice and keep the DFA small
_L = "A-Za-z0-9œŒæÆøØßłŁđĐ"
# the same on original text (short strings only)
WORD_U = r"(?:\p{Lu}|\p{Ll}\p{Lu}|\d+\p{Lu})[\p{L}\p{N}\-&+]*(?:\.[\p{L}\p{N}]+)*"
WORD = rf"(?:[A-ZŒÆØŁĐ]|[a-z][A-Z]|\d+[A-Z])[{_L}\-&+]*(?:\.[{_L}]+)*"
NAME = rf"\b{WORD}(?:[ \u00a0](?:(?:des|du|of|for|&|de\s+la)[ \u00a0])?{WORD})*"

LEAD_WORDS = (
    "Le|La|Les|L|Un|Une|Des|Du|De|D|Ce|Cette|Ces|Cet|Sa|Son|Ses|Leur|Leurs|Il|Elle|Ils|Elles|On|Nous|Vous|Je|Et|Mais"
    "|Ou|Donc|Or|Ni|Car|Alors|Quant|Pour|Par|Avec|Sans|Sous|Sur|Dans|En|Au|Aux|A|À|Après|Avant|Depuis|Selon|Grâce"
    "|Chez|Entre|Lors|Comme|Si|Que|Qu|Qui|Quoi|Dont|Où|Tout|Tous|Toute|Toutes|Même|Plus|Moins|Aussi|Ainsi|Enfin|Ici"
    "|Là|Déjà|Encore|Aujourd|Hier|Demain|C|Fondée|Fondé|Créée|Créé|Basée|Basé|Installée|Installé|Spécialisée|Spécialisé"
    "|Née|Né|Lancée|Lancé|Cofondée|Cofondé|Issue|Issu|Début|Fin|Mi|Etaient|Étaient|Etait|Était|Voici|Côté|Outre"
    "|The|An|This|That|These|Those|It|Its|Their|They|We|He|She|In|On|At|For|With|By|From|As|After|Before"
    "|Since|According|Founded|Based|Led|Backed|Today|Yesterday|Last|Next|Meanwhile|However|And|But|Also|Other"
    "|Some|Several|Many|Both|Each|Every|All|Here|There|Now|Then|When|While|Where|Which|Who|What|Why|How|If|Our|My"
    "|Your|His|Her|New|Mr|Mrs|Ms|M|Mme|Dr|Series|Série|Seed|Round|Startup|Start-up|Fintech|Lire|Read|Existing|Returning"
    "|Investors|Investisseurs|Chief|Executive|Founder|Co-founder|Cofondateur|Fondateur|Président|Directeur|Voici|Pas"
    "|Janvier|Février|Mars|Avril|Mai|Juin|Juillet|Août|Septembre|Octobre|Novembre|Décembre"
    "|Million|Millions|Billion|Billions|Milliard|Milliards"
    "|HRtech|HRTech|RHtech|Medtech|MedTech|Healthtech|HealthTech|Legaltech|LegalTech|Cleantech|CleanTech|Greentech"
    "|GreenTech|Agritech|AgriTech|Foodtech|FoodTech|Proptech|PropTech|Insurtech|InsurTech|Edtech|EdTech|Deeptech"
    "|DeepTech|Biotech|BioTech|Regtech|RegTech|Adtech|AdTech|Martech|MarTech|FinTech|Medtech"
    "|January|February|March|April|May|June|July|August|September|October|November|December"
    "|Lundi|Mardi|Mercredi|Jeudi|Vendredi|Samedi|Dimanche|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    "|Français|Française|Françaises|Américain|Américaine|Américains|Américaines|Britannique|Britanniques|Allemand"
    "|Allemande|Européen|Européenne|French|American|British|German|European|Parisien|Parisienne|Lyonnais|Lyonnaise"
    "|Swedish|Danish|Norwegian|Finnish|Dutch|Spanish|Italian|Swiss|Belgian|Irish|Polish|Austrian|Canadian|Israeli"
    "|Portuguese|Estonian|Suédois|Suédoise|Danois|Danoise|Norvégien|Norvégienne|Néerlandais|Néerlandaise|Espagnol"
    "|Espagnole|Italien|Italienne|Suisse|Belge|Canadien|Canadienne|Israélien|Israélienne"
)
# leading function words, sentence-initial participles ("Baptisé K2") and "X-based"
STRIP_LEAD = (
    rf"^(?:(?:{LEAD_WORDS})(?:[ \u00a0]+|$)"
    rf"|(?:[\p{{L}}.-]+[ \u00a0]){{0,3}}[\p{{L}}.-]+-(?:based|headquartered)(?:[ \u00a0]+|$))+"
)
GENERIC = {
    "IA", "AI", "CEO", "PDG", "DG", "CTO", "COO", "CFO", "VC", "PME", "ETI", "SaaS", "B2B", "B2C", "R&D", "IPO",
    "TechCrunch", "Tech", "Bourse", "Etat", "État", "Europe", "Afrique", "Asie", "Amérique", "Africa", "Asia",
    "America", "Covid", "COVID", "Internet", "Web", "Lire", "Source", "Catégorie", "France", "Série", "Series",
    "CHF", "EUR", "USD", "GBP", "JPY", "CAD", "AUD", "NOK", "SEK", "DKK", "PLN", "US", "UK", "UE", "EU", "HT", "TTC", "ARR", "MRR", "CA", "PIB", "GDP",
    "Md", "Mds", "Mrd", "Mrds", "Bn", "M", "K", "Mio",
}
COMPLEMENT = (
    r"(?i)(?:\b(?:par|by|de|du|des|of|chez|avec|with|selon|from|pour|for|comme|than|que|sur|dans|in|at|on|to|vers"
    r"|contre|versus|entre|et|and|ou|or|via|about|like|including|notamment|dont|auprès\s+d[eu]s?|d['’]après|according\s+to"
    r"|face\s+à|à|au|aux|parmi|among|amongst|include|includes|dirige|dirigée?|cofondée?|fondée?|founded|created|créée?"
    r"|explique|indique|précise|souligne|affirme|déclare|estime|confie|ajoute|assure|raconte|résume|says|said|explains|adds|added|told)"
    r"|\bd['’]|\bl['’]\s*(?:un|une)|\bqu['’]"
    # "ingénieurs de l'École centrale", "alumni of the Royal College": a complement as after "de" / "of"
    r"|\b(?:de|of|par|pour|avec|chez|sur|dans|selon)\s+l['’]|\b(?:of|from|at|with)\s+the"
    # "fondée à Bordeaux par la docteure Camille Nguyen": the agent of a participle, even behind a title
    r"|\b(?:par|by)\s+(?:(?:la|le|les|l['’]|the|un|une|a|an|son|sa|ses|its|their)\s*)?(?:[a-z-]+\s+){0,2})\s*$"
)
# a name inside a relative clause ("La société, qui compte parmi ses clients X") is no subject
RELATIVE = (
    r"(?i)(?:^|[,(–—])\s*(?:qui|which|who|that|dont|où|where|que)\b[^,;:()–—]*$"
    # "a carbon capture startup that captures CO2 from…", "la cleantech qui capte le CO2": a relative pronoun then a
    # verb opens a clause even without a comma
    r"|\b(?:that|which|who|qui)\s+(?-i:[a-z])[a-z]+(?:s|e|ent)\s[^,;:()–—]*$"
)
# "Synapse Médical : la société parisienne, qui avait levé 120 M€", "Ciel Bleu, dont il a mené le tour de 25 M€":
# a figure inside a relative clause belongs to the clause's antecedent
ANTECEDENT = (
    r"(?i)^\s*[,:–—]\s*(?:(?:la|le|l['’]|the|cette|this|a|an|une|un)\s*[\w-]+(?:\s+[\w-]+)?\s*,?\s*)?"
    r"(?:qui|which|who|dont|whose|that)\b[^,;:()]*$"
)
LEAD_PREP = (
    r"(?i)^(?:après|avant|avec|pour|par|selon|chez|dans|sur|depuis|entre|contre|vers|grâce|after|before|with|for|by|from"
    r"|according|in|on|at|to|de|du|des|d|of"
    # "£1.2 Million Innovate UK Grant" (title case): a name right after a figure's scale word qualifies the figure
    r"|million|millions|billion|billions|milliard|milliards)\b"
)
# "Corvanta Secures US$ 15 Million", "Helioscribe Awarded £1.2 Million": a title-case headline's verb ends the name
HEADLINE_VERB_TAIL = (
    r"[ \u00a0](?:Raises|Raised|Secures|Closes|Lands|Bags|Nabs|Snags|Gets|Receives|Awarded|Wins|Announces|Completes"
    r"|Banks|Grabs|Scores|Nets|Pulls|Attracts|Lève|Boucle|Obtient|Annonce|Réunit|Décroche|Finalise|Sécurise)\b.*$"
)
QUANT = r"(?i)\bquant\s+(?:à|au|aux)\s*$"
PRONOUN = (
    r"(?i)\b(?:elle|il|she|it|they|celle-ci|celui-ci|cette\s+dernière|ce\s+dernier|la\s+(?:société|start-?up|jeune\s+pousse"
    r"|pépite|licorne|plateforme|scale-?up|fintech|entreprise)|l['’]entreprise|le\s+groupe|the\s+(?:company|startup|start-up"
    r"|firm|group|platform)|sa\s+société|son\s+entreprise)\b"
)
PASSIVE_AFTER = (
    r"(?i)^\s*(?:\S+\s+){0,2}?(?:lev[ée]e?s?|raised|obtenue?s?|récoltée?s?|collectée?s?|réunie?s?|bouclée?s?|secured|closed"
    r"|empochée?s?)\s+(?:par|by)\b"
)
INVEST_VERB = (
    r"(?i)\b(?:investi\w*|invests?|invested|injecte\w*|injected|met|mis|put|puts|apporte\w*|prend\w*|mise|accord\w*"
    r"|octroi\w*|prête|prêtent|lends?|lent|provid\w*|grants?|granted|awards?|awarded|verse\w*"
    # "Atlantico Verde led a €5m round in Solara Grid", "Kima a mené un tour de 2 M€ dans Ostréa": a lead names its target
    r"|led|leads|co-?led|m[eè]ne\w*|co-?m[eè]ne\w*)\b"
)
LENDER_AFTER = (
    r"(?i)^\s*(?:\([^)]*\)\s*)?(?:(?:et|and|,)\s+(?:\S+\s+){1,3}?)?(?:is\s+|are\s+|has\s+|have\s+|will\s+|a\s+|ont\s+|va\s+|vont\s+)?"
    r"(?:also\s+|également\s+|aussi\s+)?(?:d['’]\s*|de\s+|to\s+)?"
    r"(?:investi\w*|invests?|invested|injecte\w*|injected|accord\w*|octroi\w*|prête|prêtent|lends?|lent|provid\w*"
    # "Helioscribe Awarded £1.2 Million Grant": a title-case headline's participle is a passive, not a grantor
    r"|(?-i:grants?|granted|awards?|awarded)|verse\w*|apporte\w*)\b"
)
# up to three words between ("in Seville-based solar startup Solara Grid")
TARGET_PREP = r"(?i)\b(?:dans|in|into|pour|for|chez|à|au|to)\s+(?:la\s+|le\s+|l['’]|the\s+)?(?:[\w-]+\s+){0,3}?$"
DESCRIPTOR_BEFORE = (
    r"(?i)\b(?:start-?up|startup|société|entreprise|pépite|jeune\s+pousse|licorne|scale-?up|fintech|medtech|biotech"
    r"|healthtech|greentech|deeptech|edtech|foodtech|proptech|insurtech|legaltech|cleantech|agritech|éditeur|plateforme"
    r"|spécialiste|company|firm|unicorn|laboratoire|lab|biotech|assurtech|insurtech)\s+(?:[\w-]+\s+){0,2}?$"
)



# every pattern runs on accent-folded text with ASCII word boundaries (see text.rx)
STRIP_LEAD = rx(STRIP_LEAD)
COMPLEMENT = rx(COMPLEMENT)
RELATIVE = rx(RELATIVE)
QUANT = rx(QUANT)
LEAD_PREP = rx(LEAD_PREP)
ANTECEDENT = rx(ANTECEDENT)
PRONOUN = rx(PRONOUN)
PASSIVE_AFTER = rx(PASSIVE_AFTER)
INVEST_VERB = rx(INVEST_VERB)
LENDER_AFTER = rx(LENDER_AFTER)
TARGET_PREP = rx(TARGET_PREP)
DESCRIPTOR_BEFORE = rx(DESCRIPTOR_BEFORE)

# a sentence-initial participle before a name ("Baptisé K2"): needs the accent, so it runs on the original text
PARTICIPLE_LEAD = (
    r"^(?:Baptis|Rebaptis|Surnomm|Nomm|Dénomm|Fond|Cofond|Co-fond|Cré|Install|Bas|Spécialis|Lanc|Implant|Situ|Incub"
    r"|Accompagn|Rachet|Valoris|Financ|Détenu|Soutenu|Issu|N)(?:é|ée|és|ées|e|es|u|ue|us|ues)[ \u00a0]+"
)


# "European Investment Bank", "European Innovation Council Fund": an institution's adjective is part of its name
INSTITUTION = r"^(?:European|Européenne?|Nordic|International|Internationale|National|Nationale)\s.*\b(?:Bank|Banque|Fund|Fonds|Council|Conseil|Commission|Agency|Agence|Foundation|Fondation|Institute|Institut)$"


def with_lead_length(frame: pl.DataFrame, col: str, folded: pl.Expr, out: str) -> pl.DataFrame:
    """How many leading characters of the name span `col` are function words or descriptors
    (matched on folded text), as column `out`: a sentence-initial participle ("Baptisé K2"),
    then STRIP_LEAD's words; none for an institution ("European Investment Bank").

    `folded` is `col` folded (the caller often has it: folding is character for character, so it
    is a span of the folded sentence). Each step is a column of its own, computed once: eager
    polars evaluates a sub-expression again at every use."""
    e = pl.col(col)
    frame = frame.with_columns((e.str.len_chars() - e.str.replace(PARTICIPLE_LEAD, "").str.len_chars()).cast(pl.Int64).alias("_p"))
    frame = frame.with_columns(folded.str.slice(pl.col("_p")).alias("_pf"))
    f = pl.col("_pf")
    lead = pl.col("_p") + (f.str.len_chars() - f.str.replace(STRIP_LEAD, "").str.len_chars()).cast(pl.Int64)
    return frame.with_columns(pl.when(e.str.contains(INSTITUTION)).then(pl.lit(0, dtype=pl.Int64)).otherwise(lead).alias(out)).drop("_p", "_pf")


def _only_where(frame: pl.DataFrame, cond: pl.Expr, test: pl.Expr) -> pl.Series:
    """`cond & test` for every row of `frame`, `test` evaluated on the rows where the cheap `cond` holds only
    (eager polars evaluates both sides of an `&` on every row). `cond` must be true or false, never null."""
    rows = frame.select(pl.arg_where(cond)).to_series()
    out = pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True)
    if rows.len():
        out = out.scatter(rows, frame[rows].select(test).to_series())
    return out


# "Newcastle upon Tyne", "Alcalá de Henares", "Frankfurt am Main": a place's last word is no company
PLACE_HEAD = rx(r"(?:^|\s|\()((?-i:[A-Z])[A-Za-z-]*\s+(?:upon|on|under|am|an|sur|sous|en|de|del|di|la|le|les)\s+)$")


def _place_with_article(spans: pl.DataFrame, gz: pl.DataFrame) -> pl.DataFrame:
    """A name whose stripped article or head makes it a place is a place: "(Le Mans)" is not a
    company called Mans, nor "basée à Le Havre" one called Havre, nor "Newcastle upon Tyne" Tyne."""
    keys = gz.get_column("key").implode()
    # a span that is its name as a whole is a place already when its key is
    whole = fold(pl.when(pl.col("_raw_orig") != pl.col("name")).then(pl.col("_raw_orig"))).is_in(keys).fill_null(False)
    headed = fold(pl.col("_before").str.extract(PLACE_HEAD, 1) + pl.col("name")).is_in(keys).fill_null(False)
    return spans.with_columns((pl.col("place") | whole | headed).alias("place"))


# STRIP_LEAD's function words as they stand in it (folded): a one-word span that is one of them is stripped whole
_LEAD_SET = rx(LEAD_WORDS).split("|")
assert STRIP_LEAD.startswith("^(?:(?:" + "|".join(_LEAD_SET) + ")(?:")


def find_names(sentences: pl.DataFrame) -> pl.DataFrame:
    """Capitalised name spans: article_id, sentence_idx, n_start, n_end (in sentence), name, subject, place, descriptor."""
    spans = find_all(sentences.select("article_id", "sentence_idx", "sentence", "sfold"), "sfold", NAME, "_raw", orig="sentence")
    # a one-word span that is a function word ("Les", "The", "L") or a generic word ("Europe") names nothing: its
    # name would be empty or generic and go below; dropped first, so the costly steps skip ~45% of the spans
    # (one word: no participle, headline verb or institution, which all need a space, and no "-based")
    single = ~pl.col("_raw").str.contains("[ \u00a0]")
    spans = spans.filter(~(single & (pl.col("_raw").is_in(_LEAD_SET) | pl.col("_raw_orig").is_in(list(GENERIC)))))
    # the lead, the name and whether it is kept depend on the span's text alone (its folded form is its
    # fold: folding is character for character), and a text recurs ~10 times in a batch: each distinct
    # text is read once, and joined back
    per_text = spans.select(pl.col("_raw_orig").unique())
    per_text = with_lead_length(per_text, "_raw_orig", fold_expr(pl.col("_raw_orig")), "_lead").with_columns(
        pl.col("_raw_orig").str.slice(pl.col("_lead")).str.replace(HEADLINE_VERB_TAIL, "").alias("_after"))
    after = pl.col("_after")
    per_text = per_text.with_columns(
        (pl.col("_lead") + after.str.len_chars().cast(pl.Int64)
         - after.str.strip_chars_start(" -&").str.len_chars().cast(pl.Int64)).alias("_shift"),
        after.str.strip_chars(" -&").alias("name"),
    ).drop("_after")
    per_text = per_text.filter((pl.col("name").str.len_chars() >= 2) & ~pl.col("name").is_in(list(GENERIC))
                               & ~pl.col("name").str.contains(r"^\d+(?:[.,]\d+)?(?:[A-Za-z]{1,3})?$"))  # "20M" of "£20M"
    # the name's key, and whether it is a gazetteer place (keys are unique there)
    gz = gazetteer().filter(pl.col("population") >= 50_000).select("key").with_columns(pl.lit(True).alias("place"))
    per_text = (per_text.with_columns(fold(pl.col("name")).alias("key")).join(gz, on="key", how="left")
                .with_columns(pl.col("place").fill_null(False)))
    spans = spans.join(per_text, on="_raw_orig", how="inner", maintain_order="left").with_columns(
        (pl.col("_raw_start") + pl.col("_shift")).alias("n_start"),
        # the 80 characters before the span are enough context, and keep the regexes cheap
        pl.col("sfold").str.slice((pl.col("_raw_start") - 80).clip(lower_bound=0), pl.col("_raw_start").clip(upper_bound=80)).alias("_before"),
    ).with_columns((pl.col("n_start") + pl.col("name").str.len_chars().cast(pl.Int64)).alias("n_end"))
    # "Plate-forme de référence, elle ...": a lone capitalised word opening the sentence
    # and heading a noun phrase is a common noun, not a name
    initial_common = _only_where(
        spans, (pl.col("_raw_start") == 0) & ~pl.col("name").str.contains(r"\s"),
        pl.col("sfold").str.slice(pl.col("_raw_end"), 6).str.contains(rx(r"(?i)^\s+(?:de|d['’]|du|des|of)\b")))
    spans = spans.filter(~initial_common)
    # "Saeclaes Pay (Halle), which…", "Hiplion (Genève) – 860 000 francs": a name alone in brackets right after
    # another name qualifies it (a city, a former name, a ticker); it is never the company of a figure
    bracketed = _only_where(
        spans, pl.col("_before").str.contains("(", literal=True),
        pl.col("_before").str.contains(r"[\p{L}\p{N}.]\s*\(\s*(?:['’]s-)?$")
        & pl.col("sfold").str.slice(pl.col("_raw_end"), 3).str.contains(r"^\s*\)"))
    # "Après Nova Grid": a stripped leading preposition makes a complement too (only a span with a stripped
    # lead has one: an empty lead is no preposition)
    lead_prep = _only_where(spans, pl.col("_lead") > 0,
                            pl.col("sfold").str.slice(pl.col("_raw_start"), pl.col("_lead")).str.contains(LEAD_PREP))
    spans = (
        spans.pipe(_place_with_article, gz)
        .with_columns((pl.col("place") | bracketed).alias("place"), lead_prep.alias("_lead_prep"))
        .with_columns(
            # the span's own stripped words count as "before" ("Que Mistral AI" is a subject)
            pl.when(pl.col("n_start") > pl.col("_raw_start")).then(pl.lit(""))
            .otherwise(pl.col("_before")).alias("_b"),
        )
        .with_columns(
            ((~pl.col("_b").str.contains(COMPLEMENT) | pl.col("_b").str.contains(QUANT))
             & ~pl.col("_before").str.contains(RELATIVE)
             & ~pl.col("_lead_prep")).alias("subject"),
            pl.col("_before").str.contains(DESCRIPTOR_BEFORE).alias("descriptor"),
            pl.col("_before").str.contains(TARGET_PREP).alias("target"),
            pl.col("_before").str.contains(rx(r"(?i)\b(?:lev[ée]e?s?|raised|obtenue?s?|récoltée?s?|collectée?s?|réunie?s?|bouclée?s?|secured|closed|empochée?s?)\s+(?:par|by)\s+(?:\S+\s+){0,3}?$")).alias("passive_agent"),
        )
    )
    return spans.select(
        "article_id", "sentence_idx", "n_start", "n_end", "name", "subject", "place", "descriptor", "target", "passive_agent", "key"
    )


def name_scores(names: pl.DataFrame) -> pl.DataFrame:
    """The tally `main_companies` ranks: per article and name key, the weight (a bonus in the title,
    after a descriptor, as a subject), the first spelling and where it is. Computed once per
    batch: the main company is ranked twice, before and after the rounds' explicit raisers."""
    names = names.filter(~pl.col("place"))
    # the first name of the title is its grammatical subject (the title's subjects only: no window over every name)
    title_first = (names.filter((pl.col("sentence_idx") == 0) & pl.col("subject"))
                   .group_by("article_id").agg(pl.col("n_start").min().alias("_title_start")))
    return (
        names.join(title_first, on="article_id", how="left", maintain_order="left")
        .with_columns(((pl.col("sentence_idx") == 0) & pl.col("subject")
                       & (pl.col("n_start") == pl.col("_title_start"))).alias("_title_first"))
        .with_columns(
            (1 + 3 * (pl.col("sentence_idx") == 0).cast(pl.Int64) + 2 * pl.col("descriptor").cast(pl.Int64)
             + pl.col("subject").cast(pl.Int64)).alias("_w"),
        )
        .group_by("article_id", "key")
        # first: the spelling of the first mention, and where it is (ties on weight go to the name met first:
        # without it, equal weights were broken by the hash order of group_by, differently from run to run)
        .agg(pl.col("_w").sum(), pl.col("name").sort_by("sentence_idx", "n_start").first(),
             pl.col("sentence_idx").min().alias("_first"), pl.col("n_start").sort_by("sentence_idx", "n_start").first().alias("_first_pos"),
             pl.col("_title_first").any())
        .with_columns((pl.col("_w") + 2 * pl.col("_title_first").cast(pl.Int64)).alias("_w"))
    )


def main_companies(names: pl.DataFrame, sentences: pl.DataFrame, raisers: pl.DataFrame | None = None,
                   scores: pl.DataFrame | None = None) -> pl.DataFrame:
    """The company an article is about: most frequent name, with a bonus in the title, after a descriptor,
    and for each round the text explicitly gives it (`raisers`: article_id, key). `scores`: the
    `name_scores` of `names`, when the caller has them."""
    scored = name_scores(names) if scores is None else scores
    if raisers is not None and raisers.height:
        bonus = raisers.group_by("article_id", "key").agg(pl.len().cast(pl.Int64).alias("_bonus"))
        scored = scored.join(bonus, on=["article_id", "key"], how="left").with_columns(
            (pl.col("_w") + pl.col("_bonus").fill_null(0)).alias("_w"))
    # the heaviest name, ties to the one met first (a name's first mention is where no other one starts:
    # the order is total); a sort within each article, not of the whole frame by article
    return scored.group_by("article_id").agg(
        pl.col("name").sort_by("_w", "_first", "_first_pos", descending=[True, False, False]).first().alias("main_company"))


def assign_companies(figs: pl.DataFrame, names: pl.DataFrame, main: pl.DataFrame, investor_names: pl.DataFrame,
                     scores: pl.DataFrame | None = None) -> pl.DataFrame:
    """Adds `company` (and `company_explicit`) to every figure (`scores`: the `name_scores` of `names`, when known)."""
    cand = names.filter(~pl.col("place")).join(
        investor_names.select("article_id", "sentence_idx", "key").unique().with_columns(pl.lit(True).alias("_inv")),
        on=["article_id", "sentence_idx", "key"], how="left",
    ).with_columns(pl.col("_inv").fill_null(False))
    f = figs.select("figure_id", "article_id", "sentence_idx", "raw_text_start", "raw_text_end", "lctx", "rctx", "left", "sfold")
    pairs = f.join(cand, on=["article_id", "sentence_idx"], how="inner")
    before = pairs.filter(pl.col("n_end") <= pl.col("raw_text_start"))
    after = pairs.filter(pl.col("n_start") >= pl.col("raw_text_end"))
    # the cheap column tests filter first: a regex then reads only the pairs they keep (eager polars
    # evaluates both sides of an `&` on every row)
    r1 = (after.filter(pl.col("passive_agent")).filter(pl.col("rctx").str.contains(PASSIVE_AFTER))
          .sort("n_start").group_by("figure_id").agg(pl.col("name").first().alias("_r1")))
    r2 = (after.filter(pl.col("target") & ~pl.col("_inv")).filter(pl.col("left").str.contains(INVEST_VERB))
          .sort("n_start").group_by("figure_id").agg(pl.col("name").first().alias("_r2")))
    gap = pl.col("sfold").str.slice(pl.col("n_end"), pl.col("raw_text_start") - pl.col("n_end"))
    # gapping: the name alone right before the figure, after a comma or "et" ("..., Pennylane 75 M€")
    lead_in = pl.col("sfold").str.slice((pl.col("n_start") - 6).clip(lower_bound=0), pl.col("n_start").clip(upper_bound=6))
    rg = (before.filter(~pl.col("_inv") & (pl.col("raw_text_start") > pl.col("n_end") - 1))
          .filter(gap.str.contains(r"^\s*$") & lead_in.str.contains(rx(r"(?:,|\bet|\band)\s*$")))
          .group_by("figure_id").agg(pl.col("name").first().alias("_rg")))
    r0 = (before.filter(~pl.col("_inv")).filter(gap.str.contains(ANTECEDENT))
          .sort("n_end", descending=True).group_by("figure_id").agg(pl.col("name").first().alias("_r0")))
    # "the European Investment Bank is providing €10.5 million ...": a subject that gives the money is no raiser
    giver = gap.str.contains(LENDER_AFTER)
    r3 = (before.filter(pl.col("subject") & ~pl.col("_inv")).filter(~giver)
          .sort("n_end", descending=True).group_by("figure_id").agg(pl.col("name").first().alias("_r3"),
                                                                   pl.col("n_end").first().alias("_r3_end")))
    between = pl.col("sfold").str.slice(pl.col("raw_text_end"), pl.col("n_start") - pl.col("raw_text_end"))
    r5 = (after.filter(~pl.col("_inv") & ~pl.col("passive_agent") & (pl.col("n_start") - pl.col("raw_text_end") < 100))
          .filter(~between.str.contains(rx(r"(?i)[:;«»]|\bauprès\b|\bpar\b|\bby\b|\bfrom\b|\bavec\b|\bwith\b|\bselon\b|\baccording\b")))
          .sort("n_start").group_by("figure_id").agg(pl.col("name").first().alias("_r5")))
    out = figs.join(rg, on="figure_id", how="left").join(r0, on="figure_id", how="left").join(r1, on="figure_id", how="left").join(r2, on="figure_id", how="left").join(r3, on="figure_id", how="left").join(r5, on="figure_id", how="left")
    # a pronoun between the chosen subject (or sentence start) and the figure carries the previous company
    pron = pl.col("lctx").str.slice(pl.col("_r3_end").fill_null(0)).str.contains(PRONOUN) & pl.col("_r3").is_null()
    out = out.with_columns(
        pl.when(pl.col("_r1").is_not_null()).then(pl.col("_r1"))
        .when(pl.col("_r2").is_not_null()).then(pl.col("_r2"))
        .when(pl.col("_rg").is_not_null()).then(pl.col("_rg"))
        .when(pl.col("_r0").is_not_null()).then(pl.col("_r0"))
        .when(pl.col("_r3").is_not_null()).then(pl.col("_r3"))
        .when(pron).then(pl.lit(None))
        .otherwise(pl.col("_r5")).alias("company_explicit")
    ).sort("article_id", "char_start")
    raisers = out.filter((pl.col("kind") == "round") & pl.col("company_explicit").is_not_null()).select(
        "article_id", fold(pl.col("company_explicit")).alias("key"))
    main = main_companies(names, None, raisers, scores)
    # carry: a company-like subject of the previous sentence, else the company of the
    # previous round or valuation, else the article's main company
    known = pl.concat([
        out.filter(~pl.col("kind").is_in(["price", "revenue", "market_total", "period_total", "fund"]))
        .select("article_id", fold(pl.col("company_explicit")).alias("key")).drop_nulls(),
        main.select("article_id", fold(pl.col("main_company")).alias("key")).drop_nulls(),
        names.filter(pl.col("descriptor")).select("article_id", "key"),
    ]).unique()
    prev_subj = (
        cand.filter(pl.col("subject") & ~pl.col("_inv")).join(known, on=["article_id", "key"], how="semi")
        .sort("n_end").group_by("article_id", "sentence_idx").agg(pl.col("name").last().alias("_prev_subj"))
        .with_columns((pl.col("sentence_idx") + 1).alias("sentence_idx"))
    )
    roundish = pl.col("kind").is_in(["round", "valuation", "cumulative"])
    # "X a levé A. Elle est valorisée B.": a sentence that states X's round makes X the subject of the next one
    prev_raiser = (
        out.filter((pl.col("kind") == "round") & pl.col("company_explicit").is_not_null())
        .group_by("article_id", "sentence_idx").agg(pl.col("company_explicit").last().alias("_prev_raiser"))
        .with_columns((pl.col("sentence_idx") + 1).alias("sentence_idx"))
    )
    # a round-up names several companies: "elle" is the one just named; elsewhere it is the article's company
    roundup = (
        out.filter(pl.col("kind").is_in(["round", "other"]) & pl.col("company_explicit").is_not_null())
        .group_by("article_id").agg((pl.col("company_explicit").n_unique() >= 3).alias("_roundup"))
    )
    out = (out.join(prev_subj, on=["article_id", "sentence_idx"], how="left")
           .join(prev_raiser, on=["article_id", "sentence_idx"], how="left").join(main, on="article_id", how="left")
           .join(roundup, on="article_id", how="left").with_columns(pl.col("_roundup").fill_null(False)))
    out = out.with_columns(
        pl.when(pl.col("company_explicit").is_not_null()).then(pl.col("company_explicit"))
        .when(pl.col("_roundup")).then(pl.coalesce(
            pl.col("_prev_subj"), pl.when(roundish).then(pl.col("company_explicit")).forward_fill().over("article_id"),
            pl.col("main_company")))
        .otherwise(pl.coalesce(pl.col("_prev_raiser"), pl.col("main_company"), pl.col("_prev_subj"))).alias("company")
    )
    return out.drop("_rg", "_r0", "_r1", "_r2", "_r3", "_r3_end", "_r5", "_prev_subj", "_prev_raiser", "_roundup")
