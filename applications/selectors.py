"""Read queries over stored applications."""
from .models import ViberApplication


def application_get(*, request_no: str, cust_space_id: str = "") -> ViberApplication | None:
    return ViberApplication.objects.filter(request_no=request_no, cust_space_id=cust_space_id).first()
