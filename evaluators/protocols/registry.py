"""Lookup of protocols by id, importing only the module that declares the one asked for.

Protocol modules in this package (``asr.py``, ``st.py``, ...) call :func:`register` at import
time. :data:`PROTOCOL_MODULES` names, for every protocol id, the module that registers it — the
way sacreBLEU's tokenizer table names a module per tokenizer — so ``get_protocol("ASR-AB")``
imports ``asr.py`` and nothing else (``audiorepro protocols ASR-AB`` starts in a fraction of the
time of importing every protocol, metric and judge). An id missing from the table is still found:
the registry then imports every module of the package (``tests/unit/test_protocol_registry.py``
fails until the table is updated). Listing protocols (:func:`all_protocols`) imports every module;
each keeps its heavy libraries (nltk, scikit-learn, sqlite3, HTTP clients) out of import time.
Ids are the ones in ``docs/protocols.md``.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

from evaluators.errors import UnknownProtocolError

if TYPE_CHECKING:
    from evaluators.protocols.base import Protocol

#: module of this package -> ids of the protocols it registers
PROTOCOL_INDEX: dict[str, tuple[str, ...]] = {
    "asr": ("ASR-JW", "ASR-JW-STRICT", "ASR-NOTA", "ASR-QWEN2", "ASR-QWEN1", "ASR-AB", "ASR-AB-IMDA4",
            "ASR-AB-SCORED", "ASR-FAIRSEQ", "ASR-FAIRSEQ-13A", "ASR-CMI", "ASR-COVOST"),
    "captioning": tuple(f"AAC-{code}-COCO/{metric}" for code in ("JW", "QWEN")
                        for metric in ("BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "METEOR", "ROUGE-L", "CIDEr", "SPICE"))
    + ("AAC-JW-COCO", "AAC-QWEN-COCO", "AAC-NOTA-CIDERD", "AAC-AB-METEOR", "AAC-NLTK-METEOR", "AAC-NLTK-METEOR/raw"),
    "cer": ("CER-QWEN1-ZH", "CER-QWEN2-ZH", "CER-QWEN2-YUE", "CER-JIWER", "CER-AB-MIXED", "CER-FAIRSEQ"),
    "emotion": ("ER-JW", "ER-QWEN-EXACT", "ER-QWEN1-EXACT", "LBL-CMI-SUBSTR", "ER-LTUAS-EMBED"),
    "gender": ("G-LTUAS", "G-LTUAS-F1"),
    "judges": ("J-SAKURA", "J-SAKURA-JW-DIST", "J-SAKURA-JW-EVAL", "J-SQQA-JW", "J-SF-JW", "J-AB-SCALE",
               "J-AB-BINARY", "J-AB-SCALE-GPT4O", "J-AB-BINARY-GPT4O", "J-AIR-CHAT", "ER-AB-JUDGE", "G-AB", "G-SAKURA",
               "MCQ-AIR-GPT"),
    "keywords": ("KE-JW", "KE-JW/eos-skip", "KE-ONMT", "KE-ONMT/F1@3", "KE-ONMT/F1@5", "KE-ONMT/F1@k",
                 "KE-ONMT/F1@M-ngram", "KE-ONMT/F1@M-mixed", "KE-ONMT/AUC", "KE-ONMT/AP", "KE-ONMT/MRR",
                 "KE-ONMT/SADR", "KE-ONMT/nDCG", "KE-ONMT/alpha-nDCG@5", "KE-ONMT/alpha-nDCG@10"),
    "mcq": ("MCQ-MMAU", "MCQ-AB-MMAU", "MCQ-AIR", "SV-AIR", "G-AIR", "MCQ-MUCHO", "MCQ-MUCHO/IFR"),
    "music_captioning": ("MC-JW", "MC-JW/ROUGE-L", "MC-JW/normalize", "MC-JW/eos-skip", "MC-JW/ROUGE-L/eos-skip",
                         "MC-JW/normalize/eos-skip", "MC-CMI/BLEU", "MC-CMI/BLEU-4", "MC-CMI/METEOR",
                         "MC-CMI/ROUGE-L", "MC-CMI/BERTScore", "MC-CMI"),
    "osr": ("OSR-JW", "OSR-CPWER", "OSR-CPWER/line", "OSR-CPWER/single"),
    "per": ("PER-JW",),
    "speaker": ("SV-JW", "SV-YESNO"),
    "st": ("ST-JW-JA", "ST-JW-JA/no-kana-skip", "ST-JW-JA/ja-mecab", "ST-JW-JA/ja-mecab-kana-skip",
           "ST-JW-JA/eos-kana-skip", "ST-JW-JA/eos-skip", "ST-JW-JA/keep-eos", "ST-JW-ZH/zh", "ST-JW-ZH/char",
           "ST-JW-ZH/flores101", "ST-JW-ZH/char-normalize-keep-eos", "ST-JW-ZH/eos-skip", "ST-JW-DE/eos-skip",
           "ST-JW-DE/no-skip", "ST-QWEN", "ST-AB", "ST-AB/zh-tok", "ST-COVOST", "ST-COVOST/no-punct-norm"),
    "story": ("STORY-JW", "STORY-JW/followed", "STORY-JW-FOLLOW", "FOLLOW-QUESTION-WER30", "FOLLOW-SQQA-JW",
              "FOLLOW-SF-JW"),
}
PROTOCOL_MODULES: dict[str, str] = {pid: module for module, ids in PROTOCOL_INDEX.items() for pid in ids}
_UPPER_IDS = {pid.upper(): pid for pid in PROTOCOL_MODULES}

_REGISTRY: dict[str, Protocol] = {}
#: protocol id -> module whose import registered it (checked against the index by the tests)
REGISTERED_BY: dict[str, str] = {}
_LOADED = False
_INFRASTRUCTURE = {"base", "catalogue", "registry"}


def _importing_module() -> str:
    """The module whose top-level code is running (the one an import of which registers the protocol)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name != "<module>":
        frame = frame.f_back
    return frame.f_globals.get("__name__", "") if frame is not None else ""


def register(protocol: Protocol) -> Protocol:
    """Add a protocol; an id registered twice is a programming error."""
    if protocol.id in _REGISTRY and _REGISTRY[protocol.id] is not protocol:
        raise ValueError(f"protocol id {protocol.id!r} registered twice")
    _REGISTRY[protocol.id] = protocol
    REGISTERED_BY.setdefault(protocol.id, _importing_module())
    return protocol


def _import(module: str) -> None:
    importlib.import_module(f"{__package__}.{module}")


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    import pkgutil

    import evaluators.protocols as package

    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name not in _INFRASTRUCTURE and not module.name.startswith("_"):
            _import(module.name)
    _LOADED = True


def get_protocol(protocol_id: str) -> Protocol:
    """The protocol with this id; ``UnknownProtocolError`` lists close matches otherwise.

    Imports only the module the index names for the id (ids are matched case-insensitively).
    """
    if protocol_id not in _REGISTRY:
        canonical = _UPPER_IDS.get(protocol_id.upper())
        if canonical is not None:
            _import(PROTOCOL_MODULES[canonical])
            if canonical in _REGISTRY:
                return _REGISTRY[canonical]
        _load_all()
    try:
        return _REGISTRY[protocol_id]
    except KeyError:
        upper = {key.upper(): key for key in _REGISTRY}
        if protocol_id.upper() in upper:
            return _REGISTRY[upper[protocol_id.upper()]]
        import difflib  # only for the 'did you mean' of an unknown id

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
