"""The intake contract of one case event as a DRF serializer (docs/supervision.md,
"Intake"): the fields' types and bounds, the fields each kind needs, unknown fields
refused. `event_fields_check(raw)` returns (the cleaned fields, {field path: [messages]})
with nested paths such as "applicant.name"; supervision.services.intake prefixes them
with the event's place in the batch ("events[3].step") and saves nothing on any fault.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField, empty, get_error_detail

from supervision.models import EventKind, SuspensionGround

MAX_TEXT = 200
MAX_AMOUNT = Decimal("999999999999")
# Clocks of the sending systems drift; an event dated further ahead is refused.
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)
REQUIRED = {"required": _("必须填写。"), "null": _("必须填写。")}
# The choices' values once (TextChoices.values builds its list on every call).
KINDS, GROUNDS = tuple(EventKind.values), tuple(SuspensionGround.values)


class TextField(serializers.Field):
    """A string of at most `limit` characters, stripped; empty counts as missing."""

    def __init__(self, *, limit=MAX_TEXT, **kwargs):
        self.limit = limit
        kwargs.setdefault("error_messages", REQUIRED)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if data == "":
            if self.required:
                raise serializers.ValidationError(_("必须填写。"))
            return ""
        if not isinstance(data, str):
            raise serializers.ValidationError(_("须为文本。"))
        if len(data) > self.limit:
            raise serializers.ValidationError(_("最长 %(n)s 个字符。") % {"n": self.limit})
        return data.strip()

    def to_representation(self, value):
        return value


class NumberField(serializers.Field):
    """A finite number between `low` and `high` (an integer when `integer`), given as a
    JSON number or a numeric string; a Decimal (or int)."""

    def __init__(self, *, low, high, integer=False, **kwargs):
        self.low, self.high, self.integer = low, high, integer
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            raise serializers.ValidationError(_("须为数字。"))
        try:
            number = Decimal(str(data))
        except InvalidOperation:
            raise serializers.ValidationError(_("须为数字。")) from None
        if (not number.is_finite() or not (self.low <= number <= self.high)
                or (self.integer and number != number.to_integral())):
            kind = _("整数") if self.integer else _("数字")
            raise serializers.ValidationError(_("须为 %(low)s 至 %(high)s 之间的%(kind)s。")
                                              % {"low": self.low, "high": self.high, "kind": kind})
        return int(number) if self.integer else number

    def to_representation(self, value):
        return str(value)


class StrictBooleanField(serializers.Field):
    """true or false as JSON booleans only (not "yes", 1 or "true")."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            raise serializers.ValidationError(_("须为 true 或 false。"))
        return data

    def to_representation(self, value):
        return value


class OccurredAtField(serializers.Field):
    """An ISO 8601 time (naive ones are in the portal's zone), not after now (with the
    tolerance) nor before 2000."""

    default_error_messages = REQUIRED

    def to_internal_value(self, data):
        moment = parse_datetime(data) if isinstance(data, str) and len(data) <= 40 else None
        if moment is None:
            raise serializers.ValidationError(_("须为 ISO 8601 时间,如 2026-11-02T09:30:00+08:00。"))
        moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        if moment > timezone.now() + FUTURE_TOLERANCE:
            raise serializers.ValidationError(_("发生时间晚于当前时间。"))
        if moment.year < 2000:
            raise serializers.ValidationError(_("发生时间早于 2000 年。"))
        return moment

    def to_representation(self, value):
        return value.isoformat()


class KindField(serializers.Field):
    """One of the event kinds."""

    default_error_messages = REQUIRED

    def to_internal_value(self, data):
        if data not in KINDS:
            raise serializers.ValidationError(_("须为以下之一:%(kinds)s。") % {"kinds": "、".join(KINDS)})
        return data

    def to_representation(self, value):
        return value


class ReasonsField(serializers.Field):
    """A refusal's reasons: a text or a list of at most 20 texts of at most 500 characters."""

    def to_internal_value(self, data):
        reasons = [data] if isinstance(data, str) else data
        if not (isinstance(reasons, list) and len(reasons) <= 20
                and all(isinstance(r, str) and len(r) <= 500 for r in reasons)):
            raise serializers.ValidationError(_("须为文本或文本列表(每条不超过 500 字)。"))
        return reasons

    def to_representation(self, value):
        return value


