"""Every analyst decision, shared by the web UI, the JSON API and the CLI; each one is audited and undoable.

A decision writes one `flag_events` row whose `before`/`after` JSON say what changed:
before = {"flag": {...}, "emerging": {"term", "status"}, "overrides": [ids active before],
          "mention": {"id", "column", "value"}}
after  = {"flag": {...}, "created": {"overrides": [...], "lexicon_additions": [...], "relabels": [...]},
          "mention": {...}, "keys": ["flag:12", "term:x", "override:tech", "mention:5:stage"]}
`undo(event_id)` restores `before` and retires what `after.created` lists.
"""
from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from typing import Any, Collection, Iterable, Mapping

from scanner.catalogue import FAMILIES, HORIZONS, term_key
from scanner.catalogue import STAGE_LABELS as STAGES
from scanner.errors import ScannerError
from scanner.signals.feedback import RELABEL_COLUMNS
from scanner.store import Store
from scanner.util import dumps, inserted_id, iso, utcnow

FLAG_FIELDS = ("status", "snooze_until", "reason", "decided_by", "decided_at")
RELABEL_KIND = {"technology": "technology", "process": "process"}
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
BULK_ACTIONS = ("accept", "reject")


UNDOABLE = ("accept", "reject", "snooze", "override", "remove-override", "relabel-stage", "relabel-technology",
            "relabel-process", "add-technology", "add-synonym")


class ActionError(ScannerError):
    """A decision that cannot be made (unknown flag, invalid value); shown to the analyst as is."""


def _now() -> str:
    return iso(utcnow())


def _flag_row(conn: sqlite3.Connection, flag_id: int) -> dict[str, Any]:
    cur = conn.execute("SELECT * FROM flags WHERE id = ?", (int(flag_id),))
    row = cur.fetchone()
    if row is None:
        raise ActionError(f"no flag #{flag_id}")
    return dict(zip([c[0] for c in cur.description], row))


def _flag_state(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in FLAG_FIELDS}


def _set_flag(conn: sqlite3.Connection, flag_id: int, state: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE flags SET status = ?, snooze_until = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        (*(state.get(k) for k in FLAG_FIELDS), int(flag_id)),
    )


def _record(conn: sqlite3.Connection, flag_id: int | None, action: str, actor: str, reason: str,
            before: dict[str, Any], after: dict[str, Any]) -> int:
    cur = conn.execute(
        "INSERT INTO flag_events(flag_id, action, actor, at, reason, before, after, undone) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        (flag_id, action, actor, _now(), reason or None, dumps(before), dumps(after)),
    )
    return inserted_id(cur)


def _require(actor: str, reason: str | None = None, need_reason: bool = False) -> None:
    if not actor or not actor.strip():
        raise ActionError("a decision needs an actor (--by or $USER)")
    if need_reason and not (reason or "").strip():
        raise ActionError("a reason is required")


