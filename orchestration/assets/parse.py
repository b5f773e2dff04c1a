"""raw mention tables: the polars extraction engine run over the articles not parsed yet.

Incremental and idempotent. `raw.parse_ledger` remembers, per article, the parse key it
was parsed under: its content hash, a hash of its text and metadata, and the version of
the parsing code. A run parses only articles whose key is new (new or edited files, new
metadata, new parser); the facts of every article whose key is gone (deleted or edited
files, re-parsed articles) are deleted, and the new facts inserted, in one transaction.
"""
from __future__ import annotations

import hashlib

import dagster as dg
import polars as pl

from orchestration import fingerprint, settings
from orchestration.assets.publish import with_build_lock
from orchestration.warehouse import markdown_preview, query_frame, replace_table, table_exists



MENTION_TABLES = ("article_facts", "figures", "round_mentions", "investor_mentions", "company_facts")
_DESCRIPTIONS = {
    "article_facts": "Per article: detected language and publication date (given or inferred from the text).",
    "figures": "Every money figure found, with what it is (round, valuation, revenue, market total, price, fund…).",
    "round_mentions": "One row per funding round as one article states it, with the sentence that proves it.",
    "investor_mentions": "Investors named for each round mention, with lead and existing/new flags.",
    "company_facts": "Where each company is based (city, ISO country), with the sentence that says so.",
}
LEDGER_SCHEMA = {"article_id": pl.Utf8, "parse_key": pl.Utf8, "parser_version": pl.Utf8}


