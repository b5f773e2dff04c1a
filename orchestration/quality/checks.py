"""Every quality rule as a Dagster asset check, with its evidence in the check's metadata.

Two kinds of check, kept apart (docs/quality_rules.md):

* Rules about the PRESS (figures that do not add up): one non-blocking check per rule
  family on `marts/quality_issues`, severity WARN. Their findings are the product: they
  are rows of `marts.quality_issues` and never stop a run or its publication. A check
  "fails" (yellow in the UI) when its rule found something; the metadata lists the
  offending rows with their quotes, and the consistent comparisons too.
  `gx_suites` re-validates the same families with Great Expectations (one check per
  suite, non-blocking) and builds the Data Docs.
* Checks of the WAREHOUSE ITSELF: blocking, severity ERROR. `quality_issues_contract`
  (columns, keys, vocabularies of marts.quality_issues) and `rounds_dated_are_converted`
  (every dated round of marts.rounds converted to EUR and USD).

Each kind runs as one Dagster step (`press_rules`, `great_expectations_suites`,
`warehouse_contract`) whose checks the UI still shows one by one: a step has a fixed cost
of its own (about 0.15 s), paid eleven times before.

Wire them with:

    from orchestration.quality.checks import quality_asset_checks
    dg.Definitions(..., asset_checks=[..., *quality_asset_checks])

Each check opens the warehouse being built read-only (orchestration.settings.build_path(),
else the published file, else $FUNDWATCH_DBT_DATABASE) and closes it before returning.
Great Expectations is imported inside the GX check only (10 s).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

QUALITY_ISSUES = dg.AssetKey(["marts", "quality_issues"])
ROUNDS = dg.AssetKey(["marts", "rounds"])

# family -> (check names in marts.quality_issues, the model with every comparison, what the rule says)
PRESS_RULES: dict[str, tuple[list[str], str, str]] = {
    "cross_currency": (
        ["cross_currency"], "int_quality__cross_currency",
        "Rule 1. One round reported in two currencies: the rate the printed figures imply (with their "
        "precision) must meet the ECB rate over the dates involved, ±1 % (dates within 3 days) or ±2 %. "
        "Error otherwise.",
    ),
    "swapped_currency": (
        ["swapped_currency"], "int_quality__swapped_currency",
        "Rule 2. The same numeral reported in two currencies for one round is an error, whichever is "
        "right (unless the two currencies were within 2 % of parity).",
    ),
    "conflicting_amounts": (
        ["conflicting_amounts"], "int_quality__conflicting_amounts",
        "Rule 3. Two figures of one round in one currency that their printed precision cannot "
        "reconcile: error, both figures and both sources in the message.",
    ),
    "valuation_below_amount": (
        ["valuation_below_amount"], "int_quality__valuation_below_amount",
        "Rule 4. A (post-money or unspecified) valuation below the amount raised: error.",
    ),
    "dates": (
        ["round_after_article", "recalled_after_recalling"], "int_quality__dates",
        "Rule 5. A round announced after the article that reports it (error; warning when the "
        "article's date was inferred), or a recalled round dated after the round that recalls it (error).",
    ),
    "same_period": (
        ["same_period"], "int_quality__same_period",
        "Rule 5 (text). A period compared with itself (\"au premier trimestre 2024 … contre … sur la "
        "même période de 2024\"): warning.",
    ),
    "round_order": (
        ["round_order"], "int_quality__round_order",
        "Rule 6. A company's stages out of order in time (a Series C dated before its Series B): warning.",
    ),
    "inferred_facts": (
        ["currency_inferred", "date_unknown"], "int_quality__inferred_facts",
        "Rule 7. A round whose currency was inferred, or whose date is unknown: warning.",
    ),
    "plausibility": (
        ["plausibility"], "int_quality__plausibility",
        "Rule 8. An amount under 10 000 or over 100 billion, in the currency printed: error.",
    ),
}

MAX_ROWS = 25  # rows shown in a metadata table


def warehouse_path() -> Path:
    """The DuckDB file the run is building (checks run before publication), else the published one."""
    try:
        from orchestration import settings

        for candidate in (settings.build_path(), settings.warehouse_path()):
            if candidate.exists():
                return candidate
        return settings.build_path()
    except Exception:  # noqa: BLE001 - settings missing or broken: the dbt profile's variable
        return Path(os.environ.get("FUNDWATCH_DBT_DATABASE") or os.environ.get("FUNDWATCH_WAREHOUSE")
                    or "warehouse/fundwatch.duckdb")


def data_docs_dir() -> Path:
    """Where Great Expectations writes its Data Docs: beside the published warehouse, gx_docs/."""
    override = os.environ.get("FUNDWATCH_GX_DOCS_DIR")
    if override:
        return Path(override)
    try:
        from orchestration import settings

        return settings.artifacts_dir() / "gx_docs"
    except Exception:  # noqa: BLE001
        return warehouse_path().parent / "gx_docs"


@contextmanager
def _connect(path: Path | None = None) -> Iterator[Any]:
    import duckdb

    con = duckdb.connect(str(path or warehouse_path()), read_only=True)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def _given_or_own(con) -> Iterator[Any]:
    """`con` when a caller shares its connection (one per check step), else a read-only one of its own."""
    if con is not None:
        yield con
    else:
        with _connect() as own:
            yield own


def _rows(con, sql: str, params: list | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _table_exists(con, schema: str, table: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()[0])


def _cell(value: Any, width: int = 240) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def markdown_table(rows: list[dict[str, Any]], columns: list[str], limit: int = MAX_ROWS) -> str:
    """Rows as a markdown table (cells flattened, pipes escaped), with a note when cut."""
    if not rows:
        return "_none_"
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows[:limit]:
        lines.append("| " + " | ".join(_cell(row.get(c), 400 if c in ("message", "quote") else 120)
                                       for c in columns) + " |")
    if len(rows) > limit:
        lines.append(f"\n_{len(rows) - limit} more rows in the table_")
    return "\n".join(lines)


def evaluate_press_rule(con, family: str) -> dict[str, Any]:
    """Findings and evidence of one press rule family, from an open connection (plain Python)."""
    check_names, model, rule = PRESS_RULES[family]
    if not _table_exists(con, "marts", "quality_issues"):
        return {"missing": "marts.quality_issues", "findings": [], "consistent": [], "rule": rule}
    placeholders = ", ".join("?" for _ in check_names)
    findings = _rows(
        con,
        f"select issue_id, check_name, severity, round_id, article_id, message, observed, expected, quote "
        f"from marts.quality_issues where check_name in ({placeholders}) "
        f"order by case severity when 'error' then 0 else 1 end, message",
        check_names,
    )
    consistent: list[dict[str, Any]] = []
    if _table_exists(con, "intermediate", model):
        consistent = _rows(
            con,
            f"select round_id, article_id, message, observed, expected, quote from intermediate.{model} "
            f"where not is_finding order by message",
        )
    return {"missing": None, "findings": findings, "consistent": consistent, "rule": rule}


def press_check_result(family: str, evaluation: dict[str, Any]) -> dg.AssetCheckResult:
    findings = evaluation["findings"]
    errors = sum(1 for f in findings if f["severity"] == "error")
    warnings = sum(1 for f in findings if f["severity"] == "warning")
    metadata: dict[str, Any] = {
        "rule": dg.MetadataValue.text(evaluation["rule"]),
        "errors": dg.MetadataValue.int(errors),
        "warnings": dg.MetadataValue.int(warnings),
        "findings": dg.MetadataValue.md(markdown_table(
            findings, ["severity", "check_name", "message", "observed", "expected", "quote", "round_id", "article_id"])),
    }
    if evaluation["consistent"] or family in ("cross_currency", "swapped_currency", "conflicting_amounts",
                                              "valuation_below_amount"):
        metadata["consistent comparisons"] = dg.MetadataValue.md(markdown_table(
            evaluation["consistent"], ["message", "observed", "expected", "quote"]))
        metadata["consistent count"] = dg.MetadataValue.int(len(evaluation["consistent"]))
    if evaluation["missing"]:
        return dg.AssetCheckResult(
            passed=False, severity=dg.AssetCheckSeverity.WARN,
            description=f"{evaluation['missing']} does not exist in {warehouse_path()}: the rule could not run",
            metadata=metadata,
        )
    if findings:
        description = f"{errors} error(s), {warnings} warning(s) about the press (recorded in marts.quality_issues)"
    else:
        description = "nothing found"
    return dg.AssetCheckResult(
        passed=not findings, severity=dg.AssetCheckSeverity.WARN, description=description, metadata=metadata,
    )


def press_rule_result(family: str, con=None) -> dg.AssetCheckResult:
    """The check result of one press rule family (on `con`, else on a connection of its own)."""
    try:
        with _given_or_own(con) as c:
            evaluation = evaluate_press_rule(c, family)
    except Exception as exc:  # noqa: BLE001 - a press rule never fails the run
        return dg.AssetCheckResult(
            check_name=family, asset_key=QUALITY_ISSUES, passed=False, severity=dg.AssetCheckSeverity.WARN,
            description=f"the rule could not be evaluated: {type(exc).__name__}: {exc}"[:1000],
        )
    result = press_check_result(family, evaluation)
    return dg.AssetCheckResult(check_name=family, asset_key=QUALITY_ISSUES, passed=result.passed,
                               severity=result.severity, description=result.description, metadata=result.metadata)


@dg.multi_asset_check(
    name="press_rules",
    description="One non-blocking check per press rule family on marts.quality_issues, evaluated in one step "
                "on one connection (a Dagster step costs about 0.15 s of its own).",
    specs=[dg.AssetCheckSpec(
        name=family, asset=QUALITY_ISSUES, blocking=False,
        description=f"{rule} Findings: marts.quality_issues where check_name in {names}; "
                    f"evidence: intermediate.{model}. Never blocks.")
        for family, (names, model, rule) in PRESS_RULES.items()],
)
def press_rules() -> Iterator[dg.AssetCheckResult]:
    try:
        with _connect() as con:
            results = [press_rule_result(family, con) for family in PRESS_RULES]
    except Exception:  # noqa: BLE001 - the warehouse cannot be opened: each rule says so on its own
        results = [press_rule_result(family) for family in PRESS_RULES]
    yield from results


press_checks = [press_rules]


# --- Great Expectations: one suite per rule family, one Dagster check per suite -------------

GX_FAMILIES = [*PRESS_RULES, "warehouse"]


@dg.multi_asset_check(
    name="great_expectations_suites",
    description="Great Expectations 1.x: a suite per rule family over the intermediate and mart tables, "
                "validated as pandas frames read from DuckDB; Data Docs built as static HTML beside the "
                "warehouse (gx_docs/index.html). Never blocks.",
    specs=[dg.AssetCheckSpec(name=f"gx_{family}", asset=QUALITY_ISSUES, blocking=False,
                             description=f"Great Expectations suite fundwatch_{family}")
           for family in GX_FAMILIES],
)
def great_expectations_suites() -> Iterator[dg.AssetCheckResult]:
    """Validate every suite, unless the tables they read are those of the last validation (reuse its results)."""
    fp, reused = _gx_reusable()
    if reused is not None:
        for outcome in reused:
            yield _gx_result({**outcome, "skipped": "unchanged", "fingerprint": fp})
        return
    outcomes = list(_gx_outcomes())
    if fp and all(o.get("ran") for o in outcomes):
        _record_state(GX_STAGE, fp, outcomes)
    for outcome in outcomes:
        yield _gx_result(outcome)


GX_STAGE = "great_expectations"


def _gx_fingerprint(con) -> str | None:
    """The dbt build the tables come from, and the code of the suites: what their results depend on."""
    from orchestration import fingerprint

    built, _ = fingerprint.read_state(con, "dbt_build")
    if not built:
        return None
    here = Path(__file__).resolve().parent
    return fingerprint.digest(built, fingerprint.files_hash(here, names=("gx_suites.py", "checks.py")),
                              fingerprint._version("great-expectations"))


def _gx_reusable() -> tuple[str | None, list[dict] | None]:
    from orchestration import fingerprint

    try:
        with _connect() as con:
            fp = _gx_fingerprint(con)
            done, payload = fingerprint.read_state(con, GX_STAGE)
    except Exception:  # noqa: BLE001 - no state to reuse: validate
        return None, None
    from orchestration.quality import gx_suites

    if fp and done == fp and payload and gx_suites.docs_index(data_docs_dir()).exists():
        return fp, payload
    return fp, None


def _record_state(stage: str, fp: str, payload) -> None:
    """Remember a stage's results in the build file (never in the published one)."""
    from orchestration import fingerprint, settings

    if warehouse_path() != settings.build_path():
        return
    import duckdb

    con = duckdb.connect(str(warehouse_path()))
    try:
        fingerprint.write_state(con, stage, fp, payload)
    finally:
        con.close()


