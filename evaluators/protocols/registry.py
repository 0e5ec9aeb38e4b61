"""Lookup of protocols by id.

Protocol modules in this package (``asr.py``, ``st.py``, ...) call :func:`register` at import
time; the registry imports every module of the package on first use, so adding a module is enough
to add its protocols. Ids are the ones in ``docs/protocols.md``.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil

from evaluators.errors import UnknownProtocolError
from evaluators.protocols.base import Protocol

_REGISTRY: dict[str, Protocol] = {}
_LOADED = False
_INFRASTRUCTURE = {"base", "registry"}


def register(protocol: Protocol) -> Protocol:
    """Add a protocol; an id registered twice is a programming error."""
    if protocol.id in _REGISTRY and _REGISTRY[protocol.id] is not protocol:
        raise ValueError(f"protocol id {protocol.id!r} registered twice")
    _REGISTRY[protocol.id] = protocol
    return protocol


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    import evaluators.protocols as package

    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name not in _INFRASTRUCTURE and not module.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    _LOADED = True


def get_protocol(protocol_id: str) -> Protocol:
    """The protocol with this id; ``UnknownProtocolError`` lists close matches otherwise."""
    _load_all()
    try:
        return _REGISTRY[protocol_id]
    except KeyError:
        upper = {key.upper(): key for key in _REGISTRY}
        if protocol_id.upper() in upper:
            return _REGISTRY[upper[protocol_id.upper()]]
        close = difflib.get_close_matches(protocol_id.upper(), list(upper), n=5, cutoff=0.5)
        raise UnknownProtocolError(protocol_id, [upper[c] for c in close]) from None


def all_protocols(family: str | None = None) -> list[Protocol]:
    """Every registered protocol (optionally of one task family), sorted by family then id."""
    _load_all()
    protocols = [p for p in _REGISTRY.values() if family is None or p.family == family]
    return sorted(protocols, key=lambda p: (p.family, p.id))


def families() -> list[str]:
    _load_all()
    return sorted({p.family for p in _REGISTRY.values()})
