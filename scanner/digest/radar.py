"""The technology radar as a hand-built SVG: families as sectors, horizons as rings, one numbered dot each.

Placement is deterministic and collision-free by construction: each (sector, ring) cell gets a polar
grid of candidate points spaced at least one dot diameter (+ gap) apart and away from the cell edges,
and the cell's technologies (sorted) take evenly spread grid points. The dot radius shrinks until every
cell fits.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from scanner.catalogue import HORIZONS
from scanner.digest.palette import family_colour, text_colour

RINGS = list(HORIZONS)  # the radar's rings, inside out
# Ring boundary layouts tried in order; the one giving the largest dots wins (ties: the earliest).
RING_LAYOUTS = [(0.0, 0.36, 0.6, 0.81, 1.0), (0.0, 0.48, 0.68, 0.85, 1.0), (0.0, 0.6, 0.76, 0.89, 1.0),
                (0.0, 0.7, 0.82, 0.92, 1.0), (0.0, 0.3, 0.52, 0.76, 1.0)]
TRIANGLE = 1.2  # circumradius of a moved marker, in dot radii (the gap keeps it off neighbours)


@dataclass(frozen=True)
class Geometry:
    """Canvas and ring radii in SVG user units (the viewBox scales it to any screen)."""

    width: int = 1040
    height: int = 800
    radius: float = 340.0
    ring_fractions: tuple[float, ...] = (0.0, 0.36, 0.6, 0.81, 1.0)
    gap: float = 6.0
    max_dot: float = 13.0
    min_dot: float = 5.0

    @property
    def centre(self) -> tuple[float, float]:
        return self.width / 2, self.height / 2

    def ring_radii(self) -> list[float]:
        return [f * self.radius for f in self.ring_fractions]


@dataclass(frozen=True)
class Blip:
    """One placed technology."""

    id: str
    number: int
    name: str
    family: int
    ring: int
    x: float
    y: float
    moved: int  # -1 moved earlier (inwards), +1 later (outwards), 0 not moved
    title: str


Box = tuple[float, float, float, float]


def ring_label_boxes(geo: Geometry, names: list[str]) -> list[tuple[float, float, Box]]:
    """Where each ring's caption goes (just inside its outer edge, on the top axis) and the box it covers."""
    cx, cy = geo.centre
    radii = geo.ring_radii()
    out = []
    for i, name in enumerate(names):
        y = cy - radii[i + 1] + 17
        half = 4.2 * len(name) + 4
        out.append((cx, y, (cx - half, y - 13, cx + half, y + 5)))
    return out


def _clear(x: float, y: float, dot: float, boxes: list[Box]) -> bool:
    """True when a dot at (x, y) stays off every box."""
    for x0, y0, x1, y1 in boxes:
        dx = max(x0 - x, 0.0, x - x1)
        dy = max(y0 - y, 0.0, y - y1)
        if dx * dx + dy * dy < dot * dot:
            return False
    return True


