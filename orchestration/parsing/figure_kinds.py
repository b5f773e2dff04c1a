"""What a figure is: a round, a valuation, a cumulative total, revenue, a market
or period total, a price, a fund raised by an investor, or something else.

The cue nearest to the figure (in the text since the previous figure of the
sentence) decides; a word right after the figure ("de valorisation", "fund",
"par mois") overrides; a comparison ("contre 16 milliards") inherits the kind
of the previous figure; a plural generic subject ("les start-up ont levé")
makes a market or period total.
"""
from __future__ import annotations

import polars as pl

from .text import rx, shift_in_group

# "secures", "financement", "invests" are cues; "Tagravound Security", "Fafygult Finance", "Alsace Invest" are names
# next to an acquisition price or a valuation, so the capitalised noun forms are no cue
ROUND_CUE = (
    r"(?i)\b(?:lev(?:é|ée|és|ées|er|ait|aient|ant|a|èrent|ions|iez)|lève\w*|lèvent|raises?|raised|raising|obten\w*|obtient|réuni\w*|collect\w*|récolt\w*|boucl\w*"
    r"|sécuris\w*|secur(?:e|es|ed|ing)|closed|closes|closing|attir\w*|empoch\w*|allou\w*|décroch\w*"
    r"|(?-i:financ\w*)|financ(?:ement|ements|ing|ed|er|era|ent)|funding|fundrais\w*"
    r"|fund-?raising|tour|round|séries?|seed|amorçage|investissements?|(?-i:invest\w*)"
    r"|invest(?:i|it|ie|is|ies|ir|issent|issant|ed|s|ing|ment|ments|issement|issements)|inject\w*|apport\w*|bags?"
    r"|bagged|lands?|landed|tranches?|nabs?|nabbed|snags?|snagged|gets?|got|receives?|received|reçu|reçoit|subventions?|grants?"
    r"|mécén\w*|mécènes?|endow\w*|backing|backed|ticket|enveloppe|opération|deal|emprunt|prêts?|dette|debt|injection"
    r"|souscri\w*|ipo|introduction|pick(?:s|ed)?\s+up|pulls?\s+in|rak(?:es|ed)\s+in|drums?\s+up|dotée?|doté)\b"
)
VAL_CUE = r"(?i)\b(?:valoris\w*|valued|valuation|valuing|values|value|évalu\w*|vaut|valait|worth|capitalisation|market\s+cap\w*|valo)\b"
REV_CUE = (
    r"(?i)\b(?:chiffres?\s+d['’]affaires|revenus?|revenues?|recettes|ventes|sales|turnover|bénéfices?|profits?|pertes?"
    r"|losses|ebitda|facturation|(?-i:CA|ARR|MRR))\b"
)
FUND_CUE = (
    r"(?i)\b(?:un|son|leur|nouveau|nouvel|premier|deuxième|second|troisième|quatrième|cinquième|a|its|their|new|first"
    r"|third|fourth|fifth|debut|flagship|latest|dernier)\s+(?:[\w-]+\s+)?(?:fonds|fund|véhicule)\b"
)
FUND_AFTER = r"^(?-i:(?:\s+[a-zéèà][\w-]*){0,2}\s+(?:fund|fonds|véhicule)\b|\s+Fund\s+[IVX]+\b)"
CUM_CUE = (
    r"(?i)\b(?:au\s+total|en\s+tout|in\s+total|a\s+total\s+of|au\s+cumul|cumul\w*|totalis\w*|total\s+funding"
    r"|total\s+raised|depuis\s+(?:sa|son|leur)\s+(?:création|lancement|fondation)|since\s+(?:its|their)\s+"
    r"(?:founding|inception|launch|creation)|to\s+date|jusqu['’](?:ici|à\s+présent)|so\s+far"
    r"|bringing\s+(?:its|the)\s+(?:total|round|series\s+\w+|funding)(?:\s+\w+)?\s+to|bringing\s+(?:its|the)\s+total"
    r"|portant\s+(?:le\s+tour|le\s+total|l['’]enveloppe|le\s+montant|la\s+levée)(?:\s+\w+)?\s+à|portant\s+(?:à|le\s+total)|après\s+avoir\s+(?:déjà\s+)?(?:levé|réuni|collecté|récolté)"
    r"|after\s+raising|having\s+raised|en\s+cumulé)"
)
VAL_AFTER = r"(?i)^\s*(?:de\s+|d['’]\s*|of\s+|in\s+)?(?:(?:post|pre|pré)-?money\s+)?(?:valorisation|valuation)\b|^\s+(?:post|pre|pré)-?money\b"
# "€1.2M in annual recurring revenue", "4 M€ de revenus annuels récurrents": adjectives before the noun
REV_AFTER = r"(?i)^\s*(?:de\s+|d['’]\s*|of\s+|in\s+)?(?:(?:annual|annuel|annual\s+recurring|recurring|net|gross|total|yearly)\s+){0,2}(?:chiffre\s+d['’]affaires|revenus?|revenues?|ventes|sales|(?-i:CA|ARR|MRR))\b"
PRICE_AFTER = (
    r"(?i)^\s*(?:HT\s+|TTC\s+|hors\s+taxes?\s+)?(?:par|per|/|a|an|each|chacun|l['’]unité|pièce)\s*(?:mois|month|an|année|year"
    r"|utilisateur|user|seat|siège|licence|license|action|share|unité|unit|personne|person|abonné|jour|day|heure|hour"
    r"|semaine|week|mo|yr)\b"
)
# a price cue does not reach across a clause ("which helps insurers price risk, raised €9m")
PRICE_BEFORE = r"(?i)\b(?:prix|price|tarif|coûte|coûtera|costs?|priced|pour\s+seulement|abonnement|subscription)\b[^.,;]{0,25}$"
COMPARE = r"(?i)(?:\b(?:contre|versus|vs\.?|compared\s+(?:to|with)|comparé\w*\s+à|soit|ou|or|from|à|to|et|and|puis|then)\W*|\(\s*)$"
# gapping: "Alan a levé 173 M€, Pennylane 75 M€ et Swile 200 M€": a name alone between two figures
GAP = r"^\s*(?:,|et|and)\s+(?-i:[A-Z])[\w&'’.-]*(?:\s+(?-i:[A-Z])[\w&'’.-]*){0,2}\s*$"
CONVERSION = r"(?i)^\W*(?:soit|ou|or|\(|environ\s*\(?|about\s*\(?)\W*(?:environ|about|près\s+de|some)?\s*$"
CLAUSE_CUT = r"(?i)^.*(?:[«»;:]|\bcomme\b|\bsuch\s+as\b|\blike\b|\bdont\b|\bincluding\b|\bnotamment\b|\bwhile\b|\btandis\s+que\b|\balors\s+que\b)"
MARKET_SUBJ = (
    r"(?i)\b(?:les|des|ces|nos|leurs|\d+)\s+(?:[\w-]+\s+){0,2}?(?:start-?ups?|jeunes\s+pousses|entreprises|sociétés|licornes"
    r"|scale-?ups?|fintechs?|medtechs?|biotechs?|greentechs?|deeptechs?|pépites|acteurs|startups|companies|firms|unicorns)"
    r"\b[^.;]{0,80}?\b(?:ont|avaient|auront|lèvent|have|had|collectively|attracted|captent|totalisent|cumulent)\b"
    r"|\b(?:startups|start-ups|companies|firms|unicorns)\s+(?:[\w-]+\s+){0,3}?(?:raised|attracted|secured|pulled|drew)\b"
    r"|\b(?:french\s+tech|l['’]écosystème|the\s+ecosystem|vc\s+funding|venture\s+funding|investors\s+(?:poured|invested))\b"
)
PERIOD = (
    r"(?i)\b(?:cette\s+semaine|this\s+week|la\s+semaine|last\s+week|semaine|week|hebdo\w*|weekly|ce\s+mois|this\s+month"
    r"|le\s+mois\s+dernier|last\s+month|monthly|\d+\s+(?:opérations|deals|levées|tours|rounds|transactions|financements))\b"
)
RECALL = (
    r"(?i)\b(?:précédente?s?|dernière\s+levée|dernier\s+tour|last\s+round|previous(?:ly)?|prior|earlier"
    r"|avait\s+(?:déjà\s+|alors\s+)?(?:\w+\s+)?(?:levé|réuni|obtenu|collecté|bouclé|récolté|permis|reçu)"
    r"|avaient\s+(?:déjà\s+)?(?:levé|investi|injecté)|had\s+(?:already\s+|previously\s+)?raised|plus\s+tôt"
    r"|il\s+y\s+a\s+(?:(?:à\s+peine|environ|près\s+d['’]|plus\s+d['’]|un\s+peu\s+plus\s+d['’]|moins\s+d['’])\s*)*"
    r"(?:un|une|deux|trois|quatre|cinq|six|\d+|quelques)\s+(?:ans?|années?|mois|semaines)"
    r"|years?\s+ago|months?\s+ago|levait|obtenait|datait|remont\w*\s+à|dates?\s+back|déjà\s+levé|already\s+raised|lors\s+de\s+sa\s+(?:précédente|dernière|première))\b"
)
CUM_AFTER = (
    r"(?i)^\s*(?:d['’]euros\s+|de\s+dollars\s+)?(?:au\s+total|en\s+tout|in\s+total|en\s+cumulé|au\s+cumul|depuis\s+(?:sa|son|leur)\s+(?:création|lancement)"
    r"|since\s+(?:its|it\s+was|their)\s+(?:founding|founded|inception|creation|launch)|to\s+date|so\s+far|à\s+ce\s+jour|jusqu['’]ici)\b"
)
# "20 millions d'euros de fonds propres": equity raised, not an investor's fund
EQUITY_AFTER = r"(?i)^\s*(?:\S+\s+){0,2}?(?:fonds\s+propres|equity)\b"
# "£32M Series B", "$14m in a Series A round": a round named right after the figure
ROUND_AFTER = (
    r"(?i)^\s*(?:\S+\s+){0,3}?(?:fonds\s+propres|in\s+equity|of\s+equity|en\s+capital|(?:lev[ée]e?s?|raised|obtenue?s?|récoltée?s?|collectée?s?|réunie?s?)\s+(?:par|by)\b|s[ée]ries?\s+(?-i:[A-J])\b|seed\b|pre-?seed\b|amorçage|pré-?amorçage|funding\s+round"
    r"|round\b|tranche\b|tour\s+de\s+(?:table|financement)|bridge\b|grant\b|subvention|venture\s+debt)"
)
# "the $800 million valuation of its $65 million Series C": a stage named right after the figure makes it a round,
# whatever valuation cue came before
STAGE_AFTER = r"(?-i:^\s+(?:[Ss][ée]ries?\s+[A-J]|[Ss]eed|[Pp]re-?[Ss]eed)\b)|(?i)^\s+(?:seed|funding|financing)\s+round\b"
# "a £2.4m project", "un contrat de 3 M€": money that is not raised
OTHER_AFTER = (
    r"(?i)^\s*(?:\S+\s+)?(?:project|projet|budget|programme|program|contract|contrat|order|commande|deal\s+with|plan"
    # "dont 11,5 M€ de cession de titres", "$5M in secondary shares": the part sold by shareholders
    r"|cession|titres\s+cédés|actions\s+cédées|secondary|secondaire)\b"
)
# a round-up heading "Nova Grid (Lyon) – près de 6 millions d'euros": name, place, dash, figure
HEADING_LEFT = (
    r"(?i)^\s*(?-i:\p{Lu})[^–—:.,;]{0,60}?(?:\([^)]{1,40}\))?\s*[–—:|-]\s*(?:près\s+de|environ|plus\s+de|more\s+than"
    r"|about|nearly|up\s+to|jusqu['’]à|over|some)?\s*$"
)
# "des tickets compris entre 2 et 8 M€", "first cheques of $1M to $5M": what a fund invests per deal, no round
TICKET = r"(?i)\b(?:tickets?|chèques?|cheques?|checks?)\b(?:\s+[\w-]+){0,3}?\s+(?:compris\s+entre|entre|de|d['’]|of|between|from|ranging\s+from)\s+(?:\S+\s+(?:et|and|à|to)\s+)?$"
# acquisitions, secondary sales, buy-backs: money changing hands that is no round
DEAL_CUE = (
    r"(?i)\b(?:rach[eè]t\w*|racheté\w*|acqui[sr]\w*|acquisition|cession|cédé\w*|cède|sold|sells?|selling|stake"
    r"|secondaire|secondary|tender|buy-?back|bought|buys|fusion|merger|takeover|offre\s+publique)\b"
)
# "le précédent fonds de la société ... atteignait 180 millions": the clause is about an investor's fund
FUND_SUBJ = (
    r"(?i)(?:\b(?:le|son|un|leur|ce|cet|nouveau|précédent|premier|the|its|a|their|new|previous|first|this|second|third|fourth"
    r"|deuxième|troisième|quatrième|debut|flagship|latest)|['’]s)\s+(?:[\w-]+\s+)?(?:fonds|fund|véhicule)\b"
)
NOT_RAISE = r"(?i)\bl[èe]v\w*\s+(?:le|les)\s+(?:voile|rideau|yeux|bras|doigt|pied)"
# "le fonds Kima mène un tour de 5 M€": a fund that invests or leads is no fund being raised
FUND_INVESTS = (
    r"(?i)\b(?:investi\w*|invest\w*|injecte\w*|lev[ée]e?s?\s+de\s+fonds|m[èe]ne\w*|men[ée]e?s?|co-?m[èe]ne\w*|leads?|led"
    r"|co-?led|particip\w*|accompagn\w*|soutien\w*|backs?|backed|prend\w*)\b"
)
# "Acme a levé 5 M€ auprès du fonds Kima": the fund after the figure is who paid it, not its size
FROM_FUND = r"(?i)^\s*(?:,\s*)?(?:aupr[èe]s\s+d|from|by|par|via|with|avec|de\s+la\s+part|thanks)"
# "X a bouclé son nouveau fonds, doté de 877 M€", "its third fund, sized at $200M", "un véhicule d'une taille de…":
# the figure sizes the fund named just before it, whatever verb ("bouclé", "closed") came first
FUND_SIZED = (
    r"(?i)\b(?:un|une|son|sa|leur|nouveau|nouvel|premier|deuxième|second|troisième|quatrième|cinquième|its|their|a|an"
    r"|new|first|third|fourth|fifth|debut|flagship|latest|dernier|le|the|ce|this)\s+(?:[\w-]+\s+)?(?:fonds|fund|véhicule|vehicle)"
    r"(?:\s+(?-i:[A-Z])[\w-]*|\s+[IVX]+)*\s*,?\s*(?:(?:qui\s+est\s+|which\s+is\s+)?(?:dotée?s?|sized|capped)\s+(?:de|d['’]|à|at|of)?"
    r"|d['’]une?\s+(?:taille|montant|capacité|enveloppe)\s+(?:cible\s+|totale?\s+)?(?:de|d['’])|(?:with|at)\s+a\s+(?:size|target|hard\s+cap|final\s+close)\s+of"
    r"|worth|totall?ing|of|at|de|d['’]|à)\s*$"
)



