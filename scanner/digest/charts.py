"""Charts as SVG strings: hand-built sparklines, matplotlib bar and scatter charts made deterministic."""
from __future__ import annotations

import io
import math
import re
from typing import Any

from markupsafe import Markup, escape

from scanner.digest.palette import INK, MUTED, OKABE_ITO

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def sparkline(values: list[float], label: str, width: int = 132, height: int = 30,
              colour: str = OKABE_ITO[4]) -> Markup:
    """A small line of share of voice over time; label becomes its accessible name."""
    pad = 3.0
    n = len(values)
    top = max(values) if values and max(values) > 0 else 1.0
    if n == 0:
        return Markup(f'<svg {SVG_NS} class="spark" viewBox="0 0 {width} {height}" role="img" '
                      f'aria-label="{escape(label)}"><title>{escape(label)}</title></svg>')
    step = (width - 2 * pad) / max(n - 1, 1)
    pts = [(pad + i * step, height - pad - (v / top) * (height - 2 * pad)) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    area = f"{pad:.1f},{height - pad:.1f} {line} {pts[-1][0]:.1f},{height - pad:.1f}"
    lx, ly = pts[-1]
    return Markup(
        f'<svg {SVG_NS} class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<polygon points="{area}" fill="{colour}" fill-opacity="0.15" stroke="none"/>'
        f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.6" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.4" fill="{colour}"/></svg>'
    )


def _mpl():
    """matplotlib with the Agg backend and deterministic SVG settings (imported lazily: it is slow)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({
        "svg.hashsalt": "horizonscan-digest", "svg.fonttype": "none", "text.parse_math": False,
        "font.family": "DejaVu Sans", "font.size": 10, "axes.edgecolor": MUTED,
        "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
        "axes.spines.top": False, "axes.spines.right": False,
    })
    return plt


def _svg_of(fig, svg_id: str, title: str, desc: str) -> Markup:
    """Serialise a figure: no timestamp, ids prefixed (several SVGs share one page), accessible name."""
    plt = _mpl()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r'id="([^"]+)"', rf'id="{svg_id}-\1"', text)
    text = re.sub(r'url\(#([^)]+)\)', rf'url(#{svg_id}-\1)', text)
    text = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{svg_id}-\1"', text)
    text = re.sub(r'<metadata>.*?</metadata>', "", text, flags=re.S)
    text = re.sub(r'(<svg [^>]*?)width="[^"]*" height="[^"]*"', r"\1", text, count=1)
    head = (f' role="img" class="chart" aria-labelledby="{svg_id}-title {svg_id}-desc"')
    text = text.replace("<svg ", "<svg" + head + " ", 1)
    close = text.index(">", text.index("<svg")) + 1
    text = (text[:close] + f'<title id="{svg_id}-title">{escape(title)}</title>'
            f'<desc id="{svg_id}-desc">{escape(desc)}</desc>' + text[close:])
    return Markup(text.strip())


def shares_chart(terms: list[str], now: list[float], baseline: list[float], labels: dict[str, Any],
                 title: str, desc: str, svg_id: str = "shares") -> Markup:
    """Grouped horizontal bars: share of processes per impact term, now versus baseline."""
    plt = _mpl()
    fig, ax = plt.subplots(figsize=(7.2, 2.6))
    ys = list(range(len(terms)))
    h = 0.36
    ax.barh([y - h / 2 for y in ys], [v * 100 for v in baseline], height=h, color="#c9d1d9",
            label=labels["baseline"])
    ax.barh([y + h / 2 for y in ys], [v * 100 for v in now], height=h, color=OKABE_ITO[4], label=labels["now"])
    for y, b, n in zip(ys, baseline, now):
        ax.text(b * 100 + 0.8, y - h / 2, labels["fmt"](b), va="center", fontsize=9, color=INK)
        ax.text(n * 100 + 0.8, y + h / 2, labels["fmt"](n), va="center", fontsize=9, color=INK,
                fontweight="bold")
    ax.set_yticks(ys, [labels[t] for t in terms])
    ax.invert_yaxis()
    ax.set_xlim(0, max([*now, *baseline, 0.5]) * 100 * 1.18)
    ax.set_xlabel(labels["axis"])
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    return _svg_of(fig, svg_id, title, desc)


def scatter_figure(points: list[dict], thresholds: tuple[float, float], labels: dict[str, str]) -> tuple[Any, Any, list]:
    """The impact-certainty figure, every point labelled; returns (figure, axes, label texts).

    Points are drawn largest first (small ones stay visible on top, with a white edge); adjustText moves
    the labels off each other and off the points, inside the axes, with a leader line where one moved."""
    from adjustText import adjust_text

    plt = _mpl()
    fig, ax = plt.subplots(figsize=(8.4, 6.4))
    tx, ty = thresholds
    ax.axvspan(tx, 1.04, ymin=(ty + 0.03) / 1.15, ymax=1, color=OKABE_ITO[2], alpha=0.10, lw=0)
    ax.axvline(tx, color=MUTED, lw=0.8, ls="--")
    ax.axhline(ty, color=MUTED, lw=0.8, ls="--")
    ax.text(tx + 0.015, 1.085, labels["gamechangers"], ha="left", va="center", fontsize=11, fontweight="bold",
            color="#006b4f")
    low = min([tx - 0.1] + [p["certainty"] - 0.05 for p in points])
    ax.set_xlim(max(0.0, math.floor(low * 10) / 10) - 0.02, 1.04)
    ax.set_ylim(-0.03, 1.12)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    size = {p["id"]: 26 + 6 * min(p.get("evidence", 0), 20) ** 0.5 for p in points}
    for p in sorted(points, key=lambda p: (-size[p["id"]], p["id"])):
        ax.scatter([p["certainty"]], [p["impact"]], s=size[p["id"]], color=p["colour"], edgecolors="white",
                   linewidths=0.8, zorder=3, alpha=0.9)
    ordered = sorted(points, key=lambda p: p["id"])
    texts = [ax.text(p["certainty"], p["impact"], p["name"], fontsize=7.5, color=INK, zorder=4) for p in ordered]
    if texts:
        adjust_text(texts, x=[p["certainty"] for p in ordered], y=[p["impact"] for p in ordered], ax=ax,
                    ensure_inside_axes=True, expand=(1.15, 1.4), force_text=(0.3, 0.5), iter_lim=400,
                    min_arrow_len=4, arrowprops={"arrowstyle": "-", "color": MUTED, "lw": 0.5})
    return fig, ax, texts


def scatter_chart(points: list[dict], thresholds: tuple[float, float], labels: dict[str, str], title: str,
                  desc: str, svg_id: str = "certainty") -> Markup:
    """Impact (y) against certainty (x); the certain, large quadrant is shaded as 'gamechangers'."""
    fig, _ax, _texts = scatter_figure(points, thresholds, labels)
    return _svg_of(fig, svg_id, title, desc)
