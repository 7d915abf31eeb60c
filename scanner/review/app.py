"""FastAPI app factory for the analyst review UI and its JSON API."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Awaitable, Callable

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from urllib.parse import quote

from scanner.catalogue import Catalogue
from scanner.config import Config, load_config
from scanner.review import api, pages
from scanner.review.web import ApiUnauthorized, LoginRequired, make_templates
from scanner.store import Store

STATIC = Path(__file__).with_name("static")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


async def _security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    if not request.url.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _login_redirect(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _unauthorized(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": "authentication required (session or API token)"}, status_code=401,
                        headers={"WWW-Authenticate": "Bearer"})


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    return PlainTextResponse(str(exc.detail), status_code=exc.status_code)


def _out_of_range(request: Request, exc: Exception) -> Response:
    """An id or number too large for SQLite (OverflowError): nothing can have it, so 404, not 500."""
    status, message = 404, "not found (number out of range)"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def server_options(trusted_proxies: list[str] | None = None) -> dict[str, Any]:
    """uvicorn settings for proxy headers: believed only from the configured proxies ([review] trusted_proxies).

    uvicorn's own default trusts X-Forwarded-For from 127.0.0.1, so anyone on the machine (or a local
    proxy that passes the header through) could pick the address the login limits count.
    """
    proxies = [p.strip() for p in (trusted_proxies or []) if p.strip()]
    return {"proxy_headers": bool(proxies), "forwarded_allow_ips": ",".join(proxies) if proxies else ""}


def create_app(db_path: str | Path, catalogue_loader: Callable[[Store], Catalogue] | None = None,
               secure_cookies: bool | None = None, config: Config | None = None) -> FastAPI:
    """The review app on one database; catalogue_loader(store) replaces scanner.catalogue in tests.

    config: the run's configuration (loaded here when not given), kept for the app's lifetime."""
    config = config if config is not None else load_config()
    cfg = config.review
    app = FastAPI(title="horizonscan review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = Store(db_path, busy_timeout_ms=int(config.store["busy_timeout_ms"]))
    app.state.config = config
    app.state.digest_root = Path(db_path).parent / "digests"  # data/x.db -> data/digests (scanner digest)
    app.state.cfg = cfg
    app.state.catalogue_loader = catalogue_loader
    app.state.view_cache = None
    app.state.templates = make_templates()
    app.state.secure_cookies = bool(cfg["secure_cookies"] if secure_cookies is None else secure_cookies)
    app.middleware("http")(_security_headers)
    app.add_exception_handler(LoginRequired, _login_redirect)
    app.add_exception_handler(ApiUnauthorized, _unauthorized)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
