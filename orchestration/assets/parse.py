"""raw mention tables: the polars extraction engine run over the articles not parsed yet."""

import dagster as dg
import polars as pl

from orchestration.warehouse import append_rows, connect, markdown_preview, table_exists

MENTION_TABLES = ("article_facts", "figures", "round_mentions", "investor_mentions", "company_facts")
_DESCRIPTIONS = {
    "article_facts": "Per article: detected language and publication date (given or inferred from the text).",
    "figures": "Every money figure found, with what it is (round, valuation, revenue, market total, price, fund…).",
    "round_mentions": "One row per funding round as one article states it, with the sentence that proves it.",
    "investor_mentions": "Investors named for each round mention, with lead and existing/new flags.",
    "company_facts": "Where each company is based (city, ISO country), with the sentence that says so.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", t], deps=[["raw", "articles"]], group_name="parse", kinds={"polars", "duckdb"},
                     description=_DESCRIPTIONS[t])
        for t in MENTION_TABLES
    ],
)
def parsed_mentions(context: dg.AssetExecutionContext):
    """Parse only new or changed articles (keyed by content hash) and drop the facts of removed ones."""
    from orchestration.parsing import extract

    with connect() as con:
        parsed = table_exists(con, "raw", "article_facts")
        known = "select article_id from raw.article_facts" if parsed else "select null::varchar as article_id where false"
        todo = con.execute(
            f"select article_id, path, title, text, lang, published_on, source, url from raw.articles "
            f"where article_id not in ({known})"
        ).pl()
        if parsed:
            for table in MENTION_TABLES:
                con.execute(f"delete from raw.{table} where article_id not in (select article_id from raw.articles)")
        context.log.info(f"articles to parse: {todo.height}")
        extraction = extract(todo)
        counts = {}
        for table in MENTION_TABLES:
            frame: pl.DataFrame = getattr(extraction, table)
            append_rows(con, "raw", table, frame)
            counts[table] = (con.execute(f"select count(*) from raw.{table}").fetchone()[0], frame)
    context.log.info("parsed: " + ", ".join(f"{t} +{f.height}" for t, (_, f) in counts.items()))
    for table, (total, frame) in counts.items():
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={
            "dagster/row_count": total, "new_rows": frame.height, "articles_parsed": todo.height,
            "preview": dg.MetadataValue.md(markdown_preview(frame)),
        })
