"""The assessment's indicators: their keys, labels and default weights (one list, read by
the weights form, the computation, the pages, the charts and the exports)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    default_weight: int
    explanation: str


INDICATORS = (
    Indicator("catalogue", _("目录完整率"), 20,
              _("未取消的事项中,目录要素齐全、有流程图、有廉政风险点且每个风险点都有防范措施的比例")),
    Indicator("review", _("审核及时率"), 10,
              _("本季度部门审核人处理的提交中,在提交后 5 日内处理的比例")),
    Indicator("disclosure", _("公开完整率"), 15,
              _("已确认且未取消的事项中,已向社会公开的比例")),
    Indicator("cases", _("按时办结率"), 20,
              _("本季度办结的办件中按时办结的比例")),
    Indicator("cards", _("红黄牌"), 10,
              _("100 分起,本季度每张黄牌扣 5 分、每张红牌扣 10 分,扣完为止")),
    Indicator("complaints", _("投诉率"), 10,
              _("100 分起,本季度每百件办件收到 1 件投诉扣 10 分,扣完为止")),
    Indicator("complaint_handling", _("投诉办理时长"), 5,
              _("本季度答复的投诉平均用时(自然日):15 日以内 100 分,每超 1 日扣 5 分")),
    Indicator("rectification", _("整改按期率"), 10,
              _("整改期限在本季度内(或之前到期仍未完成)的整改中,按期报送并通过验收的比例")),
)
INDICATOR_KEYS = tuple(i.key for i in INDICATORS)
BY_KEY = {i.key: i for i in INDICATORS}


class Grade:
    EXCELLENT = "excellent"
    GOOD = "good"
    PASS = "pass"
    FAIL = "fail"
    CHOICES = ((EXCELLENT, _("优秀")), (GOOD, _("良好")), (PASS, _("合格")), (FAIL, _("不合格")))
    LABELS = dict(CHOICES)
    COLOURS = {EXCELLENT: "#1e7b34", GOOD: "#3b6fb6", PASS: "#d4a017", FAIL: "#c0392b"}
