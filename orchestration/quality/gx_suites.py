"""Great Expectations 1.x suites, one per rule family, over tables read from DuckDB.

GX cannot validate DuckDB through SQLAlchemy here (STACK_NOTES.md), so each suite
validates a pandas DataFrame read from the warehouse, in an ephemeral context, and
the results are rendered as static Data Docs (HTML) in a folder the caller gives.

`import great_expectations` costs about 10 s: it happens inside `run_suites`, never
at import time of this module.

    results = run_suites(frames, docs_dir=Path("warehouse/gx_docs"))
    results["plausibility"].success, results["plausibility"].failures

`frames` maps a table name (`SUITE_TABLES`) to a DataFrame; `read_frames(con)` reads
them from a DuckDB connection.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# family -> (table the suite validates, columns naming a row in the report)
SUITE_TABLES: dict[str, tuple[str, list[str]]] = {
    "cross_currency": ("intermediate.int_quality__cross_currency", ["round_id", "article_id"]),
    "swapped_currency": ("intermediate.int_quality__swapped_currency", ["round_id", "article_id"]),
    "conflicting_amounts": ("intermediate.int_quality__conflicting_amounts", ["round_id", "article_id"]),
    "valuation_below_amount": ("intermediate.int_quality__mentions", ["mention_id"]),  # pre-money excluded
    "dates": ("intermediate.int_quality__mentions", ["mention_id"]),
    "same_period": ("intermediate.int_quality__same_period", ["article_id"]),
    "round_order": ("intermediate.int_quality__round_order", ["round_id"]),
    "inferred_facts": ("marts.rounds", ["round_id"]),
    "plausibility": ("intermediate.int_quality__mentions", ["mention_id"]),
    "warehouse": ("marts.quality_issues", ["issue_id"]),
}

DATE_COLUMNS = ("announced_on", "article_published_on", "fx_rate_date", "reference_rate_date")


@dataclass
class SuiteResult:
    """The outcome of one suite, in plain Python types (Dagster metadata wants no numpy)."""

    family: str
    table: str
    success: bool
    evaluated: int
    failed: int
    rows: int
    failures: list[dict[str, Any]] = field(default_factory=list)


def _expectations(gxe) -> dict[str, list[Any]]:
    """The expectations of each family (gxe = great_expectations.expectations)."""
    pair = gxe.ExpectColumnPairValuesAToBeGreaterThanB
    return {
        # rule 1: the implied rate interval meets the accepted ECB interval
        "cross_currency": [
            pair(column_A="implied_hi", column_B="accepted_lo", or_equal=True, ignore_row_if="either_value_is_missing"),
            pair(column_A="accepted_hi", column_B="implied_lo", or_equal=True, ignore_row_if="either_value_is_missing"),
            gxe.ExpectColumnValuesToBeBetween(column="fx_margin", min_value=0.0, max_value=0.05),
        ],
        # rule 2: no pair of figures with the same numeral in two currencies (parity excepted)
        "swapped_currency": [
            gxe.ExpectColumnValuesToBeInSet(column="is_finding", value_set=[False]),
        ],
        # rule 3: the intervals of two figures of one round overlap
        "conflicting_amounts": [
            pair(column_A="hi_a", column_B="lo_b", or_equal=True, ignore_row_if="either_value_is_missing"),
            pair(column_A="hi_b", column_B="lo_a", or_equal=True, ignore_row_if="either_value_is_missing"),
        ],
        # rule 4: a valuation at least the amount raised (both in EUR, at each mention's date)
        "valuation_below_amount": [
            pair(column_A="valuation_eur", column_B="amount_eur", or_equal=True, ignore_row_if="either_value_is_missing"),
        ],
        # rule 5: a round is not announced after the article that reports it
        "dates": [
            pair(column_A="article_published_on", column_B="announced_on", or_equal=True,
                 ignore_row_if="either_value_is_missing"),
        ],
        # rule 5 (text): no period compared with itself
        "same_period": [gxe.ExpectTableRowCountToEqual(value=0)],
        # rule 6: stages in order
        "round_order": [gxe.ExpectTableRowCountToEqual(value=0)],
        # rule 7: every round dated
        "inferred_facts": [gxe.ExpectColumnValuesToNotBeNull(column="announced_on")],
        # rule 8: amounts between 10 000 and 100 billion
        "plausibility": [
            gxe.ExpectColumnValuesToBeBetween(column="amount", min_value=10_000, max_value=100e9),
        ],
        # the table itself: keys and vocabularies of marts.quality_issues
        "warehouse": [
            gxe.ExpectColumnValuesToBeUnique(column="issue_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="issue_id"),
            gxe.ExpectColumnValuesToBeInSet(column="severity", value_set=["error", "warning"]),
            gxe.ExpectColumnValuesToNotBeNull(column="message"),
        ],
    }


def suite_columns(family: str, expectations: dict[str, list[Any]] | None = None) -> list[str]:
    """The columns a family's suite reads: its expectations' columns and the row names of its report."""
    if expectations is None:
        import great_expectations.expectations as gxe

        expectations = _expectations(gxe)
    columns = list(SUITE_TABLES[family][1])
    for expectation in expectations[family]:
        for attribute in ("column", "column_A", "column_B"):
            value = getattr(expectation, attribute, None)
            if value and value not in columns:
                columns.append(value)
    if family == "valuation_below_amount":
        columns.append("valuation_basis")
    return columns


def read_frames(con, families: list[str] | None = None) -> dict[str, Any]:
    """Read each suite's table from an open DuckDB connection into pandas (dates as datetimes).

    Only the columns the suites read are fetched (a third of int_quality__mentions' columns: the
    quotes and messages stay in DuckDB). A table is read once whatever the number of suites on it:
    families on one table share one DataFrame (run_suites then validates them on one batch);
    valuation_below_amount takes the post-money (or unspecified) rows of int_quality__mentions,
    filtered in pandas.
    """
    import great_expectations.expectations as gxe
    import pandas as pd

    expectations = _expectations(gxe)
    wanted: dict[str, list[str]] = {}
    for family in families or list(SUITE_TABLES):
        table, _ = SUITE_TABLES[family]
        wanted.setdefault(table, [])
        wanted[table] += [c for c in suite_columns(family, expectations) if c not in wanted[table]]
    tables: dict[str, Any] = {}
    for table, columns in wanted.items():
        schema, name = table.split(".")
        present = {r[0] for r in con.execute("select column_name from information_schema.columns "
                                              "where table_schema = ? and table_name = ?", [schema, name]).fetchall()}
        select = ", ".join(f'"{c}"' for c in columns if c in present) or "*"
        frame = con.execute(f"select {select} from {table}").df()
        for column in DATE_COLUMNS:
            if column in frame.columns:
                frame[column] = pd.to_datetime(frame[column])
        tables[table] = frame
    frames: dict[str, Any] = {}
    for family in families or list(SUITE_TABLES):
        frame = tables[SUITE_TABLES[family][0]]
        if family == "valuation_below_amount":  # coalesce(valuation_basis, 'post') <> 'pre'
            frame = frame[frame["valuation_basis"].fillna("post") != "pre"].reset_index(drop=True)
        frames[family] = frame
    return frames


def preload() -> None:
    """Import Great Expectations (about 10 s) ahead of the suites, e.g. in a thread while dbt builds.

    Its objects live as long as the process, and are then exempt from the cycle collector (gc.freeze):
    collected as usual, its millions of objects were walked again and again, 2.3 s of GIL-holding
    collections during dbt in a run of 1,000 new articles on 100k (py-spy); with the collector merely
    off during the import, the same walks came later, half of them in the main thread after dbt.
    Frozen objects are thawed at exit, so the interpreter's teardown frees them as usual (DuckDB's
    bindings would report frozen ones as leaked)."""
    import gc

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    collecting = gc.isenabled()
    gc.disable()  # no collection half-way through the import: its objects all go to the frozen set
    try:
        import great_expectations  # noqa: F401
        import great_expectations.expectations  # noqa: F401
    finally:
        gc.freeze()
        _thaw_at_exit()
        if collecting:
            gc.enable()


@functools.cache
def _thaw_at_exit() -> None:
    """gc.unfreeze at exit, registered once per process however often preload runs."""
    import atexit
    import gc

    atexit.register(gc.unfreeze)


def _plain(value: Any) -> Any:
    """numpy/pandas scalars to plain Python, recursively."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        try:
            return value.item()
        except (ValueError, TypeError):
            pass
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _skip_batch_fingerprints() -> None:
    """GX hashes every DataFrame it validates (pandas' hash of each row, ~1 s for the string columns
    of a 100k-article warehouse) only to store the hash as a batch marker, which nothing here reads.
    It hashes the frames under `HASH_THRESHOLD` bytes: with 0, none."""
    from great_expectations.execution_engine import pandas_execution_engine

    pandas_execution_engine.HASH_THRESHOLD = 0


