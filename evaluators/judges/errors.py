"""Errors raised by LLM-as-judge scoring.

A judge protocol cannot be scored like the others: it needs a judge model. Calling
``Protocol.score`` on one raises :class:`JudgeBackendRequired`, a ``ProtocolUnavailableError``, so
the report lists the protocol as *unavailable* instead of silently computing something else.
Backend failures are named too, and never carry the API key in their message.
"""

from __future__ import annotations

from evaluators.errors import AudioreproError, ProtocolUnavailableError


class JudgeBackendRequired(ProtocolUnavailableError):
    """A judge protocol was scored without a judge backend (use ``evaluators.judges.run_judging``)."""

    def __init__(self, protocol_id: str):
        super().__init__(protocol_id, "an LLM judge backend is needed: score it with "
                                      "evaluators.judges.run_judging(protocol_id, predictions, backend, cache) "
                                      "or `audiorepro judge`")


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
        super().__init__(f"{protocol_id}, item {item}: {message}")
