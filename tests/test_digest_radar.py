"""Radar placement: every technology exactly once, no two dots overlapping, off the ring captions."""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from scanner.digest.radar import TRIANGLE, Geometry, place, radar_svg, ring_label_boxes

FAMILIES = ["procesondersteuning", "communicatie-infrastructuur", "data-analyse", "dataplatforms",
            "dienstverlening", "slimme-dingen", "virtualisering-augmentation", "menselijke-kenmerken"]
RINGS = ["in-use", "0-3", "3-7", ">7"]
NS = "{http://www.w3.org/2000/svg}"


def items(n: int, crowd: int = 0) -> list[dict]:
    """n technologies spread over families and rings, plus `crowd` of them in one cell near the centre."""
    out = [{"id": f"t{i:02d}", "name": f"Tech {i:02d}", "family": FAMILIES[i % 8], "estimate": RINGS[(i // 8) % 4],
            "moved": (-1, 0, 1)[i % 3]} for i in range(n)]
    out += [{"id": f"c{i:02d}", "name": f"Crowd {i:02d}", "family": "dienstverlening", "estimate": "in-use",
             "moved": 0} for i in range(crowd)]
    return out


def footprint(blip, dot: float) -> float:
    return dot * (TRIANGLE if blip.moved else 1.0)


def assert_no_overlap(blips, dot: float) -> None:
    for i, a in enumerate(blips):
        for b in blips[i + 1:]:
            gap = math.dist((a.x, a.y), (b.x, b.y))
            assert gap >= footprint(a, dot) + footprint(b, dot) - 1e-6, (a.id, b.id, gap)


def test_every_technology_exactly_once_without_overlap():
    blips, dot = place(items(54), FAMILIES)
    assert sorted(b.id for b in blips) == sorted(i["id"] for i in items(54))
    assert sorted(b.number for b in blips) == list(range(1, 55))
    assert dot >= 8
    assert_no_overlap(blips, dot)


def test_each_dot_lies_in_its_family_sector_and_ring():
    geo = Geometry()
    cx, cy = geo.centre
    radii = geo.ring_radii()
    blips, _dot = place(items(54), FAMILIES, geo)
    for b in blips:
        r = math.dist((b.x, b.y), (cx, cy))
        assert radii[b.ring] <= r <= radii[b.ring + 1]
        angle = (math.atan2(b.y - cy, b.x - cx) + math.pi / 2) % (2 * math.pi)
        assert int(angle // (2 * math.pi / 8)) == b.family


def test_a_crowded_cell_shrinks_the_dots_but_still_fits():
    blips, dot = place(items(54, crowd=14), FAMILIES)
    assert len(blips) == 68 and len({b.id for b in blips}) == 68
    assert dot < Geometry().max_dot
    assert_no_overlap(blips, dot)


def test_dots_stay_off_the_ring_captions():
    geo = Geometry()
    boxes = [box for _x, _y, box in ring_label_boxes(geo, ["in gebruik", "0-3 jaar", "3-7 jaar", "> 7 jaar"])]
    blips, dot = place(items(54, crowd=6), FAMILIES, geo, avoid=boxes)
    for b in blips:
        for x0, y0, x1, y1 in boxes:
            dx, dy = max(x0 - b.x, 0, b.x - x1), max(y0 - b.y, 0, b.y - y1)
            assert math.hypot(dx, dy) >= dot


def test_placement_is_deterministic_and_order_independent():
    first, _ = place(items(54), FAMILIES)
    second, _ = place(list(reversed(items(54))), FAMILIES)
    assert first == second


def test_svg_is_valid_and_escapes_names():
    data = items(8)
    data[0]["name"] = "<script>x</script>"
    blips, dot = place(data, FAMILIES)
    svg = radar_svg(blips, dot, FAMILIES, RINGS, "Radar", "desc")
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img" and root.find(f"{NS}title").text == "Radar"
    assert "<script>" not in str(svg)
    groups = [g for g in root.iter(f"{NS}g") if g.get("class") == "blip"]
    assert len(groups) == 8
    assert sum(1 for g in groups if g.find(f"{NS}path") is not None) == sum(1 for b in blips if b.moved)


def test_move_markers_point_one_way_and_numbers_do_not_depend_on_names():
    data = items(24)
    blips, dot = place(data, FAMILIES)
    geo = Geometry()
    root = ET.fromstring(str(radar_svg(blips, dot, FAMILIES, RINGS, "Radar", "desc")))
    by_id = {b.id: b for b in blips}
    for g in root.iter(f"{NS}g"):
        if g.get("class") != "blip" or g.find(f"{NS}path") is None:
            continue
        blip = by_id[g.get("data-tech")]
        tip = tuple(float(v) for v in g.find(f"{NS}path").get("data-tip").split(","))
        centre_to_blip = math.dist(geo.centre, (blip.x, blip.y))
        centre_to_tip = math.dist(geo.centre, tip)
        # later (outwards): the single point is farther from the centre; earlier: nearer
        assert (centre_to_tip > centre_to_blip) == (blip.moved > 0), (blip.id, blip.moved)
        assert math.dist(tip, (blip.x, blip.y)) <= dot * TRIANGLE + 0.02  # inside the kept-free footprint (2-decimal coordinates)
    renamed = [dict(d, name=f"{100 - i:03d} other language") for i, d in enumerate(data)]
    assert {b.id: b.number for b in place(renamed, FAMILIES)[0]} == {b.id: b.number for b in blips}
