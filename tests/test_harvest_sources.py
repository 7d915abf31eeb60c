"""Sources file: validation one-liners, add/enable/disable keeping comments, the shipped list, politeness."""
from __future__ import annotations

import threading
import time

import pytest

from scanner.config import repo_root
from scanner.errors import ScannerError
from scanner.harvest.politeness import HostLimiter
from scanner.harvest.sources import add_source, load_sources, set_enabled

GOOD = '''# my sources
[[source]]
id = "bb"   # trade press
name = "Binnenlands Bestuur"
url = "https://www.binnenlandsbestuur.nl/rss"
kind = "feed"
source_type = "trade-press"
language = "nl"
'''


def test_shipped_sources_file_is_valid_and_broad():
    sources = load_sources(repo_root() / "data" / "sources.toml")
    assert len(sources) >= 15
    assert {s.source_type for s in sources} >= {"research", "consultancy", "trade-press", "government", "news"}
    assert all(not s.allow_private for s in sources)


def test_load_defaults(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(GOOD, encoding="utf-8")
    (source,) = load_sources(path)
    assert source.enabled and not source.full_text and not source.allow_private and source.kind == "feed"


@pytest.mark.parametrize("line, message", [
    ('kind = "feed"', None),
    ('kind = "podcast"', "kind must be one of"),
    ('url = "ftp://x.nl/feed"', "url must be http(s)"),
    ('language = "de"', "language must be one of"),
    ('full_text = "yes"', "full_text must be true or false"),
    ('colour = "blue"', "unknown key"),
])
def test_validation_errors_are_one_liners(tmp_path, line, message):
    key = line.split(" =")[0]
    current = next((l for l in GOOD.splitlines() if l.startswith(key + " =")), None)
    text = GOOD.replace(current, line) if current else GOOD + line + "\n"
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    if message is None:
        assert load_sources(path)
        return
    with pytest.raises(ScannerError) as info:
        load_sources(path)
    assert message in str(info.value) and "\n" not in str(info.value) and "source #1 (bb)" in str(info.value)


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ScannerError, match="not found"):
        load_sources(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[source]\nid=", encoding="utf-8")
    with pytest.raises(ScannerError, match="invalid TOML"):
        load_sources(bad)


def test_duplicate_ids_and_page_without_pattern(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(GOOD + GOOD.replace("# my sources", ""), encoding="utf-8")
    with pytest.raises(ScannerError, match="duplicate id"):
        load_sources(path)
    path.write_text(GOOD.replace('kind = "feed"', 'kind = "page"'), encoding="utf-8")
    with pytest.raises(ScannerError, match="link_pattern"):
        load_sources(path)


def test_add_and_disable_keep_comments(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(GOOD, encoding="utf-8")
    add_source(path, {"id": "tno", "name": "TNO", "url": "https://www.tno.nl/nl/newsroom/", "kind": "page",
                      "link_pattern": "/newsroom/", "source_type": "research", "language": "nl"})
    set_enabled(path, "bb", False)
    text = path.read_text(encoding="utf-8")
    assert "# my sources" in text and "# trade press" in text
    by_id = {s.id: s for s in load_sources(path)}
    assert not by_id["bb"].enabled and by_id["tno"].link_pattern == "/newsroom/"
    with pytest.raises(ScannerError, match="already exists"):
        add_source(path, {"id": "tno", "name": "TNO", "url": "https://www.tno.nl/"})
    with pytest.raises(ScannerError, match="no source"):
        set_enabled(path, "nope", True)


def test_host_limiter_caps_concurrency_per_host_and_spaces_starts():
    limiter = HostLimiter(max_concurrency=8, per_host=2, host_delay_s=0.02)
    active = {"a": 0, "b": 0}
    peak = {"a": 0, "b": 0}
    starts: list[float] = []
    lock = threading.Lock()

    def work(host: str) -> None:
        with limiter.slot(host):
            with lock:
                active[host] += 1
                peak[host] = max(peak[host], active[host])
                if host == "a":
                    starts.append(time.monotonic())
            time.sleep(0.03)
            with lock:
                active[host] -= 1
    threads = [threading.Thread(target=work, args=(h,)) for h in "aaaaaabb"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak["a"] == 2 and peak["b"] <= 2
    starts.sort()
    assert starts[-1] - starts[0] >= 5 * 0.02 * 0.95  # six starts on host a, booked 20 ms apart
