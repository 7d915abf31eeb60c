"""`scanner ui`, `scanner users ...` and `scanner review ...`: the analyst review from the terminal."""
from __future__ import annotations

import json
import os
import sys
from typing import Any, List, Optional

import typer

from scanner.cli.common import console, db_path, err_console, get_config, get_store
from scanner.errors import ScannerError

users_app = typer.Typer(help="Analyst accounts for the review UI.", no_args_is_help=True)
review_app = typer.Typer(help="Review flags from the terminal (same effects and audit trail as the UI).",
                         no_args_is_help=True)

BY = typer.Option(None, "--by", help="Who decides (default: the logged-in or system user).")


def system_user() -> str:
    """The logged-in user ($USER, $LOGNAME, $USERNAME), else the account the process runs as; '' if none."""
    import getpass

    for var in ("USER", "LOGNAME", "USERNAME"):
        if (os.environ.get(var) or "").strip():
            return os.environ[var].strip()
    try:
        return getpass.getuser().strip()
    except (KeyError, OSError):  # no passwd entry for this uid (containers)
        return ""


def _actor(by: Optional[str]) -> str:
    if by and by.strip():
        return by.strip()
    actor = system_user()
    if not actor:
        raise ScannerError("say who decides: --by NAME (no logged-in or system user found)")
    err_console.print(f"deciding as {actor} (the system user; --by NAME to record someone else)",
                      highlight=False, markup=False)
    return actor


def _view() -> Any:
    from scanner.review.catalog import load_view

    return load_view(get_store())


def _done(event: int, what: str) -> None:
    console.print(f"{what} (decision #{event}; undo: scanner review undo {event})", highlight=False)


