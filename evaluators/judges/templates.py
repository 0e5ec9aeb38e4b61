"""Judge prompt templates, byte-exact to the public code each protocol reproduces (protocols.md §12).

The prompt text is data the protocol is defined by, so it is kept here verbatim, whitespace included:
indentation that came from a triple-quoted string inside an indented function, blank lines that
hold only spaces, trailing spaces, leading and trailing newlines. Lines are written out one by one
(``_lines``) so every such character is visible in review. Placeholders are substituted the way
the source does it (``str.replace`` in a fixed order, or ``str.format``), because the order matters
when a model output happens to contain another placeholder.

Every template has a :attr:`PromptTemplate.hash` (sha256 of its texts and substitution rule) that
enters the score signature and the judgement cache key: editing one character changes the hash.

Sources (read with the search tool; prompt text only, no code copied):

* ``SAKURA_OFFICIAL`` — ckyang1124/SAKURA ``evaluation/llm_judge.py``: user template starts with a
  newline, every line indented 4 spaces, the blank line before "Now here is ..." holds 4 spaces, it
  ends with a newline plus 4 spaces; the system prompt's first line ends with a space and its second
  line is indented 23 spaces. Substitution order: question, response, ground truth.
* ``SAKURA_JW_DIST`` — jaeeewon/project-multimodal ``dist_eval/works.py::eval_sakura_judge`` at 68cb85c,
  the judging behind the repository's SALMONN SAKURA rows: its module-level prompts, not the example in
  ``qwen3.py``'s ``__main__`` block. The user template is byte-identical to SAKURA's; the system
  prompt's second line starts with a literal ``#`` and 21 spaces *inside* the string (a comment marker
  that ended up in the text). Substitution order as ``works.py``: question, response, ground truth.
* ``SAKURA_JW_EVAL`` — jaeeewon/project-multimodal ``evaluation/sakura_exp.py``: no indentation,
  system prompt without the trailing space; order question, ground truth, response.
* ``SQQA_JW`` — jaeeewon/project-multimodal ``dist_eval/works.py::eval_wikiqa_sqqa_judge`` (§12.1).
* ``SF_JW`` — jaeeewon/project-multimodal ``dist_eval/eval_sf.py`` (``str.format``).
* ``AB_SCALE_LLAMA`` / ``AB_BINARY_LLAMA`` — AudioLLMs/AudioBench
  ``src/dataset_src/eval_methods/eval_llama3_70b.py`` (8-space indent, no leading/trailing newline,
  the binary criteria lines end with a space); ``AB_SCALE_GPT4O`` / ``AB_BINARY_GPT4O`` —
  ``eval_gpt4o.py`` (12-space indent). ``str.format``.
* ``AIR_CHAT`` — OFA-Sys/AIR-Bench ``score_chat.py::build_test_file`` (one user message).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

#: a chat message: (role, content)
Message = tuple[str, str]
Substitution = Literal["replace", "format"]


@dataclass(frozen=True)
class PromptTemplate:
    """A judge prompt: optional system text, a user text, and how placeholders are filled.

    ``placeholders`` maps field names to the literal placeholder strings, in the order the source
    substitutes them (``replace``), or lists the ``{name}`` fields of a ``str.format`` template.
    """

    name: str
    source: str
    user: str
    system: str | None = None
    substitution: Substitution = "replace"
    placeholders: tuple[tuple[str, str], ...] = ()
    note: str = ""
    _hash: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        payload = json.dumps({"system": self.system, "user": self.user, "substitution": self.substitution,
                              "placeholders": [list(p) for p in self.placeholders]},
                             ensure_ascii=False, sort_keys=True)
        object.__setattr__(self, "_hash", hashlib.sha256(payload.encode("utf-8")).hexdigest())

    @property
    def hash(self) -> str:
        """Short content hash (12 hex digits) of the texts and the substitution rule."""
        return self._hash[:12]

    def fill(self, values: Mapping[str, str]) -> str:
        """The user text with every placeholder substituted as the source does."""
        missing = [name for name, _ in self.placeholders if name not in values]
        if missing:
            raise KeyError(f"template {self.name} needs values for {missing}")
        if self.substitution == "format":
            return self.user.format(**{name: values[name] for name, _ in self.placeholders})
        text = self.user
        for name, literal in self.placeholders:
            text = text.replace(literal, values[name])
        return text

    def render(self, values: Mapping[str, str]) -> tuple[Message, ...]:
        """The chat messages sent to the judge: system (if any) then user."""
        messages: list[Message] = []
        if self.system is not None:
            messages.append(("system", self.system))
        messages.append(("user", self.fill(values)))
        return tuple(messages)


def _lines(lines: Sequence[str], indent: str = "", blank: Mapping[int, str] | None = None) -> str:
    """Join ``lines`` with newlines, prefixing non-empty ones with ``indent``; ``blank`` gives the exact
    content of chosen empty lines (by index), for sources whose blank lines hold spaces."""
    blank = blank or {}
    out = []
    for index, line in enumerate(lines):
        out.append(indent + line if line else blank.get(index, ""))
    return "\n".join(out)


# -- SAKURA (§12.3, §12.4) ----------------------------------------------------------------------------

_SAKURA_BODY = (
    "You will be given a question with list of possible options, a ground truth answer and a model generated "
    "response. Determine whether the model generated response is correct based on the following criteria:",
    "1. Since there is one and only one corect answer, it should be judged incorrect if the model do not choose any "
    "option from the option list or it choose more than one option.",
    "2. If the model choose one option from the option list, it should be judged correct if the chosen option aligns "
    "with the ground truth answer, otherwise it should be judged incorrect.",
    "3. Read the question, options, ground truth answer and model generated response carefully before making a "
    "decision.",
    "",
    "Considering the following examples:",
    "Question: What is the capital of France? (a) Paris (b) London (c) Berlin (d) Madrid",
    "Ground truth answer: (a) Paris",
    "If the model generated response is: \"The capital of France is Tokyo.\", it should be judged incorrect since it "
    "does not choose any option from the option list.",
    "If the model generated response is: \"The capital of France is Paris and London.\", it should be judged "
    "incorrect since it chooses more than one option from the option list.",
    "If the model generated response is: \"The capital of France is London.\", it should be judged incorrect since it "
    "chooses one option from the option list but the chosen option does not align with the ground truth answer.",
    "If the model generated response is: \"The capital of France is Paris.\", it should be judged correct since it "
    "chooses one option from the option list and the chosen option aligns with the ground truth answer.",
    "Another Question: What is the underlying emotion of the speaker? (a) Happy (b) Sad (c) Angry (d) Neutral",
    "Ground truth answer: (a) Happy",
    "If the model generated response is: \"The speaker is happy.\", it should be judged correct since it chooses one "
    "option from the option list and the chosen option aligns with the ground truth answer.",
    "If the model generated response is: \"The speaker expresses happiness.\", it should be judged correct since "
    "\"happiness\" aligns with the ground truth answer \"happy\", and they are just different part of speech of the "
    "same word.",
    "If the model generated response is: \"Happiness,\" it should be judged correct since it is also a valid "
    "derivative of the ground truth answer \"happy\".",
    "",
    "Now here is the question and the model generated response for you to judge:",
    "Question: [QUESTION]",
    "Ground truth answer: [GROUND_TRUTH_ANSWER]",
    "Model generated response: [MODEL_GENERATED_RESPONSE]",
    "",
    "Carefully make your decision based on the above criteria. Return your judgement with the following format:",
    "Explanation: <Your explanation on your judgement>",
    "Judgement: <Your judgement, either \"correct\" or \"incorrect\">",
)
#: index of the blank line before "Now here is ..." (it holds 4 spaces in the official file)
_SAKURA_BLANK_BEFORE_NOW = 17
_SAKURA_SYSTEM_FIRST = ("You are a good judge. You will be given a question with list of possible options, a ground "
                        "truth answer and a model generated response.")
_SAKURA_SYSTEM_SECOND = "You have to determine whether the model generated answer is correct."

_SAKURA_PLACEHOLDERS_QRG = (("question", "[QUESTION]"), ("response", "[MODEL_GENERATED_RESPONSE]"),
                            ("ground_truth", "[GROUND_TRUTH_ANSWER]"))
_SAKURA_PLACEHOLDERS_QGR = (("question", "[QUESTION]"), ("ground_truth", "[GROUND_TRUTH_ANSWER]"),
                            ("response", "[MODEL_GENERATED_RESPONSE]"))

SAKURA_OFFICIAL = PromptTemplate(
    name="sakura-official",
    source="ckyang1124/SAKURA evaluation/llm_judge.py",
    system=_SAKURA_SYSTEM_FIRST + " \n" + " " * 23 + _SAKURA_SYSTEM_SECOND,
    user="\n" + _lines(_SAKURA_BODY, "    ", {_SAKURA_BLANK_BEFORE_NOW: "    "}) + "\n    ",
    placeholders=_SAKURA_PLACEHOLDERS_QRG,
)

SAKURA_JW_DIST = PromptTemplate(
    name="sakura-jw-dist",
    source="jaeeewon/project-multimodal@68cb85c dist_eval/works.py::eval_sakura_judge",
    system=_SAKURA_SYSTEM_FIRST + " \n#" + " " * 21 + _SAKURA_SYSTEM_SECOND,
    user=SAKURA_OFFICIAL.user,
    placeholders=_SAKURA_PLACEHOLDERS_QRG,
    note="works.py's module-level user_prompt_template (= SAKURA's, byte for byte) and system_prompt (second "
         "line: '#' + 21 spaces inside the string), as sent at 68cb85c",
)

SAKURA_JW_EVAL = PromptTemplate(
    name="sakura-jw-eval",
    source="jaeeewon/project-multimodal evaluation/sakura_exp.py",
    system=_SAKURA_SYSTEM_FIRST + "\n" + _SAKURA_SYSTEM_SECOND,
    user="\n" + _lines(_SAKURA_BODY) + "\n",
    placeholders=_SAKURA_PLACEHOLDERS_QGR,
)

# -- WikiQA spoken-query QA (§12.1) --------------------------------------------------------------------

SQQA_JW = PromptTemplate(
    name="sqqa-jw",
    source="jaeeewon/project-multimodal dist_eval/works.py::eval_wikiqa_sqqa_judge",
    user="\n" + _lines((
        "Next I will give you a question and give you the corresponding standard answer and the answer I said. You "
        "need to judge whether my answer is correct or not based on the standard answer to the question. I will give "
        "you the question and the corresponding answer in the following form: {\"Question\": \"xxx\", \"Standard "
        "Answer\": \"xxx\", \"My Answer\": \"xxx\"}",
        "You need to judge the correctness of my answer, as well as state a short justification. Your responses need "
        "to follow the Python dictionary format:",
        "{\"Correct\": True / False, \"Reason\": \"xxx\"}",
        "Now, I will give you the following question and answer: ",
        "SENTENCEHERE",
        "Your response is: ",
    )) + "\n",
    placeholders=(("sentence", "SENTENCEHERE"),),
)


def sqqa_sentence(question: str, answer: str, output: str) -> str:
    """The ``SENTENCEHERE`` text: a dict-looking line, texts inserted without any escaping (§12.1)."""
    return f'{{"Question": "{question}", "Standard Answer": "{answer}", "My Answer": "{output}"}}'


# -- SLURP slot filling (§12.2) ------------------------------------------------------------------------

SF_JW = PromptTemplate(
    name="sf-jw",
    source="jaeeewon/project-multimodal dist_eval/eval_sf.py",
    system="\n" + _lines((
        "you will be given two slots: `our_slot` and `golden_slot`, along with a `slot_type` that describes the nature "
        "of the slot.",
        "you don't need to flatter for our model and you don't need to be harsh for our model.",
        "you must respond 'Yes' if `our_slot` accurately reflects `golden_slot`, otherwise respond 'No'.",
        "you must respond strictly with either 'Yes' or 'No'.",
        "you must not include any explanations or additional text.",
    )) + "\n",
    user="\n" + _lines((
        "determine if the `our_slot` accurately reflects the `golden_slot` and respond only with 'Yes' or 'No'.",
        "you can refer to the `slot_type` for better understanding.",
        "",
        "- **our_slot**: `{our_slot}`",
        "- **golden_slot**: `{golden_slot}`",
        "- **slot_type**: `{slot_type}`",
    )) + "\n",
    substitution="format",
    placeholders=(("our_slot", "{our_slot}"), ("golden_slot", "{golden_slot}"), ("slot_type", "{slot_type}")),
)

# -- AudioBench (§12.5) --------------------------------------------------------------------------------

_AB_HEAD = ("[Reference Answer]", "{reference}", "", "[Model Answer]", "{prediction}", "", "[Question]", "{question}",
            "", "[Task]")
_AB_TAIL = ("", "Your response should be formatted as follows:",
            "Explanation: (Provide a concise explanation of your rating, comparing the reference answer with the "
            "model's response. \"The reference answer is [XXX], while the model's answer is [YYY]. I think ...\")",
            "Rating: (int)")
_AB_SCALE_TASK = (
    "Rate the model's answer based on its alignment with the reference answer, focusing on accuracy and relevance to "
    "the reference provided. Please be critical on the details. If the model response is something like 'cannot "
    "decide', please rate as 0.",
    "Criteria: Assess if the model's response mirrors the reference in terms of content, accuracy, and relevance.",
    "Score0: The answer is refusing to give concrete results, providing something like 'cannot decide'.",
    "Score0: The answer is completely misaligned, providing incorrect or irrelevant information compared to the "
    "reference.",
    "Score1: The answer shows minimal alignment, often misunderstanding or providing irrelevant details unrelated to "
    "the reference.",
    "Score2: The answer recognizes the topic but diverges significantly from the reference in accuracy or relevance.",
    "Score3: The answer aligns with the reference generally but lacks detail or precise accuracy in some aspects.",
    "Score4: The answer is mostly accurate and relevant, closely following the reference but could be clearer or more "
    "detailed.",
    "Score5: The answer is highly accurate, detailed, and matches the reference answer perfectly, capturing its "
    "essence and detail.",
)
_AB_BINARY_TASK = (
    "Rate the model's answer based on its alignment with the reference answer, focusing on accuracy and relevance to "
    "the reference provided. Please be critical on the details.",
    "Criteria: Assess if the model's response mirrors the reference in terms of content, accuracy, and relevance. "
    "Please give a score of 0 or 1. ",
    "Score0: The answer is refusing to give concrete results, providing something like 'cannot decide'.",
    "Score0: The answer is wrong, providing incorrect or irrelevant information compared to the reference. ",
    "Score1: The answer is correct, capturing or covering the meaning from the reference.",
)
_AB_PLACEHOLDERS = (("reference", "{reference}"), ("prediction", "{prediction}"), ("question", "{question}"))
_AB_LLAMA_SOURCE = "AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_llama3_70b.py"
_AB_GPT4O_SOURCE = "AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_gpt4o.py"


def _audiobench(name: str, source: str, task: Sequence[str], indent: str) -> PromptTemplate:
    return PromptTemplate(name=name, source=source, user=_lines(_AB_HEAD + tuple(task) + _AB_TAIL, indent),
                          substitution="format", placeholders=_AB_PLACEHOLDERS)


AB_SCALE_LLAMA = _audiobench("audiobench-scale-llama3-70b", _AB_LLAMA_SOURCE + "::llama3_70b_as_judge_one_sample",
                             _AB_SCALE_TASK, " " * 8)
AB_BINARY_LLAMA = _audiobench("audiobench-binary-llama3-70b",
                              _AB_LLAMA_SOURCE + "::llama3_70b_as_judge_binary_one_sample", _AB_BINARY_TASK, " " * 8)
AB_SCALE_GPT4O = _audiobench("audiobench-scale-gpt4o", _AB_GPT4O_SOURCE + "::gpt4o_as_judge", _AB_SCALE_TASK,
                             " " * 12)
AB_BINARY_GPT4O = _audiobench("audiobench-binary-gpt4o", _AB_GPT4O_SOURCE + "::gpt4o_as_judge_binary",
                              _AB_BINARY_TASK, " " * 12)

# -- AIR-Bench chat (§12.6) ----------------------------------------------------------------------------

AIR_CHAT = PromptTemplate(
    name="air-bench-chat",
    source="OFA-Sys/AIR-Bench score_chat.py::build_test_file",
    user=("You are a helpful and precise assistant for checking the quality of the answer.\n"
          "[Detailed Audio Description]\nXAudioX\n[Question]\nXQuestionX\n"
          "[The Start of Assistant 1s Answer]\nXAssistant1X\n[The End of Assistant 1s Answer]\n"
          "[The Start of Assistant 2s Answer]\nXAssistant2X\n[The End of Assistant 2s Answer]\n[System]\n"
          "We would like to request your feedback on the performance of two AI assistants in response to the user "
          "question and audio description displayed above. AI assistants are provided with detailed audio "
          "descriptions and questions.\n"
          "Please rate the helpfulness, relevance, accuracy, and comprehensiveness of their responses. Each assistant "
          "receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance. "
          "Please output a single line containing only two values indicating the scores for Assistant 1 and 2, "
          "respectively. The two scores are separated by a space."),
    placeholders=(("audio", "XAudioX"), ("question", "XQuestionX"), ("assistant1", "XAssistant1X"),
                  ("assistant2", "XAssistant2X")),
)

TEMPLATES: dict[str, PromptTemplate] = {t.name: t for t in (
    SAKURA_OFFICIAL, SAKURA_JW_DIST, SAKURA_JW_EVAL, SQQA_JW, SF_JW, AB_SCALE_LLAMA, AB_BINARY_LLAMA, AB_SCALE_GPT4O,
    AB_BINARY_GPT4O, AIR_CHAT)}


# -- chat templates applied on the client (AudioBench's Llama-3 judge, §12.5) -------------------------------

LLAMA3_BOS = "<|begin_of_text|>"


def llama3_chat_prompt(messages: Sequence[Message]) -> str:
    """The text Llama-3-Instruct's chat template makes of ``messages`` with ``add_generation_prompt=True``
    (``tokenize=False``): BOS, then per message ``<|start_header_id|>{role}<|end_header_id|>\n\n`` + the
    content *trimmed* + ``<|eot_id|>``, then the assistant header.

    AudioBench's ``eval_llama3_70b.py`` builds this text itself (``tokenizer.apply_chat_template``) and posts
    it to the *completions* endpoint, where vLLM tokenizes it with its special tokens, adding a second BOS.
    """
    parts = [LLAMA3_BOS]
    for role, content in messages:
        parts.append(f"<|start_header_id|>{role}<|end_header_id|>\n\n{content.strip()}<|eot_id|>")
    parts.append("<|start_header_id|>assistant<|end_header_id|>\n\n")
    return "".join(parts)


#: client-side prompt formats for the completions transport, by name
COMPLETION_FORMATS = {"llama3": llama3_chat_prompt}

