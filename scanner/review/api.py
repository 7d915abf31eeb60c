"""JSON API for other tools: the same filters and decisions as the UI, behind a token or a session."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from scanner.review import actions, queries
from scanner.review.web import api_user, cfg_of, store_of, view_of

router = APIRouter(prefix="/api")


@router.get("/flags")
async def flags(request: Request) -> Any:
    api_user(request)
    view = view_of(request)
    try:
        filters = queries.parse_filters(request.query_params, view)
    except queries.FilterError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    actions.wake_snoozed(store_of(request))
    return queries.queue(store_of(request), filters, view, int(cfg_of(request)["page_size"]))


@router.get("/flags/{flag_id}")
async def flag(request: Request, flag_id: int) -> Any:
    api_user(request)
    found = queries.flag_detail(store_of(request), flag_id, int(cfg_of(request)["evidence_limit"]))
    if found is None:
        raise HTTPException(404, f"no flag #{flag_id}")
    found["events"] = actions.events(store_of(request), flag_id, 50)
    return found


@router.get("/technologies")
async def technologies(request: Request) -> Any:
    api_user(request)
    return queries.technologies(store_of(request), view_of(request))


@router.post("/flags/{flag_id}/{action}")
async def decide(request: Request, flag_id: int, action: str) -> Any:
    """accept | reject | snooze with a JSON body {"reason"?, "until"?}."""
    user = api_user(request)
    try:
        body = await request.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    reason, store = str(body.get("reason") or ""), store_of(request)
    try:
        if action == "accept":
            event = actions.accept(store, flag_id, user.name, reason)
        elif action == "reject":
            event = actions.reject(store, flag_id, user.name, reason)
        elif action == "snooze":
            event = actions.snooze(store, flag_id, user.name, str(body.get("until") or ""), reason)
        else:
            raise HTTPException(404, "action must be accept, reject or snooze")
    except actions.ActionError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    return {"flag": flag_id, "event": event}


@router.post("/events/{event_id}/undo")
async def undo(request: Request, event_id: int) -> Any:
    user = api_user(request)
    try:
        return {"event": actions.undo(store_of(request), event_id, user.name), "undid": event_id}
    except actions.ActionError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
