"""The published warehouse: the audited build, renamed over FUNDWATCH_WAREHOUSE."""

import dagster as dg

from orchestration import settings
from orchestration.publication import CONTRACT, audit, publish

MART_KEYS = [dg.AssetKey(["marts", table]) for table in CONTRACT]


@dg.asset(key=["published_warehouse"], deps=MART_KEYS, group_name="publish", kinds={"duckdb"},
          description="FUNDWATCH_WAREHOUSE, the file users query: replaced by an atomic rename once the "
                      "warehouse audit (contract, keys, conversions) and every blocking dbt test passed.")
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    build, target = settings.build_path(), settings.warehouse_path()
    problems = audit(build)
    if problems:
        raise dg.Failure(description="warehouse audit failed; the published warehouse was left untouched: "
                                     + "; ".join(problems[:20]), metadata={"problems": len(problems)})
    publish(build, target)
    context.log.info(f"published {target}")
    return dg.MaterializeResult(metadata={"path": str(target), "bytes": target.stat().st_size})
