"""Frozen generations per platform class: bs 1 and bs 2/4 outputs of the models on real SAKURA clips.

Whisper base appears three times: transcription of the Emotion clips (``base``), language
identification (``base-lid``) and German -> English translation (``base-translate``) of the
Language clips.

Refresh with ``pytest -m determinism --snapshot-update`` (add ``--gpu`` for the cuda sets). The runs
are the session's small sweep (conftest ``SMALL_PLAN``), shared with the CPU invariance tests.
"""

from __future__ import annotations

import pytest

from runners.snapshots import snapshot_document

pytestmark = pytest.mark.determinism

SNAPSHOT_MODELS = ["tiny-whisper", "tiny-qwen2-audio", "tiny.en", "base", "base-lid", "base-translate"]


@pytest.mark.parametrize("model", SNAPSHOT_MODELS)
def test_generation_snapshot(model, dtype, small_sweep, determinism_snapshot):
    result = small_sweep(model, dtype)
    ids = list(result.references)
    runs = {1: [result.references[i] for i in ids]}
    runs |= {size: [outputs[i] for i in ids] for size, outputs in sorted(result.chunked.items())}
    document = snapshot_document(runs, model=model, max_new_tokens=result.max_new_tokens)
    assert document == determinism_snapshot
