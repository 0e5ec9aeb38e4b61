"""Output clean-up: EOS, Qwen remove_sp, nota end_sym, ASR-JW-STRICT classifier, CMI prefixes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from evaluators.text.cleanup import (
    CMI_PREFIX_PATTERNS,
    STRICT_CATEGORIES,
    classify_strict,
    cut_at_end_symbol,
    delete_prefix_matches,
    ends_with_eos,
    remove_sp,
    strip_cmi_prefixes,
    strip_trailing_eos,
)


def test_eos_helpers() -> None:
    assert ends_with_eos("done.</s>  ")
    assert not ends_with_eos("cut off")
    assert strip_trailing_eos(" done.</s> ") == "done."


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("He hoped , there would be stew .", "en", "He hoped, there would be stew."),
    ("<|en|>  hello   world !", "en", "hello world!"),
    ("  leading", "en", "leading"),
    ("今天 天气 很好 。", "zh", "今天天气很好。"),
    ("a  ,  b", "en", "a, b"),
])
def test_remove_sp(text: str, language: str, expected: str) -> None:
    assert remove_sp(text, language) == expected


def test_cut_at_end_symbol() -> None:
    assert cut_at_end_symbol("hello<|end_of_text|>garbage<|end_of_text|>") == "hello"
    assert cut_at_end_symbol("no marker") == "no marker"


@pytest.mark.parametrize(("hypothesis", "reference", "category", "rewritten"), [
    ("The villages will save us.", "the villages will save us", "no_eos", "The villages will save us."),
    ("The transcription of the given speech is: hello\nmore</s>", "hello", "garbage_prefix_v1", "hello"),
    ("The transcription of the speech is:  hi there</s>", "hi there", "garbage_prefix_v4", "hi there</s>"),
    ("x <Speech> inside </Speech> y</s>", "inside", "speech_tagged", "inside"),
    ("I'm sorry, I cannot</s>", "anything", "sorry_rejected", "I'm sorry, I cannot</s>"),
    ('Here is the transcription: "The villages will save us."</s>', "the villages will save us",
     "garbage_prefix_v2", "The villages will save us."),
    ('The text is "a "b" c"</s>', "a b c", "garbage_prefix_v3", 'a "b" c'),
    ("short</s>", "a much much longer reference text", "too_long", "short</s>"),
    ("hello world</s>", "hello world", "valid", "hello world</s>"),
    ("hello world<s>", "hello world", "invalid", "hello world<s>"),
])
def test_strict_classifier_rules_in_order(hypothesis: str, reference: str, category: str, rewritten: str) -> None:
    assert classify_strict(hypothesis, reference) == (category, rewritten)
    assert category in STRICT_CATEGORIES


@pytest.mark.parametrize(("prediction", "expected"), [
    ("The lyrics of the song are: I've got two tickets!", "I've got two tickets!"),
    ("Here are the lyrics: hello", "Here are the lyrics: hello"),
    ("<s>The content of the audio is: la la</s>", "la la"),
])
def test_cmi_prefixes(prediction: str, expected: str) -> None:
    assert strip_cmi_prefixes(prediction) == expected


# --- issue 14, finding 15: CMI-bench's prefix regexes in linear time ----------------------------------------------

CPU_GUARD = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    from evaluators.text.cleanup import strip_cmi_prefixes
    runaway = "la la " * 33_334  # 200,004 characters on one line, no prefix to delete
    assert strip_cmi_prefixes(runaway + " lyrics are: words") == "words"
    assert strip_cmi_prefixes(runaway) == runaway.strip()
    print("done")
""")


def test_a_200k_character_runaway_output_is_cleaned_without_quadratic_cost():
    """A guard, not a timing: the regexes needed ~1,100 s of CPU here; 60 s is a 1,000x margin over the
    linear version (ms). The time per character is measured in benchmarks/bench_asr_cmi.py."""
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-c", CPU_GUARD], capture_output=True, text=True, cwd=root,
                         env={**os.environ, "PYTHONPATH": str(root)}, timeout=300, check=False)
    assert run.returncode == 0 and run.stdout.strip() == "done", (run.returncode, run.stderr[-500:])


@pytest.mark.parametrize("text", ["a lyrics are: x", "The lyrics of it are: la la", "x lyrics y are z: w: v",
                                  "one lyrics are\n two lyrics are: three", "no match here", "",
                                  "a text is: b text is: c", " lyrics are:", "\n\n lyrics are:\n"])
def test_prefix_deletion_equals_the_regexes(text):
    for pattern, (keyword, word) in zip(CMI_PREFIX_PATTERNS, (
            (" lyrics ", "are"), (" content ", "is"), (" transcription ", "is"), (" text ", "is")), strict=True):
        assert delete_prefix_matches(text, keyword, word) == re.sub(pattern, "", text)
