"""Which translation protocols are valid for a prediction file: its language pair and the protocols' languages.

A BLEU number depends on the tokeniser, and the tokeniser depends on the target language (``ja-mecab``
for Japanese, ``zh``/``char`` for Chinese, ``13a`` otherwise). Scoring an en→de file with a Japanese or
Chinese tokeniser gives a number that means nothing, so a sweep must know the pair. It comes from, in
order:

1. an explicit pair: the run manifest's ``pair`` or ``--pair en-ja`` on ``score``/``sweep``;
2. the items' ``source`` metadata, ``<corpus>_<src>_<tgt>[_<split>]`` (``covost2_en_ja``,
   ``covost2_en_ja_test``), when every item names the same pair;
3. the items' ``target_language`` metadata (target only), when every item names the same one.

A file that mixes pairs (Qwen's CoVoST 2 evaluation set) has no single pair: only the protocols that read
each item's ``source`` (ST-QWEN, ST-COVOST, scored per source) apply. :func:`applicability` gives the
``applicable(protocol)`` callback of :func:`evaluators.checking.evaluate_entry` and the sweep; a rejected
protocol is listed as *not applicable* with the reason, never scored. :func:`with_fixed_language` swaps a
protocol that takes the language from ``source`` for its fixed-language variant (``ST-QWEN/ja``, named in
its signature) when the pair is known but the items carry no ``source``, or one from which the rule
``source.split('_')[-2]`` reads another language (``covost2_en_ja`` → ``en``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from evaluators.errors import AudioreproError
from evaluators.predictions.base import PredictionSet
from evaluators.protocols.base import Protocol

_CODE = r"[a-z]{2,3}"
_PAIR = re.compile(rf"^(?P<source>{_CODE})-(?P<target>{_CODE})$")
_SOURCE = re.compile(rf"^[A-Za-z0-9]+_(?P<source>{_CODE})_(?P<target>{_CODE})(?:_.*)?$")
#: BLEU tokenisers that only make sense for one target language
TOKENIZER_LANGUAGE = {"ja-mecab": "ja", "zh": "zh"}


@dataclass(frozen=True)
class LanguagePair:
    """A translation direction; ``source`` is ``None`` when only the target language is known."""

    source: str | None
    target: str

    def __str__(self) -> str:
        return f"{self.source or '?'}-{self.target}"


def parse_pair(text: str) -> LanguagePair:
    """``en-ja`` → ``LanguagePair('en', 'ja')``; anything else is an ``AudioreproError``."""
    match = _PAIR.match(text.strip().lower())
    if not match:
        raise AudioreproError(f"language pair {text!r}: expected SOURCE-TARGET language codes such as en-ja")
    return LanguagePair(match["source"], match["target"])


def pair_of_source(source: str) -> LanguagePair | None:
    """The pair a ``source`` value names (``covost2_en_ja``, ``covost2_en_ja_test``), or ``None``."""
    match = _SOURCE.match(source)
    return LanguagePair(match["source"], match["target"]) if match else None


@dataclass(frozen=True)
class PairInfo:
    """What a prediction set says about its language pair (see the module docstring)."""

    pair: LanguagePair | None          # the one pair, if known
    origin: str                        # "explicit" | "source" | "target_language" | "mixed" | "unknown"
    has_source: bool                   # every item has a ``source`` metadata value
    pairs: frozenset[LanguagePair] = frozenset()  # every pair named by ``source`` (several when mixed)

    def describe(self) -> str:
        if self.pair is not None:
            return f"{self.pair} (from {self.origin})"
        if self.origin == "mixed":
            return "several pairs: " + ", ".join(sorted(str(pair) for pair in self.pairs))
        return "unknown"


def pair_info(predictions: PredictionSet, explicit: str | LanguagePair | None = None) -> PairInfo:
    """The set's pair: explicit, else the items' ``source``, else their ``target_language``."""
    items = predictions.items
    sources = [item.metadata.get("source") for item in items]
    has_source = bool(items) and all(isinstance(value, str) and value for value in sources)
    pairs = frozenset(pair for pair in (pair_of_source(value) for value in sources if isinstance(value, str)) if pair)
    if explicit is not None:
        pair = explicit if isinstance(explicit, LanguagePair) else parse_pair(explicit)
        return PairInfo(pair, "explicit", has_source, pairs)
    if has_source and len(pairs) == 1 and all(pair_of_source(value) for value in sources):
        return PairInfo(next(iter(pairs)), "source", has_source, pairs)
    if len(pairs) > 1:
        return PairInfo(None, "mixed", has_source, pairs)
    targets = {item.metadata.get("target_language") for item in items}
    if len(targets) == 1 and isinstance(next(iter(targets)), str) and next(iter(targets)):
        return PairInfo(LanguagePair(None, str(next(iter(targets))).lower()), "target_language", has_source, pairs)
    return PairInfo(None, "unknown", has_source, pairs)


def protocol_target(protocol: Protocol) -> str | None:
    """The one target language a protocol is built for (``None``: any, or read per item)."""
    pair = protocol.params.get("pair")
    if isinstance(pair, str) and _PAIR.match(pair):
        return pair.split("-")[1]
    fixed = protocol.params.get("target_language")
    if isinstance(fixed, str) and fixed != "from-source":
        return fixed
    if protocol.params.get("target_language") == "from-source":
        return None
    return TOKENIZER_LANGUAGE.get(str(getattr(protocol.metric, "tokenize", "")))


def _reads_source(protocol: Protocol) -> bool:
    return protocol.params.get("target_language") == "from-source"


def qwen_rule_target(source: str) -> str | None:
    """What Qwen's ``source.split("_")[-2]`` (ST-QWEN, ST-COVOST) reads as the target language."""
    fields = source.split("_")
    return fields[-2] if len(fields) >= 2 else None


