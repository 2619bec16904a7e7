"""Where the programme in use came from (harness): the bundled sample gives way to the file
MINGEL_PROGRAMME names at once, a file named by a changed setting waits for /reload with a
message that says so, and a start after a look at a waiting file reads no YAML."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.programme import remembered, source
from tests.test_rsvp_support import NOW, PROGRAMME

ORG, ORG_SV, EMMA = 1, 4, 2
REAL = ["plugins.basics", "plugins.programme", "plugins.rsvp"]
OURS = PROGRAMME.replace("The labour market after corona", "Our real meeting")
SWITCHED = ("⚠️ The programme file setting changed while I was stopped: it now names "
            "ours.yaml, not the file the programme in use came from.")
FILE_CHANGED = "⚠️ The programme file ours.yaml differs from the programme in use"


async def bot(mingel_chat, tmp_path: Path, programme: Path | None = None,
              organisers: tuple[int, ...] = (ORG, ORG_SV)):
    env = {"MINGEL_PROGRAMME": str(programme)} if programme else {}
    chat = await mingel_chat(REAL, organisers=list(organisers), now=NOW,
                             data_dir=tmp_path / "data", env=env)
    chat.user(ORG, "Olga", lang="en")
    chat.user(ORG_SV, "Oskar", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    return chat


def ours(tmp_path: Path, text: str = OURS, name: str = "ours.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_the_bundled_sample_gives_way_to_the_configured_file_with_no_organisers(
        mingel_chat, tmp_path, caplog) -> None:
    sample = await bot(mingel_chat, tmp_path, organisers=())
    assert "Labour-market policy network" in sample.text(await sample.send("/programme", EMMA))
    await sample.stop()
    path = ours(tmp_path)
    with caplog.at_level("WARNING"):
        chat = await bot(mingel_chat, tmp_path, path, organisers=())
    assert f"the programme in use at the last stop was the bundled sample: now using {path}" \
        in caplog.text
    assert "Our real meeting" in chat.text(await chat.send("/event hybrid", EMMA))
    path.write_text(OURS.replace("Our real meeting", "Edited while stopped"), encoding="utf-8")
    await chat.restart()  # the file was remembered: an edit now waits for /reload
    assert "Our real meeting" in chat.text(await chat.send("/event hybrid", EMMA))


async def test_the_organisers_are_not_asked_to_confirm_leaving_the_sample(mingel_chat,
                                                                          tmp_path) -> None:
    await (await bot(mingel_chat, tmp_path)).stop()
    chat = await bot(mingel_chat, tmp_path, ours(tmp_path))
    await chat.deliver()
    assert chat.sent_to(ORG) == [] and chat.sent_to(ORG_SV) == []
    assert "Our real meeting" in chat.text(await chat.send("/event hybrid", EMMA))
    assert chat.text(await chat.send("/reload", ORG)).startswith("Nothing changed")


async def test_a_sample_remembered_without_its_origin_gives_way_too(mingel_chat,
                                                                    tmp_path) -> None:
    sample = await bot(mingel_chat, tmp_path)
    table = sample.context("programme").table("in_use")
    table.put(remembered.KEY, {k: v for k, v in table.get(remembered.KEY).items()
                               if k != "origin"})
    await sample.stop()
    chat = await bot(mingel_chat, tmp_path, ours(tmp_path))
    await chat.deliver()
    assert chat.sent_to(ORG) == []
    assert "Our real meeting" in chat.text(await chat.send("/event hybrid", EMMA))


async def test_a_changed_programme_file_setting_waits_for_reload_and_says_so(
        mingel_chat, tmp_path, caplog) -> None:
    first = ours(tmp_path, PROGRAMME, "programme.yaml")
    chat = await bot(mingel_chat, tmp_path, first)
    await chat.send("/start", ORG_SV)
    await chat.stop()
    path = ours(tmp_path)
    with caplog.at_level("WARNING"):
        chat = await bot(mingel_chat, tmp_path, path)
    assert f"the programme file setting changed: MINGEL_PROGRAMME is now {path}, but the " \
           f"programme in use at the last stop came from {first.resolve()}" in caplog.text
    await chat.deliver()
    assert "The labour market after corona" in chat.text(await chat.send("/event hybrid", EMMA))
    [told] = chat.sent_to(ORG)
    assert told.text.startswith(SWITCHED)
    assert "Send /reload to see what ours.yaml changes" in told.text
    [told_sv] = chat.sent_to(ORG_SV)
    assert told_sv.text.startswith("⚠️ Inställningen för programfilen ändrades medan jag var "
                                   "avstängd: den pekar nu på ours.yaml")
    preview = chat.text(await chat.send("/reload", ORG))
    assert "The labour market after corona → Our real meeting" in preview
    await chat.press("Confirm", ORG)
    assert "Our real meeting" in chat.text(await chat.send("/event hybrid", EMMA))
    await chat.restart()
    await chat.deliver()
    assert len(chat.sent_to(ORG)) == 1  # the new file is the one in use now
    assert "Our real meeting" in chat.text(await chat.send("/event hybrid", EMMA))


async def test_an_edit_to_the_same_file_still_says_it_was_changed(mingel_chat, tmp_path,
                                                                  caplog) -> None:
    path = ours(tmp_path, PROGRAMME)
    await (await bot(mingel_chat, tmp_path, path, organisers=())).stop()
    path.write_text(OURS, encoding="utf-8")
    with caplog.at_level("WARNING"):
        chat = await bot(mingel_chat, tmp_path, path, organisers=())
    assert f"the programme file {path} differs from the programme in use" in caplog.text
    assert "no organisers are configured (MINGEL_ORGANISERS), so nobody can confirm it" \
        in caplog.text
    assert "The labour market after corona" in chat.text(await chat.send("/event hybrid", EMMA))


async def test_an_upload_kept_beside_the_sample_is_not_replaced_by_it(mingel_chat,
                                                                      tmp_path) -> None:
    chat = await bot(mingel_chat, tmp_path)
    await chat.upload("programme.yaml", PROGRAMME.encode(), ORG)
    await chat.press("Confirm", ORG)
    await chat.restart()
    await chat.deliver()
    assert "The labour market after corona" in chat.text(await chat.send("/event hybrid", EMMA))
    assert chat.sent_to(ORG)[-1].text.startswith(
        "⚠️ The programme file sample.yaml differs from the programme in use")
    await chat.stop()
    chat = await bot(mingel_chat, tmp_path, ours(tmp_path))
    await chat.deliver()
    assert "The labour market after corona" in chat.text(await chat.send("/event hybrid", EMMA))
    assert chat.sent_to(ORG)[-1].text.startswith(SWITCHED)


async def test_a_start_after_a_look_at_a_waiting_file_reads_no_yaml(
        mingel_chat, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = ours(tmp_path, PROGRAMME)
    chat = await bot(mingel_chat, tmp_path, path)
    path.write_text(OURS, encoding="utf-8")
    await chat.restart()
    assert "The labour market after corona → Our real meeting" in chat.text(
        await chat.send("/reload", ORG))
    await chat.press("Cancel", ORG)
    parsed: list[str] = []
    parse = source.parse_programme
    monkeypatch.setattr(source, "parse_programme",
                        lambda text, *args: parsed.append(text) or parse(text, *args))
    await chat.restart()
    assert "The labour market after corona" in chat.text(await chat.send("/event hybrid", EMMA))
    assert "The labour market after corona → Our real meeting" in chat.text(
        await chat.send("/reload", ORG))
    assert parsed == []  # both the programme in use and the waiting file came from the cache
    await chat.press("Confirm", ORG)
    await chat.restart()
    assert sorted(p.name for p in (tmp_path / "data").glob("programme*.cache")) == \
        [f"programme-{source.fingerprint(OURS)}.cache"]  # the replaced one is gone


def test_the_sample_mingel_ships_is_known_by_its_fingerprint() -> None:
    """A release that changes the sample adds its fingerprint, or the sample in use would
    no longer give way to a configured file."""
    from assistant.config import SAMPLE_PROGRAMME
    text = source.decode(SAMPLE_PROGRAMME.read_bytes(), str(SAMPLE_PROGRAMME))
    assert source.fingerprint(text) in remembered.SHIPPED_SAMPLES


async def test_a_sample_edited_in_place_is_a_real_programme_whose_edits_wait(
        mingel_chat, tmp_path, monkeypatch) -> None:
    """The operator wrote their meetings into the bundled sample's file (the default
    MINGEL_PROGRAMME): an edit while stopped waits for /reload as any file's does."""
    sample = ours(tmp_path, PROGRAMME, "sample.yaml")
    monkeypatch.setattr(source, "SAMPLE_PROGRAMME", sample)
    chat = await bot(mingel_chat, tmp_path, sample)
    assert source.is_bundled(chat.assistant)
    await chat.send("/event hybrid", EMMA)
    await chat.press("Coming in person", EMMA)
    await chat.stop()
    sample.write_text(PROGRAMME.replace("The labour market after corona", "Moved meeting"),
                      encoding="utf-8")
    chat = await bot(mingel_chat, tmp_path, sample)
    await chat.deliver()
    assert "Moved meeting" not in chat.text(await chat.send("/event hybrid", EMMA))
    assert any("sample.yaml differs from the programme in use" in chat.text([r])
               for r in chat.sent_to(ORG))


async def test_a_cache_that_could_not_be_written_leaves_nothing_behind(
        mingel_chat, tmp_path, monkeypatch) -> None:
    """The parsed programme's cache only saves time: a failed write (a full disk) or one cut
    short by a kill leaves no 2.6 MB part-file behind."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "programme-0123456789abcdef.cache.4242.tmp").write_bytes(b"cut short")

    real_replace = source.os.replace

    def refuse(src: object, dst: object) -> None:
        if Path(str(dst)).name.startswith("programme-"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(source.os, "replace", refuse)
    chat = await bot(mingel_chat, tmp_path, ours(tmp_path))
    assert "Our real meeting" in chat.text(await chat.send("/event hybrid", EMMA))
    await chat.stop()  # the cache is written once the index is made, or at the latest here
    assert sorted(p.name for p in data.glob("programme*")) == []
