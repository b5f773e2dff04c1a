"""The ecosystem report as one self-contained HTML page: Vega, Vega-Lite and vega-embed inlined once.

Nothing is fetched when the page opens (no CDN, no fonts): it reads offline, from a
mail attachment or a file share. Charts render as SVG.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
from html import escape
from pathlib import Path
from urllib.parse import urlparse

import polars as pl

from orchestration.report.data import ReportData

CSS = """
:root { --ink:#1b1f24; --muted:#5b6570; --line:#e3e6ea; --accent:#2c7fb8; --bg:#f7f8fa; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
       color:var(--ink); background:var(--bg); }
header { background:#12324a; color:#fff; padding:28px 40px 22px; }
header h1 { margin:0 0 4px; font-size:26px; font-weight:650; }
header p { margin:0; color:#c9d6e2; font-size:13px; }
main { max-width:1100px; margin:0 auto; padding:24px 40px 60px; }
.tiles { display:grid; grid-template-columns:repeat(auto-fit,minmax(125px,1fr)); gap:12px; margin:-44px 0 28px; }
.tile { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
.tile.wide { grid-column: span 2; }
.tile b { display:block; font-size:22px; font-weight:650; }
.tile span { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:18px 24px 22px; margin:0 0 22px; }
section h2 { margin:0 0 4px; font-size:19px; }
section p.note { margin:0 0 12px; color:var(--muted); font-size:13px; }
.chart { min-height:60px; overflow-x:auto; }
.empty { color:var(--muted); font-style:italic; padding:12px 0; }
table { width:100%; border-collapse:collapse; font-size:13px; margin-top:10px; }
th { text-align:left; font-weight:600; color:var(--muted); border-bottom:2px solid var(--line); padding:6px 8px; }
td { border-bottom:1px solid var(--line); padding:6px 8px; vertical-align:top; }
td.num, th.num { text-align:right; white-space:nowrap; font-variant-numeric:tabular-nums; }
td.sources a { display:block; color:var(--accent); text-decoration:none; }
td.sources a:hover { text-decoration:underline; }
td.sources q { display:block; color:var(--muted); font-size:12px; margin:2px 0 6px; }
.sev { display:inline-block; border-radius:10px; padding:1px 8px; font-size:12px; font-weight:600; }
.sev.error { background:#fde0dd; color:#a50f15; } .sev.warning { background:#fff1d6; color:#8c510a; }
code { font-size:12px; background:#f1f3f5; padding:1px 4px; border-radius:3px; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:0 0 30px; }
"""


@functools.lru_cache(maxsize=4)
def vega_bundle(cache_dir: Path | None = None) -> str:
    """vega-embed + Vega-Lite + Vega as one script, from vl-convert (offline), for Altair's Vega-Lite version.

    Bundling costs seconds; the result is kept in `cache_dir` (beside the report), keyed by the
    versions of vl-convert and Vega-Lite, so later runs read it back.
    """
    import vl_convert

    try:
        from altair.utils._importers import vl_version_for_vl_convert

        version = vl_version_for_vl_convert()
    except Exception:  # a private helper: fall back to vl-convert's newest Vega-Lite
        version = None
    cached = None
    if cache_dir is not None:
        cached = cache_dir / f".vega-embed-{vl_convert.__version__}-{version or 'latest'}.js"
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle(vl_version=version)
    if cached is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(bundle, encoding="utf-8")
            os.replace(tmp, cached)
        except OSError:
            pass  # a cache, nothing more
    return bundle


def money(value: float | None, currency: str | None = "EUR") -> str:
    """12 M€, $30M, £1.5bn, 4.2M CHF: short amounts for tables."""
    if value is None:
        return ""
    text, unit = f"{value:,.0f}", ""
    for scale, name in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            text, unit = f"{value / scale:,.1f}".removesuffix(".0"), name
            break
    currency = currency or ""
    if currency == "EUR":
        return f"{text} {unit}€".replace("  ", " ")
    if currency in ("USD", "GBP"):
        return f"{'$' if currency == 'USD' else '£'}{text}{unit}"
    return f"{text}{unit} {currency}".strip()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return escape(str(value))


def _short(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _href(url: str | None, path: str | None, raw_dir: Path | None) -> str | None:
    if url and urlparse(url).scheme in ("http", "https"):
        return url
    if path and raw_dir is not None:
        return (raw_dir / path).resolve().as_uri()
    return None


def _kpis(data: ReportData) -> str:
    t = data.totals
    period = ""
    if t.get("first_round") and t.get("last_round"):
        period = f"{t['first_round']:%Y-%m} → {t['last_round']:%Y-%m}"
    tiles = [("rounds", f"{t['rounds']:,}"), ("raised", money(t["raised_eur"]) or "0 €"),
             ("companies", f"{t['companies']:,}"), ("investors", f"{t['investors']:,}"),
             ("cities", f"{t['cities']:,}"), ("open quality issues", f"{t['open_issues']:,}")]
    if t.get("articles") is not None:
        tiles.insert(0, ("articles", f"{t['articles']:,}"))
    if period:
        tiles.append(("period", period))
    return '<div class="tiles">' + "".join(
        f'<div class="tile{" wide" if k == "period" else ""}"><b>{escape(v)}</b><span>{escape(k)}</span></div>'
        for k, v in tiles) + "</div>"


def _chart_div(name: str, spec: dict | None, empty: str) -> str:
    if spec is None:
        return f'<div class="chart empty" id="chart-{name}">{escape(empty)}</div>'
    return f'<div class="chart" id="chart-{name}" data-chart="{name}"></div>'


def _table(headers: list[str], rows: str) -> str:
    """An HTML table; a header written "=name" is a numeric (right-aligned) column."""
    head = "".join(f"<th class=num>{h[1:]}</th>" if h.startswith("=") else f"<th>{h}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _investor_table(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return ""
    rows = "".join(
        f"<tr><td>{_text(r['investor'])}</td><td>{_text(r['investor_type'])}</td>"
        f"<td class=num>{r['rounds_count']}</td><td class=num>{r['lead_count']}</td>"
        f"<td class=num>{r['companies_count']}</td><td class=num>{money(r['total_rounds_eur'])}</td></tr>"
        for r in frame.iter_rows(named=True))
    return _table(["investor", "type", "=rounds", "=as lead", "=companies", "=rounds it joined (EUR)"], rows)


def _largest_table(data: ReportData, raw_dir: Path | None) -> str:
    if data.largest.is_empty():
        return '<div class="empty">No round with an amount yet.</div>'
    sources: dict[str, list[dict]] = {}
    for row in data.sources.iter_rows(named=True):
        sources.setdefault(row["round_id"], []).append(row)
    body = []
    for r in data.largest.iter_rows(named=True):
        links = []
        for s in sources.get(r["round_id"], []):
            label = _short(s.get("title") or s.get("path") or s.get("article_id"), 90)
            href = _href(s.get("url"), s.get("path"), raw_dir)
            link = (f'<a href="{escape(href, quote=True)}">{_text(label)}</a>' if href else f"<span>{_text(label)}</span>")
            quote = f"<q>{_text(_short(s['quote'], 280))}</q>" if s.get("quote") else ""
            links.append(link + quote)
        where = ", ".join(x for x in (r.get("city"), r.get("country")) if x)
        body.append(
            f"<tr><td><b>{_text(r['company'])}</b><br><small>{_text(where)}</small></td>"
            f"<td>{_text((r['round_type'] or '').replace('_', ' '))}</td><td>{_text(r['announced_on'])}</td>"
            f"<td class=num>{money(r['amount'], r['currency'])}</td><td class=num>{money(r['amount_eur'])}</td>"
            f"<td>{_text(r['lead_investor'])}</td><td class=sources>{''.join(links) or '—'}</td></tr>")
    return _table(["company", "round", "announced", "=as reported", "=EUR", "lead", "sources"], "".join(body))


def _issues_table(frame: pl.DataFrame) -> str:
    if frame.is_empty():
        return '<div class="empty">No open quality issue: every check passed.</div>'
    rows = "".join(
        f"<tr><td><span class='sev {escape(r['severity'] or '')}'>{_text(r['severity'])}</span></td>"
        f"<td><code>{_text(r['check_name'])}</code></td><td>{_text(r['message'])}</td>"
        f"<td>{_text(r['observed'])}</td><td>{_text(r['expected'])}</td>"
        f"<td><code>{_text(r['round_id'] or r['article_id'])}</code></td></tr>"
        for r in frame.iter_rows(named=True))
    return _table(["severity", "check", "what to look at", "observed", "expected", "round / article"], rows)


def _script(specs: dict[str, dict]) -> str:
    payload = json.dumps(specs, default=str).replace("</", "<\\/")
    return f"""<script type="text/javascript">
const fundwatchSpecs = {payload};
const embedOptions = {{renderer: "svg", actions: false}};
window.fundwatchCharts = Promise.all(Object.entries(fundwatchSpecs).map(
    ([name, spec]) => vegaEmbed("#chart-" + name, spec, embedOptions)))
  .then(() => {{ document.body.dataset.charts = "rendered"; }})
  .catch((error) => {{ document.body.dataset.charts = "failed"; console.error(error); }});
</script>"""


def render(data: ReportData, charts: dict[str, dict | None], raw_dir: Path | None = None,
           generated_at: dt.datetime | None = None, cache_dir: Path | None = None) -> str:
    generated_at = generated_at or dt.datetime.now().astimezone()
    specs = {k: v for k, v in charts.items() if v is not None}
    dated_note = (f" {data.undated_rounds} round(s) known only to the year, or not dated, are left out."
                  if data.undated_rounds else "")
    missing = (f'<section><h2>Incomplete warehouse</h2><p class="note">Missing tables: '
               f'{escape(", ".join("marts." + m for m in data.missing))}. Run <code>make run</code>.</p></section>'
               if data.missing else "")
    sections = f"""
{missing}
<section id="cities"><h2>Money raised by city</h2>
<p class="note">Where the companies are based; the {len(data.by_city)} cities that raised the most, in EUR at the ECB rate of each round's date.</p>
{_chart_div("money_by_city", charts.get("money_by_city"), "No city known yet.")}
</section>
<section id="time"><h2>Rounds over time</h2>
<p class="note">Rounds per quarter of announcement, by stage, and the money they raised.{escape(dated_note)}</p>
{_chart_div("rounds_over_time", charts.get("rounds_over_time"), "No dated round yet.")}
</section>
<section id="investors"><h2>Most active investors and leads</h2>
<p class="note">Rounds each investor took part in, split into the rounds it led and those it joined.</p>
{_chart_div("active_investors", charts.get("active_investors"), "No investor named yet.")}
{_investor_table(data.investors)}
</section>
<section id="largest"><h2>Largest rounds</h2>
<p class="note">The 20 largest rounds in EUR, with every article that reports them and the sentence that states the figure.</p>
{_largest_table(data, raw_dir)}
</section>
<section id="quality"><h2>Open quality issues</h2>
<p class="note">What the checks found in the press (figures that disagree, dates that do not fit…): these never block a run;
they are listed here so that someone can look. Table <code>marts.quality_issues</code>.</p>
{_chart_div("issues_by_check", charts.get("issues_by_check"), "")}
{_issues_table(data.issues)}
</section>"""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fundwatch: the ecosystem report</title>
<style>{CSS}</style>
<script type="text/javascript">
// vega-embed, Vega-Lite and Vega, bundled by vl-convert: this page needs no network
{vega_bundle(cache_dir)}
</script>
</head>
<body data-charts="{'pending' if specs else 'none'}">
<header><h1>Funding rounds: the ecosystem report</h1>
<p>Built by fundwatch on {generated_at:%Y-%m-%d %H:%M %Z} from <code style="background:none;color:#c9d6e2">{escape(str(data.warehouse))}</code>, schema <code style="background:none;color:#c9d6e2">marts</code>.</p></header>
<main>
{_kpis(data)}
{sections}
</main>
<footer>fundwatch · amounts as the press reports them, converted at the ECB reference rate of the round's date ·
query the same figures with <code>make sql</code></footer>
{_script(specs) if specs else ""}
</body>
</html>
"""
