"""Server-rendered pages: login, queue, flag, technologies, history, and the form POSTs behind them."""
from __future__ import annotations

import logging
import re
import secrets
from pathlib import Path
from typing import Any, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scanner.catalogue import HORIZONS
from scanner.catalogue import STAGE_LABELS as STAGES
from scanner.review import actions, auth, queries
from scanner.review.web import (
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, back, cfg_of, checked_form, client_ip, flash, local_next,
    login_csrf_ok, render, require_session, store_of, view_of,
)
from scanner.signals.flags import FLAG_TYPES
from scanner.signals.periods import last_complete_month

log = logging.getLogger(__name__)
router = APIRouter()
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _login_page(request: Request, error: str = "", status: int = 200, next_url: str = "/") -> Response:
    token = secrets.token_urlsafe(24)
    response = request.app.state.templates.TemplateResponse(
        request, "login.html", {"login_csrf": token, "error": error, "next": local_next(next_url)},
        status_code=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.app.state.secure_cookies, path="/login")
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next_url=next)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    next_url = local_next(form.get("next"))
    if not login_csrf_ok(request, form.get("csrf")):
        return _login_page(request, "The form expired: please try again.", 403, next_url)
    store, name, ip = store_of(request), str(form.get("username") or "")[:64], client_ip(request)
    if auth.is_rate_limited(store, name, ip):
        return _login_page(request, "Too many failed attempts: wait a few minutes and try again.", 429, next_url)
    user = auth.authenticate(store, name, str(form.get("password") or ""), ip)
    if user is None:
        return _login_page(request, "Unknown user name or wrong password.", 401, next_url)
    response = back(next_url)
    response.set_cookie(SESSION_COOKIE, auth.create_session(store, user), httponly=True, samesite="lax",
                        secure=request.app.state.secure_cookies, path="/",
                        max_age=int(float(cfg_of(request)["session_hours"]) * 3600))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    session = require_session(request)
    await checked_form(request, session)
    auth.end_session(store_of(request), request.cookies.get(SESSION_COOKIE))
    response = back("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _filter_options(request: Request) -> dict[str, Any]:
    view = view_of(request)
    types = {r["type"] for r in store_of(request).query("SELECT DISTINCT type FROM flags")}
    return {"types": sorted(types | set(FLAG_TYPES)), "families": view.families, "domains": view.domains,
            "techs": sorted(view.techs.values(), key=lambda t: t.name.lower()), "statuses": queries.STATUSES}


@router.get("/", response_class=HTMLResponse)
async def queue_page(request: Request) -> Response:
    session = require_session(request)
    view = view_of(request)
    try:
        filters = queries.parse_filters(request.query_params, view)
    except queries.FilterError as exc:
        return render(request, session, "queue.html", status_code=400, error=str(exc),
                      filters=queries.Filters(), result=None, options=_filter_options(request))
    actions.wake_snoozed(store_of(request))
    result = queries.queue(store_of(request), filters, view, int(cfg_of(request)["page_size"]))
    return render(request, session, "queue.html", filters=filters, result=result, error="",
                  options=_filter_options(request))


async def _act(request: Request, default_next: str, fn: Callable[[Any, auth.Session], int | list[int]],
               done: str) -> Response:
    """Run one decision from a form: CSRF check, ActionError -> flash, success -> flash with undo."""
    session = require_session(request)
    form = await checked_form(request, session)
    target = local_next(form.get("next"), default_next)
    try:
        result = fn(form, session)
    except actions.ActionError as exc:
        flash(request, session, str(exc), error=True)
        return back(target)
    event = result if isinstance(result, int) else (result[-1] if len(result) == 1 else None)
    flash(request, session, done, event=event)
    return back(target)


def _reason(form: Any) -> str:
    return str(form.get("reason") or "").strip()[:2000]


@router.post("/bulk")
async def bulk(request: Request) -> Response:
    session = require_session(request)
    form = await checked_form(request, session)
    action = str(form.get("action") or "")
    ids = [int(i) for i in form.getlist("ids") if str(i).isdigit()]
    target = local_next(form.get("next"), "/")
    try:
        events = actions.bulk(store_of(request), action, ids, session.user.name, _reason(form))
    except actions.ActionError as exc:
        flash(request, session, str(exc), error=True)
        return back(target)
    verb = "accepted" if action == "accept" else "rejected"
    flash(request, session, f"{len(events)} flags {verb} (undo each on the history page)")
    return back(target)


@router.post("/flags/{flag_id}/accept")
async def accept(request: Request, flag_id: int) -> Response:
    return await _act(request, "/", lambda f, s: actions.accept(store_of(request), flag_id, s.user.name,
                                                                 _reason(f)), f"Flag #{flag_id} accepted")


@router.post("/flags/{flag_id}/reject")
async def reject(request: Request, flag_id: int) -> Response:
    return await _act(request, "/", lambda f, s: actions.reject(store_of(request), flag_id, s.user.name,
                                                                 _reason(f)), f"Flag #{flag_id} rejected")


@router.post("/flags/{flag_id}/snooze")
async def snooze(request: Request, flag_id: int) -> Response:
    return await _act(request, "/", lambda f, s: actions.snooze(
        store_of(request), flag_id, s.user.name, str(f.get("until") or ""), _reason(f)),
        f"Flag #{flag_id} snoozed")


@router.post("/flags/{flag_id}/override")
async def override_flag(request: Request, flag_id: int) -> Response:
    view = view_of(request)
    return await _act(request, f"/flags/{flag_id}", lambda f, s: actions.override(
        store_of(request), str(f.get("tech") or ""), str(f.get("estimate") or ""), s.user.name, _reason(f),
        flag_id=flag_id, known=view.techs or None), "Horizon pinned")


@router.post("/flags/{flag_id}/add-technology")
async def add_technology(request: Request, flag_id: int) -> Response:
    view = view_of(request)

    def run(f: Any, s: auth.Session) -> int:
        synonyms = [t for t in str(f.get("synonyms") or "").replace(";", ",").split(",") if t.strip()]
        return actions.add_technology(
            store_of(request), flag_id, s.user.name, str(f.get("tech_id") or "").strip(),
            str(f.get("name") or ""), str(f.get("family") or ""), str(f.get("baseline") or ""), synonyms,
            name_en=str(f.get("name_en") or ""), reason=_reason(f), known=view.techs or None,
            families=view.families, description=str(f.get("description") or "")[:2000],
            owners=view.term_owners)
    return await _act(request, f"/flags/{flag_id}", run, "New technology added to the lexicon")


@router.post("/flags/{flag_id}/add-synonym")
async def add_synonym(request: Request, flag_id: int) -> Response:
    view = view_of(request)
    return await _act(request, f"/flags/{flag_id}", lambda f, s: actions.add_synonym(
        store_of(request), flag_id, s.user.name, str(f.get("tech") or ""), _reason(f),
        known=view.techs or None, owners=view.term_owners), "Synonym added to the lexicon")


@router.post("/mentions/{mention_id}/relabel")
async def relabel(request: Request, mention_id: int) -> Response:
    view = view_of(request)

    def run(f: Any, s: auth.Session) -> int:
        field = str(f.get("field") or "")
        known = view.techs if field == "technology" else view.process_domain
        flag_id = int(f["flag_id"]) if str(f.get("flag_id") or "").isdigit() else None
        return actions.relabel(store_of(request), mention_id, field, str(f.get("value") or "").strip(),
                               s.user.name, _reason(f), flag_id=flag_id, known=known or None)
    return await _act(request, "/", run, f"Mention #{mention_id} relabelled")


@router.post("/technologies/{tech}/override")
async def override_tech(request: Request, tech: str) -> Response:
    view = view_of(request)
    return await _act(request, f"/technologies/{tech}", lambda f, s: actions.override(
        store_of(request), tech, str(f.get("estimate") or ""), s.user.name, _reason(f),
        known=view.techs or None), "Horizon pinned")


@router.post("/technologies/{tech}/override/remove")
async def remove_override(request: Request, tech: str) -> Response:
    return await _act(request, f"/technologies/{tech}", lambda f, s: actions.remove_override(
        store_of(request), tech, s.user.name, _reason(f)), "Override removed")


@router.post("/events/{event_id}/undo")
async def undo(request: Request, event_id: int) -> Response:
    return await _act(request, "/history", lambda f, s: actions.undo(store_of(request), event_id, s.user.name),
                      f"Decision #{event_id} undone")


@router.get("/flags/{flag_id}", response_class=HTMLResponse)
async def flag_page(request: Request, flag_id: int) -> Response:
    session = require_session(request)
    store, cfg, view = store_of(request), cfg_of(request), view_of(request)
    flag = queries.flag_detail(store, flag_id, int(cfg["evidence_limit"]))
    if flag is None:
        return render(request, session, "notfound.html", status_code=404, what=f"flag #{flag_id}")
    tech = flag.get("tech") or ""
    context: dict[str, Any] = {
        "flag": flag, "tech_name": view.name(tech), "horizons": HORIZONS, "stages": STAGES,
        "families": view.families, "techs": sorted(view.techs.values(), key=lambda t: t.name.lower()),
        "processes": sorted(view.process_domain), "events": actions.events(store, flag_id, 50),
        "sov": queries.sov_series(store, tech, int(cfg["sparkline_months"])) if tech else [],
        "history": queries.horizon_history(store, tech) if tech else [],
        "override": queries.active_override(store, tech) if tech else None,
    }
    return render(request, session, "flag.html", **context)


@router.get("/terms", response_class=HTMLResponse)
async def terms_page(request: Request) -> Response:
    session = require_session(request)
    return render(request, session, "terms.html", terms=queries.emerging_terms(store_of(request)))


@router.get("/technologies", response_class=HTMLResponse)
async def technologies_page(request: Request) -> Response:
    session = require_session(request)
    rows = queries.technologies(store_of(request), view_of(request))
    for row in rows:
        row["changes"] = queries.changes(row["history"])
    return render(request, session, "technologies.html", techs=rows, month=last_complete_month())


def _factor_names(request: Request) -> dict[str, str]:
    """Factor names from the catalogue, read once per app (the review must work without a lexicon)."""
    state = request.app.state
    names = getattr(state, "factor_names", None)
    if names is None:
        try:
            store, loader = store_of(request), state.catalogue_loader
            if loader is None:
                from scanner.catalogue import load_catalogue

                names = queries.factor_names(load_catalogue(store=store))
            else:
                names = queries.factor_names(loader(store))
        except Exception as exc:  # a missing or broken lexicon shows ids instead of names
            log.warning("factor names unavailable, showing ids: %s", exc)
            names = {}
        state.factor_names = names
    return names


def _tech_factors(request: Request, tech: str) -> dict[str, Any]:
    cfg = request.app.state.config.factors
    store = store_of(request)
    as_of = queries.factors_as_of(store)
    found = queries.tech_factors(store, tech, as_of, int(cfg["months"]), int(cfg["review_top"]),
                                 _factor_names(request))
    return {**found, "as_of": as_of, "months": int(cfg["months"])}


@router.get("/technologies/{tech}", response_class=HTMLResponse)
async def technology_page(request: Request, tech: str, page: int = 1) -> Response:
    session = require_session(request)
    store, cfg, view = store_of(request), cfg_of(request), view_of(request)
    info = view.techs.get(tech)
    history = queries.horizon_history(store, tech)
    found = queries.mentions(store, tech, max(1, min(page, 1_000_000)), int(cfg["mentions_page_size"]))
    if info is None and not history and not found["total"]:
        return render(request, session, "notfound.html", status_code=404, what=f"technology {tech}")
    return render(request, session, "technology.html", tech=tech, info=info, tech_name=view.name(tech),
                  history=history, current=queries.reported(history), found=found, horizons=HORIZONS, stages=STAGES,
                  override=queries.active_override(store, tech),
                  sov=queries.sov_series(store, tech, int(cfg["sparkline_months"])),
                  techs=sorted(view.techs.values(), key=lambda t: t.name.lower()),
                  processes=sorted(view.process_domain), factors=_tech_factors(request, tech))


DIGEST_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
              "form-action 'none'; frame-ancestors 'none'")


