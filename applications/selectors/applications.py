"""Read queries over stored applications: one by number, the recently fetched."""
from ..models import ViberApplication


def application_get(*, request_no: str, cust_space_id: str = "") -> ViberApplication | None:
    return ViberApplication.objects.filter(request_no=request_no, cust_space_id=cust_space_id).first()


def application_list_recent(*, limit: int = 10):
    """The applications fetched most recently (the home page's list)."""
    return ViberApplication.objects.filter(fetched_at__isnull=False).order_by("-fetched_at")[:limit]
