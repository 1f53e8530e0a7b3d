from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whomet.model import DateError, FuzzyDate


@pytest.mark.parametrize(
    ("text", "lower", "upper", "shown"),
    [
        ("2016", date(2016, 1, 1), date(2016, 12, 31), "2016"),
        ("2016-09", date(2016, 9, 1), date(2016, 9, 30), "Sep 2016"),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29), "Feb 2016"),
        ("2016-09-08", date(2016, 9, 8), date(2016, 9, 8), "8 Sep 2016"),
        ("2016-04-16/2016-04-30", date(2016, 4, 16), date(2016, 4, 30), "16–30 Apr 2016"),
        ("2016-04-16/2016-05-02", date(2016, 4, 16), date(2016, 5, 2), "16 Apr – 2 May 2016"),
        ("2016-04/2016-05", date(2016, 4, 1), date(2016, 5, 31), "Apr–May 2016"),
        ("2016-06/2017-02", date(2016, 6, 1), date(2017, 2, 28), "Jun 2016 – Feb 2017"),
        ("2016-04~", date(2016, 4, 1), date(2016, 4, 30), "c. Apr 2016"),
        ("2016-04-27?", date(2016, 4, 27), date(2016, 4, 27), "27 Apr 2016?"),
        ("2016%", date(2016, 1, 1), date(2016, 12, 31), "c. 2016?"),
        ("2016-08~/2016-09", date(2016, 8, 1), date(2016, 9, 30), "c. Aug 2016 – Sep 2016"),
    ],
)
def test_forms_read_sort_and_display_at_their_precision(text, lower, upper, shown):
    parsed = FuzzyDate.parse(text)
    assert (parsed.lower, parsed.upper) == (lower, upper)
    assert parsed.display() == shown
    assert parsed.edtf() == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2016-02-30", "has 29 days"),
        ("2017-02-29", "has 28 days"),
        ("2016-13", "no month 13"),
        ("2016-00", "no month 0"),
        ("September 2016", "not a date"),
        ("16-09-2016", "not a date"),
        ("2016-04-30/2016-04-16", "ends before it starts"),
        ("", "not a date"),
    ],
)
def test_impossible_and_unreadable_dates_are_refused_with_a_reason(text, reason):
    with pytest.raises(DateError, match=reason):
        FuzzyDate.parse(text)


def test_sorting_uses_the_lower_bound():
    dates = [FuzzyDate.parse(t) for t in ["2016-09-08", "2016", "2016-09", "2016-04-16/2016-04-30"]]
    assert [d.edtf() for d in sorted(dates, key=lambda d: d.sort_key)] == [
        "2016", "2016-04-16/2016-04-30", "2016-09", "2016-09-08",
    ]


def test_overlap_is_computed_on_bounds():
    september = FuzzyDate.parse("2016-09")
    assert september.overlaps(date(2016, 3, 3), None)
    assert september.overlaps(None, date(2016, 9, 1))
    assert not september.overlaps(date(2016, 10, 1), None)
    assert not september.overlaps(None, date(2016, 8, 31))


points = st.builds(
    lambda y, m, d, q, precision: (
        f"{y:04d}"
        + (f"-{m:02d}" if precision >= 1 else "")
        + (f"-{d:02d}" if precision >= 2 else "")
        + q
    ),
    st.integers(1000, 2999), st.integers(1, 12), st.integers(1, 28), st.sampled_from(["", "~", "?", "%"]),
    st.integers(0, 2),
)


@given(points)
def test_agrees_with_the_reference_edtf_implementation(text):
    edtf = pytest.importorskip("edtf")
    ours = FuzzyDate.parse(text)
    theirs = edtf.parse_edtf(text)
    assert ours.lower.timetuple()[:3] == tuple(theirs.lower_strict()[:3])
    assert ours.upper.timetuple()[:3] == tuple(theirs.upper_strict()[:3])


@given(points, points)
def test_intervals_agree_with_edtf_or_are_refused_for_running_backwards(first, second):
    edtf = pytest.importorskip("edtf")
    text = f"{first}/{second}"
    theirs = edtf.parse_edtf(text)
    try:
        ours = FuzzyDate.parse(text)
    except DateError:
        assert tuple(theirs.upper_strict()[:3]) < tuple(theirs.lower_strict()[:3])
        return
    assert ours.lower.timetuple()[:3] == tuple(theirs.lower_strict()[:3])
    assert ours.upper.timetuple()[:3] == tuple(theirs.upper_strict()[:3])
    assert FuzzyDate.parse(ours.edtf()) == ours


@given(points)
def test_display_never_invents_a_day(text):
    shown = FuzzyDate.parse(text).display()
    precision = text.rstrip("~?%").count("-")
    digits_shown = [part for part in shown.replace("?", "").split() if part.isdigit()]
    assert len(digits_shown) == (2 if precision == 2 else 1)
