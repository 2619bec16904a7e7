"""Configuration: every bad value gets an error naming its variable."""
from __future__ import annotations

import pytest

from assistant.config import Config, ConfigError, parse_duration, parse_durations


@pytest.mark.parametrize("env, variable", [
    ({"MINGEL_TIMEZONE": "Europe/Stokholm"}, "MINGEL_TIMEZONE"),
    ({"MINGEL_LOCALE": "de"}, "MINGEL_LOCALE"),
    ({"MINGEL_ORGANISERS": "12,abc"}, "MINGEL_ORGANISERS"),
    ({"MINGEL_SEND_RATE": "fast"}, "MINGEL_SEND_RATE"),
    ({"MINGEL_PROGRAMME": "/no/such/file.yaml"}, "MINGEL_PROGRAMME"),
    ({"TELEGRAM_API_URL": "localhost:8081"}, "TELEGRAM_API_URL"),
])
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Config.from_env(env)


def test_defaults_and_parsing() -> None:
    config = Config.from_env({"MINGEL_ORGANISERS": "1, 2", "MINGEL_LOCALE": "sv_SE",
                              "MINGEL_DISABLED_PLUGINS": "health, questions"})
    assert config.organisers == {1, 2}
    assert config.locale == "sv"
    assert str(config.timezone) == "Europe/Stockholm"
    assert config.disabled_plugins == {"health", "questions"}
    assert config.programme.name == "sample.yaml"


def test_durations() -> None:
    assert parse_duration("90m").total_seconds() == 5400
    assert [d.total_seconds() for d in parse_durations("1h,24h")] == [86400, 3600]
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_a_config_printed_by_mistake_shows_no_token() -> None:
    """Review: the token was in `repr(config)`, and so would be in any log line or traceback
    that printed a Config (the environment too, which holds it)."""
    token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789"
    config = Config.from_env({"TELEGRAM_BOT_TOKEN": token}, dotenv=False)
    assert config.token == token
    assert token not in repr(config) and token not in str(config)
