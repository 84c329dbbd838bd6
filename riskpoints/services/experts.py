"""The office's expert review of a risk point: assignment and opinions."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm

from powerlist.notifications.services import NoticeEvent, notifications_send
from riskpoints.models import ExpertAssignment, RiskPoint
from riskpoints.permissions import REVIEW_PERMISSION, can_assign_experts, can_be_expert_for, can_record_opinion


def riskpoint_assign_experts(*, user, riskpoint, experts):
    """The office reviewer in scope asks `experts` for an opinion in the current office
    review round. Each must be an expert of this level (or above) or a leader of
    another member unit. Grants each the object permission to read the point
    (django-guardian), records who assigned whom and when, and after commit sends each
    expert an "assignment" notice. Re-assigning someone already asked in this round is
    refused. Returns the new assignments."""
    experts = list(experts)
    if not experts:
        raise ValidationError(_("请至少选择一位专家。"))
    with transaction.atomic():
        locked = RiskPoint.objects.select_for_update().select_related("region").get(pk=riskpoint.pk)
        decision = can_assign_experts(user, locked)
        if not decision:
            raise PermissionDenied(decision.reason)
        errors = []
        for expert in experts:
            eligible = can_be_expert_for(expert, locked)
            if not eligible:
                errors.append(eligible.reason)
        already = set(
            ExpertAssignment.objects.filter(riskpoint=locked, round_version=locked.version,
                                            expert__in=experts).values_list("expert_id", flat=True)
        )
        for expert in experts:
            if expert.pk in already:
                errors.append(_("%(user)s 已在本轮评审中。") % {"user": expert})
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        created = ExpertAssignment.objects.bulk_create(
            [
                ExpertAssignment(riskpoint=locked, expert=expert, round_version=locked.version,
                                 assigned_by=user, assigned_at=now)
                for expert in experts
            ]
        )
        for expert in experts:
            assign_perm(f"riskpoints.{REVIEW_PERMISSION}", expert, locked)
        notice = NoticeEvent(
            kind="assignment",
            recipient_ids=frozenset(expert.pk for expert in experts),
            item_label=str(locked),
            item_url=locked.get_absolute_url(),
            item_kind=RiskPoint._meta.verbose_name,
            actor_name=str(user),
            action_label=gettext_lazy("指派专家评审"),
            # The choice's lazy label: the notice is written in the portal's language.
            state_label=dict(RiskPoint._meta.get_field("state").flatchoices).get(locked.state, locked.state),
            comment="",
        )
        transaction.on_commit(partial(notifications_send, events=[notice]))
    return created


def riskpoint_record_opinion(*, user, riskpoint, verdict, comment=""):
    """An assigned expert records the opinion for the current round (once; a second
    call while the round is open replaces it). "Agree with changes" and "disagree"
    need a comment. Raises PermissionDenied when not assigned or the round closed."""
    comment = (comment or "").strip()
    if verdict not in ExpertAssignment.Verdict.values:
        raise ValidationError({"verdict": _("请选择评审意见。")})
    if verdict != ExpertAssignment.Verdict.AGREE and not comment:
        raise ValidationError({"comment": _("“修改后同意”或“不同意”时须写明意见。")})
    with transaction.atomic():
        locked = RiskPoint.objects.select_for_update().get(pk=riskpoint.pk)
        assignment = (
            ExpertAssignment.objects.select_for_update()
            .filter(riskpoint=locked, expert=user)
            .order_by("-round_version")
            .first()
        )
        decision = can_record_opinion(user, locked, assignment)
        if not decision:
            raise PermissionDenied(decision.reason)
        assignment.verdict = verdict
        assignment.comment = comment
        assignment.answered_at = timezone.now()
        assignment.save(update_fields=["verdict", "comment", "answered_at"])
    return assignment
