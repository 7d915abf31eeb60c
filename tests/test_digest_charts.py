"""Charts: inline-safe SVG (no prolog, prefixed ids, accessible name), escaped labels, deterministic bytes."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from scanner.digest.charts import scatter_chart, shares_chart, sparkline
from scanner.digest.render import md_escape, safe_url

NASTY = '<script>alert(1)</script> a $\\frac{$ b'


def points() -> list[dict]:
    return [{"id": f"t{i}", "name": NASTY if i == 0 else f"Tech {i}", "certainty": 0.5 + i / 20, "impact": i / 10,
             "evidence": i * 3, "colour": "#0072B2"} for i in range(10)]


def scatter() -> str:
    return str(scatter_chart(points(), (0.8, 0.6), {"gamechangers": "Gamechangers", "x": "x", "y": "y"},
                             "Impact <en> zekerheid", "desc", svg_id="sc"))


def test_scatter_is_inline_safe_accessible_and_escaped():
    svg = scatter()
    assert svg.startswith("<svg") and "<?xml" not in svg and "DOCTYPE" not in svg
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "sc-title sc-desc"
    assert "Impact &lt;en&gt; zekerheid" in svg and "<script" not in svg and "frac" in svg
    ids = re.findall(r'id="([^"]+)"', svg)
    assert ids and all(i.startswith("sc-") for i in ids)
    assert "Gamechangers" in svg


def test_charts_are_deterministic():
    assert scatter() == scatter()
    args = (["immediate", "coming", "slow"], [0.3, 0.3, 0.4], [0.32, 0.25, 0.43],
            {"immediate": "direct", "coming": "komend", "slow": "langzaam", "now": "Nu", "baseline": "Basislijn",
             "axis": "%", "fmt": lambda v: f"{v:.0%}"}, "T", "D")
    first, second = str(shares_chart(*args)), str(shares_chart(*args))
    assert first == second and "Date" not in first and "32%" in first


def test_sparkline_escapes_its_label_and_handles_flat_series():
    svg = str(sparkline([0.0] * 24, '<b>"x"</b>'))
    ET.fromstring(svg)
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert str(sparkline([], "leeg")).startswith("<svg")


def test_only_absolute_http_links_survive():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                "/relative", "//host/x", "mailto:a@b", "", None, "http://"):
        assert safe_url(bad) is None, bad
    assert md_escape("a|b *c* <d> [e](f)") == "a\\|b \\*c\\* &lt;d&gt; \\[e\\](f)"


def test_scatter_labels_every_point_without_collisions():
    import random

    from scanner.digest.charts import scatter_figure

    rng = random.Random(3)
    pts = [{"id": f"t{i:02d}", "name": f"Technologie nummer {i}", "certainty": 0.55 + rng.random() * 0.45,
            "impact": rng.random(), "evidence": rng.randint(0, 40), "colour": "#0072B2"} for i in range(40)]
    pts += [{"id": "dup", "name": "Zelfde plek", "certainty": pts[0]["certainty"], "impact": pts[0]["impact"],
             "evidence": 2, "colour": "#D55E00"}]  # a point exactly on another still gets its own label
    fig, ax, texts = scatter_figure(pts, (0.8, 0.6), {"gamechangers": "Gamechangers", "x": "Zekerheid",
                                                       "y": "Impact"})
    assert sorted(t.get_text() for t in texts) == sorted(p["name"] for p in pts)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    overlaps = sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert overlaps <= 2, overlaps  # adjustText leaves at most a near-touch in a crowd of 41
    inside = ax.get_window_extent(renderer)
    xlabel = ax.xaxis.label.get_window_extent(renderer)
    for box in boxes:  # labels stay in the plot, never over the axis titles
        assert inside.x0 - 1 <= box.x0 and box.x1 <= inside.x1 + 1 and inside.y0 - 1 <= box.y0, box
        assert not box.overlaps(xlabel)
    import matplotlib.pyplot as plt

    plt.close(fig)
