"""Qwen2-Audio ``eval_audio`` result files: the JSON list ``evaluate_*.py`` dumps before scoring.

QwenLM/Qwen2-Audio ``eval_audio/evaluate_asr.py`` and ``evaluate_st.py`` (also Qwen-Audio's) gather every
rank's outputs and write ``<dataset>_<time>.json``: a JSON list of ``{gt, response, source, audio_path}``.
``source`` names the dataset, split and, for translation, the language pair (``covost2_en_ja_test``); the
protocols group by it (ST-QWEN, ASR-QWEN*) and the language-pair logic reads it.

Detection is strict: a non-empty JSON list whose first record has exactly these four keys. The loader
checks every record (each field a string, no other keys) and names the item (its position) and field.
Item id = position in the list (``audio_path`` need not be unique: several prompts per audio); metadata
``source`` and ``audio_path``.
"""

from __future__ import annotations

from pathlib import Path

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import count_empty, read_json, require_list, require_record, require_str

FIELDS = ("gt", "response", "source", "audio_path")


def looks_like_results(data: object) -> bool:
    return (isinstance(data, list) and bool(data) and isinstance(data[0], dict)
            and set(data[0]) == set(FIELDS))


def load_qwen_eval(path: str | Path, *, data: object = None) -> PredictionSet:
    """Read a Qwen2-Audio ``eval_audio`` result list (see the module docstring)."""
    path = Path(path)
    records = require_list(path, read_json(path) if data is None else data,
                           "a JSON list of {gt, response, source, audio_path} (Qwen2-Audio eval_audio results)")
    if not records:
        raise PredictionFormatError(path, "no records (the list is empty)")
    items = []
    for index, raw in enumerate(records):
        record = require_record(path, raw, index)
        unknown = sorted(set(record) - set(FIELDS))
        if unknown:
            raise PredictionFormatError(path, f"unknown field(s) {', '.join(map(repr, unknown))}; a Qwen2-Audio "
                                              f"result has exactly {', '.join(FIELDS)}", item=index, field=unknown[0])
        values = {name: require_str(path, record, name, index) for name in FIELDS}
        if not values["source"].strip():
            raise PredictionFormatError(path, "empty value (it names the dataset, e.g. librispeech_test_clean)",
                                        item=index, field="source")
        items.append(PredictionItem(id=str(index), prediction=values["response"], references=(values["gt"],),
                                    metadata={"source": values["source"], "audio_path": values["audio_path"]}))
    sources = sorted({item.metadata["source"] for item in items})
    return PredictionSet(name=path.stem, source=str(path), items=tuple(items),
                         metadata={"format": "qwen2-audio-eval", "sources": sources,
                                   "empty_predictions": count_empty(item.prediction for item in items)})
