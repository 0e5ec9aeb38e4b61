"""CER protocols (protocols.md §3): character error rates of Chinese / code-switch / lyrics sets.

* ``CER-QWEN1-ZH``  QwenLM/Qwen-Audio ``eval_audio/evaluate_asr.py`` (aishell1/2): ``remove_sp`` (zh:
  all whitespace removed), EVALTOK(none, lowercase, punctuation *kept*), characters.
* ``CER-QWEN2-ZH``  QwenLM/Qwen2-Audio ``eval_audio/evaluate_asr.py`` (aishell2, cv15_zh, fleurs_zh):
  ``remove_sp`` → CN-TN → EVALTOK(none, lowercase, punctuation-token drop) → characters.
* ``CER-QWEN2-YUE`` QwenLM/Qwen2-Audio ``eval_audio/evaluate_asr.py`` (cv15_yue): zhconv to simplified
  → WN-BASIC → EVALTOK → characters.
* ``CER-JIWER``     nicolaus625/CMI-bench ``evaluate.py::compute_wer_cer`` (DSing): ASR-CMI cleaning, then
  ``jiwer.cer`` per sample (every character, spaces included, is a token), mean over samples.
* ``CER-AB-MIXED``  AudioLLMs/AudioBench ``preprocess_text.py::preprocess_text_asr_code_switch_chinese``
  (aishell_asr_zh_test, seame_*): ASR-AB, then a space between consecutive Han characters only —
  a word/character *mixed* error rate.
* ``CER-FAIRSEQ``   facebookresearch/fairseq ``fairseq/scoring/wer.py`` with ``--wer-char-level``.

Corpus Σ edits / Σ reference characters unless marked macro; values are fractions.
"""

from __future__ import annotations

from evaluators.protocols.asr import audiobench_protocol, cmi_protocol, fairseq_protocol, qwen_protocol
from evaluators.protocols.registry import register
from evaluators.text.evaltok import EvaluationTokenizer

CER_QWEN1_ZH = register(qwen_protocol("CER-QWEN1-ZH", generation=1, family="cer", language="zh",
                                      spec="protocols.md §3"))
CER_QWEN2_ZH = register(qwen_protocol("CER-QWEN2-ZH", generation=2, family="cer", language="zh",
                                      spec="protocols.md §3"))
CER_QWEN2_YUE = register(qwen_protocol("CER-QWEN2-YUE", generation=2, family="cer", language="yue",
                                       spec="protocols.md §3"))
CER_JIWER = register(cmi_protocol("CER-JIWER", family="cer", character_level=True, spec="protocols.md §3"))
CER_AB_MIXED = register(audiobench_protocol(
    "CER-AB-MIXED", variant="zh", family="cer", script="src/dataset_src/aishell_asr_zh_test.py",
    spec="protocols.md §3",
    title="AudioLLMs/AudioBench preprocess_text.py::preprocess_text_asr_code_switch_chinese + "
          "aishell_asr_zh_test.py::compute_score: ASR-AB with consecutive Han chars spaced (mixed word/char rate)"))
CER_FAIRSEQ = register(fairseq_protocol("CER-FAIRSEQ", EvaluationTokenizer("none", character_tokenization=True),
                                        family="cer", spec="protocols.md §3"))
