"""A festival week at any size: the programme YAML and a data directory prefilled with RSVPs.

The programme has `events` meetings of `networks` networks over seven days (in person,
hybrid and online, some with seat limits, a few joint meetings, every tenth meeting at a
venue requiring a health declaration). The data directory is written through Mingel's own
`Store` with the RSVP plugin's document shape (event, user, answer, at, seq, waiting, days,
moves), the health plugin's outcomes (event, user, outcome, at) and the core's user
profiles, so the bot opens it exactly as it would open a season's real data. Popularity
follows a mild power law, so a few meetings have a thousand answers and long waiting lists
while most have dozens.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant.storage import Store
from plugins.rsvp.evenings import VERSION as RSVP_VERSION
from plugins.rsvp.seats import stored

FESTIVAL_START = date(2027, 6, 28)
DAYS = 7
TZ = ZoneInfo("Europe/Stockholm")
TOPICS = ("arbetsmarknad", "utbildning", "bostad", "klimat", "vard", "forsvar", "skatt", "energi",
          "migration", "kultur", "digital", "transport", "landsbygd", "rattsvasende", "handel",
          "forskning", "idrott", "media", "jamstalldhet", "naringsliv")
ANSWER_WEIGHTS = (("in_person", 60), ("online", 20), ("maybe", 15), ("no", 5))
USER_BASE = 10_000_000
"""Bench users have ids from here on, so they never collide with real test ids."""
HEALTH_EVERY = 10
"""Every tenth meeting with a venue requires a health declaration (`health_required`)."""
SETTINGS = {"MINGEL_HEALTH_WINDOW": "730d"}
"""What every bench bot runs with. The load runs' clock is the real one, months before the
festival, where the default window (48 h) would keep every declaration closed and every
in-person seat at a health meeting unbookable; opened two years ahead, the participants
declare and book as they would in the 48 hours before a meeting during the festival week,
and the work per update is the same."""
DECLARED_BEFORE = timedelta(minutes=1)
"""A prefilled "fine" declaration was made this long before its seat was booked (the
gate asks for it first)."""


@dataclass(frozen=True)
class FestivalEvent:
    """What the load generator needs to know about a meeting."""

    id: str
    mode: str
    capacity: int | None
    health: bool = False


def network_ids(networks: int) -> list[str]:
    """`arbetsmarknad`, `utbildning`, …, then numbered ones (`klimat-2`) past the topics."""
    return [TOPICS[i % len(TOPICS)] + (f"-{i // len(TOPICS) + 1}" if i >= len(TOPICS) else "")
            for i in range(networks)]


def festival_events(events: int, networks: int, seed: int = 7) -> list[FestivalEvent]:
    """The meetings the YAML describes, in file order (deterministic for a seed)."""
    rng = random.Random(seed)
    out = []
    at_venues = 0
    for n in range(events):
        mode = rng.choices(("in_person", "hybrid", "online"), (50, 40, 10))[0]
        capacity = None if mode == "online" else rng.choice((40, 60, 80, 120, 200, 400, None))
        at_venues += mode != "online"
        health = mode != "online" and at_venues % HEALTH_EVERY == 0
        out.append(FestivalEvent(f"f{n:05d}", mode, capacity, health))
    return out


def programme_yaml(events: int = 4000, networks: int = 40, venues: int = 60,
                   seed: int = 7) -> str:
    """The festival programme as organisers would write it (docs/programme.md)."""
    rng = random.Random(seed + 1)
    nets = network_ids(networks)
    out = ["timezone: Europe/Stockholm", "contact: festival@example.se", "", "venues:"]
    for v in range(venues):
        out += [f"  v{v}:", f"    name: Scen {v + 1}",
                f"    address: Strandgatan {v + 1}, Visby"]
    out += ["", "networks:"]
    for i, net in enumerate(nets):
        out += [f"  {net}:", "    name:", f"      sv: Nätverk {i + 1} ({net})",
                f"      en: Network {i + 1} ({net})",
                "    moderator:", f"      name: Moderator {i + 1}",
                "      role: {sv: Samtalsledare, en: Moderator}"]
    out += ["", "defaults:", "  note: {sv: Med förbehåll för ändringar, en: Subject to change}",
            "", "events:"]
    for n, event in enumerate(festival_events(events, networks, seed)):
        day = FESTIVAL_START + timedelta(days=n % DAYS)
        start = datetime(day.year, day.month, day.day, 8 + rng.randrange(12), rng.choice((0, 30)))
        end = start + timedelta(minutes=rng.choice((45, 60, 90, 120)))
        net = nets[n % networks]
        joint = f", {nets[(n + 7) % networks]}" if n % 25 == 0 else ""
        out += [f"  - id: {event.id}", f"    networks: [{net}{joint}]",
                "    title:", f"      sv: Seminarium {n + 1} om {net} – vad händer nu?",
                f"      en: Seminar {n + 1} on {net} – what happens next?",
                "    description:",
                f"      sv: Ett samtal om {net} med forskare, politiker och praktiker.",
                f"      en: A conversation on {net} with researchers and politicians.",
                f"    start: {start:%Y-%m-%d %H:%M}", f"    end: {end:%Y-%m-%d %H:%M}",
                "    speakers:", f"      - name: Talare {n + 1}",
                "        role: {sv: Riksdagsledamot, en: Member of Parliament}",
                f"      - name: Forskare {n % 97 + 1}",
                "        role: {sv: Forskare, en: Researcher}"]
        if event.mode != "online":
            out.append(f"    venue: v{n % venues}")
        if event.mode != "in_person":
            out.append(f"    online: {{platform: Zoom, url: \"https://zoom.us/j/{9000000 + n}\"}}")
        out.append(f"    capacity: {event.capacity if event.capacity is not None else 'null'}")
        if event.health:
            out.append("    health_required: true")
    return "\n".join(out) + "\n"


def popularity(events: int, exponent: float = 0.5, seed: int = 11) -> list[float]:
    """Weights per event in file order: a shuffled power law (a few crowded meetings)."""
    ranks = list(range(1, events + 1))
    random.Random(seed).shuffle(ranks)
    return [rank ** -exponent for rank in ranks]


def allowed(mode: str) -> list[tuple[str, int]]:
    """Answer weights a meeting of this mode offers."""
    return [(a, w) for a, w in ANSWER_WEIGHTS
            if not (a == "in_person" and mode == "online")
            and not (a == "online" and mode == "in_person")]


def prefill(data_dir: Path, events: list[FestivalEvent], rsvps: int, users: int,
            seed: int = 13) -> dict[str, int]:
    """Write `rsvps` answers by `users` people into a fresh store, and a "fine" health
    declaration for everyone with an in-person seat at a meeting that requires one (the
    gate let nobody book such a seat without it; nobody on its waiting list has one, as
    they declare when a seat is theirs); returns what was written."""
    rng = random.Random(seed)
    weights = popularity(len(events))
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < rsvps:
        user = rng.randrange(users)
        index = rng.choices(range(len(events)), cum_weights=cumulative)[0]
        pairs.add((index, user))
    by_event: dict[int, list[int]] = {}
    for index, user in sorted(pairs):
        by_event.setdefault(index, []).append(user)
    stamp = datetime(2027, 5, 1, 9, 0, tzinfo=TZ)
    store = Store(data_dir)
    store.open()
    try:
        people = store.table("assistant_users")
        for n in range(users):
            people.put(USER_BASE + n, {"first_name": f"Deltagare{n}", "last_name": None,
                                       "username": f"d{n}", "tg_lang": "sv" if n % 3 else "en",
                                       "lang": None, "reachable": True, "expect": None})
        # The indexes the RSVP plugin asks for: a store that has run remembers them and a
        # start builds them ahead (Store.warm), as on a festival's second day.
        answers = store.table("rsvp_answers", indexes=("event", "user"))
        outcomes = store.table("health_outcomes", indexes=("event", "user"))
        for index, members in by_event.items():
            event = events[index]
            choices, cum = zip(*allowed(event.mode), strict=True)
            taken = 0
            for seq, user in enumerate(members, 1):
                answer = rng.choices(choices, cum)[0]
                waiting = answer == "in_person" and event.capacity is not None \
                    and taken >= event.capacity
                taken += answer == "in_person" and not waiting
                at = stamp + timedelta(seconds=seq)
                answers.insert(stored({"event": event.id, "user": USER_BASE + user,
                                       "answer": answer, "seq": seq, "waiting": waiting,
                                       "at": at.isoformat()}))
                if event.health and answer == "in_person" and not waiting:
                    outcomes.insert({"event": event.id, "user": USER_BASE + user,
                                     "outcome": "fine",
                                     "at": (at - DECLARED_BEFORE).astimezone(UTC).isoformat()})
        store.migrate("rsvp", RSVP_VERSION, lambda _store: None)  # written in the current form
        declared = len(outcomes)
        store.commit_sync()
        store.compact()
    finally:
        store.close()
    return {"users": users, "rsvps": rsvps, "events": len(events),
            "declarations": declared}


def data_size(data_dir: Path) -> int:
    """Bytes of Mingel's files in a data directory."""
    return sum(p.stat().st_size for p in data_dir.glob("mingel.*") if p.is_file())