def ui(
    host: Optional[str] = typer.Option(None, help="Address to bind (default 127.0.0.1)."),
    port: Optional[int] = typer.Option(None, help="Port (default 8765)."),
    https: bool = typer.Option(False, "--https", help="Behind an https proxy: mark cookies Secure."),
    trusted_proxy: Optional[List[str]] = typer.Option(
        None, "--trusted-proxy", help="Address of a reverse proxy whose X-Forwarded-For is believed (repeatable; "
        "default [review] trusted_proxies, none)."),
) -> None:
    """Serve the analyst review UI. Example: scanner ui --port 8765 --trusted-proxy 127.0.0.1"""
    import uvicorn

    from scanner.review.app import create_app, server_options

    cfg = get_config()["review"]
    host, port = host or cfg["host"], port or int(cfg["port"])
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]warning:[/] serving on {host}: put it behind https (--https) and a firewall")
    get_store()  # create / migrate the database first
    app = create_app(db_path(), secure_cookies=True if https else None, config=get_config())
    console.print(f"review UI on http://{host}:{port}/ (database {db_path()})", highlight=False)
    options = server_options(list(trusted_proxy or cfg["trusted_proxies"]))
    if options["proxy_headers"]:
        console.print(f"X-Forwarded-For believed from {options['forwarded_allow_ips']} only", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", **options)


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Create an analyst account. Example: echo 's3cret-pass' | scanner users add ana --password-stdin"""
    from getpass import getpass

    from scanner.review.auth import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass("password: ")
        if getpass("again: ") != password:
            raise ScannerError("the passwords differ")
    user = add_user(get_store(), name, password)
    console.print(f"user {user.name} created", highlight=False)


@users_app.command("list")
def users_list() -> None:
    """List analyst accounts. Example: scanner users list"""
    from scanner.review.auth import list_users

    for row in list_users(get_store()):
        console.print(f"{row['name']}\t{row['created_at']}\t{'active' if row['active'] else 'disabled'}",
                      highlight=False)


@users_app.command("token")
def users_token(name: str = typer.Argument(..., help="User name."),
                days: Optional[float] = typer.Option(None, "--days", help="Lifetime (default [review] token_days, 90).")
                ) -> None:
    """Create an API token (shown once; it expires). Example: scanner users token ana --days 30"""
    from scanner.review.auth import create_api_token

    typer.echo(create_api_token(get_store(), name, days))


@users_app.command("tokens")
def users_tokens(name: Optional[str] = typer.Argument(None, help="Only this user's tokens."),
                 as_json: bool = typer.Option(False, "--json", help="One JSON object per token.")) -> None:
    """List API tokens (id, user, created, expires, last used, status). Example: scanner users tokens ana"""
    from scanner.review.auth import list_tokens

    for row in list_tokens(get_store(), name):
        if as_json:
            typer.echo(json.dumps(row))
        else:
            typer.echo(f"{row['id']}\t{row['user']}\t{row['status']}\tcreated {row['created_at']}\t"
                       f"expires {row['expires_at']}\tlast used {row['last_used'] or '-'}")


@users_app.command("revoke")
def users_revoke(token_id: int = typer.Argument(..., help="Token id (see `scanner users tokens`).")) -> None:
    """Revoke an API token at once. Example: scanner users revoke 3"""
    from scanner.review.auth import revoke_token

    revoke_token(get_store(), token_id)
    typer.echo(f"token {token_id} revoked")


@users_app.command("disable")
def users_disable(name: str = typer.Argument(..., help="User name.")) -> None:
    """Disable an account: its sessions end, its tokens and logins are refused. Example: scanner users disable ana"""
    from scanner.review.auth import set_user_active

    set_user_active(get_store(), name, False)
    typer.echo(f"user {name} disabled")


@users_app.command("enable")
def users_enable(name: str = typer.Argument(..., help="User name.")) -> None:
    """Enable a disabled account again. Example: scanner users enable ana"""
    from scanner.review.auth import set_user_active

    set_user_active(get_store(), name, True)
    typer.echo(f"user {name} enabled")


@review_app.command("list")
def review_list(
    type: str = typer.Option("", "--type", help="Flag type."),
    tech: str = typer.Option("", "--tech", help="Technology id."),
    family: str = typer.Option("", "--family", help="Technology family."),
    domain: str = typer.Option("", "--domain", help="Municipal domain."),
    status: str = typer.Option("open", "--status", help="open|accepted|rejected|snoozed|all"),
    page: int = typer.Option(1, "--page"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per flag."),
) -> None:
    """Open flags by score. Example: scanner review list --type burst --json"""
    from scanner.review import actions, queries

    view = _view()
    actions.wake_snoozed(get_store())
    filters = queries.parse_filters(
        {"type": type, "tech": tech, "family": family, "domain": domain, "status": status, "page": page}, view)
    result = queries.queue(get_store(), filters, view, int(get_config()["review"]["page_size"]))
    evidence = queries.evidence_of(get_store(), [r["id"] for r in result["flags"]]) if as_json else {}
    for row in result["flags"]:
        if as_json:
            typer.echo(json.dumps(row | {"evidence": evidence.get(row["id"], [])}, ensure_ascii=False))
        else:
            console.print(f"#{row['id']}\t{row['score'] or 0:.2f}\t{row['type']}\t{row['status']}\t"
                          f"{row['title'] or row['subject']}", highlight=False, markup=False)
    if not as_json:
        counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items())
        console.print(f"{result['total']} flags, page {result['page']}/{result['pages']} ({counts})",
                      highlight=False, markup=False)


@review_app.command("show")
def review_show(flag_id: int = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """One flag with its evidence and audit trail. Example: scanner review show 12"""
    from scanner.review import actions, queries

    flag = queries.flag_detail(get_store(), flag_id, 100)
    if flag is None:
        raise ScannerError(f"no flag #{flag_id}")
    flag["events"] = actions.events(get_store(), flag_id)
    if as_json:
        typer.echo(json.dumps(flag, ensure_ascii=False, default=str))
        return
    console.print(f"#{flag['id']} {flag['type']} {flag['subject']} score {flag['score'] or 0:.2f} "
                  f"[{flag['status']}]\n{flag['title'] or ''}", highlight=False, markup=False)
    for e in flag["evidence"]:
        console.print(f"  - {e.get('published') or ''} {e.get('source') or ''}: {e.get('sentence') or ''}"
                      f" <{e.get('url') or ''}>", highlight=False, markup=False)
    for ev in flag["events"]:
        console.print(f"  #{ev['id']} {ev['at']} {ev['actor']} {ev['action']} {ev['reason'] or ''}"
                      f"{' (undone)' if ev['undone'] else ''}", highlight=False, markup=False)


@review_app.command("accept")
def review_accept(flag_ids: List[int] = typer.Argument(...), by: Optional[str] = BY,
                  reason: str = typer.Option("", "--reason")) -> None:
    """Accept flags. Example: scanner review accept 12 13 --by ana"""
    from scanner.review import actions

    for event, fid in zip(actions.bulk(get_store(), "accept", flag_ids, _actor(by), reason), sorted(set(flag_ids))):
        _done(event, f"flag #{fid} accepted")


@review_app.command("reject")
def review_reject(flag_ids: List[int] = typer.Argument(...), by: Optional[str] = BY,
                  reason: str = typer.Option(..., "--reason", help="Why (required).")) -> None:
    """Reject flags. Example: scanner review reject 12 --reason 'vendor PR' --by ana"""
    from scanner.review import actions

    for event, fid in zip(actions.bulk(get_store(), "reject", flag_ids, _actor(by), reason), sorted(set(flag_ids))):
        _done(event, f"flag #{fid} rejected")


@review_app.command("snooze")
def review_snooze(flag_id: int = typer.Argument(...), until: str = typer.Option(..., "--until", help="YYYY-MM-DD"),
                  by: Optional[str] = BY, reason: str = typer.Option("", "--reason")) -> None:
    """Snooze a flag until a date. Example: scanner review snooze 12 --until 2027-01-15"""
    from scanner.review import actions

    _done(actions.snooze(get_store(), flag_id, _actor(by), until, reason), f"flag #{flag_id} snoozed")


@review_app.command("override")
def review_override(
    tech: str = typer.Argument(..., help="Technology id."),
    estimate: Optional[str] = typer.Argument(None, help="in-use|0-3|3-7|>7"),
    reason: str = typer.Option(..., "--reason", help="Why (required; shown in the digest)."),
    flag: Optional[int] = typer.Option(None, "--flag", help="Accept this flag with the override."),
    remove: bool = typer.Option(False, "--remove", help="Remove the active override instead."),
    by: Optional[str] = BY,
) -> None:
    """Pin a horizon (until removed). Example: scanner review override chatbots in-use --reason 'landelijk'"""
    from scanner.review import actions

    store = get_store()
    if remove:
        _done(actions.remove_override(store, tech, _actor(by), reason), f"override of {tech} removed")
        return
    if not estimate:
        raise ScannerError("give the estimate: in-use, 0-3, 3-7 or >7 (or --remove)")
    known = _view().techs or None
    _done(actions.override(store, tech, estimate, _actor(by), reason, flag_id=flag, known=known),
          f"{tech} pinned at {estimate}")


@review_app.command("relabel")
def review_relabel(mention_id: int = typer.Argument(...),
                   field: str = typer.Argument(..., help="stage|technology|process"),
                   value: str = typer.Argument(...), by: Optional[str] = BY,
                   reason: str = typer.Option("", "--reason")) -> None:
    """Correct a mention. Example: scanner review relabel 345 stage adoption --by ana"""
    from scanner.review import actions

    view = _view()
    known = view.techs if field == "technology" else view.process_domain
    _done(actions.relabel(get_store(), mention_id, field, value, _actor(by), reason, known=known or None),
          f"mention #{mention_id} {field} -> {value}")


@review_app.command("new-technology")
def review_new_technology(
    flag_id: int = typer.Argument(..., help="An emerging-term flag."),
    tech_id: str = typer.Argument(..., help="New technology id (slug)."),
    name: str = typer.Option(..., "--name"), family: str = typer.Option(..., "--family"),
    baseline: str = typer.Option("0-3", "--baseline", help="in-use|0-3|3-7|>7"),
    synonym: List[str] = typer.Option([], "--synonym", help="Extra term (repeatable)."),
    name_en: str = typer.Option("", "--name-en"), description: str = typer.Option("", "--description"),
    by: Optional[str] = BY, reason: str = typer.Option("", "--reason"),
) -> None:
    """Accept an emerging term as a new technology.

    Example: scanner review new-technology 7 generatieve-ai --name 'Generatieve AI' --family data-analyse
    """
    from scanner.review import actions

    view = _view()
    _done(actions.add_technology(get_store(), flag_id, _actor(by), tech_id, name, family, baseline, synonym,
                                 name_en=name_en, reason=reason, known=view.techs or None, families=view.families,
                                 description=description, owners=view.term_owners), f"technology {tech_id} added")


@review_app.command("synonym")
def review_synonym(flag_id: int = typer.Argument(..., help="An emerging-term flag."),
                   tech: str = typer.Argument(..., help="Existing technology id."),
                   by: Optional[str] = BY, reason: str = typer.Option("", "--reason")) -> None:
    """Accept an emerging term as a synonym. Example: scanner review synonym 7 chatbots"""
    from scanner.review import actions

    view = _view()
    _done(actions.add_synonym(get_store(), flag_id, _actor(by), tech, reason, known=view.techs or None,
                              owners=view.term_owners), f"synonym of {tech} added")


@review_app.command("undo")
def review_undo(event_id: int = typer.Argument(..., help="Decision number."), by: Optional[str] = BY) -> None:
    """Undo a decision. Example: scanner review undo 31"""
    from scanner.review import actions

    _done(actions.undo(get_store(), event_id, _actor(by)), f"decision #{event_id} undone")


def register(app: typer.Typer) -> None:
    app.command("ui")(ui)
    app.add_typer(users_app, name="users")
    app.add_typer(review_app, name="review")
