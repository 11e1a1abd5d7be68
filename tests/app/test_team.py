"""The app's gate and its approval page: one person on loopback goes straight in, as ever;
served beyond loopback without sign-in it shows no plan; with sign-in switched on it asks
for the provider first; the approval page submits, approves and freezes a plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest

from prevplan.ui.auth import ENV_SETTINGS, ISSUER_ENV
from tests.app.helpers import APP, assert_clean, go, texts


@pytest.fixture
def address() -> Iterator[None]:
    """Restore the server address and Streamlit's secrets after a test changes them."""
    before = config.get_option("server.address")
    cookie = (
        config.get_option("server.cookieSecret"),
        config.get_where_defined("server.cookieSecret"),
    )
    try:
        yield
    finally:
        config.set_option("server.address", before)
        config.set_option("server.cookieSecret", *cookie)
        secrets_singleton._programmatic_secrets = None
        secrets_singleton._reset()


def provider_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-in switched on, the provider configured from the environment only."""
    monkeypatch.setenv("PREVPLAN_AUTH", "oidc")
    monkeypatch.setenv(ISSUER_ENV, "http://127.0.0.1:9/")
    monkeypatch.setenv("PREVPLAN_OIDC_CLIENT_ID", "prevplan")
    monkeypatch.setenv("PREVPLAN_OIDC_CLIENT_SECRET", "secret")


def fresh(home: Path) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.run()
    return app


def test_one_person_on_loopback_goes_straight_to_the_sample_plan(at: AppTest) -> None:
    assert not any("Sign in" in b.label for b in at.button)
    assert any("Current plan" in text for text in texts(at, "markdown"))


def test_beyond_loopback_without_sign_in_no_plan_is_shown(
    home: Path, address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PREVPLAN_AUTH", raising=False)
    config.set_option("server.address", "0.0.0.0")
    app = fresh(home)
    assert not app.exception
    [error] = texts(app, "error")
    assert "PREVPLAN_AUTH=oidc" in error and "0.0.0.0" in error
    assert not any("Current plan" in text for text in texts(app, "markdown"))
    assert "plan" not in app.session_state


def test_sign_in_switched_on_without_a_provider_names_what_to_set(
    home: Path, address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREVPLAN_AUTH", "oidc")
    for name in (*ENV_SETTINGS.values(), ISSUER_ENV):
        monkeypatch.delenv(name, raising=False)
    app = fresh(home)
    [error] = texts(app, "error")
    assert "PREVPLAN_OIDC_CLIENT_ID" in error and "PREVPLAN_OIDC_COOKIE_SECRET" in error


def test_sign_in_from_the_environment_shows_the_sign_in_screen_and_no_plan(
    home: Path, address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider_in_environment(monkeypatch)
    monkeypatch.setenv("PREVPLAN_OIDC_COOKIE_SECRET", "cookie-secret-for-tests")
    app = fresh(home)
    assert_clean(app)
    assert [b.label for b in app.button] == ["🔑 Sign in"]
    assert "plan" not in app.session_state
    auth = secrets_singleton.get("auth")
    assert auth is not None
    assert auth["server_metadata_url"] == "http://127.0.0.1:9/.well-known/openid-configuration"
    assert auth["redirect_uri"].endswith("/oauth2callback")


def test_one_person_submits_and_approves_and_the_plan_is_frozen(at: AppTest) -> None:
    go(at, "approval")
    assert any("draft" in text for text in texts(at, "markdown"))
    at.button(key="approval.submit").click().run()
    assert_clean(at)
    assert "Version 1 is submitted for approval." in texts(at, "success")
    at.text_area(key="approval.comment").input("Agreed by the board").run()
    at.button(key="approval.approve").click().run()
    assert "Version 1 is approved." in texts(at, "success")
    assert any("was approved by local" in text for text in texts(at, "success"))
    go(at, "plan")
    at.session_state["plan.tab"] = "💾 Save and versions"  # only the open tab is drawn
    at.run()
    assert at.button(key="save.submit").disabled
    assert any("approved" in text for text in texts(at, "caption"))


# ---------------------------------------------------------------- read-only pages

MINISTRY = "Ministry of Health"


def _signed_in(home: Path, monkeypatch: pytest.MonkeyPatch, email: str, role: str) -> AppTest:
    """The app for a person signed in with ``role`` in the ministry that owns the national
    plan (stored before the session starts, as an editor saved it)."""
    from prevplan.plan.io import read_plan
    from prevplan.storage import store_from_url
    from prevplan.storage.access import Identity, Role
    from prevplan.storage.scoped import scoped

    provider_in_environment(monkeypatch)
    monkeypatch.setenv("PREVPLAN_OIDC_COOKIE_SECRET", "cookie-secret-for-tests")
    editor = Identity(
        subject="aigerim@health.example", name="Aigerim", email="aigerim@health.example"
    )
    with store_from_url() as store:
        root = scoped(store, Identity(subject="root@health.example", superuser=True))
        root.create_organisation(MINISTRY)
        root.set_member_role(MINISTRY, editor.subject, Role.EDITOR)
        root.set_member_role(MINISTRY, email, Role(role))
        plan = read_plan(Path(__file__).parents[2] / "sample_data" / "national_plan.yaml")
        scoped(store, editor, MINISTRY).save(plan, author="-", base_version=None)
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.user = {"is_logged_in": True, "email": email, "name": email.split("@")[0].title()}
    app.run()
    assert_clean(app)
    return app


READ_ONLY = "you can read it, not change it"


def _notice(app: AppTest) -> str:
    [notice] = [text for text in texts(app, "info") if READ_ONLY in text or "frozen" in text]
    return notice


def test_a_viewer_finds_every_editor_read_only_and_is_told_whom_to_ask(
    home: Path, address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _signed_in(home, monkeypatch, "chen@health.example", "viewer")
    assert app.session_state["plan"].populations  # the ministry's plan, opened for reading
    go(app, "populations")
    assert "administrator of its organisation" in _notice(app)
    for key in ("pop.edit", "pop.duplicate", "pop.delete", "pop.new", "rec.add"):
        assert app.button(key=key).disabled, key
    assert not [b for b in app.button if b.key == "popform.submit"]  # no form to fill
    go(app, "plan")
    assert READ_ONLY in _notice(app)
    assert app.button(key="details.apply").disabled
    assert app.text_input(key="details.name").disabled
    # The activities table: still an editor element (same look), every column disabled, and
    # no row to add or delete.
    [grid] = [d for d in app.dataframe if d.proto.editing_mode != d.proto.EditingMode.READ_ONLY]
    assert grid.proto.disabled and grid.proto.editing_mode == grid.proto.EditingMode.FIXED
    assert app.button(key="plan.undo").disabled
    go(app, "tracker")
    assert READ_ONLY in _notice(app)
    assert all(radio.disabled for radio in app.radio if str(radio.key).startswith("tracker."))
    assert all(box.disabled for box in app.text_input if str(box.key).startswith("tracker."))
    go(app, "monitoring")
    assert READ_ONLY in _notice(app)
    assert app.button(key="mon.save").disabled
    assert app.button(key="mon.periods.save").disabled
    go(app, "budget")
    assert app.button(key="budget.apply").disabled
    go(app, "start")
    assert app.button(key="plans.delete").disabled
    assert app.button(key="plans.rename.submit").disabled


def test_an_editor_edits_until_the_plan_is_submitted_then_finds_it_frozen(
    home: Path, address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _signed_in(home, monkeypatch, "dana@health.example", "editor")
    go(app, "populations")
    assert not app.button(key="pop.edit").disabled
    assert not [t for t in texts(app, "info") if READ_ONLY in t]
    go(app, "approval")
    app.button(key="approval.submit").click().run()
    assert_clean(app)
    for page in ("populations", "plan", "tracker", "monitoring"):
        go(app, page)
        assert "submitted for approval" in _notice(app), page
    assert app.button(key="mon.save").disabled


def test_an_approver_who_submitted_is_offered_no_approve_button_and_told_why(
    home: Path, address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _signed_in(home, monkeypatch, "boris@health.example", "approver")
    go(app, "approval")
    app.button(key="approval.submit").click().run()
    assert_clean(app)
    assert not [b for b in app.button if b.key == "approval.approve"]
    assert any("four-eyes rule" in text for text in texts(app, "caption"))
    assert [b for b in app.button if b.key == "approval.return"]


def test_a_cookie_secret_streamlit_did_not_start_with_is_reported_once_in_the_log(
    home: Path, address: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Configured from the environment only, Streamlit checks the first session's cookie
    with its per-process server.cookieSecret (the [auth] section reaches it later): the
    operator is told to set STREAMLIT_SERVER_COOKIE_SECRET; set to the same secret, no word."""
    from prevplan.ui import auth

    provider_in_environment(monkeypatch)
    monkeypatch.setenv("PREVPLAN_OIDC_COOKIE_SECRET", "the-same-secret-after-every-restart")
    monkeypatch.setattr(auth, "_WARNED", set())
    with caplog.at_level("WARNING", logger="prevplan.ui.auth"):
        fresh(home)
        fresh(home)
    assert [r.getMessage() for r in caplog.records].count(
        "STREAMLIT_SERVER_COOKIE_SECRET is not set to the sign-in cookie secret when the server "
        "starts: the first session after every restart must sign in again "
        "(docs/deployment.md)"
    ) == 1
    caplog.clear()
    monkeypatch.setattr(auth, "_WARNED", set())
    config.set_option(
        "server.cookieSecret", "the-same-secret-after-every-restart", "environment variable"
    )
    with caplog.at_level("WARNING", logger="prevplan.ui.auth"):
        fresh(home)
    assert not [r for r in caplog.records if r.name == "prevplan.ui.auth"]


def test_streamlits_own_cookie_secret_setting_alone_configures_the_sign_in_cookie(
    home: Path, address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STREAMLIT_SERVER_COOKIE_SECRET is read when the server starts, so it also covers the
    first session after a restart; given alone, it is the sign-in cookie's secret."""
    provider_in_environment(monkeypatch)
    monkeypatch.delenv("PREVPLAN_OIDC_COOKIE_SECRET", raising=False)
    config.set_option("server.cookieSecret", "set-when-the-server-started", "environment variable")
    app = fresh(home)
    assert_clean(app)
    assert [b.label for b in app.button] == ["🔑 Sign in"]
    auth = secrets_singleton.get("auth")
    assert auth is not None and auth["cookie_secret"] == "set-when-the-server-started"