def _digest_months(request: Request) -> list[str]:
    root = Path(request.app.state.digest_root)
    if not root.is_dir():
        return []
    return sorted((d.name for d in root.iterdir() if MONTH_RE.match(d.name) and (d / "index.html").is_file()),
                  reverse=True)


@router.get("/digest")
async def digest_latest(request: Request) -> Response:
    """The digest of the last complete month (else the newest one written)."""
    session = require_session(request)
    months = _digest_months(request)
    if not months:
        return render(request, session, "notfound.html", status_code=404,
                      what=f"a digest (write one with: scanner digest; looked in {request.app.state.digest_root})")
    month = last_complete_month() if last_complete_month() in months else months[0]
    return RedirectResponse(f"/digest/{month}", status_code=303)


@router.get("/digest/{month}", response_class=HTMLResponse)
async def digest_page(request: Request, month: str) -> Response:
    """A written digest, as is: static HTML, no script allowed (its own CSP permits only inline styles)."""
    session = require_session(request)
    if not MONTH_RE.match(month) or month not in _digest_months(request):
        return render(request, session, "notfound.html", status_code=404, what=f"the digest of {month}")
    html = (Path(request.app.state.digest_root) / month / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={"Content-Security-Policy": DIGEST_CSP})


@router.get("/history", response_class=HTMLResponse)
async def history_page(request: Request) -> Response:
    session = require_session(request)
    rows = actions.events(store_of(request), None, int(cfg_of(request)["history_limit"]))
    return render(request, session, "history.html", events=rows)
