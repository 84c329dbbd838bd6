"""REST API for posts: each with the powers it touches, in the scopes of the pages."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from powerlist.org.models import Department
from powerlist.posts.forms import PostFilter
from powerlist.posts.models import Post
from powerlist.posts.permissions import can_view_posts
from powerlist.posts.selectors import post_list_with_powers, post_queryset


class PowerBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    derived = serializers.BooleanField(help_text=gettext_lazy("true:由流程图环节得出;false:另行指定"))


class PostSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name")
    division = serializers.CharField(source="division.name", allow_null=True, default=None)
    powers = PowerBriefSerializer(many=True, source="powers_touched")

    class Meta:
        model = Post
        fields = ("id", "name", "department", "division", "duties", "qualifications", "powers")


@extend_schema(tags=["posts"])
class PostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Post descriptions (岗位说明书) of a department (?department=<id>, default: the
    user's own), each with the powers it touches."""

    serializer_class = PostSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PostFilter
    pagination_class = None
    # For the schema only: list and retrieve read through the selectors.
    queryset = Post.objects.none()
    lookup_value_regex = r"\d+"

    def _department(self, department_id, *, not_found=None):
        department = Department.objects.select_related("region").filter(pk=department_id).first()
        if department is None or not can_view_posts(self.request.user, department):
            raise exceptions.NotFound(not_found or _("部门不存在或您无权查看。"))
        return department

    def list(self, request, *args, **kwargs):
        filterset = PostFilter(request.query_params, queryset=Post.objects.none())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        department_id = filterset.form.cleaned_data.get("department") or request.user.department_id
        if not department_id:
            raise exceptions.NotFound(_("部门不存在或您无权查看。"))
        posts = post_list_with_powers(department=self._department(department_id))
        return Response(PostSerializer(posts, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        post = post_queryset().filter(pk=kwargs["pk"]).first()
        if post is None:
            raise exceptions.NotFound(_("岗位不存在或您无权查看。"))
        # A post of a department the user may not read answers like a missing post.
        department = self._department(post.department_id, not_found=_("岗位不存在或您无权查看。"))
        posts = [p for p in post_list_with_powers(department=department) if p.pk == post.pk]
        return Response(PostSerializer(posts[0]).data)
