"""Property: any prediction set written as generic JSONL reads back identical (texts, ids, metadata)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators.predictions import load_predictions
from evaluators.predictions.base import PredictionItem
from evaluators.predictions.generic import write_generic_jsonl

texts = st.text(max_size=40)  # any Unicode except surrogates: includes U+2028, U+0085, \r, NUL
ids = st.text(min_size=1, max_size=12).filter(lambda s: s.strip())
json_values = st.recursive(st.none() | st.booleans() | st.integers() | texts,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                           max_leaves=6)
items = st.builds(lambda pred, refs, prompt, meta: (pred, tuple(refs), prompt, meta),
                  texts, st.lists(texts, min_size=1, max_size=3), st.none() | texts,
                  st.dictionaries(texts, json_values, max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.lists(items, min_size=1, max_size=6), st.lists(ids, min_size=6, max_size=6, unique=True))
def test_write_then_load_is_identity(rows, item_ids):
    originals = [PredictionItem(id=item_id, prediction=pred, references=refs, prompt=prompt, metadata=meta)
                 for item_id, (pred, refs, prompt, meta) in zip(item_ids, rows, strict=False)]
    with tempfile.TemporaryDirectory() as folder:
        path = write_generic_jsonl(originals, Path(folder) / "run.jsonl")
        loaded = load_predictions(path, "generic-jsonl")
    assert [(i.id, i.prediction, i.references, i.prompt, dict(i.metadata)) for i in loaded] == \
        [(i.id, i.prediction, i.references, i.prompt, dict(i.metadata)) for i in originals]
