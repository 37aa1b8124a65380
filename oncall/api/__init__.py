"""REST API for on-call, one module per resource: rotations under a programme and who is on call,
overrides, cover requests, handoffs, time off and calendar feed tokens."""

from .cover import (
    CoverRequestViewSet,
)
from .feeds import (
    CalendarFeedRevokeView,
    MyCalendarFeedsView,
)
from .handoffs import (
    HandoffViewSet,
)
from .overrides import (
    OverrideViewSet,
)
from .rotations import (
    OnCallNowView,
    ProgrammeRotationsView,
    RotationViewSet,
)
from .time_off import (
    TimeOffViewSet,
)

__all__ = [
    "CalendarFeedRevokeView",
    "CoverRequestViewSet",
    "HandoffViewSet",
    "MyCalendarFeedsView",
    "OnCallNowView",
    "OverrideViewSet",
    "ProgrammeRotationsView",
    "RotationViewSet",
    "TimeOffViewSet",
]