class StrictSerializer(serializers.Serializer):
    """A serializer that refuses fields it does not declare, each named."""

    not_an_object = _("须为对象。")

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({serializers.api_settings.NON_FIELD_ERRORS_KEY: [self.not_an_object]})
        unknown = {name: [_("未知字段。")] for name in sorted(set(map(str, data)) - set(self.fields))}
        value, errors = {}, {}
        # DRF's own loop (Serializer.to_internal_value), but an absent optional field
        # without a default is passed over instead of raising and catching SkipField:
        # an event sends five of its seventeen fields, and the skipping was most of the
        # serializer's cost (about 0.2 ms per event).
        for name, field in self.fields.items():
            if name not in data and not field.required and field.default is empty:
                continue
            try:
                value[name] = field.run_validation(field.get_value(data))
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
            except DjangoValidationError as exc:
                errors[name] = get_error_detail(exc)
            except SkipField:
                pass
        if errors:
            raise serializers.ValidationError({**unknown, **errors})
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class ApplicantSerializer(StrictSerializer):
    not_an_object = _("须为对象(name、id_number、phone)。")
    name = TextField(limit=200, required=False, allow_null=True)
    id_number = TextField(limit=40, required=False, allow_null=True)
    phone = TextField(limit=30, required=False, allow_null=True)


class MeasureSerializer(StrictSerializer):
    not_an_object = _("须为对象(amount、unit、grade)。")
    amount = NumberField(low=0, high=MAX_AMOUNT, required=False, allow_null=True)
    unit = TextField(required=False, allow_null=True)
    grade = TextField(required=False, allow_null=True)
    text = TextField(required=False, allow_null=True)


class CaseEventSerializer(StrictSerializer):
    """One event as a system sends it. The fields a kind needs are checked in
    `validate` (after the fields' own checks)."""

    not_an_object = _("每个事件须为 JSON 对象。")
    event_id = TextField(limit=64)
    kind = KindField()
    case = TextField(limit=64)
    occurred_at = OccurredAtField()
    person = TextField(limit=100, required=False, allow_null=True)
    power = TextField(limit=50, required=False, allow_null=True)
    applicant = ApplicantSerializer(required=False, allow_null=True)
    online = StrictBooleanField(required=False)
    step = TextField(limit=100, required=False, allow_null=True)
    reasons = ReasonsField(required=False, allow_null=True)
    ground = TextField(required=False, allow_null=True)
    days = NumberField(low=1, high=365, integer=True, required=False, allow_null=True)
    approver = TextField(required=False, allow_null=True)
    measure = MeasureSerializer(required=False, allow_null=True)
    amount = NumberField(low=0, high=MAX_AMOUNT, required=False, allow_null=True)
    note = TextField(limit=500, required=False, allow_null=True)

    def validate(self, attrs):
        kind, errors = attrs["kind"], {}

        def need(name, message=_("必须填写。")):
            if attrs.get(name) in (None, ""):
                errors[name] = [message]

        if kind == EventKind.RECEIVED:
            need("power")
        elif kind == EventKind.REFUSED and "reasons" not in attrs:
            errors["reasons"] = [_("不予受理须附理由(可为空,空理由将触发预警)。")]
        elif kind in (EventKind.STEP_STARTED, EventKind.STEP_FINISHED):
            need("step")
        elif kind in (EventKind.SUSPENDED, EventKind.RESUMED):
            ground = attrs.get("ground")
            if ground not in GROUNDS and (kind == EventKind.SUSPENDED or ground):
                errors["ground"] = [_("须为以下之一:%(g)s。") % {"g": "、".join(GROUNDS)}]
        elif kind == EventKind.EXTENDED:
            for name in ("days", "approver", "ground"):
                need(name)
        elif kind == EventKind.FEE_CHARGED:
            need("amount", _("须为数字。"))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _flatten(detail, prefix=""):
    """DRF's nested errors as {"applicant.name": [messages]} ("" for the event itself)."""
    if isinstance(detail, dict):
        out = {}
        for name, value in detail.items():
            name = "" if name == serializers.api_settings.NON_FIELD_ERRORS_KEY else str(name)
            out.update(_flatten(value, ".".join(p for p in (prefix, name) if p)))
        return out
    if isinstance(detail, list) and detail and all(isinstance(d, (dict, list)) for d in detail):
        out = {}
        for item in detail:
            for name, messages in _flatten(item, prefix).items():
                out.setdefault(name, []).extend(messages)
        return out
    return {prefix: [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def event_fields_check(raw) -> tuple:
    """(the event's cleaned fields, {}) or (None, {field path: [messages]})."""
    cleaned, errors = events_fields_check([raw])
    return (cleaned[0], {}) if cleaned else (None, errors[0])


def events_fields_check(raws) -> tuple:
    """([the cleaned fields of each event], {}) or (None, {index: {field path: [messages]}})
    for a batch: one serializer for all (DRF copies a serializer's fields per instance,
    which per event would cost more than the checks themselves)."""
    serializer = CaseEventSerializer(many=True, data=raws)
    if serializer.is_valid():
        return list(serializer.validated_data), {}
    errors = serializer.errors
    items = errors.items() if isinstance(errors, dict) else enumerate(errors)
    found = {int(i): _flatten(e) for i, e in items if e and str(i).isdigit()}
    if not found:  # a fault of the batch itself
        found = {0: _flatten(errors)}
    return None, found