# every pattern runs on accent-folded text with ASCII word boundaries (see text.rx)
ROUND_CUE = rx(ROUND_CUE)
VAL_CUE = rx(VAL_CUE)
REV_CUE = rx(REV_CUE)
FUND_CUE = rx(FUND_CUE)
FUND_AFTER = rx(FUND_AFTER)
CUM_CUE = rx(CUM_CUE)
VAL_AFTER = rx(VAL_AFTER)
REV_AFTER = rx(REV_AFTER)
PRICE_AFTER = rx(PRICE_AFTER)
PRICE_BEFORE = rx(PRICE_BEFORE)
COMPARE = rx(COMPARE)
GAP = rx(GAP)
CONVERSION = rx(CONVERSION)
CLAUSE_CUT = rx(CLAUSE_CUT)
MARKET_SUBJ = rx(MARKET_SUBJ)
PERIOD = rx(PERIOD)
RECALL = rx(RECALL)
CUM_AFTER = rx(CUM_AFTER)
OTHER_AFTER = rx(OTHER_AFTER)
HEADING_LEFT = rx(HEADING_LEFT)
ROUND_AFTER = rx(ROUND_AFTER)
STAGE_AFTER = rx(STAGE_AFTER)
EQUITY_AFTER = rx(EQUITY_AFTER)
DEAL_CUE = rx(DEAL_CUE)
FUND_SUBJ = rx(FUND_SUBJ)
NOT_RAISE = rx(NOT_RAISE)
FUND_SIZED = rx(FUND_SIZED)
TICKET = rx(TICKET)
FUND_INVESTS = rx(FUND_INVESTS)
FROM_FUND = rx(FROM_FUND)

