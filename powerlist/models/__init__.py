from .catalogue import Category, LegalBasis, Power, PowerRevision
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

__all__ = [
    "Category",
    "ChainHead",
    "Department",
    "DepartmentGroupObjectPermission",
    "DepartmentUserObjectPermission",
    "Division",
    "Job",
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
