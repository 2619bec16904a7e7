"""/privacy shows each person what concerns them: a plugin's paragraph declared for a role
(`Notice(text, role=...)`) only to those who have it, organisers every one; before, a
participant read "Programme files (organisers): …" and "Broadcasts: if you are an organiser…"."""
from __future__ import annotations

from assistant import hookimpl
from assistant.testing import ChatHarness
from assistant.types import Notice
from tests.test_pickers_paging import season

ORGANISER, MODERATOR, ANNA = 1, 5, 10
ORGANISERS_ONLY = ("Programme files", "Broadcasts: if you are an organiser", "Audit log")


class Panel:
    """A third-party plugin with a paragraph for everyone, one for moderators, one for
    organisers, as a list."""

    NAME = "panel"

    @hookimpl
    def privacy_notice(self, ctx):
        return ["Panel: your seat.", Notice("Panel: the notes you took.", role="moderator"),
                Notice("Panel: the rota you made.", role="organiser")]


class Backstage:
    """A plugin whose only paragraph is for organisers: no heading of its own for others."""

    NAME = "backstage"

    @hookimpl
    def privacy_notice(self, ctx):
        return Notice("Backstage: the keys you hold.", role="organiser")


async def start(mingel_chat, tmp_path) -> ChatHarness:
    chat = await mingel_chat([*_builtins(), Panel(), Backstage()], organisers=[ORGANISER],
                             env={"MINGEL_PROGRAMME": str(season(tmp_path / "s.yaml"))},
                             now="2027-09-01T07:00:00+00:00")
    chat.user(ORGANISER, "Olga", lang="en")
    chat.user(MODERATOR, "Mona", lang="en")
    chat.user(ANNA, "Anna", lang="en")
    await chat.send("/start", MODERATOR)  # someone is named a moderator once they wrote
    assert "Mona" in chat.text(await chat.send(f"/moderators am add {MODERATOR}", ORGANISER))
    return chat


def _builtins() -> list[str]:
    from assistant.plugins import BUILTINS
    return list(BUILTINS)


async def test_each_role_reads_its_own_paragraphs(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path)
    anna = chat.text(await chat.send("/privacy", ANNA))
    assert "Panel: your seat." in anna and "Networks you follow" in anna
    for hidden in (*ORGANISERS_ONLY, "Panel: the notes", "Panel: the rota", "Backstage",
                   "Moderators"):
        assert hidden not in anna, hidden
    mona = chat.text(await chat.send("/privacy", MODERATOR))
    assert "Panel: your seat.\n\nPanel: the notes you took." in mona
    assert "Moderators: the networks whose questions you were named to moderate" in mona
    assert not any(hidden in mona for hidden in (*ORGANISERS_ONLY, "Panel: the rota", "Backstage"))
    olga = chat.text(await chat.send("/privacy", ORGANISER))
    for shown in (*ORGANISERS_ONLY, "Panel: the notes you took.", "Panel: the rota you made.",
                  "Backstage: the keys you hold.", "Networks you follow", "Moderators"):
        assert shown in olga, shown


async def test_the_hook_answers_per_reader(mingel_chat, tmp_path) -> None:
    """`Hooks.privacy_notice` gives a plugin only when one of its paragraphs is for the reader."""
    chat = await start(mingel_chat, tmp_path)
    anna = dict(chat.assistant.hooks.privacy_notice(chat.context(user=ANNA)))
    olga = dict(chat.assistant.hooks.privacy_notice(chat.context(user=ORGANISER)))
    assert "broadcast" not in anna and "Backstage" not in str(anna)
    assert "Recipients are not listed" in olga["broadcast"]
    assert "programme file" not in anna["programme"]
    assert olga["programme"].endswith("a programme file you sent is kept until you confirm or "
                                      "cancel it.")


async def test_in_swedish_too(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path)
    sven = chat.user(11, "Sven", lang="sv")
    text = chat.text(await chat.send("/integritet", sven))
    assert "Nätverk du följer" in text and "Programfiler" not in text and "Utskick" not in text
    chat.user(ORGANISER, "Olga", lang="sv")
    olga = chat.text(await chat.send("/integritet", ORGANISER))
    assert "Programfiler" in olga and "Åtgärdslogg" in olga
