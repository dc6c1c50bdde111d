"""Single-use links for setting a password: a forgotten one, or a new account's first.

Django's token is a signed hash of the password and the last sign-in, so it stops working as
soon as the password is set. The two kinds of link are signed differently (one cannot stand in
for the other) and last differently: an hour for a forgotten password, days for a new account.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from learning_reviews.accounts.models import User


class LinkTokens(PasswordResetTokenGenerator):
    url_name = ""

    def timeout_seconds(self) -> int:
        return int(settings.PASSWORD_RESET_TIMEOUT)

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            stamp, _ = token.split("-")
            made = base36_to_int(stamp)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - made > self.timeout_seconds():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, made, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )

    def path(self, user: User) -> str:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        return reverse(self.url_name, kwargs={"uidb64": uid, "token": self.make_token(user)})


class ResetTokens(LinkTokens):
    key_salt = "learning_reviews.accounts.tokens.ResetTokens"
    url_name = "password_reset_confirm"


class NewAccountTokens(LinkTokens):
    key_salt = "learning_reviews.accounts.tokens.NewAccountTokens"
    url_name = "password_new"

    def timeout_seconds(self) -> int:
        return int(settings.LR_NEW_ACCOUNT_LINK_DAYS) * 24 * 60 * 60


reset_tokens = ResetTokens()
new_account_tokens = NewAccountTokens()
