"""Calendar rules for membership terms (pure functions, no app or database)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.membership.terms import (
    anniversary,
    reminder_kind,
    renewal_start,
    term_end,
)

DAY = timedelta(days=1)
TODAY = date(2026, 6, 15)
any_date = st.dates(min_value=date(1900, 1, 1), max_value=date(2400, 12, 31))
grace_days = st.integers(min_value=0, max_value=365)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def term_length(start: date) -> int:
    return (term_end(start) - start).days + 1


# Term length


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 3, 1), date(2027, 2, 28)),
        (date(2023, 3, 1), date(2024, 2, 29)),
        (date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_term_ends_the_day_before_its_anniversary(start: date, end: date) -> None:
    assert term_end(start) == end


def test_february_29_start_ends_on_28_february_next_year() -> None:
    assert anniversary(date(2024, 2, 29)) == date(2025, 3, 1)
    assert term_end(date(2024, 2, 29)) == date(2025, 2, 28)


@given(any_date)
def test_every_term_lasts_365_or_366_days(start: date) -> None:
    assert term_length(start) in (365, 366)


@given(any_date)
def test_anniversary_keeps_month_and_day_except_on_29_february(start: date) -> None:
    after = anniversary(start)
    assert after.year == start.year + 1
    if (start.month, start.day) == (2, 29):
        assert (after.month, after.day) == (3, 1)
    else:
        assert (after.month, after.day) == (start.month, start.day)


# Renewal


@given(any_date)
def test_chained_renewals_are_contiguous_and_do_not_drift(first: date) -> None:
    start = expected = first
    for _ in range(50):
        end = term_end(start)
        assert term_length(start) in (365, 366)
        start = renewal_start(end, today=end)
        assert start == end + DAY
        # A 29 February start moves to 1 March for good: the member never pays
        # for a day twice, and the chain then keeps 1 March.
        expected = anniversary(expected)
        assert start == expected


def test_chain_from_29_february_settles_on_1_march() -> None:
    starts = [date(2024, 2, 29)]
    for _ in range(4):
        starts.append(renewal_start(term_end(starts[-1]), today=starts[-1]))
    assert starts[1:] == [date(y, 3, 1) for y in (2025, 2026, 2027, 2028)]


@given(any_date, grace_days, st.data())
def test_renewal_while_current_or_in_grace_starts_the_day_after_the_end(
    end: date, grace: int, data: st.DataObject
) -> None:
    today = end + days(data.draw(st.integers(min_value=-400, max_value=grace)))
    assert renewal_start(end, today, grace_days=grace) == end + DAY


def test_renewal_ignores_a_requested_date_while_current_or_in_grace() -> None:
    end = date(2026, 6, 30)
    for today in (end - days(20), end, end + days(30)):
        for requested in (today - days(5), today + days(90)):
            assert renewal_start(end, today, requested=requested) == end + DAY


def test_renewal_on_the_last_day_of_grace_still_continues_the_term() -> None:
    end = date(2026, 1, 31)
    assert renewal_start(end, end + days(30)) == date(2026, 2, 1)
    assert renewal_start(end, end + days(10), grace_days=10) == date(2026, 2, 1)


@given(any_date, grace_days, st.integers(min_value=1, max_value=2000))
def test_renewal_after_grace_starts_today(end: date, grace: int, late: int) -> None:
    today = end + days(grace + late)
    assert renewal_start(end, today, grace_days=grace) == today


def test_renewal_after_grace_may_start_on_a_later_requested_date() -> None:
    end = TODAY - days(31)
    assert renewal_start(end, TODAY, requested=TODAY) == TODAY
    assert renewal_start(end, TODAY, requested=TODAY + days(14)) == TODAY + days(14)


def test_renewal_after_grace_refuses_a_start_in_the_past() -> None:
    end = TODAY - days(31)
    with pytest.raises(ValueError, match="cannot start in the past"):
        renewal_start(end, TODAY, requested=TODAY - DAY)


def test_first_term_starts_today_or_on_any_requested_date() -> None:
    assert renewal_start(None, TODAY) == TODAY
    back_dated = date(2019, 9, 1)
    assert renewal_start(None, TODAY, requested=back_dated) == back_dated
    assert renewal_start(None, TODAY, requested=TODAY + days(10)) == TODAY + days(10)


# Reminders


END = date(2026, 9, 30)


@pytest.mark.parametrize(
    ("days_before_end", "kind"),
    [
        (31, None),
        (30, "expiring_30"),
        (8, "expiring_30"),
        (7, "expiring_7"),
        (0, "expiring_7"),
        (-1, "ended"),
        (-30, "ended"),
        (-31, None),
    ],
)
def test_reminder_windows_include_their_boundaries(
    days_before_end: int, kind: str | None
) -> None:
    assert reminder_kind(END, END - days(days_before_end)) == kind


def test_ended_reminder_window_follows_the_grace_length() -> None:
    assert reminder_kind(END, END + days(10), grace_days=10) == "ended"
    assert reminder_kind(END, END + days(11), grace_days=10) is None


def test_sweep_skipped_for_10_days_sends_only_the_latest_reminder() -> None:
    # Last sweep ran 12 days before the end; the next one runs 2 days before it.
    assert reminder_kind(END, END - days(12)) == "expiring_30"
    assert reminder_kind(END, END - days(2)) == "expiring_7"


def test_sweep_skipped_across_the_end_sends_the_ended_reminder() -> None:
    assert reminder_kind(END, END - days(5)) == "expiring_7"
    assert reminder_kind(END, END + days(5)) == "ended"
