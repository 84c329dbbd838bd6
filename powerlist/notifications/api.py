"""/api/v1/notifications/: the signed-in user's own notices, and marking them read."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from powerlist.notifications.models import Notification
from powerlist.notifications.selectors import notification_list, notification_unread_count
from powerlist.notifications.services import notification_mark_all_read, notification_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "item_count", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Own notices only, newest first; `?unread=1` lists the unread ones. Another
    user's notice is 404, as if it did not exist."""

    serializer_class = NotificationSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread_only = self.request.query_params.get("unread") in ("1", "true")
        return notification_list(user=self.request.user, unread_only=unread_only)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(user=request.user, notification_id=self.kwargs["pk"])
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsReadAll", {"marked": serializers.IntegerField(),
                                                             "unread": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = notification_mark_all_read(user=request.user)
        return Response({"marked": marked, "unread": notification_unread_count(user=request.user)})


router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
urlpatterns = [*router.urls]
