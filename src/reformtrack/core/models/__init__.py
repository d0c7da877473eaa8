from .approvals import ApprovalRequest, ApprovalStep
from .audit import AuditChainHead, AuditRecord
from .data_version import DataVersion
from .files import StoredFile
from .jobs import Job, JobState
from .libraries import Library
from .notifications import Notification
from .saved_views import SavedView
from .tokens import ApiToken
from .users import AdminRole, User
from .versioned import Versioned

__all__ = [
    "AdminRole",
    "ApiToken",
    "ApprovalRequest",
    "ApprovalStep",
    "AuditChainHead",
    "AuditRecord",
    "DataVersion",
    "Job",
    "JobState",
    "Library",
    "Notification",
    "SavedView",
    "StoredFile",
    "User",
    "Versioned",
]