def _cell_candidates(sector: int, n_sectors: int, r_in: float, r_out: float, dot: float,
                     gap: float) -> list[tuple[float, float]]:
    """Polar grid points (radius, angle) inside one cell, at least 2*dot+gap apart and off its edges."""
    step = 2 * dot + gap
    span = 2 * math.pi / n_sectors
    a0 = -math.pi / 2 + sector * span
    points: list[tuple[float, float]] = []
    r = max(r_in + dot + gap / 2, dot + gap)
    while r <= r_out - dot - gap / 2 + 1e-9:
        edge = (dot + gap / 2) / r
        if edge < 1:
            margin = math.asin(edge)
            usable = span - 2 * margin
            if usable >= 0:
                spacing = 2 * math.asin(min(1.0, step / (2 * r)))
                cols = int(usable // spacing) + 1 if spacing > 0 else 1
                offset = (usable - (cols - 1) * spacing) / 2
                points.extend((r, a0 + margin + offset + c * spacing) for c in range(cols))
        r += step
    return points


def _spread(candidates: list[tuple[float, float]], n: int) -> list[tuple[float, float]]:
    """n of the candidates, evenly spread over the list (deterministic)."""
    if n == 0:
        return []
    if n == 1:
        return [candidates[len(candidates) // 2]]
    last = len(candidates) - 1
    return [candidates[round(i * last / (n - 1))] for i in range(n)]


def place(items: list[dict], families: list[str], geo: Geometry = Geometry(),
          avoid: list[Box] | None = None) -> tuple[list[Blip], float]:
    """Place every item ({id, name, family, estimate, moved, title}) once, off the avoid boxes.

    Returns the blips (numbered by family, ring and id, so both editions agree) and the dot radius used.
    """
    avoid = avoid or []
    cx, cy = geo.centre
    cells: dict[tuple[int, int], list[dict]] = {}
    for item in items:
        fam = families.index(item["family"]) if item["family"] in families else len(families) - 1
        ring = RINGS.index(item["estimate"]) if item["estimate"] in RINGS else len(RINGS) - 1
        cells.setdefault((fam, ring), []).append(item)
    radii = geo.ring_radii()
    dot = geo.max_dot
    while True:
        grids = {key: [(r, a) for r, a in _cell_candidates(key[0], len(families), radii[key[1]],
                                                            radii[key[1] + 1], dot, geo.gap)
                       if _clear(cx + r * math.cos(a), cy + r * math.sin(a), dot + geo.gap, avoid)]
                 for key in cells}
        if all(len(grids[k]) >= len(v) for k, v in cells.items()) or dot <= geo.min_dot:
            break
        dot -= 0.5
    numbered = sorted(cells.items())
    blips: list[Blip] = []
    number = 0
    for (fam, ring), members in numbered:
        members = sorted(members, key=lambda m: m["id"])  # by id: the same numbers in every language
        grid = grids[(fam, ring)]
        spots = _spread(grid, len(members)) if len(grid) >= len(members) else _overflow(grid, len(members))
        for member, (r, a) in zip(members, spots):
            number += 1
            blips.append(Blip(member["id"], number, member["name"], fam, ring, round(cx + r * math.cos(a), 2),
                              round(cy + r * math.sin(a), 2), int(member.get("moved", 0)),
                              member.get("title") or member["name"]))
    return blips, dot


def _overflow(grid: list[tuple[float, float]], n: int) -> list[tuple[float, float]]:
    """Last resort for an impossibly full cell: reuse grid points (only reached below the minimum dot size)."""
    grid = grid or [(0.0, 0.0)]
    return [grid[i % len(grid)] for i in range(n)]


def _polar(cx: float, cy: float, r: float, a: float) -> tuple[float, float]:
    return round(cx + r * math.cos(a), 2), round(cy + r * math.sin(a), 2)


def _triangle(blip: Blip, dot: float, cx: float, cy: float) -> str:
    """A pin: a round head with one sharp point, towards the centre (moved earlier) or away from it (later).

    Unlike an equilateral triangle it has exactly one point, so its direction cannot be misread."""
    angle = math.atan2(blip.y - cy, blip.x - cx) + (math.pi if blip.moved < 0 else 0.0)
    tip_r, head = dot * TRIANGLE, dot * 0.85  # the tip stays inside the footprint the placement keeps free
    spread = math.acos(head / tip_r)  # where the tangents from the tip touch the head
    tip = (blip.x + tip_r * math.cos(angle), blip.y + tip_r * math.sin(angle))
    p1 = (blip.x + head * math.cos(angle + spread), blip.y + head * math.sin(angle + spread))
    p2 = (blip.x + head * math.cos(angle - spread), blip.y + head * math.sin(angle - spread))
    return (f'<path class="pin" data-tip="{tip[0]:.2f},{tip[1]:.2f}" d="M{tip[0]:.2f},{tip[1]:.2f} '
            f'L{p1[0]:.2f},{p1[1]:.2f} A{head:.2f},{head:.2f} 0 1 1 {p2[0]:.2f},{p2[1]:.2f} Z"/>')


def _background(geo: Geometry, family_names: list[str], ring_names: list[str]) -> list[str]:
    cx, cy = geo.centre
    radii = geo.ring_radii()
    parts = []
    fills = ["#e9edf2", "#f1f4f7", "#f6f8fa", "#fbfcfd"]
    for i in range(len(radii) - 1, 0, -1):
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radii[i]:.1f}" fill="{fills[i - 1]}" '
                     f'stroke="#b8c2cc" stroke-width="1"/>')
    n = len(family_names)
    for k in range(n):
        a = -math.pi / 2 + k * 2 * math.pi / n
        x, y = _polar(cx, cy, geo.radius, a)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x}" y2="{y}" stroke="#ffffff" stroke-width="3"/>')
    for (x, y, _box), name in zip(ring_label_boxes(geo, ring_names), ring_names):
        parts.append(f'<text class="ring" x="{x}" y="{y:.1f}" text-anchor="middle">{escape(name)}</text>')
    for k, name in enumerate(family_names):
        parts.append(_rim(geo, k, n))
        parts.append(_family_label(geo, k, n, name))
    return parts


