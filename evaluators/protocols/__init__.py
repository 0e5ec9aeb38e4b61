"""The protocol registry: every named evaluation protocol, declared once as data.

Use :func:`get_protocol` (by id, e.g. ``"ASR-AB"``) and :func:`all_protocols`.
"""

from evaluators.protocols.base import ItemDetail, Prepared, Protocol, Score, Source, Step
from evaluators.protocols.registry import all_protocols, families, get_protocol, register

__all__ = ["ItemDetail", "Prepared", "Protocol", "Score", "Source", "Step", "all_protocols", "families",
           "get_protocol", "register"]