def last_cue_end(text: pl.Expr, cue: str) -> pl.Expr:
    """Character position where the last match of `cue` ends in `text` (null without one).

    The whole match (group 0) is the prefix up to that end: no capture group, so the regex
    engine finds it with its DFA instead of a capturing engine (about twice as fast)."""
    flags, body = (cue[:4], cue[4:]) if cue.startswith("(?i)") else ("", cue)
    return text.str.extract(f"(?s){flags}^.*(?:{body})", 0).str.len_chars().cast(pl.Int64)


def add_contexts(figs: pl.DataFrame) -> pl.DataFrame:
    """left (since the previous figure of the sentence), lctx (sentence start to figure), right (to next figure), rctx."""
    key = ["article_id", "sentence_idx"]
    figs = figs.sort("article_id", "char_start").with_columns(
        shift_in_group(pl.col("raw_text_end"), 1, *key).fill_null(0).alias("_pe"),
        shift_in_group(pl.col("raw_text_start"), -1, *key).alias("_ns"),
    )
    return figs.with_columns(
        pl.col("sfold").str.slice(pl.col("_pe"), pl.col("raw_text_start") - pl.col("_pe")).alias("left"),
        pl.col("sfold").str.slice(0, pl.col("raw_text_start")).alias("lctx"),
        pl.col("sfold").str.slice(pl.col("raw_text_end"), pl.col("_ns").fill_null(10**9) - pl.col("raw_text_end")).alias("right"),
        pl.col("sfold").str.slice(pl.col("raw_text_end")).alias("rctx"),
    ).drop("_pe", "_ns")


