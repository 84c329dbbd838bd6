"""The module Django loads for the powerlist app: every model of every room, so
`from powerlist.models import Power` works everywhere and the app label, model names
and tables stay what the migrations know. Each model lives in its room's models.py."""

from powerlist.catalogue.models import Category, LegalBasis, Power, PowerRevision
from powerlist.flowcharts.models import Flowchart, FlowchartRevision, Step, StepTransition
from powerlist.jobs.models import Job
from powerlist.notifications.models import Notification
from powerlist.org.models import (
    Department,
    DepartmentGroupObjectPermission,
    DepartmentUserObjectPermission,
    Division,
    Region,
    RoleAssignment,
    User,
)
from powerlist.posts.models import Post
from powerlist.review.models import Reviewable, ReviewAction, ReviewState
from powerlist.review.record_models import ChainHead, Checkpoint, ReviewLogEntry

__all__ = [
    "Category",
    "ChainHead",
    "Checkpoint",
    "Department",
    "DepartmentGroupObjectPermission",
    "DepartmentUserObjectPermission",
    "Division",
    "Flowchart",
    "FlowchartRevision",
    "Job",
    "Notification",
    "Notification",
    "Post",
    "Step",
    "StepTransition",
    "LegalBasis",
    "Power",
    "PowerRevision",
    "Region",
    "Reviewable",
    "ReviewAction",
    "ReviewLogEntry",
    "ReviewState",
    "RoleAssignment",
    "User",
]
