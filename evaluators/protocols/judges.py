"""LLM-as-judge protocols (protocols.md §12, §7.3, §11.1, §14): ordinary protocols whose metric is a judge.

Reproduces, prompt text byte-exact (``evaluators.judges.templates``) and verdict rule exact
(``evaluators.judges.parsing``):

* ``J-SAKURA`` — ckyang1124/SAKURA ``evaluation/llm_judge.py`` + ``calculate_acc.py``;
* ``J-SAKURA-JW-DIST`` — jaeeewon/project-multimodal ``dist_eval/works.py::eval_sakura_judge``,
  ``dist_eval/qwen3.py``, ``dist_eval/eval_sakura.py``;
* ``J-SAKURA-JW-EVAL`` — jaeeewon/project-multimodal ``evaluation/sakura_exp.py`` +
  ``evaluation/judges/vllm_judge.py``;
* ``J-SQQA-JW`` — jaeeewon/project-multimodal ``dist_eval/works.py::eval_wikiqa_sqqa_judge`` + ``eval_sqqa.py``;
* ``J-SF-JW`` — jaeeewon/project-multimodal ``dist_eval/eval_sf.py``;
* ``J-AB-SCALE`` / ``J-AB-BINARY`` (Llama-3-70B judge) and ``-GPT4O`` variants — AudioLLMs/AudioBench
  ``src/dataset_src/eval_methods/eval_llama3_70b.py`` / ``eval_gpt4o.py``;
* ``J-AIR-CHAT`` — OFA-Sys/AIR-Bench ``score_chat.py`` + ``cal_score.py``;
* ``ER-AB-JUDGE``, ``G-AB`` — AudioBench's emotion and gender tasks judged with the J-AB-BINARY recipe;
  ``G-SAKURA`` — SAKURA's Gender track judged with the J-SAKURA recipe;
* ``MCQ-AIR-GPT`` — AIR-Bench Foundation after its GPT answer alignment (``align_in_foundation.py``).

Each protocol's only step skips the items its recipe leaves out (``JudgeSpec.calls``); its metric is a
:class:`~evaluators.judges.metric.JudgeMetric`, unavailable until a judge is bound for the call::

    score = get_protocol("J-SAKURA-JW-DIST").with_judge(backend, cache).score(predictions)

The result is a ``Score`` like any other: value, ``n``, interval, groups, and a signature naming the judge
model, revision, backend, template and decoding; ``score.extras`` holds verdict counts, unparsed replies,
calls made and cache hits; each item's verdict and replies are its ``notes``.
"""

from __future__ import annotations

from evaluators.judges.metric import NO_BACKEND, JudgeMetric
from evaluators.judges.specs import SPECS, JudgeSpec
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.registry import register


def _judge_skip_step(metric: JudgeMetric) -> Step:
    def skip(prepared: Prepared) -> str | None:
        return metric.skip_reason(prepared.item)

    return Step("judge-prompts", "skip", skip,
                "items the recipe cannot judge are skipped with its reason (e.g. no slot); the raw response and "
                "the item's question/reference go into the byte-exact prompt template")


_SAKURA = "ckyang1124/SAKURA"
_JW = "jaeeewon/project-multimodal"
_AB = "AudioLLMs/AudioBench"
_AIR = "OFA-Sys/AIR-Bench"
#: judge code changed between revisions: each protocol pins the commit whose code it reproduces
_SAKURA_COMMIT = "a1fdb146f638fe4740c20a31ba6da868f2cb2313"
#: 68cb85c "added: SAKURA evaluation": the judging behind the repository's SALMONN SAKURA rows (the seed and the
#: thinking switch entered qwen3.py later, in c804f8c)
_JW_SAKURA_DIST_COMMIT = "68cb85ccd585758069d7c861cfaef8b21d75c43d"
_JW_HEAD_COMMIT = "d9e5d172c6cfd426ce1a85f989ecb2a968c5d733"
#: 6e1721d "added: eval SQQA" / df549dd "added: eval SF": the judge code that produced those tables
_JW_SQQA_COMMIT = "6e1721de527318a709eccc9ed67146c3052c5e48"
_JW_SF_COMMIT = "df549dd5b53c93b84044eac56af39555c42ee262"
_AB_COMMIT = "e991641d4beaa7c07913c481af05447619f0e9f5"
_AIR_COMMIT = "983247666e2a25519b5c122810c2bcd91f26fd8d"

