"""The request every page receives once `LoginRequiredMiddleware` has let it through."""

from django.http import HttpRequest

from learning_reviews.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """Views are typed with this instead of reading `request.user` through a helper: every
    page but sign-in requires a signed-in person, and the user model is `accounts.User`."""

    user: User
