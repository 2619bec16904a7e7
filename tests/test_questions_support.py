"""Shared setup for the questions tests: a small programme file and the plugins to load."""
from __future__ import annotations

from pathlib import Path

ORGANISER, MODERATOR, OTHER_MODERATOR = 1, 2, 3
ANNA, BO, CECILIA = 1001, 1002, 1003
LONG_ID = "m" * 40
NOW = "2027-09-01T08:00:00+00:00"

PROGRAMME = f"""
timezone: Europe/Stockholm
venues:
  f7:
    name: F7
    address: Fleminggatan 7, Stockholm
networks:
  arbetsmarknad:
    name: {{sv: Arbetsmarknadspolitiskt nätverk, en: Labour-market policy network}}
  bostad:
    name: {{sv: Bostadspolitiskt nätverk, en: Housing policy network}}
defaults:
  networks: [arbetsmarknad]
  venue: f7
events:
  - id: am-09-02
    title: {{sv: Arbetsmarknaden efter corona, en: The labour market after corona}}
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    speakers:
      - name: Roger Mörtvik
  - id: am-live
    title: {{sv: Kompetensförsörjning, en: Skills supply}}
    start: 2027-09-21 09:30
    end: 2027-09-21 12:30
    question_mode: live
  - id: am-noq
    title: {{sv: Rundabord, en: Roundtable}}
    start: 2027-09-22 09:30
    end: 2027-09-22 11:00
    questions: false
  - id: am-cancelled
    title: {{sv: Inställt, en: Cancelled}}
    start: 2027-09-23 09:30
    end: 2027-09-23 11:00
    cancelled: true
  - id: am-secret
    title: {{sv: Hemligt, en: Secret}}
    start: 2027-09-24 09:30
    end: 2027-09-24 11:00
    invite_only: true
  - id: bo-10-01
    networks: [bostad]
    title: {{sv: Bostadsbristen, en: The housing shortage}}
    start: 2027-10-01 09:30
    end: 2027-10-01 12:30
  - id: {LONG_ID}
    title: {{sv: Långt id, en: Long id}}
    start: 2027-10-02 09:30
    end: 2027-10-02 12:30
    question_mode: live
"""


def programme_env(directory: Path, **extra: str) -> dict[str, str]:
    """Environment for a bot whose programme plugin reads the test programme."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return {"MINGEL_PROGRAMME": str(path), **extra}


def plugins() -> list[str]:
    """The plugins every questions test runs with: the real programme provides the meetings."""
    return ["plugins.basics", "plugins.programme", "plugins.questions"]
