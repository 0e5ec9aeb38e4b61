"""Readers for the result files AIR-Bench's judge scripts take as input (JSON Lines, one item a line).

* Chat (``score_chat.py::build_test_file`` reads ``Chat_result_<model>.jsonl``): ``meta_info`` (the
  audio description the judge sees), ``question``, ``answer_gt``, ``response``, ``task_name``,
  ``dataset_name``, ``path``, ``uniq_id``. Rows whose ``response`` is null are skipped, as the
  script does (counted in the set's metadata); a row without ``meta_info`` makes the script exit, so
  it is an error here.
* Foundation (``align_in_foundation.py`` / ``score_foundation.py``): ``question``, ``choice_a`` ..
  ``choice_d`` (C and D may be absent or null), ``answer_gt``, ``response``, ``task_name``,
  ``dataset_name``; the options become ``metadata["choices"]`` and their letters (the field each came
  from: ``choice_d`` is D even when ``choice_c`` is null) ``metadata["choice_letters"]``.

Ids are ``uniq_id`` when present, else the line number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import read_jsonl, require_record, require_str


def _answered_rows(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """The (id, record) rows of an AIR-Bench result file that have a ``response``, and how many had
    none (the AIR-Bench scorers skip those rows)."""
    rows, no_response = [], 0
    for index, record in enumerate(read_jsonl(path)):
        record = dict(require_record(path, record, f"line {index + 1}"))
        if record.get("response") is None:
            no_response += 1
            continue
        rows.append((str(record.get("uniq_id", index)), record))
    return rows, no_response


def load_air_chat_results(path: str | Path) -> PredictionSet:
    """An AIR-Bench chat result file as a prediction set for ``J-AIR-CHAT``."""
    path = Path(path)
    items = []
    rows, no_response = _answered_rows(path)
    for item_id, record in rows:
        if record.get("meta_info") is None:
            raise PredictionFormatError(path, "missing meta_info (score_chat.py exits on such rows)", item=item_id,
                                        field="meta_info")
        metadata = {"meta_info": require_str(path, record, "meta_info", item_id),
                    "task_name": record.get("task_name"), "dataset_name": record.get("dataset_name"),
                    "path": record.get("path")}
        items.append(PredictionItem(item_id, require_str(path, record, "response", item_id),
                                    (require_str(path, record, "answer_gt", item_id),),
                                    prompt=require_str(path, record, "question", item_id), metadata=metadata))
    return PredictionSet(path.stem, str(path), tuple(items),
                         metadata={"format": "air-bench-chat", "skipped_no_response": no_response})


def load_air_foundation_results(path: str | Path) -> PredictionSet:
    """An AIR-Bench foundation result file as a prediction set for ``MCQ-AIR`` / ``MCQ-AIR-GPT``."""
    path = Path(path)
    items = []
    rows, no_response = _answered_rows(path)
    for item_id, record in rows:
        choices = [require_str(path, record, "choice_a", item_id), require_str(path, record, "choice_b", item_id)]
        letters = ["A", "B"]
        for letter, name in (("C", "choice_c"), ("D", "choice_d")):
            if record.get(name) is not None:
                choices.append(require_str(path, record, name, item_id))
                letters.append(letter)
        # the letters keep each option's field: a null choice_c leaves choice_d the letter D
        metadata = {"choices": choices, "choice_letters": letters, "task_name": record.get("task_name"),
                    "dataset_name": record.get("dataset_name"), "path": record.get("path")}
        items.append(PredictionItem(item_id, require_str(path, record, "response", item_id),
                                    (require_str(path, record, "answer_gt", item_id),),
                                    prompt=require_str(path, record, "question", item_id), metadata=metadata))
    return PredictionSet(path.stem, str(path), tuple(items),
                         metadata={"format": "air-bench-foundation", "skipped_no_response": no_response})


#: extra input formats understood by ``audiorepro judge --format``
JUDGE_INPUT_FORMATS = {"air-bench-chat": load_air_chat_results, "air-bench-foundation": load_air_foundation_results}
