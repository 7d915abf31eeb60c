"""The backtest report: Markdown and HTML with a reliability diagram and per-technology timelines."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np

from scanner.signals import horizon as hz
from scanner.signals.backtest import FORECASTERS, Outcome, Replay, calibration

LABELS = {"model": "monitored estimate", "aged_baseline": "2019 baseline aged by time",
          "persistence": "last month's state"}
COLOURS = {"in-use": "#1b7837", "0-3": "#7fbf7b", "3-7": "#f1a340", ">7": "#b2182b"}


def _table(figures: dict[str, Any]) -> list[str]:
    rows = ["| forecaster | Brier | log loss | accuracy | macro recall | mean bin error | n |",
            "|---|---|---|---|---|---|---|"]
    for who in FORECASTERS:
        s = figures[who]
        rows.append(f"| {LABELS[who]} | {s['brier']} | {s['log_loss']} | {s['accuracy']} | "
                    f"{s['macro_recall']} | {s['mae_bins']} | {s['n']} |")
    return rows


def markdown(figures: dict[str, Any], command: str) -> str:
    lines = [f"Command: `{command}`", "",
             f"Replayed {figures['range']['months']} month ends from {figures['range']['from']} to "
             f"{figures['range']['to']}; every outcome row is scored with the forecast as of its month's end.", "",
             "All outcome rows:", "", *_table(figures), ""]
    for month, per in figures["by_date"].items():
        lines += [f"Outcomes dated {month}:", "", *_table(per), ""]
    ece = figures["calibration"]
    lines += ["Expected calibration error (10 bins over every outcome x horizon pair): "
              + ", ".join(f"{LABELS[w]} {ece[w]}" for w in FORECASTERS), ""]
    if "brier_difference" in figures:
        lines += [_differences(figures["brier_difference"], max(figures["by_date"])), ""]
    if "temperature" in figures:
        t = figures["temperature"]
        lines += [f"Calibration by temperature: these figures use `[horizon] temperature` from the config; refitting it on "
                  f"all rows would multiply it by {t['temperature_all_rows']}; fitted leave-one-technology-out (on top of "
                  f"the configured one), the held-out rows score Brier "
                  f"{t['model_tempered_cv']['brier']} and log loss {t['model_tempered_cv']['log_loss']} "
                  f"(with the configured temperature {t['model']['brier']} / {t['model']['log_loss']}).", ""]
    if figures.get("latest_rows"):
        lines += _confusion(figures["latest_rows"])
    if figures.get("tuning"):
        lines += _tuning(figures["tuning"])
    if figures.get("sensitivity"):
        lines += _sensitivity(figures["sensitivity"])
    lines += ["![reliability](reliability.png)", "", "![timelines](timelines.png)", ""]
    return "\n".join(lines)


def _confusion(rows: list[dict[str, Any]]) -> list[str]:
    """Observed against estimated bins at the latest date, and the technologies the estimate misses."""
    last = rows[0]["date"]
    bins = hz.HORIZONS
    out = [f"At {last}, observed bins (rows) against the monitored estimate's bins (columns; the aged baseline's "
           "count after the slash):", "", "| observed | " + " | ".join(bins) + " | estimate's recall |",
           "|---|" + "---|" * (len(bins) + 1)]
    for b in bins:
        mine = [r for r in rows if r["observed"] == b]
        if not mine:
            continue
        cells = [f"{sum(r['estimate'] == e for r in mine)} / {sum(r['aged_baseline'] == e for r in mine)}"
                 for e in bins]
        hits = sum(r["estimate"] == b for r in mine)
        out.append(f"| {b} | " + " | ".join(cells) + f" | {hits} of {len(mine)} |")
    missed = [r for r in rows if r["estimate"] != r["observed"]]
    if not missed:
        return out + ["", f"The monitored estimate misses no technology at {last}.", ""]
    out += ["", f"Technologies the monitored estimate misses at {last} ({len(missed)} of {len(rows)}; "
            "P = the probability it gave the observed bin, the aged baseline's after the slash; where the "
            "estimate is not its own most probable bin, what holds it: the hysteresis `margin`, too few "
            "independent `sources` in the change window, or an analyst's `override`):", "",
            "| technology | observed | estimate | aged baseline | P(observed) | most probable | held by |",
            "|---|---|---|---|---|---|---|"]
    out += [f"| {r['technology']} | {r['observed']} | {r['estimate']} | {r['aged_baseline']} | "
            f"{r['p_observed']} / {r['aged_p_observed']} | {r.get('most_probable', '')} | "
            f"{r.get('held_by') or ''} |" for r in missed]
    return out + [""]


def _sensitivity(rows: list[dict[str, Any]]) -> list[str]:
    last = rows[0]["last_date"]
    out = [f"Sensitivity: the same backtest with one `[horizon]` setting changed at a time (* the configured value). "
           f"Brier over all rows (monitored estimate / last month's state) and, at {last}, Brier, macro recall and "
           f"mean bin error (monitored estimate / aged baseline):", "",
           f"| setting | value | all rows Brier | {last} Brier | {last} macro recall | {last} mean bin error |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        m, b = r["last"]["model"], r["last"]["aged_baseline"]
        out.append(f"| {r['setting']} | {r['value']:g}{' *' if r['configured'] else ''} | "
                   f"{r['all_rows']['model']} / {r['all_rows']['persistence']} | {m['brier']} / {b['brier']} | "
                   f"{m['macro_recall']} / {b['macro_recall']} | {m['mae_bins']} / {b['mae_bins']} |")
    return out + [""]


def _interval(x: dict[str, Any], who: str) -> str:
    """One bootstrap comparison in words (no interval below a handful of technologies)."""
    text = f"{x['difference']:+.4f}"
    if x["low"] is None:
        return text + f" (too few technologies, {x['technologies']}, for an interval)"
    return (text + f" (95% interval {x['low']:+.4f} to {x['high']:+.4f}, bootstrap over {x['technologies']} "
            f"technologies; {who} better in {100 * x['better_share']:.0f}% of resamples)")


def _differences(d: dict[str, Any], last: str) -> str:
    return ("How sure these verdicts are (Brier score of the monitored estimate minus the other's; negative = "
            f"the estimate is better): against the aged baseline at {last}, "
            f"{_interval(d['latest'], 'the estimate')}; against last month's state over all rows, "
            f"{_interval(d['all_rows'], 'the estimate')}.")


def _tuning(t: dict[str, Any]) -> list[str]:
    """The --tune table: chosen on the rows before the cut, the held-out rows beside each setting."""
    keys, cut, last = list(t["chosen"]), t["before"], t["last_date"]
    chosen = ", ".join(f"`{k} = {v:g}`" for k, v in t["chosen"].items())
    verdict = "the configured values" if t["configured_is_chosen"] else "**not** the configured values"
    held = f"{cut}" if cut == last else f"{cut} .. {last}"
    base = t["rows"][0]["held_out"]["aged_baseline"]
    out = [f"Settings chosen on earlier outcomes: every combination below was scored on the outcome rows dated "
           f"before {cut} only and ranked by the monitored estimate's Brier score there (* the configured values). "
           f"The best, {chosen}, is {verdict}. The {t['held_out_rows']} rows dated {held} chose nothing; their "
           f"figures are shown beside each setting (the aged baseline there: Brier {base['brier']}, macro recall "
           f"{base['macro_recall']}, mean bin error {base['mae_bins']})."]
    if t.get("chosen_minus_configured"):
        out[0] += (" On the rows it was chosen on, the best minus the configured values: "
                   f"{_interval(t['chosen_minus_configured'], 'the best')}.")
    out += ["", "| " + " | ".join(keys) + f" | before {cut}: Brier (estimate / last month's state) | before {cut}: "
            f"log loss (estimate) | held out: Brier / macro recall / mean bin error (estimate) |",
            "|" + "---|" * (len(keys) + 3)]
    for r in t["rows"]:
        c, m = r["choose"], r["held_out"]["model"]
        out.append("| " + " | ".join(f"{r['setting'][k]:g}" for k in keys) + (" *" if r["configured"] else "")
                   + f" | {c['model']['brier']} / {c['persistence']['brier']} | {c['model']['log_loss']} | "
                   f"{m['brier']} / {m['macro_recall']} / {m['mae_bins']} |")
    return out + [""]


def reliability_png(rep: Replay, outcomes: list[Outcome], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5), dpi=110)
    ax.plot([0, 1], [0, 1], color="#999", lw=1, ls="--", label="perfect")
    for who, colour in (("model", "#2166ac"), ("aged_baseline", "#b2182b")):
        cal = calibration(rep, outcomes, who)
        pts = [(b["mean_p"], b["observed"], b["n"]) for b in cal["bins"] if b["n"]]
        ax.plot([p for p, _, _ in pts], [o for _, o, _ in pts], marker="o", color=colour,
                label=f"{LABELS[who]} (ECE {cal['ece']})")
    ax.set_xlabel("forecast probability")
    ax.set_ylabel("observed frequency")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def timelines_png(rep: Replay, outcomes: list[Outcome], path: Path) -> None:
    """One small panel per technology: stacked bin probabilities, the estimate, and the outcomes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(rep.techs)
    cols = 6
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 2.6, rows * 1.7), dpi=90, sharex=True, sharey=True)
    x = np.arange(len(rep.months))
    for i, ax in enumerate(np.atleast_1d(axes).ravel()):
        if i >= n:
            ax.axis("off")
            continue
        tech = rep.techs[i]
        probs = np.array([rep.model[m][i].probs for m in rep.months]).T
        ax.stackplot(x, probs, colors=[COLOURS[h] for h in hz.HORIZONS], alpha=0.85)
        est = [hz.HORIZONS.index(rep.model[m][i].estimate) for m in rep.months]
        ax.plot(x, [(e + 0.5) / 4 for e in est], color="black", lw=1)
        for o in outcomes:
            if o.technology == tech.id and o.month in rep.months:
                ax.plot(rep.months.index(o.month), (hz.HORIZONS.index(o.horizon) + 0.5) / 4, marker="D",
                        color="white", markeredgecolor="black", ms=5)
        ax.set_title(tech.id, fontsize=7)
        ax.set_yticks([])
        ax.tick_params(labelsize=6)
    ticks = [j for j, m in enumerate(rep.months) if m.endswith("-01")]
    for ax in np.atleast_1d(axes).ravel():
        ax.set_xticks(ticks[::2], [rep.months[j][:4] for j in ticks[::2]])
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLOURS[h]) for h in hz.HORIZONS]
    fig.legend(handles, hz.HORIZONS, loc="lower right", ncol=4, fontsize=8)
    fig.suptitle("P(horizon) month by month (bands, in-use at the bottom); estimate (line) and outcomes (diamonds) "
                 "at the height of their band: in-use lowest, >7 highest",
                 fontsize=9)
    fig.tight_layout(rect=(0, 0.02, 1, 0.98))
    fig.savefig(path)
    plt.close(fig)


