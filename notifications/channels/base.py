from dataclasses import dataclass


class TransportError(Exception):
    """The channel could not hand the message over.

    permanent: retrying cannot help (invalid number, outside the 24-hour window...).
    ambiguous: the provider may have accepted it (e.g. the response never came back);
        the message must not be re-sent blindly: the sweeper reconciles it.
    retry_after: seconds the provider asked us to wait, if it said.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        code: str = "",
        ambiguous: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after
        self.code = str(code or "")
        self.ambiguous = ambiguous


@dataclass(frozen=True)
class SendResult:
    provider_sid: str  # accepted: the outbox row becomes `sent` (_record_accepted)


class Channel:
    """One way of sending a WhatsApp message. `send()` either returns a SendResult or
    raises TransportError; nothing else is expected to escape (the caller treats any
    other exception as a temporary error)."""

    name = "base"

    @classmethod
    def configuration(cls) -> tuple:
        """The settings an instance depends on (a new instance when they change)."""
        return ()

    def send(self, message) -> SendResult:
        raise NotImplementedError

    def find_accepted(self, message) -> str | None:
        """The provider's id of `message` if the provider already accepted it (used to
        reconcile a send whose outcome was lost). Raises TransportError when it cannot
        tell."""
        return None