def _gx_outcomes() -> Iterator[dict[str, Any]]:
    """One plain dict per suite (JSON-able, so a later run can report it again)."""
    from orchestration.quality import gx_suites

    docs = data_docs_dir()
    try:
        with _connect() as con:
            present = {f for f in GX_FAMILIES
                       if _table_exists(con, *gx_suites.SUITE_TABLES[f][0].split("."))}
            frames = gx_suites.read_frames(con, sorted(present))
        results = gx_suites.run_suites(frames, docs_dir=docs)
    except Exception as exc:  # noqa: BLE001 - the suites judge the press: they never fail the run
        for family in GX_FAMILIES:
            yield {"family": family, "passed": False,
                   "description": f"Great Expectations could not run: {type(exc).__name__}: {exc}"[:1000]}
        return
    index = gx_suites.docs_index(docs)
    for family in GX_FAMILIES:
        result = results.get(family)
        if result is None:
            yield {"family": family, "passed": False,
                   "description": f"{gx_suites.SUITE_TABLES[family][0]} is missing: suite not run"}
            continue
        failures = [
            {"expectation": f["expectation"], "kwargs": f["kwargs"], "unexpected_count": f["unexpected_count"],
             "unexpected_rows": f["unexpected_rows"][:10], "exception": f["exception"]}
            for f in result.failures
        ]
        yield {"family": family, "passed": bool(result.success), "ran": True,
               "description": f"{result.evaluated - result.failed}/{result.evaluated} expectations met on "
                              f"{result.table} ({result.rows} rows)",
               "table": result.table, "rows": result.rows, "expectations": result.evaluated,
               "failed": result.failed, "failures": failures, "data_docs": str(index)}


