"""Analyst accounts: scrypt password hashes, server-side sessions, login rate limits, API tokens."""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from scanner.errors import ScannerError
from scanner.store import Store
from scanner.util import inserted_id, iso, utcnow

log = logging.getLogger(__name__)

NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_DUMMY_HASH: dict[tuple[int, int, int], str] = {}


@dataclass(frozen=True)
class User:
    id: int
    name: str


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    token_hash: str
    flash: str | None


def _cfg() -> dict[str, Any]:
    from scanner.config import load_config

    return load_config()["review"]


def hash_password(password: str, n: int | None = None, r: int | None = None, p: int | None = None) -> str:
    """Salted scrypt; the cost parameters travel with the hash so they can be raised later."""
    cfg = _cfg()
    n, r, p = n or int(cfg["scrypt_n"]), r or int(cfg["scrypt_r"]), p or int(cfg["scrypt_p"])
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                             p=int(p), maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(store: Store, name: str, password: str, n: int | None = None) -> User:
    """Create an analyst account (ScannerError for a bad name, a short password or a duplicate)."""
    if not NAME_RE.match(name):
        raise ScannerError("user name: 1-64 letters, digits, '.', '_' or '-'")
    if len(password) < int(_cfg()["min_password_length"]):
        raise ScannerError(f"password must have at least {_cfg()['min_password_length']} characters")
    if store.query("SELECT 1 FROM users WHERE name = ?", (name,)):
        raise ScannerError(f"user {name} already exists")
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO users(name, password_hash, created_at, active) VALUES (?, ?, ?, 1)",
            (name, hash_password(password, n=n), iso(utcnow())),
        )
    return User(inserted_id(cur), name)


def list_users(store: Store) -> list[dict[str, Any]]:
    return store.query("SELECT id, name, created_at, active FROM users ORDER BY name")


def _find_user(store: Store, name: str) -> dict[str, Any] | None:
    rows = store.query("SELECT id, name, password_hash FROM users WHERE name = ? AND active = 1", (name,))
    return rows[0] if rows else None


def _failures(store: Store, where: str, params: tuple[str, ...]) -> int:
    since = iso(utcnow() - timedelta(seconds=int(_cfg()["login_window_s"])))
    row = store.conn.execute(
        f"SELECT COUNT(*) FROM login_attempts WHERE {where} AND at >= ? AND ok = 0", (*params, since)
    ).fetchone()
    return int(row[0])


def recent_failures(store: Store, username: str, ip: str) -> int:
    return _failures(store, "username = ? AND ip = ?", (username, ip))


def limit_reason(store: Store, username: str, ip: str) -> str | None:
    """Which login limit (failures within login_window_s) this attempt runs into, or None.

    Per account and address, per account across addresses (a guess spread over many addresses), and
    per address across accounts (one password tried on many names).
    """
    cfg = _cfg()
    if recent_failures(store, username, ip) >= int(cfg["login_max_attempts"]):
        return "account and address"
    if _failures(store, "username = ?", (username,)) >= int(cfg["login_max_per_account"]):
        return "account"
    if _failures(store, "ip = ?", (ip,)) >= int(cfg["login_max_per_address"]):
        return "address"
    return None


def is_rate_limited(store: Store, username: str, ip: str) -> bool:
    reason = limit_reason(store, username, ip)
    if reason:
        log.warning("login refused for %r from %s: too many failures per %s", username[:64], ip, reason)
    return reason is not None


def authenticate(store: Store, username: str, password: str, ip: str) -> User | None:
    """Check a password and record the attempt; the caller checks is_rate_limited first."""
    row = _find_user(store, username[:64])
    if row is None:
        verify_password(password, _dummy_hash())  # same work for unknown names: no user enumeration
        ok = False
    else:
        ok = verify_password(password, row["password_hash"])
    keep_after = iso(utcnow() - timedelta(days=1, seconds=int(_cfg()["login_window_s"])))
    with store.transaction() as conn:
        conn.execute("DELETE FROM login_attempts WHERE at < ?", (keep_after,))  # the table stays small
        conn.execute(
            "INSERT INTO login_attempts(username, ip, at, ok) VALUES (?, ?, ?, ?)",
            (username[:64], ip, iso(utcnow()), int(ok)),
        )
    if not ok or row is None:
        log.warning("failed login for %r from %s", username[:64], ip)
        return None
    return User(int(row["id"]), row["name"])


