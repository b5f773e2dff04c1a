"""`make run`'s stage lines: one per step with its figures and time, Dagster's log in a file, same lines in the run log."""

import io

import dagster as dg
import pytest

from orchestration.progress import RunProgress, _LogSink, execute_with_progress, stage_name


@dg.multi_asset(specs=[dg.AssetSpec(["raw", "articles"]), dg.AssetSpec(["raw", "quarantine"])])
def raw_articles(context: dg.AssetExecutionContext):
    print("a library printing to stdout")  # must land in the log file, not the terminal
    context.log.info("articles: 3 read")
    yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata={"dagster/row_count": 3})
    yield dg.MaterializeResult(asset_key=["raw", "quarantine"], metadata={"dagster/row_count": 1, "skipped": 1})


@dg.asset(key=["marts", "rounds"], deps=[["raw", "articles"]],
          check_specs=[dg.AssetCheckSpec("keys_unique", asset=["marts", "rounds"]),
                       dg.AssetCheckSpec("amounts_agree", asset=["marts", "rounds"])])
def fundwatch_dbt_models(context: dg.AssetExecutionContext):
    for n in (1, 2):
        context.log.info(f"progress {n}/2 models")
    yield dg.MaterializeResult(metadata={"dagster/row_count": 7})
    yield dg.AssetCheckResult(check_name="keys_unique", passed=True)
    yield dg.AssetCheckResult(check_name="amounts_agree", passed=False, severity=dg.AssetCheckSeverity.WARN)


@dg.asset(key=["published_warehouse"], deps=[["marts", "rounds"]])
def published_warehouse():
    raise dg.Failure(description="warehouse audit failed: missing table marts.companies")


@dg.asset(key=["reports", "ecosystem"], deps=[["published_warehouse"]])
def ecosystem_report():
    return None


@dg.asset_check(asset=["marts", "rounds"], name="press_rule_one")
def press_rule_one():
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset=["marts", "rounds"], name="press_rule_two")
def press_rule_two():
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)


defs = dg.Definitions(assets=[raw_articles, fundwatch_dbt_models, published_warehouse, ecosystem_report],
                      asset_checks=[press_rule_one, press_rule_two],
                      jobs=[dg.define_asset_job("everything", selection=dg.AssetSelection.all())])


@pytest.fixture()
def instance(tmp_path):
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        yield instance


def test_one_line_per_stage_with_figures_and_time(instance, capsys):
    out = io.StringIO()
    result = execute_with_progress(defs.resolve_job_def("everything"), instance, defs, out=out)
    assert not result.success
    lines = [line.strip() for line in out.getvalue().splitlines()]
    assert lines[0].startswith("fundwatch: run ") and "last_run.log" in lines[0]
    by_stage = {line.split()[1]: line for line in lines[1:]}
    assert by_stage["read"].startswith("✓ read articles") and "3 articles read; 1 quarantined" in by_stage["read"]
    assert by_stage["read"].split()[4] == "s"  # elapsed seconds after the stage name
    assert "checks: 1 passed, 1 warned (amounts_agree)" in by_stage["marts/rounds"]
    assert by_stage["checks"].startswith("✓ checks") and "2 steps; checks: 1 passed, 1 warned (press_rule_two)" \
        in by_stage["checks"]
    assert by_stage["publish"].startswith("✗ publish") and "missing table marts.companies" in by_stage["publish"]
    assert by_stage["report"].startswith("- report") and "not run" in by_stage["report"]
    # nothing else reached the terminal: Dagster's console log and stdout went to the file
    captured = capsys.readouterr()
    assert "a library printing" not in captured.out + captured.err and "STEP_START" not in captured.err
    log = (instance.root_directory + "/logs/last_run.log")
    text = open(log, encoding="utf-8").read()
    assert "a library printing to stdout" in text and "STEP_START" in text and "articles: 3 read" in text
    # the same lines are in the run's own event log (the Dagster UI shows them)
    records = instance.all_logs(result.run_id)
    engine = [r.message for r in records if r.message and r.message.startswith("fundwatch ·")]
    assert any("3 articles read" in m for m in engine) and any("amounts_agree" in m for m in engine)


def test_live_bars_on_a_terminal(instance):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    result = execute_with_progress(defs.resolve_job_def("everything"), instance, defs, out=out)
    assert not result.success
    text = out.getvalue()
    assert "✓ marts/rounds" in text and "…" in text  # tqdm drew something while the stage ran


def test_dbt_lines_drive_the_bar():
    display = RunProgress(out=io.StringIO(), live=False)
    from orchestration.progress import Stage

    display.stages["fundwatch_dbt_models"] = Stage("fundwatch_dbt_models", "dbt models and tests", 0.0)
    sink = _LogSink(display)
    sink.write("1 of 3 START sql view model staging.stg_articles ..... [RUN]\n"
               "1 of 3 OK created sql view model staging.stg_articles ..... [\x1b[32mOK\x1b[0m in 1.09s]\n")
    sink.write("2 of 3 PASS unique_rounds_round_id ..... [PASS in 0.2s]\n")
    assert display.stages["fundwatch_dbt_models"].dbt_done == 2


def test_stage_names():
    assert stage_name("parsed_mentions") == "parse articles"
    assert stage_name("raw__quarantine_no_quarantined_files") == "checks"
    assert stage_name("something__new") == "something/new"