def _family_label(geo: Geometry, k: int, n: int, name: str) -> str:
    """Sector caption outside the rim, wrapped on spaces, anchored away from the circle."""
    cx, cy = geo.centre
    a = -math.pi / 2 + (k + 0.5) * 2 * math.pi / n
    x, y = _polar(cx, cy, geo.radius + 22, a)
    anchor = "start" if math.cos(a) > 0.2 else "end" if math.cos(a) < -0.2 else "middle"
    words = [w for w in re.split(r"(?<=-)|\s+", str(name)) if w]
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) > 16:
            lines.append(line)
            line = word
        else:
            line = f"{line}{word}" if line.endswith("-") else f"{line} {word}".strip()
    lines.append(line)
    y0 = y - (len(lines) - 1) * 8 + (8 if math.sin(a) > 0.5 else 0)
    spans = "".join(f'<tspan x="{x}" dy="{0 if i == 0 else 16}">{escape(t)}</tspan>' for i, t in enumerate(lines))
    return f'<text class="family" x="{x}" y="{y0:.1f}" text-anchor="{anchor}">{spans}</text>'


def _rim(geo: Geometry, k: int, n: int) -> str:
    """A band in the family colour along the sector's rim, so sectors read without the legend."""
    cx, cy = geo.centre
    r = geo.radius + 7
    a0 = -math.pi / 2 + k * 2 * math.pi / n + 0.01
    a1 = -math.pi / 2 + (k + 1) * 2 * math.pi / n - 0.01
    (x0, y0), (x1, y1) = _polar(cx, cy, r, a0), _polar(cx, cy, r, a1)
    return (f'<path d="M{x0},{y0} A{r},{r} 0 0 1 {x1},{y1}" fill="none" stroke="{family_colour(k)}" '
            f'stroke-width="8"/>')


def _blip_svg(blip: Blip, dot: float, cx: float, cy: float) -> str:
    fill = family_colour(blip.family)
    shape = _triangle(blip, dot, cx, cy) if blip.moved else f'<circle cx="{blip.x}" cy="{blip.y}" r="{dot}"/>'
    size = max(7.0, dot * 0.95)
    return (f'<g class="blip" data-tech="{escape(blip.id)}" data-number="{blip.number}" data-moved="{blip.moved}" '
            f'data-x="{blip.x}" data-y="{blip.y}" data-r="{dot}" fill="{fill}"><title>{escape(blip.title)}</title>'
            f'{shape}'
            f'<text x="{blip.x}" y="{blip.y + size * 0.36:.2f}" text-anchor="middle" font-size="{size:.1f}" '
            f'fill="{text_colour(fill)}">{blip.number}</text></g>')


def radar_svg(blips: list[Blip], dot: float, family_names: list[str], ring_names: list[str], title: str,
              desc: str, geo: Geometry = Geometry(), svg_id: str = "radar") -> Markup:
    """The whole radar as one accessible SVG element (standalone-valid: carries xmlns)."""
    cx, cy = geo.centre
    body = _background(geo, family_names, ring_names) + [_blip_svg(b, dot, cx, cy) for b in blips]
    style = (".radar text{font-family:'DejaVu Sans',Arial,sans-serif}.radar .ring{font-size:13px;"
             "fill:#44505c;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}.radar .family"
             "{font-size:14px;font-weight:700;fill:#1c2630}.radar .blip text{font-weight:700}"
             ".radar .blip path,.radar .blip circle{stroke:#1c2630;stroke-width:1}")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {geo.width} {geo.height}" role="img" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc" class="chart radar">'
        f'<title id="{svg_id}-title">{escape(title)}</title><desc id="{svg_id}-desc">{escape(desc)}</desc>'
        f'<style>{style}</style>' + "".join(body) + "</svg>"
    )


def best_layout(items: list[dict], families: list[str], ring_names: list[str],
                geo: Geometry = Geometry()) -> tuple[Geometry, list[Blip], float]:
    """Try each ring layout (ring captions kept clear) and keep the one with the largest dots."""
    best: tuple[Geometry, list[Blip], float] | None = None
    for fractions in RING_LAYOUTS:
        trial = replace(geo, ring_fractions=fractions)
        boxes = [box for _x, _y, box in ring_label_boxes(trial, ring_names)]
        blips, dot = place(items, families, trial, avoid=boxes)
        if best is None or dot > best[2] + 1e-9:
            best = (trial, blips, dot)
    assert best is not None
    return best
