"""The report's charts as Altair (Vega-Lite) specs: one function per chart, data in, dict spec out."""
from __future__ import annotations

import altair as alt
import polars as pl

from orchestration.report.data import ReportData

# € amounts on axes: 850 k€, 12 M€, 1.2 bn€
EUR_LABEL = ("datum.value >= 1e9 ? format(datum.value / 1e9, '.1~f') + ' bn€' : "
             "datum.value >= 1e6 ? format(datum.value / 1e6, '.0f') + ' M€' : "
             "datum.value >= 1e3 ? format(datum.value / 1e3, '.0f') + ' k€' : format(datum.value, '.0f') + ' €'")
STAGES = ["seed", "series A–B", "series C+", "growth / IPO", "debt, bridge, grant", "not stated"]
STAGE_COLOURS = ["#9ecae1", "#4292c6", "#08519c", "#fd8d3c", "#bcbd22", "#9e9e9e"]
WIDTH = 760


def _count_axis(title: str, largest: int) -> alt.Axis:
    """Whole numbers only: a count of rounds has no 0.5 tick."""
    if largest <= 10:
        return alt.Axis(title=title, values=list(range(0, max(largest, 1) + 1)), format="d")
    return alt.Axis(title=title, format="d", tickMinStep=1)


def _records(frame: pl.DataFrame) -> list[dict]:
    """JSON-ready rows (dates as ISO strings)."""
    return frame.with_columns(pl.col(pl.Date).cast(pl.Utf8)).to_dicts()


def _spec(chart: alt.TopLevelMixin) -> dict:
    return chart.configure_view(stroke=None).configure_axis(labelFontSize=12, titleFontSize=12).to_dict()


def money_by_city(data: ReportData) -> dict | None:
    if data.by_city.is_empty():
        return None
    frame = data.by_city.with_columns(pl.col("country").fill_null("?"))
    chart = alt.Chart(alt.Data(values=_records(frame))).mark_bar(color="#2c7fb8").encode(
        y=alt.Y("city:N", sort="-x", title=None),
        x=alt.X("total_raised_eur:Q", title="raised (EUR)", axis=alt.Axis(labelExpr=EUR_LABEL, tickCount=5)),
        tooltip=[alt.Tooltip("city:N"), alt.Tooltip("country:N"),
                 alt.Tooltip("total_raised_eur:Q", title="raised (EUR)", format=",.0f"),
                 alt.Tooltip("rounds_count:Q", title="rounds"), alt.Tooltip("companies_count:Q", title="companies"),
                 alt.Tooltip("largest_round_company:N", title="largest round")],
    ).properties(width=WIDTH, height=alt.Step(22))
    return _spec(chart)


def rounds_over_time(data: ReportData) -> dict | None:
    if data.over_time.is_empty():
        return None
    frame = data.over_time.group_by("quarter", "stage").agg(pl.col("rounds").sum(), pl.col("raised_eur").sum())
    base = alt.Chart(alt.Data(values=_records(frame.sort("quarter"))))
    colour = alt.Color("stage:N", scale=alt.Scale(domain=STAGES, range=STAGE_COLOURS), title="stage",
                       legend=alt.Legend(orient="top"))
    tooltip = [alt.Tooltip("quarter:T", format="%Y Q%q", title="quarter"), alt.Tooltip("stage:N"),
               alt.Tooltip("rounds:Q"), alt.Tooltip("raised_eur:Q", title="raised (EUR)", format=",.0f")]
    count = base.mark_bar().encode(
        x=alt.X("yearquarter(quarter):O", title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("sum(rounds):Q", title="rounds",
                axis=_count_axis("rounds", int(frame.group_by("quarter").agg(pl.col("rounds").sum())["rounds"].max()))),
        color=colour, order=alt.Order("stage:N"), tooltip=tooltip,
    ).properties(width=WIDTH, height=180)
    money = base.mark_bar().encode(
        x=alt.X("yearquarter(quarter):O", title="quarter announced", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("sum(raised_eur):Q", title="raised (EUR)", axis=alt.Axis(labelExpr=EUR_LABEL, tickCount=4)),
        color=colour, tooltip=tooltip,
    ).properties(width=WIDTH, height=180)
    return _spec(alt.vconcat(count, money, spacing=12))


def active_investors(data: ReportData) -> dict | None:
    if data.investors.is_empty():
        return None
    frame = data.investors.unpivot(index=["investor", "investor_type", "rounds_count", "total_rounds_eur"],
                                   on=["lead_count", "follow_count"], variable_name="role", value_name="n")
    frame = frame.with_columns(pl.col("role").replace({"lead_count": "as lead", "follow_count": "as participant"}))
    chart = alt.Chart(alt.Data(values=_records(frame))).mark_bar().encode(
        y=alt.Y("investor:N", sort=alt.EncodingSortField("rounds_count", order="descending"), title=None),
        x=alt.X("sum(n):Q", title="rounds", axis=_count_axis("rounds", int(data.investors["rounds_count"].max()))),
        color=alt.Color("role:N", scale=alt.Scale(domain=["as lead", "as participant"], range=["#d95f0e", "#fec44f"]),
                        legend=alt.Legend(orient="top", title=None)),
        order=alt.Order("role:N"),
        tooltip=[alt.Tooltip("investor:N"), alt.Tooltip("investor_type:N", title="type"), alt.Tooltip("role:N"),
                 alt.Tooltip("n:Q", title="rounds"),
                 alt.Tooltip("total_rounds_eur:Q", title="rounds it joined (EUR)", format=",.0f")],
    ).properties(width=WIDTH, height=alt.Step(22))
    return _spec(chart)


def issues_by_check(data: ReportData) -> dict | None:
    if data.issues_by_check.is_empty():
        return None
    chart = alt.Chart(alt.Data(values=_records(data.issues_by_check))).mark_bar().encode(
        y=alt.Y("check_name:N", sort="-x", title=None),
        x=alt.X("sum(issues):Q", title="open issues",
                axis=_count_axis("open issues", int(data.issues_by_check.group_by("check_name")
                                                    .agg(pl.col("issues").sum())["issues"].max()))),
        color=alt.Color("severity:N", scale=alt.Scale(domain=["error", "warning"], range=["#de2d26", "#fdae6b"]),
                        legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("check_name:N", title="check"), alt.Tooltip("severity:N"), alt.Tooltip("issues:Q")],
    ).properties(width=WIDTH, height=alt.Step(22))
    return _spec(chart)


def all_charts(data: ReportData) -> dict[str, dict | None]:
    return {
        "money_by_city": money_by_city(data),
        "rounds_over_time": rounds_over_time(data),
        "active_investors": active_investors(data),
        "issues_by_check": issues_by_check(data),
    }