def write(out_dir: Path, figures: dict[str, Any], rep: Replay, outcomes: list[Outcome], command: str) -> Path:
    """report.md, index.html, reliability.png, timelines.png and figures.json in out_dir."""
    import json

    out_dir.mkdir(parents=True, exist_ok=True)
    reliability_png(rep, outcomes, out_dir / "reliability.png")
    timelines_png(rep, outcomes, out_dir / "timelines.png")
    md = markdown(figures, command)
    (out_dir / "report.md").write_text("# Horizon backtest\n\n" + md, encoding="utf-8")
    (out_dir / "figures.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    body = "".join(f"<p>{html.escape(p)}</p>" if not p.startswith(("|", "![")) else "" for p in md.split("\n\n"))
    tables = "".join(_html_table(per, f"Outcomes dated {m}") for m, per in figures["by_date"].items())
    page = ("<!doctype html><html lang=en><meta charset=utf-8><title>Horizon backtest</title>"
            "<style>body{font-family:sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}"
            "img{max-width:100%}</style><h1>Horizon backtest</h1>" + body
            + _html_table(figures, "All outcome rows") + tables
            + "<img src=reliability.png alt='reliability diagram'><img src=timelines.png alt='timelines'></html>")
    (out_dir / "index.html").write_text(page, encoding="utf-8")
    return out_dir / "report.md"


def _html_table(figures: dict[str, Any], caption: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("forecaster", "Brier", "log loss", "accuracy", "macro recall",
                                             "mean bin error", "n"))
    rows = "".join("<tr><th>" + html.escape(LABELS[w]) + "</th>" + "".join(
        f"<td>{figures[w][k]}</td>" for k in ("brier", "log_loss", "accuracy", "macro_recall", "mae_bins", "n"))
        + "</tr>" for w in FORECASTERS)
    return f"<table><caption>{html.escape(caption)}</caption><tr>{head}</tr>{rows}</table>"