_DEFINITIONS: tuple[tuple[str, str, str, tuple[Source, ...], str], ...] = (
    ("J-SAKURA", "judge", "SAKURA official GPT-4o judge, invalid judgements counted wrong "
     "(ckyang1124/SAKURA evaluation/llm_judge.py + calculate_acc.py)",
     (Source(_SAKURA, "evaluation/llm_judge.py", _SAKURA_COMMIT),
      Source(_SAKURA, "evaluation/calculate_acc.py", _SAKURA_COMMIT)), "§12.3"),
    ("J-SAKURA-JW-DIST", "judge", "SAKURA re-implementation with a Qwen3-8B judge, exact judgement match "
     "(jaeeewon/project-multimodal dist_eval/works.py::eval_sakura_judge)",
     (Source(_JW, "dist_eval/works.py::eval_sakura_judge", _JW_SAKURA_DIST_COMMIT),
      Source(_JW, "dist_eval/qwen3.py", _JW_SAKURA_DIST_COMMIT),
      Source(_JW, "dist_eval/eval_sakura.py", _JW_SAKURA_DIST_COMMIT)), "§12.4"),
    ("J-SAKURA-JW-EVAL", "judge", "SAKURA re-implementation with a gpt-oss-20b judge "
     "(jaeeewon/project-multimodal evaluation/sakura_exp.py)",
     (Source(_JW, "evaluation/sakura_exp.py", _JW_HEAD_COMMIT),
      Source(_JW, "evaluation/judges/vllm_judge.py", _JW_HEAD_COMMIT)), "§12.4"),
    ("J-SQQA-JW", "judge", "WikiQA spoken-query QA judged by Qwen3-8B, OR over candidate answers "
     "(jaeeewon/project-multimodal dist_eval/works.py::eval_wikiqa_sqqa_judge + eval_sqqa.py)",
     (Source(_JW, "dist_eval/works.py::eval_wikiqa_sqqa_judge", _JW_SQQA_COMMIT),
      Source(_JW, "dist_eval/eval_sqqa.py", _JW_SQQA_COMMIT)), "§12.1"),
    ("J-SF-JW", "judge", "SLURP slot filling judged per slot by Qwen3-8B, exact 'Yes' "
     "(jaeeewon/project-multimodal dist_eval/eval_sf.py)",
     (Source(_JW, "dist_eval/eval_sf.py", _JW_SF_COMMIT), Source(_JW, "dist_eval/slurp.py", _JW_SF_COMMIT)), "§12.2"),
    ("J-AB-SCALE", "judge", "AudioBench 0-5 rating by Llama-3-70B, mean × 20 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_llama3_70b.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_llama3_70b.py::llama3_70b_as_judge", _AB_COMMIT),), "§12.5"),
    ("J-AB-BINARY", "judge", "AudioBench 0/1 rating by Llama-3-70B, mean × 100 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_llama3_70b.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_llama3_70b.py::llama3_70b_as_judge_binary",
             _AB_COMMIT),), "§12.5"),
    ("J-AB-SCALE-GPT4O", "judge", "AudioBench 0-5 rating by GPT-4o, mean × 20 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_gpt4o.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_gpt4o.py::gpt4o_as_judge", _AB_COMMIT),), "§12.5"),
    ("J-AB-BINARY-GPT4O", "judge", "AudioBench 0/1 rating by GPT-4o, mean × 100 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_gpt4o.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_gpt4o.py::gpt4o_as_judge_binary", _AB_COMMIT),), "§12.5"),
    ("J-AIR-CHAT", "judge", "AIR-Bench chat: GPT-4 scores reference and model 1-10, positions swapped and "
     "averaged, fails excluded (OFA-Sys/AIR-Bench score_chat.py + cal_score.py)",
     (Source(_AIR, "score_chat.py", _AIR_COMMIT), Source(_AIR, "cal_score.py", _AIR_COMMIT)), "§12.6"),
)