def _gx_result(outcome: dict[str, Any]) -> dg.AssetCheckResult:
    metadata: dict[str, Any] = {}
    if outcome.get("ran"):
        metadata = {
            "table": dg.MetadataValue.text(outcome["table"]),
            "rows": dg.MetadataValue.int(outcome["rows"]),
            "expectations": dg.MetadataValue.int(outcome["expectations"]),
            "failed": dg.MetadataValue.int(outcome["failed"]),
            "failures": dg.MetadataValue.json(outcome["failures"]),
            "data_docs": dg.MetadataValue.path(outcome["data_docs"]),
        }
    if outcome.get("skipped"):
        metadata["skipped"] = dg.MetadataValue.text(outcome["skipped"])
        metadata["fingerprint"] = dg.MetadataValue.text(outcome["fingerprint"])
    return dg.AssetCheckResult(
        check_name=f"gx_{outcome['family']}", asset_key=QUALITY_ISSUES, passed=bool(outcome["passed"]),
        severity=dg.AssetCheckSeverity.WARN, description=outcome["description"], metadata=metadata,
    )


# --- Checks of the warehouse itself: blocking ----------------------------------------------

QUALITY_ISSUES_COLUMNS = {
    "issue_id": "VARCHAR", "check_name": "VARCHAR", "severity": "VARCHAR", "round_id": "VARCHAR",
    "article_id": "VARCHAR", "message": "VARCHAR", "observed": "VARCHAR", "expected": "VARCHAR",
}
CHECK_NAMES = sorted({name for names, _, _ in PRESS_RULES.values() for name in names})