def _misread_sources(predictions: PredictionSet) -> str:
    """``source`` values whose Qwen-rule language differs from the pair they name (``covost2_en_ja`` → en)."""
    wrong = set()
    for item in predictions.items:
        source = str(item.metadata.get("source", ""))
        pair = pair_of_source(source)
        if pair is not None and qwen_rule_target(source) != pair.target:
            wrong.add(source)
    return ", ".join(sorted(wrong)[:3]) + (" ..." if len(wrong) > 3 else "")


def applicability(info: PairInfo, predictions: PredictionSet) -> Callable[[Protocol], str | None]:
    """``applicable(protocol)``: ``None`` when valid for this set's pair, else the reason (translation only)."""

    def applicable(protocol: Protocol) -> str | None:
        if protocol.family != "st":
            return None
        target = protocol_target(protocol)
        if _reads_source(protocol):
            if info.pair is not None:
                return None  # with a missing or misleading ``source``, :func:`with_fixed_language` fixes the language
            if not info.has_source:
                return ("needs each item's `source` metadata (covost2_en_ja_test) or the language pair "
                        "(manifest `pair`, --pair en-ja)")
            misread = _misread_sources(predictions)
            if misread:
                return (f"its rule source.split('_')[-2] reads the wrong target language from {misread}; give the "
                        f"language pair to score one pair with its language fixed")
            return None
        if info.pair is None:
            if target is None:
                return None
            if info.origin == "mixed":
                return f"built for target {target}, but the file mixes {info.describe().removeprefix('several ')}"
            return (f"built for target {target}; the file's language pair is unknown (give the manifest `pair`, "
                    f"--pair, or items' `source`/`target_language` metadata)")
        if target is not None and target != info.pair.target:
            return f"built for target {target}, not {info.pair.target} ({info.describe()})"
        pair = protocol.params.get("pair")
        if isinstance(pair, str) and info.pair.source is not None and pair != f"{info.pair.source}-{info.pair.target}":
            return f"built for {pair}, not {info.pair} ({info.describe()})"
        return None

    return applicable


def with_fixed_language(protocol: Protocol, info: PairInfo, predictions: PredictionSet | None = None) -> Protocol:
    """The fixed-target variant (``ST-QWEN/ja``) of a protocol that reads the language from ``source``.

    Used when the pair is known and the items carry no ``source``, or a ``source`` from which the protocol's
    rule (``source.split('_')[-2]``) would read another language (``covost2_en_ja`` → ``en``).
    """
    if not _reads_source(protocol) or info.pair is None:
        return protocol
    if info.has_source and predictions is not None and all(
            qwen_rule_target(str(item.metadata["source"])) == info.pair.target for item in predictions.items):
        return protocol
    if info.has_source and predictions is None:
        return protocol
    from evaluators.protocols import st

    target = info.pair.target
    if protocol.id == "ST-QWEN":
        return st.make_st_qwen(target_language=target)
    if protocol.id in ("ST-COVOST", "ST-COVOST/no-punct-norm"):
        punct_norm = protocol.id == "ST-COVOST"
        return st.make_st_covost(punct_norm=punct_norm, target_language=target, protocol_id=f"{protocol.id}/{target}")
    return protocol


def pair_of_dataset_key(key: str) -> LanguagePair | None:
    """The pair a golden dataset key names (``covost2-en-ja`` → en-ja), or ``None``."""
    match = re.match(rf"^[a-z0-9]+-(?P<source>{_CODE})-(?P<target>{_CODE})$", key)
    return LanguagePair(match["source"], match["target"]) if match else None


@dataclass(frozen=True)
class ProtocolFilter:
    """The pair of a set with its ``applicable`` and ``adapt`` callbacks (for sweeps and verdicts)."""

    info: PairInfo
    applicable: Callable[[Protocol], str | None]
    adapt: Callable[[Protocol], Protocol]


def protocol_filter(predictions: PredictionSet, explicit: str | LanguagePair | None = None) -> ProtocolFilter:
    """:func:`pair_info`, :func:`applicability` and :func:`with_fixed_language` for one set."""
    info = pair_info(predictions, explicit)
    return ProtocolFilter(info, applicability(info, predictions),
                          lambda protocol: with_fixed_language(protocol, info, predictions))


__all__ = ["LanguagePair", "PairInfo", "ProtocolFilter", "applicability", "pair_info", "pair_of_dataset_key",
           "pair_of_source", "parse_pair", "protocol_filter", "protocol_target", "qwen_rule_target",
           "with_fixed_language"]