def run_suites(frames: dict[str, Any], docs_dir: Path | None = None,
               families: list[str] | None = None) -> dict[str, SuiteResult]:
    """Validate each family's frame with its suite; build Data Docs into docs_dir when given."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    import great_expectations.expectations as gxe

    _skip_batch_fingerprints()
    context = gx.get_context(mode="ephemeral")
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # noqa: BLE001 - cosmetic only
        pass
    site_names: list[str] = []
    if docs_dir is not None:
        docs_dir = Path(docs_dir)
        docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            site_name="fundwatch_quality",
            site_config={
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            },
        )
        site_names = ["fundwatch_quality"]

    datasource = context.data_sources.add_pandas("fundwatch")
    expectations = _expectations(gxe)
    results: dict[str, SuiteResult] = {}
    batches: dict[int, Any] = {}  # one data asset and batch definition per DataFrame (per table)
    for family in families or list(SUITE_TABLES):
        if family not in frames:
            continue
        table, id_columns = SUITE_TABLES[family]
        frame = frames[family]
        batch = batches.get(id(frame))
        if batch is None:
            asset = datasource.add_dataframe_asset(name=f"{table}_{len(batches)}")
            batch = batches[id(frame)] = asset.add_batch_definition_whole_dataframe(f"{table}_{len(batches)}_all")
        suite = context.suites.add(gx.ExpectationSuite(name=f"fundwatch_{family}"))
        for expectation in expectations[family]:
            suite.add_expectation(expectation)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"validate_{family}", data=batch, suite=suite)
        )
        index_columns = [c for c in id_columns if c in frame.columns]
        outcome = definition.run(
            batch_parameters={"dataframe": frame},
            # SUMMARY: counts and the first unexpected rows (the report shows 20), not every one of
            # thousands of warnings at 100k articles
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 20,
                           "unexpected_index_column_names": index_columns},
        )
        failures: list[dict[str, Any]] = []
        evaluated = failed = 0
        for er in outcome.results:
            evaluated += 1
            if er.success:
                continue
            failed += 1
            result = er.result or {}
            failures.append(_plain({
                "expectation": er.expectation_config.type,
                "kwargs": {k: v for k, v in er.expectation_config.kwargs.items() if k != "batch_id"},
                "unexpected_count": result.get("unexpected_count", result.get("observed_value")),
                "unexpected_rows": (result.get("partial_unexpected_index_list")
                                    or result.get("unexpected_index_list") or [])[:20],
                "exception": (er.exception_info or {}).get("exception_message")
                if isinstance(er.exception_info, dict) else None,
            }))
        results[family] = SuiteResult(
            family=family, table=table, success=bool(outcome.success), evaluated=int(evaluated),
            failed=int(failed), rows=int(len(frame)), failures=failures,
        )
    if site_names:
        context.build_data_docs(site_names=site_names)
    return results


def docs_index(docs_dir: Path) -> Path:
    return Path(docs_dir) / "index.html"


__all__ = ["SUITE_TABLES", "SuiteResult", "read_frames", "suite_columns", "run_suites", "docs_index", "preload"]
