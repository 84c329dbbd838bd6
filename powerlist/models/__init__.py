from .catalogue import Category, LegalBasis, Power, PowerRevision
from .flowcharts import Flowchart, FlowchartRevision, Post, Step, StepTransition
from .jobs import Job
from .org import (
    Department,
    DepartmentGroupObjectPermission,
    DepartmentUserObjectPermission,
    Division,
    Region,
    RoleAssignment,
    User,
)
from .review import ChainHead, Reviewable, ReviewAction, ReviewLogEntry, ReviewState
from powerlist.notifications.models import Notification

__all__ = [
    "Category",
    "ChainHead",
    "Department",
    "DepartmentGroupObjectPermission",
    "DepartmentUserObjectPermission",
    "Division",
    "Flowchart",
    "FlowchartRevision",
    "Job",
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
