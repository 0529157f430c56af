"""Alerts: one message per run with regressions, none without, to a local webhook and a local
SMTP server (aiosmtpd) on 127.0.0.1; the SMTP password never shows."""

from __future__ import annotations

import json
import re
import socket
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from napaudit.auditor.store import Store
from napaudit.reports.changes import changes_since
from test_changes import ACME, RIGHT, WRONG_PHONE, YELP, ok, record_run

from napaudit.alerts import (
    NotifyConfigError,
    NotifyError,
    alert_summary,
    notify,
    notify_after_run,
    smtp_settings,
)

PASSWORD = "s3cret-Pa55"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "n.db")


@pytest.fixture
def webhook():
    """A local webhook: records each POST's path, headers and JSON body; answers `status`."""
    received: list[dict] = []
    state = {"status": 204}

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "headers": dict(self.headers),
                             "json": json.loads(body)})  # fmt: skip
            self.send_response(state["status"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received, state
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    """A local SMTP server that wants a login (user napaudit, PASSWORD) and keeps each mail."""
    mails: list = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
            mails.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
            return "250 OK"

    def login(server, session, envelope, mechanism, data):
        good = data.login == b"napaudit" and data.password == PASSWORD.encode()
        return AuthResult(success=good, handled=False)  # False: the server says 535

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port, authenticator=login,
                            auth_require_tls=False)  # fmt: skip
    controller.start()
    monkeypatch.chdir(tmp_path)  # no napaudit.toml but the test's own
    for key, value in {"HOST": "127.0.0.1", "PORT": str(port), "USER": "napaudit",
                       "PASSWORD": PASSWORD, "FROM": "alerts@agency.test"}.items():  # fmt: skip
        monkeypatch.setenv(f"NAPAUDIT_SMTP_{key}", value)
    monkeypatch.delenv("NAPAUDIT_SMTP_STARTTLS", raising=False)
    yield port, mails
    controller.stop()


def regressed(store: Store) -> int:
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    return record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))


def test_summary_lists_regressions_only_and_none_without(store):
    run = regressed(store)
    summary = alert_summary(changes_since(store))
    assert summary["run"] == run and summary["regressions"] == 1
    assert summary["text"] == f"napaudit: 1 regression in 1 business (run {run})"
    [b] = summary["businesses"]
    assert (b["id"], b["regressions"][0]["field"], b["regressions"][0]["found"]) == (
        "acme", "phone", "312-555-0199"
    )  # fmt: skip
    record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))  # still wrong: no news
    assert alert_summary(changes_since(store)) is None


def test_webhook_gets_one_json_post_per_run_with_regressions_and_none_without(store, webhook):
    url, received, _ = webhook
    run = regressed(store)
    sent = notify_after_run(store.path, run, url + "/hooks/T0K3N")
    assert len(received) == 1
    post = received[0]
    assert post["path"] == "/hooks/T0K3N"
    assert post["headers"]["Content-Type"] == "application/json"
    assert post["json"] == sent and post["json"]["regressions"] == 1
    quiet = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    assert notify_after_run(store.path, quiet, url + "/hooks/T0K3N") is None
    assert len(received) == 1
    fixed = record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    assert notify_after_run(store.path, fixed, url) is None and len(received) == 1


def test_chat_services_through_apprise(store, webhook):
    """Apprise's json:// service posts to the local webhook as Slack, Teams or Discord would
    to theirs: one message per run with regressions, its title the alert's headline."""
    pytest.importorskip("apprise", reason="the notify extra is not installed")
    url, received, _ = webhook
    run = regressed(store)
    target = url.replace("http://", "json://") + "/chat"
    sent = notify_after_run(store.path, run, target)
    [post] = received
    assert post["path"] == "/chat"
    assert post["json"]["title"] == sent["text"]
    assert "Yelp shows your phone as" in post["json"]["message"]
    quiet = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    assert notify_after_run(store.path, quiet, target) is None and len(received) == 1


def test_a_chat_service_url_is_never_shown_whole():
    from napaudit.alerts import safe_target

    assert safe_target("slack://T0K3NA/B0K3NB/C0K3NC/#ops") == "slack://..."


