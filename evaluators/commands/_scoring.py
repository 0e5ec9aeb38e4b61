"""Shared by ``audiorepro score`` and ``audiorepro sweep``: scoring one protocol and printing results.

A protocol that cannot run here (``ProtocolUnavailableError``) becomes an "unavailable" row with the
reason instead of aborting the whole command. With ``strict`` (``score``), a set the protocol keeps no item
of, or too few for its metric, is an error naming the file (a value of "n/a" with exit 0 looked like a
result), and input errors propagate. Without it (``sweep``), those and any other error while scoring (an
item without the metadata a protocol needs) become "unavailable" rows with the reason: one protocol never
stops a sweep. A protocol that is not valid for the data (a translation protocol for another language pair)
is a "not applicable" row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from evaluators.errors import NotEnoughItemsError, PredictionFormatError, ProtocolUnavailableError
from evaluators.predictions import PredictionSet
from evaluators.protocols.base import Protocol, Score

#: prefix of the reason of a protocol that is not valid for the data
NOT_APPLICABLE = "not applicable: "


def reference_option(args: Any) -> dict[str, Any]:
    """``references=FILE`` for the loader when ``--references`` was given (plain-text and Kaldi runs)."""
    return {"references": args.references} if getattr(args, "references", None) else {}


def score_or_unavailable(protocol: Protocol, predictions: PredictionSet, *, details: bool = False,
                         strict: bool = False) -> Score:
    """The score, or an unavailable one with the reason (module docstring for ``strict``)."""
    if protocol.unavailable:
        return Score.unavailable(protocol, protocol.unavailable)
    try:
        score = protocol.score(predictions, details=details)
    except ProtocolUnavailableError as error:
        return Score.unavailable(protocol, error.reason)
    except NotEnoughItemsError as error:
        if strict:
            raise PredictionFormatError(predictions.source, f"{protocol.id}: {error}") from None
        return Score.unavailable(protocol, str(error))
    except Exception as error:  # noqa: BLE001  (one protocol that cannot read the file must not abort the sweep)
        if strict:
            raise
        return Score.unavailable(protocol, f"cannot score this file: {error}")
    if strict and score.available and score.n == 0:
        skipped = format_skipped(score.skipped)
        raise PredictionFormatError(predictions.source, f"{protocol.id} kept no item of {len(predictions)} "
                                                        f"(skipped: {skipped}): there is no value to report")
    return score


def not_applicable(protocol: Protocol, reason: str) -> Score:
    return Score.unavailable(protocol, NOT_APPLICABLE + reason)


def status_of(score: Score) -> str:
    """``ok`` | ``unavailable`` | ``not_applicable`` (for JSON rows)."""
    if score.available:
        return "ok"
    return "not_applicable" if (score.unavailable_reason or "").startswith(NOT_APPLICABLE) else "unavailable"


def score_record(score: Score, *, items: bool = False) -> dict[str, Any]:
    """``Score.as_dict()`` plus ``reason`` (the unavailable reason, or ``None``)."""
    record = score.as_dict(items=items)
    record["reason"] = score.unavailable_reason
    record["status"] = status_of(score)
    return record


def format_value(score: Score) -> str:
    if not score.available:
        return status_of(score).replace("_", " ")
    if score.value is None or math.isnan(score.value):
        return "n/a"
    return f"{score.value:.6f}" if score.unit == "fraction" else f"{score.value:.2f}"


def format_skipped(skipped: Mapping[str, int]) -> str:
    return ", ".join(f"{reason}={count}" for reason, count in skipped.items()) or "-"


def format_interval(score: Score) -> str:
    if score.interval is None or math.isnan(score.interval.low):
        return "-"
    return f"[{score.interval.low:.4f}, {score.interval.high:.4f}]"
