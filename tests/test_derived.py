"""Values kept by the identity of the programme objects they were made from."""
from __future__ import annotations

import gc
import weakref

from assistant.derived import Derived


class Meeting:
    """Stands in for an immutable programme object: equal by value, yet a different object."""

    def __init__(self, title: str) -> None:
        self.title = title

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Meeting) and other.title == self.title

    __hash__ = object.__hash__


def test_a_value_is_made_again_for_new_objects_and_kept_for_the_same_ones() -> None:
    kept: Derived[str] = Derived(2)
    made: list[str] = []

    def make(meeting: Meeting, lang: str) -> str:
        made.append(f"{meeting.title}/{lang}")
        return made[-1]

    programme, next_programme = Meeting("2027"), Meeting("2027")
    old, reloaded, other = Meeting("Labour market"), Meeting("Labour market"), Meeting("Schools")
    assert kept.get((programme, old), "sv", lambda: make(old, "sv")) == "Labour market/sv"
    assert kept.get((programme, old), "sv", lambda: make(old, "sv")) == "Labour market/sv"
    assert kept.get((programme, old), "en", lambda: make(old, "en")) == "Labour market/en"
    assert len(made) == 2, "kept per object and extra key"
    assert kept.get((programme, reloaded), "sv", lambda: make(reloaded, "sv")) \
        == "Labour market/sv"
    assert len(made) == 3, "an equal object from a reload is a new version"
    kept.get((next_programme, reloaded), "sv", lambda: make(reloaded, "sv"))
    assert len(made) == 4, "so is the same meeting in another programme"
    kept.get((programme, other), "sv", lambda: make(other, "sv"))
    kept.get((programme, old), "sv", lambda: make(old, "sv"))
    assert made[-1] == "Labour market/sv" and len(made) == 6, "at most two kept, oldest dropped"


def test_a_replaced_object_is_not_kept_alive_by_its_values() -> None:
    """A reloaded programme replaces the old one: the values made from it must not hold the
    old programme (thousands of meetings) in memory until they are dropped."""
    kept: Derived[str] = Derived(8)
    programme, old = Meeting("2027"), Meeting("Labour market")
    kept.get((programme, old), "sv", lambda: "card")
    gone, gone_programme = weakref.ref(old), weakref.ref(programme)
    del old, programme
    gc.collect()
    assert gone() is None and gone_programme() is None
    programme, again = Meeting("2027"), Meeting("Labour market")
    assert kept.get((programme, again), "sv", lambda: "new card") == "new card"
