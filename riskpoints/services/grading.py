"""The office's grading rule and the level it suggests for a risk point."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from riskpoints.models import LEVEL_RANK, RiskGradingRule, RiskLevel
from riskpoints.permissions import can_edit_grading_rule

RULE_FIELDS = ("mode", "high_threshold", "medium_threshold", "high_category_codes", "high_keywords")


def grading_rule_for(region):
    """The region's rule, or an unsaved default (likelihood × impact 15/8, ZD/ZS/CF high)."""
    rule = RiskGradingRule.objects.filter(region=region).first()
    return rule or RiskGradingRule(region=region)


def grading_rule_update(*, user, region, data):
    """The office reviewer of `region` sets its rule. Raises PermissionDenied,
    ValidationError (medium threshold above the high one)."""
    decision = can_edit_grading_rule(user, region)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        rule = RiskGradingRule.objects.select_for_update().filter(region=region).first() or RiskGradingRule(
            region=region
        )
        for name in RULE_FIELDS:
            if name in data:
                setattr(rule, name, data[name])
        rule.updated_by = user
        rule.full_clean()
        if rule.medium_threshold > rule.high_threshold:
            raise ValidationError({"medium_threshold": _("中等级分值下限不能高于高等级分值下限。")})
        rule.save()
    return rule


def _by_score(rule, likelihood, impact):
    if not likelihood or not impact:
        return None
    score = likelihood * impact
    if score >= rule.high_threshold:
        level = RiskLevel.HIGH
    elif score >= rule.medium_threshold:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    reason = _("发生可能性 %(l)s × 影响程度 %(i)s = %(s)s 分(高≥%(h)s,中≥%(m)s)") % {
        "l": likelihood, "i": impact, "s": score, "h": rule.high_threshold, "m": rule.medium_threshold,
    }
    return level, reason


def _by_kind(rule, power):
    category = power.category
    if category.code.upper() in rule.category_codes():
        return RiskLevel.HIGH, _("职权类别“%(c)s”按规则一律定为高等级") % {"c": category.name}
    for word in rule.keywords():
        if word in power.name:
            return RiskLevel.HIGH, _("事项涉及“%(w)s”,按规则定为高等级") % {"w": word}
    return None


def riskpoint_suggest_level(*, power, likelihood=None, impact=None, rule=None):
    """(level or "", reason) the region's rule suggests; the higher of the two methods
    in "both" mode. The clerk may choose another level with a reason."""
    rule = rule or grading_rule_for(power.region)
    results = []
    if rule.mode in (RiskGradingRule.Mode.SCORE, RiskGradingRule.Mode.BOTH):
        results.append(_by_score(rule, likelihood, impact))
    if rule.mode in (RiskGradingRule.Mode.CATEGORY, RiskGradingRule.Mode.BOTH):
        results.append(_by_kind(rule, power))
    results = [r for r in results if r]
    if not results:
        if rule.mode == RiskGradingRule.Mode.CATEGORY:
            return RiskLevel.LOW, _("不属于规则列明的高风险权力类型")
        return "", _("请填写发生可能性和影响程度,以便按规则给出建议等级")
    return max(results, key=lambda r: LEVEL_RANK[r[0]])
