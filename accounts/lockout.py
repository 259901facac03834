"""Login throttling on top of django-axes: two limits, and the lockout page in the login's style.

Axes compares one failure count with one limit (``AXES_FAILURE_LIMIT``). Lontar needs two:

- a user name tried from one address (``AXES_FAILURE_LIMIT``, 5): someone guessing one
  official's password;
- one address, whatever the names (``LONTAR_LOGIN_IP_FAILURE_LIMIT``, 30): credential stuffing,
  a list of names and leaked passwords tried one after the other. Higher, because the office's
  staff reach the site through one NAT address and mistype passwords like anyone.

``LoginThrottleHandler.get_failures`` scales the address's count onto the first limit, so axes'
single comparison locks at whichever limit is reached first. No lock by user name alone: anyone
could then lock the Kadis out from anywhere by failing on his name.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.template.response import TemplateResponse
from django.utils.translation import ngettext


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, higher limit per address (see the module)."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        # One query for both counts.
        counts = recent.aggregate(
            pair=Sum("failures_since_start", filter=Q(username=username)),
            address=Sum("failures_since_start"),
        )
        pair, address = counts["pair"] or 0, counts["address"] or 0
        limit = get_failure_limit(request, credentials)
        # address >= ip_limit  <=>  address * limit // ip_limit >= limit
        return max(pair, address * limit // settings.LONTAR_LOGIN_IP_FAILURE_LIMIT)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login forgives that user's own failures from that address, not the
        address's failures on other names: else one valid account would reset the stuffing
        limit between batches."""
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return count


def cool_off_minutes(request=None) -> int:
    return max(1, int(get_cool_off(request).total_seconds() // 60))


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429), framed like Wagtail's login page."""
    minutes = cool_off_minutes(request)
    response = TemplateResponse(
        request,
        "accounts/lockout.html",
        {
            "minutes": minutes,
            "wait": ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes},
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(minutes * 60)
    return response.render()
