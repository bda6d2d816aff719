"""The errors a handoff can end with: a stable code, a readable message and a fix."""

from __future__ import annotations


class HandoffError(Exception):
    """Why a handoff did not (yet) land; `retryable` decides between retry and failure."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        hint: str = "",
        retryable: bool = False,
        retry_after: float | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.retryable = retryable
        self.retry_after = retry_after
        self.http_status = http_status

    @property
    def readable(self) -> str:
        """Message and fix in one line, as stored on the session."""
        return f"{self.message} Fix: {self.hint}" if self.hint else self.message


def integration_not_configured() -> HandoffError:
    return HandoffError(
        "integration_not_configured",
        "This tenant has no Dynamics 365 connection yet, so the handoff is waiting.",
        hint="An admin opens Settings → Dynamics connection, pastes the Azure credentials and "
        "saves; then replay the failed handoffs (Retry, or manage.py replay_handoffs --failed).",
    )


def unexpected_failure() -> HandoffError:
    return HandoffError(
        "unexpected_error",
        "An unexpected error stopped the handoff before it reached Dynamics 365.",
        hint="Replay the handoff (Retry, or manage.py replay_handoffs); if it fails the same way, "
        "send its event log to support.",
    )