def _dummy_hash() -> str:
    cfg = _cfg()
    key = (int(cfg["scrypt_n"]), int(cfg["scrypt_r"]), int(cfg["scrypt_p"]))
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH[key]


def create_session(store: Store, user: User) -> str:
    """A new session; returns the cookie value (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + timedelta(hours=float(_cfg()["session_hours"]))
    with store.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE expires_at < ?", (iso(now),))
        conn.execute(
            "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (_token_hash(token), user.id, secrets.token_urlsafe(32), iso(now), iso(expires)),
        )
    return token


def get_session(store: Store, token: str | None) -> Session | None:
    if not token or len(token) > 200:
        return None
    rows = store.query(
        "SELECT s.token_hash, s.csrf, s.flash, u.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
        (_token_hash(token), iso(utcnow())),
    )
    if not rows:
        return None
    row = rows[0]
    return Session(User(int(row["id"]), row["name"]), row["csrf"], row["token_hash"], row["flash"])


def end_session(store: Store, token: str | None) -> None:
    if token:
        with store.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))


def set_flash(store: Store, session: Session, flash: str | None) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE sessions SET flash = ? WHERE token_hash = ?", (flash, session.token_hash))


def check_csrf(session: Session, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(session.csrf, str(submitted))


def create_api_token(store: Store, name: str, days: float | None = None) -> str:
    """A new API token for a user, valid for `days` (default [review] token_days); printed once, only its
    hash is stored."""
    row = _find_user(store, name)
    if row is None:
        raise ScannerError(f"no such active user: {name}")
    days = float(_cfg()["token_days"]) if days is None else float(days)
    if not 0 < days <= 3650:
        raise ScannerError("token lifetime: more than 0 and at most 3650 days")
    token = "hs_" + secrets.token_urlsafe(32)
    now = utcnow()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO api_tokens(user_id, token_hash, created_at, expires_at, active) VALUES (?, ?, ?, ?, 1)",
            (row["id"], _token_hash(token), iso(now), iso(now + timedelta(days=days))),
        )
    return token


def list_tokens(store: Store, name: str | None = None) -> list[dict[str, Any]]:
    """Every API token (never the token itself): id, user, created, expires, last used, status."""
    rows = store.query(
        "SELECT t.id, u.name AS user, t.created_at, t.expires_at, t.last_used, t.active, u.active AS user_active "
        "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE (? IS NULL OR u.name = ?) ORDER BY t.id",
        (name, name))
    now = iso(utcnow())
    for row in rows:
        row["status"] = ("revoked" if not row["active"] else "user disabled" if not row["user_active"]
                         else "expired" if row["expires_at"] and row["expires_at"] <= now else "active")
        del row["active"], row["user_active"]
    return rows


def revoke_token(store: Store, token_id: int) -> None:
    """Revoke one API token by its id (ScannerError when there is none)."""
    with store.transaction() as conn:
        if not conn.execute("UPDATE api_tokens SET active = 0 WHERE id = ?", (token_id,)).rowcount:
            raise ScannerError(f"no API token with id {token_id}")


def set_user_active(store: Store, name: str, active: bool) -> None:
    """Disable (sessions ended at once, tokens refused) or enable an account."""
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise ScannerError(f"no such user: {name}")
        conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), row[0]))
        if not active:
            conn.execute("DELETE FROM sessions WHERE user_id = ?", (row[0],))


def user_for_token(store: Store, token: str | None) -> User | None:
    if not token or len(token) > 200:
        return None
    rows = store.query(
        "SELECT t.id AS tid, u.id, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.token_hash = ? AND t.active = 1 AND u.active = 1 AND (t.expires_at IS NULL OR t.expires_at > ?)",
        (_token_hash(token), iso(utcnow())),
    )
    if not rows:
        return None
    with store.transaction() as conn:
        conn.execute("UPDATE api_tokens SET last_used = ? WHERE id = ?", (iso(utcnow()), rows[0]["tid"]))
    return User(int(rows[0]["id"]), rows[0]["name"])