def evaluate_quality_issues_contract(con) -> list[str]:
    """What is wrong with marts.quality_issues as a table (empty when nothing)."""
    if not _table_exists(con, "marts", "quality_issues"):
        return ["marts.quality_issues does not exist"]
    problems: list[str] = []
    types = {r["column_name"]: r["data_type"] for r in _rows(
        con, "select column_name, data_type from information_schema.columns "
             "where table_schema = 'marts' and table_name = 'quality_issues'")}
    for column, expected in QUALITY_ISSUES_COLUMNS.items():
        if column not in types:
            problems.append(f"column {column} is missing")
        elif types[column] != expected:
            problems.append(f"column {column} is {types[column]}, the contract says {expected}")
    if problems:
        return problems
    (dupes,) = con.execute(
        "select count(*) from (select issue_id from marts.quality_issues group by issue_id having count(*) > 1)"
    ).fetchone()
    if dupes:
        problems.append(f"{dupes} issue_id value(s) appear more than once")
    (nulls,) = con.execute(
        "select count(*) from marts.quality_issues where issue_id is null or message is null or check_name is null"
    ).fetchone()
    if nulls:
        problems.append(f"{nulls} row(s) without issue_id, check_name or message")
    bad = _rows(con, "select distinct severity from marts.quality_issues "
                     "where severity is null or severity not in ('error', 'warning')")
    if bad:
        problems.append("severities outside error|warning: " + ", ".join(str(r["severity"]) for r in bad))
    names = ", ".join(f"'{n}'" for n in CHECK_NAMES)
    bad = _rows(con, f"select distinct check_name from marts.quality_issues where check_name not in ({names})")
    if bad:
        problems.append("unknown check_name values: " + ", ".join(str(r["check_name"]) for r in bad))
    if _table_exists(con, "marts", "rounds"):
        (orphans,) = con.execute(
            "select count(*) from marts.quality_issues q where q.round_id is not null "
            "and not exists (select 1 from marts.rounds r where r.round_id = q.round_id)"
        ).fetchone()
        if orphans:
            problems.append(f"{orphans} finding(s) name a round_id that is not in marts.rounds")
    return problems


