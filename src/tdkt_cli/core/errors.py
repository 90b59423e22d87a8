"""The errors a user can cause. The CLI turns each into one Vietnamese sentence and exit 1."""


class TdktError(Exception):
    """A request understood but refused; the message is shown to the user as it is."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(TdktError):
    """A unit, bloc, meeting or vote that the request names does not exist."""


class Ambiguous(TdktError):
    """A name matches more than one record."""


class InvalidInput(TdktError):
    """A value that cannot be read: a bad date, an empty name, a broken file."""


class RuleBroken(TdktError):
    """The request is well formed but breaks a rule of the domain."""
