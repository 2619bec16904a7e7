"""A long query read back is cut with "…", not mid-space ("“talk talk talk ”"), in /search,
/programme and /follow (harness)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_programme_days import EMMA, PLUGINS, festival


@pytest.fixture
async def chat(mingel_chat, tmp_path: Path):
    chat = await mingel_chat(PLUGINS, now="2027-06-01T08:00:00+00:00",
                             env={"MINGEL_PROGRAMME": str(festival(tmp_path / "f.yaml"))})
    chat.user(EMMA, "Emma", lang="en")
    return chat


async def test_a_long_query_is_read_back_cut_with_an_ellipsis(chat) -> None:
    found = chat.text(await chat.send("/search " + "talk " * 30, EMMA))
    assert found.startswith("34 meetings match “talk talk talk talk talk talk talk talk talk "
                            "talk talk talk…”:")
    unknown = chat.text(await chat.send("/programme " + "blah " * 30, EMMA))
    assert unknown.startswith("I didn't understand “blah blah blah blah blah blah blah blah "
                              "blah blah blah blah…”.")
    network = chat.text(await chat.send("/follow " + "blah " * 30, EMMA))
    assert network.splitlines()[0] == ("There's no network called “blah blah blah blah blah "
                                       "blah blah blah…”.")