_GOLD_AB = Source(_AB, "src/dataset_src/eval_methods/eval_llama3_70b.py::llama3_70b_as_judge_binary", _AB_COMMIT)

#: protocols of other families judged with one of the recipes above: (id, family, title, sources, section, recipe)
_JUDGED_TASKS: tuple[tuple[str, str, str, tuple[Source, ...], str, str], ...] = (
    ("ER-AB-JUDGE", "emotion", "AudioBench IEMOCAP/MELD emotion with an LLM judge (J-AB-BINARY), mean(0/1)×100",
     (Source(_AB, "src/dataset_src/iemocap_emotion_test.py", _AB_COMMIT,
             note="also meld_emotion_test.py, meld_sentiment_test.py; judge eval_methods/eval_llama3_70b.py"),
      _GOLD_AB), "§7.3", "ER-AB-JUDGE"),
    ("G-AB", "gender", "AudioBench IEMOCAP/VoxCeleb gender judged by J-AB-BINARY, mean(0/1)×100",
     (Source(_AB, "src/dataset_src/voxceleb_gender_test.py", _AB_COMMIT,
             note="also iemocap_gender_test.py; judge eval_methods/eval_llama3_70b.py"), _GOLD_AB),
     "§14 (G-AB) → §12.5", "J-AB-BINARY"),
    ("G-SAKURA", "gender", "SAKURA Gender track (single/multi-hop MCQ) judged by J-SAKURA",
     (Source(_SAKURA, "evaluation/llm_judge.py", _SAKURA_COMMIT,
             note="+ evaluation/calculate_acc.py; GPT-4o judge, 'Judgement: correct' parsing"),
      Source(_SAKURA, "evaluation/calculate_acc.py", _SAKURA_COMMIT)), "§14 (G-SAKURA) → §12.3", "J-SAKURA"),
    ("MCQ-AIR-GPT", "mcq",
     "AIR-Bench Foundation after the GPT answer alignment (align_in_foundation.py), then score_foundation.py",
     (Source(_AIR, "align_in_foundation.py", _AIR_COMMIT,
             note="gpt-3.5-turbo, temperature 1.0 or 2.0 for a random half of items (unseeded)"),
      Source(_AIR, "score_foundation.py", _AIR_COMMIT,
             note="first char A-D, else second-to-last char; failures leave the denominator")),
     "§11.1", "MCQ-AIR-GPT"),
)


def judge_protocol(protocol_id: str, family: str, title: str, sources: tuple[Source, ...], section: str,
                   spec: JudgeSpec) -> Protocol:
    """A protocol judged by ``spec``'s recipe: the recipe's skip rule as its step, a judge metric, the recipe's
    default judge, decoding and template as parameters (a bound judge's own values replace them in the
    signature); unavailable until ``with_judge`` binds a judge."""
    metric = JudgeMetric(spec)
    params = {"judge": spec.default_model, "dec": spec.default_decoding.signature(),
              "tpl": f"{spec.template.name}@{spec.template.hash}"}
    if spec.protocol_id != protocol_id:
        params["recipe"] = spec.protocol_id
    return Protocol(id=protocol_id, family=family, title=title, sources=sources, steps=(_judge_skip_step(metric),),
                    metric=metric, params=params, spec=f"protocols.md {section}",
                    interval_method="wilson" if spec.kind == "binary" else "bootstrap", unavailable=NO_BACKEND)


JUDGE_PROTOCOLS = {definition[0]: register(judge_protocol(*definition, SPECS[definition[0]]))
                   for definition in _DEFINITIONS}
JUDGE_PROTOCOLS |= {task[0]: register(judge_protocol(*task[:5], SPECS[task[5]])) for task in _JUDGED_TASKS}
