"""The line format administrators type from the State Council's notice."""

import datetime

from supervision.calendar import DayEntry, DayKind
from supervision.calendar_entry import format_calendar_lines, parse_calendar_lines

D = datetime.date
H, L, W = DayKind.HOLIDAY, DayKind.IN_LIEU, DayKind.WORKDAY


def test_lines_of_the_notice():
    entries, errors = parse_calendar_lines(
        "2027-01-01 元旦 休\n\n# 春节\n2027-02-06..2027-02-12 春节 休\n2027-02-14 班\n2027-10-06至2027-10-07 国庆节 调休\n",
        2027,
    )
    assert errors == []
    # 02-06/07 and the weekend inside the range are rest days anyway: 08..12 are stored.
    assert entries == [
        DayEntry(D(2027, 1, 1), H, "元旦"),
        DayEntry(D(2027, 2, 8), H, "春节"), DayEntry(D(2027, 2, 9), H, "春节"),
        DayEntry(D(2027, 2, 10), H, "春节"), DayEntry(D(2027, 2, 11), H, "春节"),
        DayEntry(D(2027, 2, 12), H, "春节"),
        DayEntry(D(2027, 2, 14), W, ""),
        DayEntry(D(2027, 10, 6), L, "国庆节"), DayEntry(D(2027, 10, 7), L, "国庆节"),
    ]


def test_each_wrong_line_gets_its_own_chinese_error():
    text = "\n".join([
        "2027-01-01 元旦 休",  # 1 fine
        "2027-02-30 春节 休",  # 2 no such date
        "2027-02-08 春节",  # 3 no kind word at the end
        "2027-03-01 班",  # 4 a Monday is already worked
        "2027-01-02 元旦 休",  # 5 a Saturday is already a rest day
        "2026-12-31 元旦 休",  # 6 other year
        "2027-02-12..2027-02-08 春节 休",  # 7 reversed
        "2027-01-01 元旦 休",  # 8 repeats line 1
        "2027-05-03 休",  # 9 rest day without a name
        "明天 国庆节 休",  # 10 not a date
    ])
    entries, errors = parse_calendar_lines(text, 2027)
    assert entries == [DayEntry(D(2027, 1, 1), H, "元旦")]
    assert [e.number for e in errors] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    messages = {e.number: str(e) for e in errors}
    assert messages[2] == "第 2 行“2027-02-30 春节 休”:日期“2027-02-30”不存在。"
    assert "行末须是“休”“调休”或“班”" in messages[3]
    assert "本来就是工作日" in messages[4]
    assert "本来就休息" in messages[5]
    assert "不在 2027 年度内" in messages[6]
    assert "终点早于起点" in messages[7]
    assert "已在第 1 行录入" in messages[8]
    assert "须写出节日名称" in messages[9]
    assert "不是日期" in messages[10]


def test_format_merges_runs_over_weekends():
    entries = [
        DayEntry(D(2026, 10, 1), H, "国庆节"), DayEntry(D(2026, 10, 2), H, "国庆节"),
        DayEntry(D(2026, 10, 5), H, "国庆节"), DayEntry(D(2026, 10, 6), L, "国庆节"),
        DayEntry(D(2026, 10, 7), L, "国庆节"), DayEntry(D(2026, 9, 20), W, "国庆节"),
        DayEntry(D(2026, 10, 10), W, "国庆节"),
    ]
    assert format_calendar_lines(entries) == (
        "2026-09-20 国庆节 班\n"
        "2026-10-01..2026-10-05 国庆节 休\n"
        "2026-10-06..2026-10-07 国庆节 调休\n"
        "2026-10-10 国庆节 班"
    )