def parser_version() -> str:
    """A hash of the parsing code: when it changes, every article is parsed again."""
    digest = hashlib.sha256()
    package = settings.REPO_ROOT / "orchestration" / "parsing"
    for source in sorted(package.rglob("*")) if package.is_dir() else []:
        if source.is_file() and source.suffix in {".py", ".csv", ".json", ".txt", ".yml", ".yaml"}:
            digest.update(source.relative_to(package).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def _parse_keys(con, version: str) -> pl.DataFrame:
    """article_id → parse_key for every article now in raw.articles.

    The key stands for everything the engine reads: the text, the metadata columns and the parser
    version. The text is known by its file: the article id is the hash of the file's bytes and the
    ingest index's `meta_key` hashes the rest of what makes the text (file type, manifest row,
    ingest code), so the 367 MB of text of a 100k corpus need not be hashed at every run. Articles
    written without the ingest index (tests, older warehouses) are keyed by a hash of their text.
    """
    meta = ("coalesce(a.title, ''), coalesce(a.lang, ''), coalesce(cast(a.published_on as varchar), ''), "
            "coalesce(a.source, ''), coalesce(a.url, ''), ?")
    by_text = f"select a.article_id, md5(concat_ws('|', a.article_id, md5(a.text), {meta})) as parse_key " \
              "from raw.articles as a"
    missing = fingerprint.articles_outside_index(con)
    if missing is None:
        return query_frame(con, by_text, [version])
    by_file = (f"select a.article_id, md5(concat_ws('|', a.article_id, 'file', f.meta_key, {meta})) as parse_key "
               f"from raw.articles as a join {fingerprint.META_KEY_BY_ARTICLE} as f using (article_id)")
    keys = query_frame(con, by_file, [version])
    if missing:  # only those articles' texts are read
        keys = pl.concat([keys, query_frame(con, by_text + " anti join raw.ingest_files as f using (article_id)",
                                            [version])])
    return keys


def plan(con, version: str) -> tuple[pl.DataFrame, pl.DataFrame, bool]:
    """(articles to parse, the new ledger, whether every table is rebuilt from scratch)."""
    current = _parse_keys(con, version)
    ledger = (query_frame(con, "select * from raw.parse_ledger")
              if table_exists(con, "raw", "parse_ledger") else pl.DataFrame(schema=LEDGER_SCHEMA))
    tables_ready = all(table_exists(con, "raw", t) for t in MENTION_TABLES)
    full = (not tables_ready or ledger.filter(pl.col("parser_version") != version).height > 0)
    todo_keys = current if full else current.join(ledger.select("parse_key"), on="parse_key", how="anti")
    con.register("_todo_keys", todo_keys.select("article_id").to_arrow())
    try:
        todo = query_frame(con, "select a.article_id, a.path, a.title, a.text, a.lang, a.published_on, a.source, "
                                "a.url from raw.articles a semi join _todo_keys t using (article_id) "
                                "order by a.path")
    finally:
        con.unregister("_todo_keys")
    new_ledger = current.select("article_id", "parse_key").with_columns(pl.lit(version).alias("parser_version"))
    return todo, new_ledger, full


def _ledger_unchanged(con, ledger: pl.DataFrame) -> bool:
    if not table_exists(con, "raw", "parse_ledger"):
        return False
    old = query_frame(con, "select * from raw.parse_ledger")
    return old.columns == ledger.columns and old.sort(pl.all()).equals(ledger.sort(pl.all()))


def _parsed_mentions(context):
    """Parse only new or changed articles and drop the facts of removed ones, in one transaction."""
    from orchestration.parsing import extract
    from orchestration.progress import extract_in_batches
    from orchestration.warehouse import connect

    version = parser_version()
    with connect() as con:
        articles_state = fingerprint.read_state(con, "ingest")[0]
        fp = fingerprint.digest(articles_state, version) if articles_state else None
        unchanged = fp is not None and fingerprint.read_state(con, "parse")[0] == fp
        if not unchanged:
            todo, ledger, full = plan(con, version)
            unchanged = not full and todo.is_empty() and _ledger_unchanged(con, ledger)  # nothing new, nothing gone
        if unchanged:
            totals = {t: con.execute(f"select count(*) from raw.{t}").fetchall()[0][0] for t in MENTION_TABLES}
            if fp:
                fingerprint.write_state(con, "parse", fp)
    if unchanged:
        context.log.info("no article new, edited or removed since the last parse: raw mention tables unchanged")
        for table in MENTION_TABLES:
            yield dg.MaterializeResult(asset_key=["raw", table], metadata={
                "dagster/row_count": totals[table], "new_rows": 0, "articles_parsed": 0,
                "parser_version": version, "skipped": "unchanged"})
        return
    context.log.info(f"articles to parse: {todo.height} of {ledger.height}"
                     + (" (all: first run or new parser version)" if full else ""))
    extraction = extract_in_batches(extract, todo, context)  # `make run` shows a bar
    frames: dict[str, pl.DataFrame] = {t: getattr(extraction, t) for t in MENTION_TABLES}
    with connect() as con:
        con.execute("begin transaction")
        fingerprint.forget_state(con, "parse")
        if full:
            for table, frame in frames.items():
                replace_table(con, "raw", table, frame)
        else:
            con.register("_ledger", ledger.to_arrow())
            con.register("_todo", todo.select("article_id").to_arrow())
            for table, frame in frames.items():
                # facts of deleted, edited or re-parsed articles go; those of unchanged ones stay
                con.execute(f"delete from raw.{table} where article_id not in (select article_id from _ledger) "
                            f"or article_id in (select article_id from _todo)")
                if frame.height:
                    con.register("_frame", frame.to_arrow())
                    con.execute(f"insert into raw.{table} by name select * from _frame")
                    con.unregister("_frame")
            con.unregister("_ledger")
            con.unregister("_todo")
        replace_table(con, "raw", "parse_ledger", ledger)
        totals = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in MENTION_TABLES}
        if fp:
            fingerprint.write_state(con, "parse", fp)
        con.execute("commit")
    context.log.info("parsed: " + ", ".join(f"{t} +{f.height}" for t, f in frames.items()))
    for table, frame in frames.items():
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={
            "dagster/row_count": totals[table], "new_rows": frame.height, "articles_parsed": todo.height,
            "articles_total": ledger.height, "parser_version": version,
            "preview": dg.MetadataValue.md(markdown_preview(frame)),
        })


parsed_mentions = with_build_lock(
    dg.multi_asset,
    name="parsed_mentions",
    specs=[
        dg.AssetSpec(["raw", t], deps=[["raw", "articles"]], group_name="parse", kinds={"polars", "duckdb"},
                     description=_DESCRIPTIONS[t])
        for t in MENTION_TABLES
    ],
)(_parsed_mentions)

