"""Errors raised by services; views turn them into messages, never into a 500."""


class ServiceError(Exception):
    """A request that cannot be carried out as asked. The message is shown to the user."""


class NotAllowed(ServiceError):
    """The user may see the record but may not make this change."""


class WrongState(ServiceError):
    """The record is not in the state this step starts from (it may have moved on)."""


class Conflict(ServiceError):
    """Someone else changed the record since the user opened it."""
