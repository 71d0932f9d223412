"""date(), mktime(), strtotime() and time(): LimeSurvey's (PHP's) date functions, in
UTC. The expected values were given by PHP 8.2 (`date_default_timezone_set("UTC")`);
JavaScript is held to Python by tests/test_to_js.py, and here on the corners."""

from __future__ import annotations

import time

import pytest

from qengine.expr.functions import FUNCTIONS, FunctionError


def call(name, *args):
    return FUNCTIONS[name].python(*args)


FORMAT = "Y m d H i s j n y D l N w z t L"


@pytest.mark.parametrize(("timestamp", "php"), [
    (0, "1970 01 01 00 00 00 1 1 70 Thu Thursday 4 4 0 31 0"),
    (-1, "1969 12 31 23 59 59 31 12 69 Wed Wednesday 3 3 364 31 0"),
    (951782400, "2000 02 29 00 00 00 29 2 00 Tue Tuesday 2 2 59 29 1"),
    (1709251199, "2024 02 29 23 59 59 29 2 24 Thu Thursday 4 4 59 29 1"),
    (1234567890, "2009 02 13 23 31 30 13 2 09 Fri Friday 5 5 43 28 0"),
    (-2208988800, "1900 01 01 00 00 00 1 1 00 Mon Monday 1 1 0 31 0"),
    (4102444800, "2100 01 01 00 00 00 1 1 00 Fri Friday 5 5 0 31 0"),
    (-62135596800, "0001 01 01 00 00 00 1 1 01 Mon Monday 1 1 0 31 0"),
    (253402300799, "9999 12 31 23 59 59 31 12 99 Fri Friday 5 5 364 31 0"),
    ("1234567890", "2009 02 13 23 31 30 13 2 09 Fri Friday 5 5 43 28 0"),
    (1.9, "1970 01 01 00 00 01 1 1 70 Thu Thursday 4 4 0 31 0"),
])
def test_date(timestamp, php):
    assert call("date", FORMAT, timestamp) == php


def test_date_quotes_and_passes_through():
    assert call("date", "\\Y\\\\Y", 0) == "Y\\1970"  # PHP: Y\1970
    assert call("date", "d/m/Y à H:i", 86400 * 365) == "01/01/1971 à 00:00"
    assert call("date", "", 0) == ""
    assert call("date", "Y", None) == "" and call("date", "Y", "") == ""


@pytest.mark.parametrize(("args", "error"), [
    (("a", 0), "date(): the format letter 'a' is not supported"),
    (("Y-M", 0), "the format letter 'M' is not supported"),
    (("Y", 253402300800), "the date is out of range (years 1 to 9999)"),
    (("Y", "soon"), "'soon' is not a number"),
])
def test_date_refuses(args, error):
    with pytest.raises(FunctionError) as err:
        call("date", *args)
    assert error in str(err.value)


@pytest.mark.parametrize(("args", "php"), [
    ((0, 0, 0, 2, 30, 2024), 1709251200),
    ((25, 61, 61, 13, 32, 2023), 1706839321),
    ((0, 0, 0, 0, 0, 2024), 1701302400),
    ((0, 0, 0, 1, 1, 69), 3124224000),
    ((0, 0, 0, 1, 1, 70), 0),
    ((0, 0, 0, 1, 1, 100), 946684800),
    ((0, 0, 0, 1, 1, 101), -58979923200),
    ((-5, 0, 0, 1, 1, 2000), 946666800),
    ((0, 0, 0, -13, 1, 2000), 909878400),
    ((12, 30, 0, 6, 15, 1815), -4877062200),
])
def test_mktime(args, php):
    assert call("mktime", *args) == php


def test_mktime_empty_and_refusals():
    assert call("mktime", 0, 0, None, 1, 1, 2000) is None
    with pytest.raises(FunctionError, match="too large"):
        call("mktime", 0, 0, 0, 1, 1, 10**10)
    with pytest.raises(FunctionError, match="out of range"):
        call("mktime", 0, 0, 0, 1, 1, 10000)


@pytest.mark.parametrize(("text", "php"), [
    ("2023-02-30", 1677715200), ("2023-02-32", None), ("2023-13-01", None),
    ("2024-01-01 24:00", 1704153600), ("2024-01-01 24:00:01", 1704153601),
    ("2024-01-01T10:00:00Z", 1704103200), ("2024-01-01 10:00:00+02:00", 1704096000),
    ("2024-01-01T10:00:00-0530", 1704123000), (" 2024-01-01 ", 1704067200), ("2024-01-01T10:00", 1704103200),
    ("2024-1-1", 1704067200), ("0001-01-01", -62135596800), ("2024-01-01 10:00:60", 1704103260),
    ("2024-01-01 10:60", None), ("2024-00-10", 1702166400), ("2024-01-00", 1703980800),
    ("abc", None), ("", None), ("1999-12-31 23:59:59", 946684799),
])
def test_strtotime(text, php):
    assert call("strtotime", text) == php


def test_date_of_strtotime_round_trips():
    assert call("date", "Y-m-d", call("strtotime", "2024-02-29")) == "2024-02-29"
    assert call("date", "Y-m-d", call("mktime", 0, 0, 0, 2, 30, 2024)) == "2024-03-01"


def test_time_is_now():
    before = int(time.time())
    assert before <= call("time") <= int(time.time())


def test_the_survey_runs_them(tmp_path):
    import qengine

    survey = qengine.load('''survey s "S"
group g "G"
  date d "When?"
  display later "After 2024."
    when strtotime(d) >= mktime(0, 0, 0, 1, 1, 2025)
  display day "A Thursday."
    when date("l", strtotime(d)) == "Thursday"
''')
    session = survey.start()
    session.answer("d", "2024-02-29")
    assert not session.is_visible("later") and session.is_visible("day")
    session.answer("d", "2025-01-01")
    assert session.is_visible("later")
