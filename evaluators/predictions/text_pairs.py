"""Plain-text runs: ``hyp.txt`` + ``ref.txt`` one line each (``text-lines``), and Kaldi ``utt-id text`` files
(``kaldi-text``).

Both hold hypotheses in one file and references in another. The reference file is the loader option
``references`` (CLI ``--references``, manifest ``references``); without it, the file next to the hypotheses
whose name has ``ref`` where the hypothesis file has ``hyp`` (``hyp.txt`` → ``ref.txt``,
``test_hyp.text`` → ``test_ref.text``) is used when it exists.

* ``text-lines``: line *i* of the hypotheses goes with line *i* of the references (item id = line number,
  from 1); both files must have the same number of lines (a blank line is an empty output).
* ``kaldi-text``: every line is ``<utt-id> <text>`` (the text may be empty); ids are unique in each file and
  both files must hold the same ids — items are joined by id, in the hypothesis file's order.

Detection (strict, by content, without the reference file): ``kaldi-text`` when every non-blank line starts
with a token that looks like an utterance id (contains a digit, ``-`` or ``_``) and no id repeats;
``text-lines`` for a ``.txt`` file that is not Kaldi-like. Errors name the file, the line and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import MAX_FIELD_CHARS, count_empty, read_text

_ID_LIKE = re.compile(r"[0-9_\-]")
#: suffixes whose files are never plain text runs
STRUCTURED_SUFFIXES = (".json", ".jsonl", ".csv", ".tsv", ".yaml", ".yml")


@dataclass(frozen=True)
class TextSample:
    """What detection sees of a file that is not JSON: its path and text."""

    path: Path
    text: str


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def _kaldi_ids(text: str) -> list[str] | None:
    """The utterance ids when every non-blank line starts with a unique id-like token, else ``None``."""
    ids = [line.split(maxsplit=1)[0] for line in _lines(text) if line.strip()]
    if not ids or len(set(ids)) != len(ids) or not all(_ID_LIKE.search(token) for token in ids):
        return None
    return ids


def looks_like_kaldi(sample: object) -> bool:
    return (isinstance(sample, TextSample) and sample.path.suffix.lower() not in STRUCTURED_SUFFIXES
            and _kaldi_ids(sample.text) is not None)


def looks_like_lines(sample: object) -> bool:
    return (isinstance(sample, TextSample) and sample.path.suffix.lower() == ".txt"
            and _kaldi_ids(sample.text) is None)


def sibling_references(path: Path) -> Path | None:
    """``hyp.txt`` → ``ref.txt`` in the same folder, when that file exists."""
    for old, new in (("hypothesis", "reference"), ("hyp", "ref"), ("HYP", "REF")):
        if old in path.name:
            candidate = path.with_name(path.name.replace(old, new, 1))
            if candidate.is_file():
                return candidate
    return None


def _reference_path(path: Path, references: str | Path | None) -> Path:
    if references is not None:
        reference_path = Path(references)
        if not reference_path.is_file():
            raise PredictionFormatError(reference_path, "reference file not found", field="references")
        return reference_path
    found = sibling_references(path)
    if found is None:
        raise PredictionFormatError(path, "no reference file: pass references=<file> (CLI --references FILE, run "
                                          "manifest `references`), or name the files hyp.txt and ref.txt",
                                    field="references")
    return found


def _check_length(path: Path, line: int, text: str) -> str:
    if len(text) > MAX_FIELD_CHARS:
        raise PredictionFormatError(path, f"line has {len(text)} characters, above the {MAX_FIELD_CHARS} limit",
                                    item=f"line {line}")
    return text


def load_lines(path: str | Path, *, data: object = None, references: str | Path | None = None) -> PredictionSet:
    """``text-lines``: hypotheses and references line by line (module docstring)."""
    path = Path(path)
    reference_path = _reference_path(path, references)
    hypotheses = _lines(read_text(path))
    refs = _lines(read_text(reference_path))
    if not hypotheses:
        raise PredictionFormatError(path, "no lines (the file is empty)")
    if len(hypotheses) != len(refs):
        raise PredictionFormatError(path, f"{len(hypotheses)} lines, but the references {reference_path} have "
                                          f"{len(refs)}: line i of one must be line i of the other")
    items = tuple(PredictionItem(id=str(number), prediction=_check_length(path, number, hyp.strip()),
                                 references=(_check_length(reference_path, number, ref.strip()),))
                  for number, (hyp, ref) in enumerate(zip(hypotheses, refs, strict=True), start=1))
    return PredictionSet(name=path.stem, source=str(path), items=items,
                         metadata={"format": "text-lines", "references_file": str(reference_path),
                                   "empty_predictions": count_empty(item.prediction for item in items)})


def _read_kaldi(path: Path) -> dict[str, tuple[int, str]]:
    """id → (line, text) of a Kaldi text file; blank lines are ignored, a repeated id is an error."""
    out: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(_lines(read_text(path)), start=1):
        if not line.strip():
            continue
        parts = line.strip().split(maxsplit=1)
        utt = parts[0]
        if utt in out:
            raise PredictionFormatError(path, f"duplicate utterance id {utt!r} (first on line {out[utt][0]})",
                                        item=f"line {number}", field="id")
        out[utt] = (number, _check_length(path, number, parts[1] if len(parts) > 1 else ""))
    if not out:
        raise PredictionFormatError(path, "no lines (the file is empty)")
    return out


def _few(ids: list[str]) -> str:
    return ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def load_kaldi(path: str | Path, *, data: object = None, references: str | Path | None = None) -> PredictionSet:
    """``kaldi-text``: ``<utt-id> <text>`` hypotheses joined by id to the reference file (module docstring)."""
    path = Path(path)
    reference_path = _reference_path(path, references)
    hypotheses = _read_kaldi(path)
    refs = _read_kaldi(reference_path)
    missing = [utt for utt in hypotheses if utt not in refs]
    if missing:
        raise PredictionFormatError(path, f"{len(missing)} utterance id(s) not in the references {reference_path}: "
                                          f"{_few(missing)}", field="id")
    extra = [utt for utt in refs if utt not in hypotheses]
    if extra:
        raise PredictionFormatError(path, f"{len(extra)} utterance id(s) of the references {reference_path} have no "
                                          f"hypothesis: {_few(extra)}", field="id")
    items = tuple(PredictionItem(id=utt, prediction=text, references=(refs[utt][1],))
                  for utt, (_, text) in hypotheses.items())
    return PredictionSet(name=path.stem, source=str(path), items=items,
                         metadata={"format": "kaldi-text", "references_file": str(reference_path),
                                   "empty_predictions": count_empty(item.prediction for item in items)})
