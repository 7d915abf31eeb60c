"""Request helpers shared by the page and API routes: sessions, CSRF, rendering, safe redirects."""
from __future__ import annotations

import hmac
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from scanner.review import auth
from scanner.review.actions import UNDOABLE
from scanner.review.catalog import CatalogueView, additions_stamp, load_view
from scanner.review.render import highlight, safe_url, sparkline
from scanner.signals.periods import is_partial
from scanner.store import Store

SESSION_COOKIE = "hs_session"
LOGIN_CSRF_COOKIE = "hs_login_csrf"
TEMPLATES = Path(__file__).with_name("templates")


class LoginRequired(Exception):
    """Raised by page routes without a session: answered with a redirect to /login."""


class ApiUnauthorized(Exception):
    """Raised by API routes without a session or token: answered with 401."""


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters["highlight"] = highlight
    env.filters["safe_url"] = safe_url
    env.globals["sparkline"] = sparkline
    env.globals["partial"] = is_partial
    env.globals["qs"] = lambda values: urlencode(values)
    env.globals["undoable"] = UNDOABLE
    return templates


def store_of(request: Request) -> Store:
    return request.app.state.store


def cfg_of(request: Request) -> dict[str, Any]:
    return request.app.state.cfg


def view_of(request: Request) -> CatalogueView:
    """The catalogue view, reloaded only when lexicon_additions change."""
    state = request.app.state
    stamp = additions_stamp(state.store)
    if state.view_cache is None or state.view_cache[0] != stamp:
        state.view_cache = (stamp, load_view(state.store, state.catalogue_loader))
    return state.view_cache[1]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def session_of(request: Request) -> auth.Session | None:
    return auth.get_session(store_of(request), request.cookies.get(SESSION_COOKIE))


def require_session(request: Request) -> auth.Session:
    session = session_of(request)
    if session is None:
        raise LoginRequired()
    return session


def api_user(request: Request) -> auth.User:
    """Bearer / X-API-Token header, else the browser session; ApiUnauthorized otherwise."""
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("x-api-token")
    if token:
        user = auth.user_for_token(store_of(request), token)
        if user is None:
            raise ApiUnauthorized()
        return user
    session = session_of(request)
    if session is None:
        raise ApiUnauthorized()
    if request.method != "GET" and not auth.check_csrf(session, request.headers.get("x-csrf-token")):
        raise HTTPException(403, "CSRF token missing or wrong (send X-CSRF-Token or use an API token)")
    return session.user


async def checked_form(request: Request, session: auth.Session) -> Any:
    """The POSTed form, after checking its CSRF token against the session's."""
    form = await request.form()
    token = form.get("csrf")
    if not auth.check_csrf(session, token if isinstance(token, str) else None):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and try again")
    return form


def local_next(value: Any, default: str = "/") -> str:
    """Only same-site paths: no scheme, no '//' host, no backslashes."""
    text = str(value or "")
    if not text.startswith("/") or text.startswith("//") or "\\" in text or any(ord(c) < 32 for c in text):
        return default
    return text


def flash(request: Request, session: auth.Session, text: str, event: int | None = None,
          error: bool = False) -> None:
    auth.set_flash(store_of(request), session, json.dumps({"text": text, "event": event, "error": error}))


def pop_flash(request: Request, session: auth.Session) -> dict[str, Any] | None:
    if not session.flash:
        return None
    auth.set_flash(store_of(request), session, None)
    try:
        return json.loads(session.flash)
    except ValueError:
        return None


def render(request: Request, session: auth.Session, name: str, status_code: int = 200,
           **context: Any) -> Response:
    context.update(user=session.user, csrf=session.csrf, flash=pop_flash(request, session),
                   path=request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


def back(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def login_csrf_ok(request: Request, submitted: Any) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(cookie) and bool(submitted) and hmac.compare_digest(cookie, str(submitted))
