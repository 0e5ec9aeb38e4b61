"""Error types shared across the package.

Every error that comes from bad input names the file, the item and what is wrong, so a user can
fix the input without reading our code. Errors that come from an evaluation that cannot run in
this environment (no network, missing model) are *named* so they are reported as "unavailable"
and never silently replaced by another computation.
"""

from __future__ import annotations


class AudioreproError(Exception):
    """Base class of every error raised on purpose by audiorepro."""


class UnknownProtocolError(AudioreproError, KeyError):
    """A protocol id that is not registered; the message lists the closest registered ids."""

    def __init__(self, protocol_id: str, close_matches: list[str]):
        self.protocol_id = protocol_id
        self.close_matches = close_matches
        hint = f" Did you mean: {', '.join(close_matches)}?" if close_matches else ""
        super().__init__(f"unknown protocol id {protocol_id!r}.{hint} (`audiorepro protocols` lists all)")

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return self.args[0]


class ProtocolUnavailableError(AudioreproError):
    """A protocol (or one of its steps) cannot run here, e.g. it needs a download or a service.

    It is raised instead of falling back to a different computation: a number computed another
    way would carry a misleading signature.
    """

    def __init__(self, protocol_id: str, reason: str):
        self.protocol_id = protocol_id
        self.reason = reason
        super().__init__(f"{protocol_id} is unavailable: {reason}")


class ItemInputError(AudioreproError, ValueError):
    """One item a step or metric cannot score as given (e.g. 2 references for a 1-reference BLEU).

    Raised without the file (a step or metric does not know it); ``Protocol.score`` re-raises it as a
    ``PredictionFormatError`` naming the prediction set's file, the item and ``field``. ``item`` is set by
    code that handles many items at once (a batched metric); otherwise the protocol knows the item.
    """

    def __init__(self, message: str, *, field: str | None = None, item: str | None = None):
        self.field = field
        self.item = item
        super().__init__(message)


class MetricUnavailableError(AudioreproError):
    """A metric found out while computing that it cannot run here (a Java call failed, data is missing);
    ``Protocol.score`` re-raises it as ``ProtocolUnavailableError`` for the protocol."""


class NotEnoughItemsError(AudioreproError, ValueError):
    """A metric that needs more items than were kept (CIDEr-D's document frequencies need two)."""


def _where(path: object, label: str, item: object, field: str | None) -> str:
    """``file, <label> <item>, field 'name'``: the location prefix of a bad-input message."""
    where = str(path)
    if item is not None:
        where += f", {label} {item}"
    if field is not None:
        where += f", field {field!r}"
    return where


class PredictionFormatError(AudioreproError, ValueError):
    """A prediction file that cannot be read as promised. Names file, item and field."""

    def __init__(self, path: object, message: str, *, item: object = None, field: str | None = None):
        self.path = str(path)
        self.item = item
        self.field = field
        super().__init__(f"{_where(path, 'item', item, field)}: {message}")


class GoldenFormatError(AudioreproError, ValueError):
    """A golden (paper values) file that does not match the schema. Names file, entry and field."""

    def __init__(self, path: object, message: str, *, entry: object = None, field: str | None = None):
        self.path = str(path)
        self.entry = entry
        self.field = field
        super().__init__(f"{_where(path, 'entry', entry, field)}: {message}")
