"""Settings are declared once, documented, and read from KFGRAPH_* only at the edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfgraph.errors import ConfigurationError
from kfgraph.settings import Settings, documented_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented_in_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    rows = documented_settings()
    assert len(rows) >= 10
    missing = [name for name, _, help_text in rows if f"`{name}`" not in text or help_text not in text]
    assert not missing, f"docs/settings.md lacks {missing}; regenerate it from kfgraph.settings.documented_settings()"


def test_environment_is_read_and_overrides_win() -> None:
    env = {"KFGRAPH_QUERY_TIMEOUT": "5", "KFGRAPH_ALLOWED_SERVICE_HOSTS": "a.example, b.example", "KFGRAPH_STORE": "/tmp/s"}
    settings = Settings.from_env(env, store=Path("/tmp/other"))
    assert settings.query_timeout == 5.0
    assert settings.allowed_service_hosts == ("a.example", "b.example")
    assert settings.store == Path("/tmp/other")


def test_unrelated_environment_is_ignored() -> None:
    assert Settings.from_env({"QUERY_TIMEOUT": "1"}).query_timeout == 30.0


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"KFGRAPH_PORT": "eighty"}, "KFGRAPH_PORT"),
        ({"KFGRAPH_BASE_IRI": "http://x.example/no-slash"}, "must end with '/'"),
        ({"KFGRAPH_QUERY_TIMEOUT": "0"}, "positive"),
    ],
)
def test_bad_settings_are_configuration_errors(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigurationError, match=needle):
        Settings.from_env(env)


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().port = 1  # type: ignore[misc]