def test_broke_again_comes_first_in_the_alert(store, webhook):
    url, received, _ = webhook
    record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    record_run(store, ok(ACME, "yelp", YELP, **RIGHT))
    run = record_run(store, ok(ACME, "yelp", YELP, **{**WRONG_PHONE, "address": "2 Oak St"}))
    notify_after_run(store.path, run, url)
    [post] = received
    first = post["json"]["businesses"][0]["regressions"][0]
    assert post["json"]["broke_again"] == 1 and first["field"] == "phone" and first["broke_again"]
    assert first["text"].startswith("Broke again: Yelp")


def test_webhook_failure_names_the_host_and_no_secret(store, webhook):
    url, received, state = webhook
    state["status"] = 500
    run = regressed(store)
    target = url.replace("http://", "http://bot:PW-xyz@") + "/hooks/T0K3N?key=abc123"
    with pytest.raises(NotifyError) as caught:
        notify_after_run(store.path, run, target)
    message = caught.value.format_message()
    assert message == f"webhook {url}/... answered HTTP 500"
    assert received[0]["headers"]["Authorization"].startswith("Basic ")
    closed = f"http://127.0.0.1:{free_port()}/hook"
    with pytest.raises(NotifyError, match=r"could not be reached"):
        notify(closed, alert_summary(changes_since(store)))


def test_mail_sends_one_message_per_run_with_regressions(store, smtp, capsys):
    _, mails = smtp
    run = regressed(store)
    sent = notify_after_run(store.path, run, "mailto:owner@acme.test")
    assert len(mails) == 1
    rcpt, mail = mails[0]
    assert rcpt == ["owner@acme.test"] and mail["From"] == "alerts@agency.test"
    assert mail["Subject"] == sent["text"]
    body = mail.get_payload()[0].get_payload(decode=True).decode()
    assert "Acme Plumbing (acme)" in body and "Regression: Yelp shows your phone" in body
    attached = json.loads(mail.get_payload()[1].get_payload(decode=True))
    assert attached == sent
    assert PASSWORD not in mail.as_string()
    quiet = record_run(store, ok(ACME, "yelp", YELP, **WRONG_PHONE))
    assert notify_after_run(store.path, quiet, "mailto:owner@acme.test") is None
    assert len(mails) == 1
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err


def test_mail_settings_from_napaudit_toml(store, smtp, monkeypatch, tmp_path):
    port, mails = smtp
    for key in ("HOST", "PORT", "USER", "PASSWORD", "FROM"):
        monkeypatch.delenv(f"NAPAUDIT_SMTP_{key}")
    (tmp_path / "napaudit.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "napaudit"\n'
        f'password = "{PASSWORD}"\nfrom = "desk@agency.test"\n'
    )
    assert PASSWORD not in repr(smtp_settings())
    notify_after_run(store.path, regressed(store), "mailto:owner@acme.test")
    assert [m["From"] for _, m in mails] == ["desk@agency.test"]


def test_wrong_password_is_an_error_without_the_password(store, smtp, monkeypatch):
    _, mails = smtp
    monkeypatch.setenv("NAPAUDIT_SMTP_PASSWORD", "wrong-" + PASSWORD)
    with pytest.raises(NotifyError) as caught:
        notify_after_run(store.path, regressed(store), "mailto:owner@acme.test")
    message = caught.value.format_message()
    assert "refused the login of 'napaudit'" in message and PASSWORD not in message
    assert not mails


@pytest.mark.parametrize(
    "target, message",
    [
        ("mailto:", "not a mail address"),
        ("ftp://example.test/x", "use a webhook URL (https://...), mailto:ADDRESS, or a service"),
    ],
)
def test_bad_targets_are_user_errors(store, target, message):
    with pytest.raises(NotifyConfigError, match=re.escape(message)) as caught:
        notify_after_run(store.path, regressed(store), target)
    assert caught.value.exit_code == 2


def test_mail_without_a_server_says_how_to_set_one(store, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NAPAUDIT_SMTP_HOST", raising=False)
    with pytest.raises(NotifyConfigError, match="set NAPAUDIT_SMTP_HOST, or host in the"):
        notify_after_run(store.path, regressed(store), "mailto:owner@acme.test")
