from .approvals import ApprovalRequest, ApprovalStep
from .audit import AuditChainHead, AuditRecord
from .notifications import Notification
from .users import AdminRole, User

__all__ = [
    "AdminRole",
    "ApprovalRequest",
    "ApprovalStep",
    "AuditChainHead",
    "AuditRecord",
    "Notification",
    "User",
]
