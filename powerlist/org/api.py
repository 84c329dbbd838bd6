"""/api/v1/me/: the signed-in user, their department and roles."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from powerlist.api import E403


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """The signed-in user, their department and roles."""

    @extend_schema(summary=gettext_lazy("当前用户"), responses={200: MeSerializer, 403: E403}, tags=["me"])
    def get(self, request):
        user = request.user
        return Response(
            MeSerializer(
                {
                    "username": user.username,
                    "display_name": user.display_name,
                    "department": str(user.department) if user.department_id else None,
                    "roles": sorted(user.role_set()),
                }
            ).data
        )