QUALITY_ISSUES_CONTRACT_DESCRIPTION = (
    "The table itself (not the press): the contract's columns and types, issue_id unique and not null, severity "
    "in error|warning, known check names, round_id in marts.rounds. Blocking.")


def quality_issues_contract(con=None) -> dg.AssetCheckResult:
    with _given_or_own(con) as c:
        problems = evaluate_quality_issues_contract(c)
    return dg.AssetCheckResult(
        check_name="quality_issues_contract", asset_key=QUALITY_ISSUES,
        passed=not problems, severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(problems) if problems else "columns, keys and vocabularies as the contract says",
        metadata={"problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems) or "_none_")},
    )


def evaluate_rounds_converted(con) -> list[dict[str, Any]]:
    """Rounds with a date (their own, or the reporting article's) but no EUR or USD amount."""
    if not _table_exists(con, "marts", "rounds"):
        return [{"round_id": None, "company": "marts.rounds does not exist"}]
    return _rows(
        con,
        "select round_id, company, amount, currency, announced_on, fx_rate_date, amount_eur, amount_usd "
        "from marts.rounds "
        "where (announced_on is not null or fx_rate_date is not null) and amount is not null "
        "and (amount_eur is null or amount_usd is null "
        "     or (valuation is not null and (valuation_eur is null or valuation_usd is null))) "
        "order by company, round_id",
    )


ROUNDS_CONVERTED_DESCRIPTION = (
    "Every dated round has its amount (and valuation) in EUR and USD at the ECB rate: a round that is not "
    "converted is missing from every total. Blocking.")


def rounds_dated_are_converted(con=None) -> dg.AssetCheckResult:
    with _given_or_own(con) as c:
        missing = evaluate_rounds_converted(c)
    return dg.AssetCheckResult(
        check_name="rounds_dated_are_converted", asset_key=ROUNDS,
        passed=not missing, severity=dg.AssetCheckSeverity.ERROR,
        description=f"{len(missing)} dated round(s) not converted" if missing else "every dated round converted",
        metadata={"unconverted": dg.MetadataValue.md(markdown_table(
            missing, ["round_id", "company", "amount", "currency", "announced_on", "fx_rate_date"]))},
    )


@dg.multi_asset_check(
    name="warehouse_contract",
    description="The blocking checks of the warehouse itself, in one step on one connection.",
    specs=[dg.AssetCheckSpec(name="quality_issues_contract", asset=QUALITY_ISSUES, blocking=True,
                             description=QUALITY_ISSUES_CONTRACT_DESCRIPTION),
           dg.AssetCheckSpec(name="rounds_dated_are_converted", asset=ROUNDS, blocking=True,
                             description=ROUNDS_CONVERTED_DESCRIPTION)],
)
def warehouse_contract() -> Iterator[dg.AssetCheckResult]:
    with _connect() as con:
        results = [quality_issues_contract(con), rounds_dated_are_converted(con)]
    yield from results


warehouse_checks = [warehouse_contract]

quality_asset_checks = [*press_checks, great_expectations_suites, *warehouse_checks]

__all__ = [
    "quality_asset_checks", "press_checks", "warehouse_checks", "great_expectations_suites", "press_rule_result",
    "quality_issues_contract", "rounds_dated_are_converted",
    "evaluate_press_rule", "evaluate_quality_issues_contract", "evaluate_rounds_converted",
    "PRESS_RULES", "markdown_table",
]
