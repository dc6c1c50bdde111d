from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, object]:
    """What every page shows: the service's name, the demo banner and the person's
    organisation. The navigation is `home.context_processors.navigation`."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "service_name": "Learning Reviews",
        "demo_mode": settings.ALLOW_DEMO_PASSWORD,
        "organisation": getattr(user, "organisation", None) if signed_in else None,
    }
