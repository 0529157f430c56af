"""Alerts after a run: when something that was right is wrong now, say so once, to a webhook
(a JSON POST), by mail (SMTP), or through Apprise to Slack, Microsoft Teams, Discord, Telegram
and the other services it knows (`slack://...`, `msteams://...`, `discord://...`; the optional
extra napaudit[notify]). No regression, no message.

SMTP settings come from the environment (NAPAUDIT_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM,
_STARTTLS) or from the [smtp] table of napaudit.toml; the environment wins. A password is
never printed, logged or put in an error message.
"""

from __future__ import annotations

import base64
import json
import os
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import click

from napaudit.auditor.config import SMTP_KEYS, ConfigError, config_path, load_config
from napaudit.options import InputProblem
from napaudit.reports.changes import Changes, ChangesError, run_changes

TIMEOUT = 20.0  # seconds for a webhook or a mail server to answer
USER_AGENT = "napaudit (listing audit alerts)"


class NotifyError(click.ClickException):
    """The alert could not be delivered (exit code 1): names the target, never a secret."""


class NotifyConfigError(InputProblem):
    """The target or the SMTP settings are wrong: something the user fixes (exit code 2)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    starttls: bool = False


def alert_summary(changes: Changes) -> dict | None:
    """The regressions of `changes` as one JSON-able message, or None when there are none."""
    hit = [b for b in changes.businesses if b.regressions]
    if not hit:
        return None
    total = sum(len(b.regressions) for b in hit)
    again = sum(len(b.broke_again) for b in hit)
    text = (f"napaudit: {total} regression{'' if total == 1 else 's'}"
            f"{f' ({again} broke again)' if again else ''} in {len(hit)} "
            f"business{'' if len(hit) == 1 else 'es'} (run {changes.new_run})")  # fmt: skip
    return {
        "event": "napaudit.regressions",
        "text": text,
        "run": changes.new_run,
        "regressions": total,
        "broke_again": again,
        "businesses": [
            {
                "id": b.business_id,
                "name": b.name,
                "old_run": b.old_run,
                "new_run": b.new_run,
                # broke again first: the red alert an owner reads before the rest
                "regressions": [_regression(c) for c in
                                sorted(b.regressions, key=lambda c: not c.broke_again)],
            }
            for b in hit
        ],
    }  # fmt: skip


def _regression(c) -> dict:
    keys = ("source", "source_name", "listing_key", "url", "field", "field_label", "before",
            "now", "canonical", "found", "severity", "broke_again", "wrong_in", "fixed_in",
            "text")  # fmt: skip
    return {k: getattr(c, k) for k in keys}


def check_target(target: str) -> None:
    """Refuse a target napaudit cannot send to, before a long run rather than after it."""
    scheme = urlsplit(target).scheme.lower()
    if scheme in ("http", "https"):
        if not urlsplit(target).hostname:
            raise NotifyConfigError(f"--notify {safe_target(target)}: no host in the URL")
        return
    if scheme == "mailto":
        _addresses(target)
        return
    if scheme and _apprise_knows(target):
        return
    raise NotifyConfigError(
        f"--notify {safe_target(target)}: use a webhook URL (https://...), mailto:ADDRESS, "
        "or a service URL Apprise knows (slack://, msteams://, discord://...; "
        "pip install 'napaudit[notify]')"
    )


def _apprise_knows(target: str) -> bool:
    try:
        import apprise
    except ImportError:
        return False
    return apprise.Apprise().add(target)


def _apprise(target: str, summary: dict) -> str:
    """The alert as a chat message: its headline, then a line per regression."""
    import apprise

    sender = apprise.Apprise()
    sender.add(target)
    lines = [c["text"] for b in summary["businesses"] for c in b["regressions"]]
    body = "\n".join(lines[:50]) + (f"\n... and {len(lines) - 50} more" if len(lines) > 50 else "")
    if not sender.notify(title=summary["text"], body=body):
        raise NotifyError(f"{safe_target(target)}: the service did not accept the alert")
    return f"sent {summary['regressions']} regression(s) to {safe_target(target)}"


def notify(target: str, summary: dict, config: str | Path | None = None) -> str:
    """Send `summary` to `target` (a webhook URL or mailto:ADDRESS); returns what was done."""
    check_target(target)
    scheme = urlsplit(target).scheme.lower()
    if scheme == "mailto":
        return _mail(target, summary, smtp_settings(config))
    if scheme in ("http", "https"):
        return _post(target, summary)
    return _apprise(target, summary)


def notify_after_run(
    db: object, run_id: int, target: str | Iterable[str], config: str | Path | None = None
) -> dict | None:
    """Compare each business of run `run_id` with its previous run; when anything regressed,
    send one message to each target. Returns the summary sent, or None (nothing sent)."""
    targets = [target] if isinstance(target, str) else list(target)
    for t in targets:
        check_target(t)
    try:
        summary = alert_summary(run_changes(db, run_id))
    except ChangesError as exc:
        raise NotifyConfigError(str(exc)) from None
    if summary is not None:
        for t in targets:
            notify(t, summary, config)
    return summary


# --- webhook -------------------------------------------------------------------------------


def safe_target(target: str) -> str:
    """The target as it may be shown: no user, password, path token or query."""
    parts = urlsplit(target)
    if parts.scheme.lower() == "mailto":
        return target.split("?", 1)[0]
    if parts.scheme.lower() not in ("http", "https"):
        return f"{parts.scheme}://..."  # a chat service URL carries its tokens everywhere
    if not parts.hostname:
        return parts.scheme + ":..." if parts.scheme else "(not a URL)"
    host = parts.hostname + (f":{parts.port}" if _port(parts) else "")
    tail = "/..." if parts.path.strip("/") or parts.query else ""
    return f"{parts.scheme}://{host}{tail}"


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


def _post(url: str, summary: dict) -> str:
    parts = urlsplit(url)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if parts.username is not None:  # https://user:token@host/...: HTTP basic auth
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        netloc = parts.hostname + (f":{parts.port}" if _port(parts) else "")
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    body = json.dumps(summary, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    shown = safe_target(url)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise NotifyError(f"webhook {shown} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        why = getattr(exc, "reason", None) or exc.__class__.__name__
        raise NotifyError(f"webhook {shown} could not be reached ({why})") from None
    return f"posted {summary['regressions']} regression(s) to {shown} (HTTP {status})"


# --- mail ----------------------------------------------------------------------------------


def smtp_settings(config: str | Path | None = None) -> SmtpSettings:
    """SMTP settings: the environment first, then [smtp] in napaudit.toml (or `config`)."""
    values = _config_smtp(config)
    for key in SMTP_KEYS:
        env = os.environ.get(f"NAPAUDIT_SMTP_{key.upper()}")
        if env is not None and env != "":
            values[key] = env
    host = str(values.get("host") or "").strip()
    if not host:
        raise NotifyConfigError(
            "no SMTP server to send mail: set NAPAUDIT_SMTP_HOST, or host in the [smtp] "
            f"table of {config or config_path() or 'napaudit.toml'}"
        )
    starttls = _flag(values.get("starttls", False))
    port = values.get("port") or (587 if starttls else 25)
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise NotifyConfigError(f"SMTP port '{port}' is not a number") from None
    user = str(values.get("user") or "")
    sender = str(values.get("from") or (user if "@" in user else f"napaudit@{socket.getfqdn()}"))
    return SmtpSettings(host, port, user, str(values.get("password") or ""), sender, starttls)


def _config_smtp(config: str | Path | None) -> dict:
    try:
        return dict(load_config(config).smtp)
    except ConfigError as exc:
        raise NotifyConfigError(str(exc)) from None


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _addresses(target: str) -> list[str]:
    text = unquote(target.split(":", 1)[1].split("?", 1)[0])
    addresses = [a.strip() for a in text.split(",") if a.strip()]
    if not addresses or any("@" not in a for a in addresses):
        raise NotifyConfigError(f"--notify {target}: not a mail address (mailto:name@example.com)")
    return addresses


def message(summary: dict, sender: str, to: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = summary["text"]
    msg["From"], msg["To"] = sender, ", ".join(to)
    lines = [summary["text"] + ".", ""]
    for b in summary["businesses"]:
        lines.append(f"{b['name']} ({b['id']}), run {b['old_run']} -> run {b['new_run']}:")
        lines.extend(f"  {r['text']}" for r in b["regressions"])
        lines.append("")
    lines.append("Run 'napaudit changes' for everything that changed.")
    msg.set_content("\n".join(lines))
    data = json.dumps(summary, indent=2, ensure_ascii=False).encode()
    msg.add_attachment(data, maintype="application", subtype="json", filename="regressions.json")
    return msg


def _mail(target: str, summary: dict, smtp: SmtpSettings) -> str:
    to = _addresses(target)
    where = f"{smtp.host}:{smtp.port}"
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password)
            server.send_message(message(summary, smtp.sender, to))
    except smtplib.SMTPAuthenticationError as exc:
        raise NotifyError(
            f"mail to {', '.join(to)}: {where} refused the login of '{smtp.user}' ({exc.smtp_code})"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        why = str(exc).replace(smtp.password, "***") if smtp.password else str(exc)
        raise NotifyError(
            f"mail to {', '.join(to)} via {where} failed ({exc.__class__.__name__}: {why})"
        ) from None
    return f"mailed {summary['regressions']} regression(s) to {', '.join(to)} via {where}"
