"""The harness's clock takes the moments a test writes, as text or as a datetime."""
from datetime import UTC, datetime

import pytest

from assistant.clock import FakeClock


def test_a_clock_set_to_an_iso_text_is_at_that_moment_and_ticks_on_from_there() -> None:
    clock = FakeClock("2027-08-01T08:00:00+00:00")
    clock.set("2027-09-03T07:59:00+00:00")
    assert clock.now() == datetime(2027, 9, 3, 7, 59, tzinfo=UTC)
    assert clock.advance(minutes=1) == datetime(2027, 9, 3, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("when", ["2027-09-03T07:59:00", datetime(2027, 9, 3, 7, 59)])
def test_a_clock_refuses_a_moment_without_a_time_zone_when_set(when: object) -> None:
    clock = FakeClock("2027-08-01T08:00:00+00:00")
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(when)  # type: ignore[arg-type]
    assert clock.now() == datetime(2027, 8, 1, 8, 0, tzinfo=UTC)
