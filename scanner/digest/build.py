"""build_digest: gather a month's context, draw the charts, write index.html, digest.md and charts/*.svg."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup

from scanner.config import Config
from scanner.catalogue import Catalogue, HORIZONS
from scanner.digest import i18n
from scanner.digest.charts import scatter_chart, shares_chart, sparkline
from scanner.digest.context import gather
from scanner.digest.headlines import headlines
from scanner.digest.months import default_month, parse_month
from scanner.digest.radar import best_layout, radar_svg
from scanner.digest.render import render_html, render_markdown
from scanner.errors import ScannerError
from scanner.store import Store
from scanner.util import slugify

log = logging.getLogger(__name__)

DEFAULT_ROOT = Path("data/digests")


def resolve_month(month: str | None) -> str:
    return parse_month(month) if month else default_month()


def build_digest(store: Store, month: str | None = None, out_dir: Path | None = None, lang: str = "nl",
                 catalogue: Catalogue | None = None, config: Config | None = None) -> Path:
    """Write the month's digest (default: last complete month) and return the path of its index.html.

    config: the run's configuration (loaded once, by gather, when not given)."""
    if lang not in i18n.LANGS:
        raise ScannerError(f"unsupported language {lang!r}: choose nl or en")
    month = resolve_month(month)
    out = Path(out_dir) if out_dir else DEFAULT_ROOT / month
    ctx = gather(store, month, lang, catalogue, config)
    ctx["as_of_label"] = i18n.format_date(ctx["as_of"], lang)
    files: dict[str, str] = {}
    if not ctx["empty"]:
        files = add_charts(ctx)
        ctx["headlines"] = headlines(ctx)
    write_outputs(out, ctx, files)
    log.info("digest for %s written to %s", month, out)
    return out / "index.html"


def add_charts(ctx: dict[str, Any]) -> dict[str, str]:
    """Put the SVG charts into ctx (inline markup and relative file names); return {file: svg}."""
    lang = ctx["lang"]
    files: dict[str, str] = {}
    ctx["charts"], ctx["files"] = {}, {}
    for key, svg in (("radar", _radar(ctx)), ("shares", _shares(ctx)), ("scatter", _scatter(ctx))):
        ctx["charts"][key] = svg
        ctx["files"][key] = Markup(f"charts/{key}.svg")
        files[f"{key}.svg"] = str(svg)
    seen: set[str] = set()
    for tech in [*ctx["movers"], *ctx["risers"], *ctx["fallers"]]:
        if tech["id"] in seen:
            continue
        seen.add(tech["id"])
        alt = _spark_alt(tech, lang)
        tech["spark"], tech["spark_alt"] = sparkline(tech["series"], alt), alt
        name = f"spark-{slugify(tech['id']) or 'tech'}-{len(seen)}.svg"
        tech["spark_file"] = Markup(f"charts/{name}")
        files[name] = str(tech["spark"])
    return files


def _spark_alt(tech: dict[str, Any], lang: str) -> str:
    series = tech["series"] or [0.0]
    first, last = i18n.format_percent(series[0], lang, 1), i18n.format_percent(series[-1], lang, 1)
    if lang == "nl":
        return f"{tech['name']}: aandeel in de berichtgeving over 24 maanden, van {first} naar {last}"
    return f"{tech['name']}: share of voice over 24 months, from {first} to {last}"


def _radar(ctx: dict[str, Any]) -> Markup:
    lang = ctx["lang"]
    fam_ids = [f["id"] for f in ctx["families"]]
    items = [{"id": t["id"], "name": t["name"], "family": t["family"], "estimate": t["estimate"],
              "moved": t["moved"], "title": f"{t['name']}: {i18n.label(i18n.HORIZONS, t['estimate'], lang)}"
              + (f" ({i18n.label(i18n.HORIZONS, t['previous'], lang)} →)" if t["moved"] else "")}
             for t in ctx["technologies"]]
    rings = [i18n.label(i18n.HORIZONS, h, lang) for h in HORIZONS]
    geo, blips, dot = best_layout(items, fam_ids, rings)
    for fam_index, fam in enumerate(ctx["families"]):
        fam["blips"] = [{"number": b.number, "name": b.name, "moved": b.moved, "id": b.id}
                        for b in blips if b.family == fam_index]
    moved = sum(1 for b in blips if b.moved)
    ctx["radar_alt"] = i18n.t("radar_alt", lang, n=len(blips), m=moved)
    return radar_svg(blips, dot, [f["name"] for f in ctx["families"]], rings, i18n.t("radar", lang),
                     ctx["radar_alt"], geo)


def _shares(ctx: dict[str, Any]) -> Markup:
    lang = ctx["lang"]
    shares = ctx["impact"]["shares"]
    labels: dict[str, Any] = {s["term"]: i18n.label(i18n.IMPACTS, s["term"], lang) for s in shares}
    labels.update(now=i18n.t("now", lang), baseline=i18n.t("baseline", lang), axis="%",
                  fmt=lambda v: i18n.format_percent(v, lang))
    ctx["shares_alt"] = i18n.t("impact_alt", lang)
    return shares_chart([s["term"] for s in shares], [s["now"] for s in shares], [s["baseline"] for s in shares],
                        labels, i18n.t("impact", lang), ctx["shares_alt"])


def _scatter(ctx: dict[str, Any]) -> Markup:
    lang = ctx["lang"]
    colours = {f["id"]: f["colour"] for f in ctx["families"]}
    scatter = ctx["scatter"]
    points = [{**p, "colour": colours.get(p["family"], "#777777")} for p in scatter["points"]]
    ctx["gamechangers"] = scatter["gamechangers"]
    ctx["scatter_alt"] = i18n.t("certainty_alt", lang, n=len(scatter["gamechangers"]))
    labels = {"gamechangers": i18n.t("gamechangers", lang), "x": i18n.t("certainty_axis", lang),
              "y": i18n.t("impact_axis", lang)}
    return scatter_chart(points, scatter["thresholds"], labels, i18n.t("certainty", lang), ctx["scatter_alt"])


def write_outputs(out: Path, ctx: dict[str, Any], files: dict[str, str]) -> None:
    """index.html, digest.md and charts/*.svg; stale chart files from an earlier build are removed."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        charts = out / "charts"
        if charts.is_dir():
            for old in charts.glob("*.svg"):
                if old.name not in files:
                    old.unlink()
        if files:
            charts.mkdir(exist_ok=True)
        for name, svg in files.items():
            _write(charts / name, svg + "\n")
        _write(out / "index.html", render_html(ctx))
        _write(out / "digest.md", render_markdown(ctx))
    except OSError as exc:
        raise ScannerError(f"cannot write the digest to {out}: {exc}") from None


def _write(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
