"""Discretion benchmark rules: statutory range, grades, overlaps."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from riskpoints.services import benchmark_create, benchmark_update, benchmark_validate
from tests.riskpoints.factories import benchmark_rows

pytestmark = pytest.mark.django_db

HEADER = {"title": "价格违法行为行政处罚裁量基准", "unit": "yuan", "statutory_min": 50000,
          "statutory_max": 500000, "statutory_text": "处五万元以上五十万元以下的罚款"}


def _errors(rows, smin=50000, smax=500000):
    with pytest.raises(ValidationError) as exc:
        benchmark_validate(statutory_min=smin, statutory_max=smax, rows=rows)
    return " ".join(exc.value.messages)


def test_valid_three_and_four_grades():
    benchmark_validate(statutory_min=50000, statutory_max=500000, rows=benchmark_rows())
    four = benchmark_rows(ranges=((50000, 100000), (100000, 200000), (200000, 350000), (350000, 500000)),
                          grades=("minor", "general", "serious", "very_serious"))
    benchmark_validate(statutory_min=50000, statutory_max=500000, rows=four + benchmark_rows(violation="哄抬价格"))


def test_fewer_than_three_grades_refused():
    assert "至少应划分三个裁量阶次" in _errors(benchmark_rows()[:2])


def test_range_outside_statutory_range_refused():
    rows = benchmark_rows(ranges=((10000, 150000), (150000, 300000), (300000, 600000)))
    text = _errors(rows)
    assert "第1行" in text and "第3行" in text and "超出法定处罚幅度" in text


def test_inverted_range_refused():
    rows = benchmark_rows(ranges=((150000, 50000), (150000, 300000), (300000, 500000)))
    assert "第1行:处罚幅度下限" in _errors(rows)


def test_overlapping_grades_refused():
    rows = benchmark_rows(ranges=((50000, 200000), (150000, 300000), (300000, 500000)))
    assert "重叠" in _errors(rows)


def test_more_serious_grade_with_lower_range_refused():
    rows = benchmark_rows(ranges=((300000, 500000), (150000, 300000), (50000, 150000)))
    assert "重叠或倒置" in _errors(rows)


def test_skipped_grade_refused():
    rows = benchmark_rows(ranges=((50000, 100000), (100000, 300000), (300000, 500000)),
                          grades=("minor", "serious", "very_serious"))
    assert "缺少裁量阶次:一般" in _errors(rows)


def test_duplicate_grade_and_missing_columns_refused():
    rows = benchmark_rows()
    rows[1]["grade"] = "minor"
    rows[2]["circumstances"] = ""
    text = _errors(rows)
    assert "重复" in text and "第3行:请填写裁量判断事项" in text


def test_inverted_statutory_range_refused():
    assert "法定处罚幅度下限不能大于上限" in _errors(benchmark_rows(), smin=600000, smax=50000)


def test_clerk_creates_and_updates_benchmark(org, power):
    benchmark = benchmark_create(user=org.clerk, power=power, data=HEADER, rows=benchmark_rows())
    assert benchmark.rows.count() == 3 and benchmark.department == org.dept
    rows = benchmark_rows(ranges=((50000, 100000), (100000, 200000), (200000, 350000), (350000, 500000)),
                          grades=("minor", "general", "serious", "very_serious"))
    benchmark_update(user=org.clerk, benchmark=benchmark, data=HEADER, rows=rows)
    assert [r.grade for r in benchmark.rows.all()] == ["minor", "general", "serious", "very_serious"]
    with pytest.raises(ValidationError):
        benchmark_update(user=org.clerk, benchmark=benchmark, data=HEADER, rows=rows[:2])
    assert benchmark.rows.count() == 4  # all-or-nothing


@pytest.mark.parametrize("username", ["other_clerk", "office_reviewer", "expert"])
def test_others_cannot_write_benchmarks(org, power, username):
    with pytest.raises(PermissionDenied):
        benchmark_create(user=getattr(org, username), power=power, data=HEADER, rows=benchmark_rows())
