"""Errors raised by services; views turn them into messages, never into a 500."""


class ServiceError(Exception):
    """A request that cannot be carried out as asked. The message is shown to the user."""


class NotAllowed(ServiceError):
    """The user may see the record but may not make this change."""


class WrongState(ServiceError):
    """The record is not in the state this step starts from (it may have moved on)."""


class Conflict(ServiceError):
    """Someone else changed the record since the user opened it."""


class ReadOnly(NotAllowed):
    """Raised by a page for someone who may read it but not change it: `core.middleware`
    answers the same way in every app (docs/decisions/0009-not-found-for-outsiders.md) — back
    to `back` (or to the page itself, read-only) with the reason as a message."""

    def __init__(self, message: str, *, back: str | None = None) -> None:
        super().__init__(message)
        self.back = back
