"""factory_boy factories for risk points, countermeasures and benchmarks."""

import datetime

import factory
from factory.django import DjangoModelFactory

from riskpoints.models import Countermeasure, DiscretionBenchmark, RiskLevel, RiskPoint, RiskSource, Stage
from tests.powerlist.factories import PowerFactory


class RiskPointFactory(DjangoModelFactory):
    class Meta:
        model = RiskPoint

    power = factory.SubFactory(PowerFactory)
    region = factory.SelfAttribute("power.region")
    department = factory.SelfAttribute("power.department")
    division = factory.SelfAttribute("power.division")
    number = factory.Sequence(lambda n: n + 1)
    stage = Stage.DECISION
    post_name = "审批岗"
    source = RiskSource.BUSINESS_PROCESS
    description = "违规核准不符合产业政策的项目"
    manifestation = "对不符合条件的申请予以核准,收受好处"
    level = RiskLevel.HIGH
    level_reason = "涉及项目核准"
    monitoring_indicator = "核准事项抽查不合格率"
    responsible_person = "王经办"
    responsible_leader = "李处长"


class CountermeasureFactory(DjangoModelFactory):
    class Meta:
        model = Countermeasure

    riskpoint = factory.SubFactory(RiskPointFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = Countermeasure.Kind.NEW_RULE
    text = "建立项目核准集体审议制度"
    responsible_unit = "投资处"
    responsible_person = "王经办"
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


class BenchmarkFactory(DjangoModelFactory):
    class Meta:
        model = DiscretionBenchmark

    power = factory.SubFactory(PowerFactory)
    region = factory.SelfAttribute("power.region")
    department = factory.SelfAttribute("power.department")
    title = "价格违法行为行政处罚裁量基准"
    statutory_min = 50000
    statutory_max = 500000
    statutory_text = "处五万元以上五十万元以下的罚款"


def benchmark_rows(violation="不执行政府指导价", ranges=((50000, 150000), (150000, 300000), (300000, 500000)),
                   grades=("minor", "general", "serious")):
    return [
        {
            "violation": violation,
            "clause_breached": "《中华人民共和国价格法》第十二条",
            "penalty_basis": "《中华人民共和国价格法》第三十九条",
            "grade": grade,
            "circumstances": f"情节{grade}",
            "range_min": lo,
            "range_max": hi,
            "measure_text": f"处{lo}元以上{hi}元以下罚款",
        }
        for grade, (lo, hi) in zip(grades, ranges)
    ]

