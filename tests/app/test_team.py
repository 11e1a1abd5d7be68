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
    try:
        yield
    finally:
        config.set_option("server.address", before)
        secrets_singleton._programmatic_secrets = None
        secrets_singleton._reset()


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
    monkeypatch.setenv("PREVPLAN_AUTH", "oidc")
    monkeypatch.setenv(ISSUER_ENV, "http://127.0.0.1:9/")
    monkeypatch.setenv("PREVPLAN_OIDC_CLIENT_ID", "prevplan")
    monkeypatch.setenv("PREVPLAN_OIDC_CLIENT_SECRET", "secret")
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