def _emerging_state(conn: sqlite3.Connection, term: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT status FROM emerging_terms WHERE term = ?", (term,)).fetchone()
    return {"term": term, "status": row[0]} if row else None


def _set_emerging(conn: sqlite3.Connection, term: str, status: str) -> None:
    conn.execute("UPDATE emerging_terms SET status = ? WHERE term = ?", (status, term))


def _add_lexicon(conn: sqlite3.Connection, kind: str, tech: str | None, term: str, data: dict[str, Any],
                 actor: str) -> int:
    cur = conn.execute(
        "INSERT INTO lexicon_additions(kind, technology, term, data, created_by, created_at, active) "
        "VALUES (?, ?, ?, ?, ?, ?, 1)",
        (kind, tech, term, dumps(data), actor, _now()),
    )
    return inserted_id(cur)


def _decide(store: Store, flag_id: int, action: str, status: str, actor: str, reason: str,
            snooze_until: str | None = None, term_status: str | None = None,
            additions: Iterable[tuple[str, str | None, dict[str, Any]]] = ()) -> int:
    """Set a flag's status (and, for an emerging term, its term status and lexicon additions)."""
    with store.transaction() as conn:
        row = _flag_row(conn, flag_id)
        before: dict[str, Any] = {"flag": _flag_state(row)}
        state = {"status": status, "snooze_until": snooze_until, "reason": reason or None,
                 "decided_by": actor, "decided_at": _now()}
        _set_flag(conn, flag_id, state)
        after: dict[str, Any] = {"flag": state, "keys": [f"flag:{flag_id}"], "created": {}}
        if row["type"] == "emerging-term" and term_status:
            term = row["subject"]
            before["emerging"] = _emerging_state(conn, term)
            _set_emerging(conn, term, term_status)
            after["keys"].append(f"term:{term}")
            ids = [_add_lexicon(conn, kind, tech, term, data, actor) for kind, tech, data in additions]
            after["created"]["lexicon_additions"] = ids
        return _record(conn, flag_id, action, actor, reason, before, after)


def accept(store: Store, flag_id: int, actor: str, reason: str = "") -> int:
    """Accept a flag; returns the audit event id (for undo)."""
    _require(actor)
    return _decide(store, flag_id, "accept", "accepted", actor, reason, term_status="accepted")


def reject(store: Store, flag_id: int, actor: str, reason: str) -> int:
    """Reject a flag; a rejected emerging term is stored as a rejected-term so it never resurfaces."""
    _require(actor, reason, need_reason=True)
    with store.transaction() as conn:
        row = _flag_row(conn, flag_id)
    additions = [("rejected-term", None, {"flag_id": int(flag_id), "reason": reason})]
    if row["type"] != "emerging-term":
        additions = []
    return _decide(store, flag_id, "reject", "rejected", actor, reason, term_status="rejected",
                   additions=additions)


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ActionError(f"not a date (YYYY-MM-DD): {value!r}") from None


def snooze(store: Store, flag_id: int, actor: str, until: str, reason: str = "") -> int:
    """Hide a flag until a date; it returns to the open queue on that day."""
    _require(actor)
    day = parse_day(until)
    if day <= utcnow().date():
        raise ActionError("snooze until a date in the future")
    return _decide(store, flag_id, "snooze", "snoozed", actor, reason, snooze_until=day.isoformat())


def bulk(store: Store, action: str, flag_ids: Iterable[int], actor: str, reason: str = "") -> list[int]:
    """Accept or reject many flags in one transaction (all or nothing)."""
    if action not in BULK_ACTIONS:
        raise ActionError(f"bulk action must be one of {', '.join(BULK_ACTIONS)}")
    ids = sorted({int(i) for i in flag_ids})
    if not ids:
        raise ActionError("select at least one flag")
    with store.transaction():
        if action == "accept":
            return [accept(store, i, actor, reason) for i in ids]
        return [reject(store, i, actor, reason) for i in ids]


def _check_tech(tech: str, known: Collection[str] | None) -> None:
    if not SLUG_RE.match(tech or ""):
        raise ActionError(f"not a technology id: {tech!r}")
    if known is not None and tech not in known:
        raise ActionError(f"unknown technology: {tech}")


def override(store: Store, tech: str, estimate: str, actor: str, reason: str, flag_id: int | None = None,
             known: Collection[str] | None = None) -> int:
    """Pin a technology's horizon estimate (until removed); a given flag is accepted with it."""
    _require(actor, reason, need_reason=True)
    _check_tech(tech, known)
    if estimate not in HORIZONS:
        raise ActionError(f"estimate must be one of {', '.join(HORIZONS)}")
    with store.transaction() as conn:
        active = [r[0] for r in conn.execute(
            "SELECT id FROM overrides WHERE tech = ? AND active = 1 ORDER BY id", (tech,))]
        conn.execute("UPDATE overrides SET active = 0 WHERE tech = ? AND active = 1", (tech,))
        cur = conn.execute(
            "INSERT INTO overrides(tech, estimate, reason, created_by, created_at, active) VALUES (?, ?, ?, ?, ?, 1)",
            (tech, estimate, reason, actor, _now()),
        )
        before: dict[str, Any] = {"overrides": active}
        after: dict[str, Any] = {"override": {"tech": tech, "estimate": estimate},
                                 "created": {"overrides": [inserted_id(cur)]}, "keys": [f"override:{tech}"]}
        if flag_id is not None:
            row = _flag_row(conn, flag_id)
            before["flag"] = _flag_state(row)
            state = {"status": "accepted", "snooze_until": None, "reason": reason, "decided_by": actor,
                     "decided_at": _now()}
            _set_flag(conn, flag_id, state)
            after["flag"] = state
            after["keys"].append(f"flag:{flag_id}")
        return _record(conn, flag_id, "override", actor, reason, before, after)


def remove_override(store: Store, tech: str, actor: str, reason: str = "") -> int:
    """Unpin: the horizon model estimates the technology again."""
    _require(actor)
    with store.transaction() as conn:
        active = [r[0] for r in conn.execute(
            "SELECT id FROM overrides WHERE tech = ? AND active = 1 ORDER BY id", (tech,))]
        if not active:
            raise ActionError(f"no active override for {tech}")
        conn.execute("UPDATE overrides SET active = 0 WHERE tech = ? AND active = 1", (tech,))
        after = {"removed": active, "created": {}, "keys": [f"override:{tech}"]}
        return _record(conn, None, "remove-override", actor, reason, {"overrides": active}, after)


def relabel(store: Store, mention_id: int, field: str, new: str, actor: str, reason: str = "",
            flag_id: int | None = None, known: Collection[str] | None = None) -> int:
    """Correct a mention's stage, technology or process; stored in `relabels` as a training example."""
    _require(actor)
    if field not in RELABEL_COLUMNS:
        raise ActionError(f"field must be one of {', '.join(RELABEL_COLUMNS)}")
    if field == "stage" and new not in STAGES:
        raise ActionError(f"stage must be one of {', '.join(STAGES)}")
    if field != "stage":
        if not SLUG_RE.match(new or "") or (known is not None and new not in known):
            raise ActionError(f"unknown {field}: {new!r}")
    column = RELABEL_COLUMNS[field]
    with store.transaction() as conn:
        row = conn.execute(
            f'SELECT id, document_id, kind, sentence, {column}, text, start, "end" FROM mentions WHERE id = ?',
            (int(mention_id),),
        ).fetchone()
        if row is None:
            raise ActionError(f"no mention #{mention_id}")
        if field in RELABEL_KIND and row[2] != RELABEL_KIND[field]:
            raise ActionError(f"mention #{mention_id} is a {row[2]} mention, not a {field} mention")
        old = row[4]
        if old == new:
            raise ActionError(f"the {field} is already {new}")
        cur = conn.execute(
            'INSERT INTO relabels(mention_id, document_id, sentence, field, old, new, actor, at, undone, kind, text, '
            'start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)',
            (row[0], row[1], row[3], field, old, new, actor, _now(), row[2], row[5], row[6], row[7]),
        )
        conn.execute(f"UPDATE mentions SET {column} = ? WHERE id = ?", (new, int(mention_id)))
        before = {"mention": {"id": int(mention_id), "column": column, "value": old}}
        after = {"mention": {"id": int(mention_id), "column": column, "value": new, "field": field},
                 "created": {"relabels": [inserted_id(cur)]}, "keys": [f"mention:{mention_id}:{column}"]}
        return _record(conn, flag_id, f"relabel-{field}", actor, reason, before, after)


def _emerging_flag(store: Store, flag_id: int) -> dict[str, Any]:
    with store.transaction() as conn:
        row = _flag_row(conn, flag_id)
    if row["type"] != "emerging-term":
        raise ActionError(f"flag #{flag_id} is not an emerging term")
    return row


def _terms(term: str, synonyms: Iterable[str]) -> list[str]:
    out: list[str] = []
    for t in [term, *synonyms]:
        t = " ".join(str(t).split()).strip()
        if t and t.lower() not in {o.lower() for o in out}:
            out.append(t)
    return out


def _check_owners(terms: Iterable[str], owners: Mapping[str, str] | None, allowed: str = "") -> None:
    """A term may belong to one technology only (the catalogue loader would skip the addition)."""
    for term in terms:
        owner = (owners or {}).get(term_key(term))
        if owner and owner != allowed:
            raise ActionError(f"the term {term!r} already belongs to {owner}")


def add_technology(store: Store, flag_id: int, actor: str, tech_id: str, name: str, family: str,
                   baseline: str, synonyms: Iterable[str] = (), name_en: str = "", reason: str = "",
                   known: Collection[str] | None = None, families: Collection[str] = FAMILIES,
                   description: str = "", owners: Mapping[str, str] | None = None) -> int:
    """Accept an emerging term as a new catalogue technology (stored in lexicon_additions)."""
    _require(actor)
    row = _emerging_flag(store, flag_id)
    if not SLUG_RE.match(tech_id or ""):
        raise ActionError("technology id: lower-case letters, digits and '-'")
    taken = {r["technology"] for r in store.query(
        "SELECT technology FROM lexicon_additions WHERE kind = 'technology' AND active = 1")}
    if tech_id in taken or (known is not None and tech_id in known):
        raise ActionError(f"technology {tech_id} already exists")
    if family not in families:
        raise ActionError(f"family must be one of {', '.join(families)}")
    if baseline not in HORIZONS:
        raise ActionError(f"baseline horizon must be one of {', '.join(HORIZONS)}")
    if not name.strip():
        raise ActionError("a name is required")
    terms = _terms(row["subject"], synonyms)
    _check_owners(terms, owners)
    description = description.strip() or f"Added by {actor} from the emerging term '{row['subject']}'."
    data = {"id": tech_id, "name": name.strip(), "name_en": (name_en or name).strip(), "family": family,
            "baseline_horizon": baseline, "baseline_date": utcnow().strftime("%Y-%m"),
            "description": description, "terms": {"nl": terms, "en": terms}, "flag_id": int(flag_id)}
    return _decide(store, flag_id, "add-technology", "accepted", actor, reason or f"new technology {tech_id}",
                   term_status="accepted", additions=[("technology", tech_id, data)])


def add_synonym(store: Store, flag_id: int, actor: str, tech: str, reason: str = "",
                known: Collection[str] | None = None, owners: Mapping[str, str] | None = None) -> int:
    """Accept an emerging term as a synonym of an existing technology."""
    _require(actor)
    row = _emerging_flag(store, flag_id)
    _check_tech(tech, known)
    _check_owners([row["subject"]], owners, allowed=tech)
    data = {"lang": "any", "flag_id": int(flag_id)}
    return _decide(store, flag_id, "add-synonym", "accepted", actor, reason or f"synonym of {tech}",
                   term_status="accepted", additions=[("synonym", tech, data)])


def _loads(text: str | None) -> dict[str, Any]:
    """Audit JSON; rows written by other stages (e.g. signals' 'created' events) may hold plain text."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _event(conn: sqlite3.Connection, event_id: int) -> dict[str, Any]:
    cur = conn.execute("SELECT * FROM flag_events WHERE id = ?", (int(event_id),))
    row = cur.fetchone()
    if row is None:
        raise ActionError(f"no decision #{event_id}")
    event = dict(zip([c[0] for c in cur.description], row))
    event["before"], event["after"] = _loads(event["before"]), _loads(event["after"])
    return event


def _later_conflict(conn: sqlite3.Connection, event: dict[str, Any]) -> int | None:
    keys = set(event["after"].get("keys", []))
    for eid, after in conn.execute(
        "SELECT id, after FROM flag_events WHERE id > ? AND undone = 0 AND action != 'undo' ORDER BY id",
        (event["id"],),
    ):
        if keys & set(_loads(after).get("keys", [])):
            return int(eid)
    return None


def _restore(conn: sqlite3.Connection, event: dict[str, Any]) -> None:
    before, after = event["before"], event["after"]
    created = after.get("created", {})
    if before.get("flag") is not None and event["flag_id"] is not None:
        _set_flag(conn, event["flag_id"], before["flag"])
    if before.get("emerging"):
        _set_emerging(conn, before["emerging"]["term"], before["emerging"]["status"])
    for oid in created.get("overrides", []):
        conn.execute("UPDATE overrides SET active = 0 WHERE id = ?", (oid,))
    for oid in before.get("overrides", []):
        conn.execute("UPDATE overrides SET active = 1 WHERE id = ?", (oid,))
    for aid in created.get("lexicon_additions", []):
        conn.execute("UPDATE lexicon_additions SET active = 0 WHERE id = ?", (aid,))
    for rid in created.get("relabels", []):
        conn.execute("UPDATE relabels SET undone = 1 WHERE id = ?", (rid,))
    mention = before.get("mention")
    if mention and mention.get("column") in set(RELABEL_COLUMNS.values()):
        conn.execute(f"UPDATE mentions SET {mention['column']} = ? WHERE id = ?", (mention["value"], mention["id"]))


def undo(store: Store, event_id: int, actor: str, reason: str = "") -> int:
    """Restore what a decision changed; refused while a later decision on the same thing stands."""
    _require(actor)
    with store.transaction() as conn:
        event = _event(conn, event_id)
        if event["action"] == "undo":
            raise ActionError("an undo cannot be undone; make the decision again")
        if event["action"] not in UNDOABLE or "keys" not in event["after"]:
            raise ActionError(f"#{event_id} ({event['action']}) is not a review decision")
        if event["undone"]:
            raise ActionError(f"decision #{event_id} is already undone")
        later = _later_conflict(conn, event)
        if later is not None:
            raise ActionError(f"undo the later decision #{later} first")
        _restore(conn, event)
        conn.execute("UPDATE flag_events SET undone = 1 WHERE id = ?", (int(event_id),))
        return _record(conn, event["flag_id"], "undo", actor, reason, event["after"],
                       {"undid": int(event_id), "restored": event["before"]})


def wake_snoozed(store: Store, today: str | None = None) -> list[int]:
    """Reopen flags whose snooze date has come (recorded as 'wake' events); keeps the open queue index-only."""
    today = today or utcnow().date().isoformat()
    due = [r[0] for r in store.conn.execute(
        "SELECT id FROM flags WHERE status = 'snoozed' AND snooze_until <= ?", (today,))]
    if not due:
        return []
    with store.transaction() as conn:
        for flag_id in due:
            row = _flag_row(conn, flag_id)
            if row["status"] != "snoozed":
                continue
            state = {**_flag_state(row), "status": "open", "snooze_until": None}
            _set_flag(conn, flag_id, state)
            _record(conn, flag_id, "wake", "review", f"snoozed until {row['snooze_until']}",
                    {"flag": _flag_state(row)}, {"flag": state})
    return due


def events(store: Store, flag_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Recent decisions, newest first (all, or one flag's)."""
    if flag_id is None:
        return store.query("SELECT * FROM flag_events ORDER BY id DESC LIMIT ?", (int(limit),))
    return store.query("SELECT * FROM flag_events WHERE flag_id = ? ORDER BY id DESC LIMIT ?",
                       (int(flag_id), int(limit)))