def classify(figs: pl.DataFrame) -> pl.DataFrame:
    """Adds `kind`, `is_recalled_cue` and `is_conversion` to figures that carry left/lctx/right/rctx."""
    # "lève le voile" raises nothing: the cues are searched without it (computed once, used by every cue)
    figs = figs.with_columns(pl.col("left").str.replace_all(NOT_RAISE, "").alias("_left_raising"))
    left = pl.col("_left_raising")
    n = pl.col("left").str.len_chars().cast(pl.Int64)
    cues = {
        "valuation": VAL_CUE, "revenue": REV_CUE, "fund": FUND_CUE, "cumulative": CUM_CUE, "other": DEAL_CUE, "round": ROUND_CUE,
    }
    dist = {k: n - last_cue_end(left, c) for k, c in cues.items()}
    # nearest cue wins; ties go to the earlier entry of `cues`
    best = pl.lit(None, dtype=pl.Utf8)
    best_d = pl.lit(None, dtype=pl.Int64)
    figs = figs.with_columns([d.alias(f"_d_{k}") for k, d in dist.items()])
    expr_kind = pl.lit(None, dtype=pl.Utf8)
    order = list(cues)
    # build: kind = argmin over distances with priority order
    best_d = pl.min_horizontal([pl.col(f"_d_{k}") for k in order])
    for k in reversed(order):
        expr_kind = pl.when(pl.col(f"_d_{k}") == best_d).then(pl.lit(k)).otherwise(expr_kind)
    figs = figs.with_columns(pl.col("lctx").str.replace(CLAUSE_CUT, "").alias("_clause"))
    clause = pl.col("_clause")
    right, left, lctx = pl.col("right"), pl.col("left"), pl.col("lctx")
    # every test of the figure's own words is a column, computed once: the kind is decided again
    # for the rows whose previous kind changed, and only `_prev_kind` differs then
    figs = figs.with_columns(
        expr_kind.alias("_near"),
        clause.str.contains(MARKET_SUBJ).alias("_market"),
        (clause.str.contains(FUND_SUBJ) & ~clause.str.contains(FUND_INVESTS)).alias("_fundsubj"),
        pl.col("sfold").str.contains(PERIOD).alias("_period"),
        left.str.contains(COMPARE).alias("_compare"),
        (left.str.contains(CONVERSION) & (pl.col("raw_text_start") > 0)).alias("_conv"),
        (right.str.contains(PRICE_AFTER) | left.str.contains(PRICE_BEFORE)).alias("_price"),
        right.str.contains(VAL_AFTER).alias("_val_after"),
        right.str.contains(REV_AFTER).alias("_rev_after"),
        (right.str.contains(FUND_AFTER) & ~right.str.contains(EQUITY_AFTER) & ~right.str.contains(FROM_FUND)).alias("_fund_after"),
        left.str.contains(FUND_SIZED).alias("_fund_sized"),
        lctx.str.contains(TICKET).alias("_ticket"),
        right.str.contains(CUM_AFTER).alias("_cum_after"),
        (right.str.contains(OTHER_AFTER) & ~right.str.contains(rx(r"(?i)^\s*(?:au|à|aux|to|for|pour|dans|into|in|du|des)\s"))).alias("_other_after"),
        left.str.contains(GAP).alias("_gap"),
        right.str.contains(STAGE_AFTER).alias("_stage_after"),
        right.str.contains(ROUND_AFTER).alias("_round_after"),
        (lctx.str.contains(HEADING_LEFT) & ~pl.col("sfold").str.contains(r"[.!?]\s*$")).alias("_heading"),
    )
    kind = (
        pl.when(pl.col("_price")).then(pl.lit("price"))
        .when(pl.col("_val_after")).then(pl.lit("valuation"))
        .when(pl.col("_rev_after")).then(pl.lit("revenue"))
        .when(pl.col("_fund_after")).then(pl.lit("fund"))
        .when(pl.col("_fund_sized")).then(pl.lit("fund"))
        .when(pl.col("_ticket")).then(pl.lit("other"))
        .when(pl.col("_cum_after")).then(pl.lit("cumulative"))
        .when(pl.col("_other_after")).then(pl.lit("other"))
        .when(pl.col("_near").is_null() & (pl.col("_compare") | pl.col("_gap")) & pl.col("_prev_kind").is_not_null()).then(pl.col("_prev_kind"))
        .when((pl.col("_near") == "valuation") & pl.col("_stage_after")).then(pl.lit("round"))
        .when(pl.col("_near").is_in(["round", "cumulative"]) & pl.col("_market") & pl.col("_period")).then(pl.lit("period_total"))
        .when(pl.col("_near").is_in(["round", "cumulative"]) & pl.col("_market")).then(pl.lit("market_total"))
        .when((pl.col("_near") == "round") & pl.col("_fundsubj")).then(pl.lit("fund"))
        .when(pl.col("_near").is_not_null()).then(pl.col("_near"))
        .when(pl.col("_round_after")).then(pl.lit("round"))
        .when(pl.col("_heading")).then(pl.lit("round"))
        .otherwise(pl.lit("other"))
    )
    # kinds are decided left to right: a comparison needs the previous figure's kind
    figs = figs.sort("article_id", "char_start").with_row_index("_row")
    figs = figs.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_prev_kind")).with_columns(kind.alias("kind"))
    prev_kind = shift_in_group(pl.col("kind"), 1, "article_id", "sentence_idx")
    for _ in range(2):  # chains of comparisons are short
        # `kind` depends on the row and its previous kind only: only rows whose previous kind changed are decided again
        figs = figs.with_columns(prev_kind.alias("_new_prev"))
        changed = ~pl.col("_new_prev").eq_missing(pl.col("_prev_kind"))
        again = figs.filter(changed).with_columns(pl.col("_new_prev").alias("_prev_kind")).with_columns(kind.alias("kind"))
        figs = pl.concat([figs.filter(~changed), again]).sort("_row").drop("_new_prev")
    figs = figs.with_columns(prev_kind.alias("_prev_kind"))
    figs = figs.with_columns(
        # the clause of the figure: since the previous figure of the sentence, and up to the next one
        (pl.col("left").str.contains(RECALL) | pl.col("right").str.contains(RECALL)).alias("is_recalled_cue"),
        (pl.col("_conv") & pl.col("_prev_kind").is_not_null()).alias("is_conversion"),
    )
    return figs.drop([c for c in figs.columns if c.startswith("_")])
