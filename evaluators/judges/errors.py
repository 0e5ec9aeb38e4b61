"""Errors raised by LLM-as-judge scoring.

A judge protocol needs a judge model: scored without one (``protocol.with_judge``), its metric is
unavailable and ``Protocol.score`` raises ``ProtocolUnavailableError``, so the report lists the protocol as
*unavailable* instead of silently computing something else. Backend failures are named, and never carry
the API key in their message.
"""

from __future__ import annotations

from evaluators.errors import AudioreproError


class JudgeBackendError(AudioreproError):
    """A judge backend could not produce a reply (after its retries)."""


class JudgeHTTPError(JudgeBackendError):
    """An HTTP judge endpoint answered with an error status (the body excerpt is scrubbed of the key)."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(f"judge endpoint answered HTTP {status}: {message}")


class JudgeReplayMissing(JudgeBackendError):
    """A replay backend holds no recorded judgement for a prompt the protocol asked for."""


class JudgeInputError(AudioreproError, ValueError):
    """An item cannot be turned into judge prompts (missing question, malformed slots); names the item."""

    def __init__(self, protocol_id: str, item: str, message: str):
        self.protocol_id = protocol_id
        self.item = item
        self.message = message
        super().__init__(f"{protocol_id}, item {item}: {message}")
