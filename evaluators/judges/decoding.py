"""Judge decoding configuration and requests: what is sent, recorded, cached and signed.

The decoding settings change verdicts as much as the prompt does, so they are explicit: a field left
``None`` is *not sent* (the server or model default applies, and the record says so), which is how
several public scripts call their judge (jaeeewon's Qwen3 calls set no temperature; SAKURA records
``max_tokens=1024`` but never sends it). ``extra`` carries server-specific body fields verbatim
(e.g. vLLM's ``chat_template_kwargs``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from evaluators.judges.templates import Message


@dataclass(frozen=True)
class DecodingConfig:
    """Sampling settings of one judge call; ``None`` means "not sent"."""

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    def as_dict(self) -> dict[str, Any]:
        """Every field, ``None`` included (the record of what was and was not sent)."""
        return {"temperature": self.temperature, "top_p": self.top_p, "max_tokens": self.max_tokens,
                "seed": self.seed, "extra": dict(self.extra)}

    def request_fields(self) -> dict[str, Any]:
        """The body fields actually sent to an OpenAI-compatible endpoint."""
        sent = {key: value for key, value in self.as_dict().items() if key != "extra" and value is not None}
        sent.update(self.extra)
        return sent

    @property
    def samples(self) -> bool:
        """True when a reply is a random draw: temperature above 0 or not sent (servers default to 1.0) and no
        seed. Identical prompts then get independent replies, and the cache keys them per item and call."""
        return (self.temperature is None or self.temperature > 0) and self.seed is None

    def canonical(self) -> str:
        """Stable JSON text, used in cache keys and signatures."""
        return json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False)

    def signature(self) -> str:
        parts = [f"{key}={'unset' if value is None else value}" for key, value in self.as_dict().items()
                 if key != "extra"]
        if self.extra:
            parts.append("extra=" + json.dumps(dict(self.extra), sort_keys=True, separators=(",", ":")))
        return ",".join(parts)

    def replace(self, **changes: Any) -> DecodingConfig:
        values = self.as_dict() | changes
        return DecodingConfig(**values)


@dataclass(frozen=True)
class JudgeRequest:
    """One judge call: the rendered messages and the decoding settings."""

    messages: tuple[Message, ...]
    decoding: DecodingConfig

    def messages_json(self) -> str:
        return json.dumps([list(m) for m in self.messages], ensure_ascii=False)
