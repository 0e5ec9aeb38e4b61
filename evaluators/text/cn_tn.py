"""``CN-TN`` — the SpeechIO Chinese text normaliser as Qwen2-Audio runs it (protocols.md §1.7).

Reproduces QwenLM/Qwen2-Audio ``eval_audio/cn_tn.py`` (class ``TextNorm``, itself SpeechIO's
``cn_tn.py`` after Zhiyang Zhou's chn_text_norm) constructed with every option off, which leaves:

1. non-standard-word rewriting, in this order, each pass rewriting the *first occurrence* of every
   matched string (``str.replace(..., 1)``, a quirk kept on purpose):
   dates (``1999年2月20日`` → ``一九九九年二月二十日``), money (number + 元/块/角/毛/分/万…),
   mobile and land-line phone numbers (digit by digit), fractions ``a/b`` (``b分之a``), percentages
   (``％`` → ``%`` first; ``百分之…``), number + measure word (``3个`` → ``三个``), digit strings of
   4–32 digits (digit by digit), remaining cardinals and decimals (``12.5`` → ``十二点五``), then
   ``P二P``-style letter–二–letter restored to ``2``;
2. every Chinese punctuation character of the list below and every ASCII ``string.punctuation``
   character replaced by a space.

Numbers are written with the "mid" numbering system (万, 亿 = 10^8, 兆 = 10^12 …), ``两`` for a
leading 2 before 百/千/万/亿, and ``十…`` instead of ``一十…``.

Not covered: the options Qwen2-Audio switches off (full-/half-width conversion, case change,
filler and erhua removal, character check, space removal, OpenCC conversion) — they raise
``ValueError`` if requested, rather than silently doing nothing.
"""

from __future__ import annotations

import re
import string

CHINESE_DIGITS = "零一二三四五六七八九"
LIANG = "两"
POINT = "点"
#: smaller units (power of ten) then the "mid" larger units (亿 = 10^8, 兆 = 10^12, ...)
_UNITS: tuple[tuple[int, str], ...] = (
    (1, "十"), (2, "百"), (3, "千"), (4, "万"),
    *(((index + 2) * 4, char) for index, char in enumerate("亿兆京垓秭穰沟涧正载")),
)

CURRENCY_UNITS = "((亿|千万|百万|万|千|百)|(亿|千万|百万|万|千|百|)元|(亿|千万|百万|万|千|百|)块|角|毛|分)"
COM_QUANTIFIERS = (
    "(匹|张|座|回|场|尾|条|个|首|阙|阵|网|炮|顶|丘|棵|只|支|袭|辆|挑|担|颗|壳|窠|曲|墙|群|腔|"
    "砣|座|客|贯|扎|捆|刀|令|打|手|罗|坡|山|岭|江|溪|钟|队|单|双|对|出|口|头|脚|板|跳|枝|件|贴|"
    "针|线|管|名|位|身|堂|课|本|页|家|户|层|丝|毫|厘|分|钱|两|斤|担|铢|石|钧|锱|忽|(千|毫|微)克|"
    "毫|厘|分|寸|尺|丈|里|寻|常|铺|程|(千|分|厘|毫|微)米|撮|勺|合|升|斗|石|盘|碗|碟|叠|桶|笼|盆|"
    "盒|杯|钟|斛|锅|簋|篮|盘|桶|罐|瓶|壶|卮|盏|箩|箱|煲|啖|袋|钵|年|月|日|季|刻|时|周|天|秒|分|旬|"
    "纪|岁|世|更|夜|春|夏|秋|冬|代|伏|辈|丸|泡|粒|颗|幢|堆|条|根|支|道|面|片|张|颗|块)"
)
CHINESE_PUNCTUATION = (
    "！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿"
    "–—‘’‛“”„‟…‧﹏·〈〉-"
)
_PUNCTUATION_TO_SPACE = str.maketrans({ch: " " for ch in CHINESE_PUNCTUATION + string.punctuation})

_DATE = re.compile(r"\D+((([089]\d|(19|20)\d{2})年)?(\d{1,2}月(\d{1,2}[日号])?)?)")
_MONEY = re.compile(r"\D+((\d+(\.\d+)?)[多余几]?" + CURRENCY_UNITS + r"(\d" + CURRENCY_UNITS + r"?)?)")
_MOBILE = re.compile(r"\D((\+?86 ?)?1([38]\d|5[0-35-9]|7[678]|9[89])\d{8})\D")
_LANDLINE = re.compile(r"\D((0(10|2[1-3]|[3-9]\d{2})-?)?[1-9]\d{6,7})\D")
_FRACTION = re.compile(r"(\d+/\d+)")
_PERCENTAGE = re.compile(r"(\d+(\.\d+)?%)")
_QUANTIFIED = re.compile(r"(\d+(\.\d+)?)[多余几]?" + COM_QUANTIFIERS)
_DIGIT_STRING = re.compile(r"(\d{4,32})")
_NUMBER = re.compile(r"(\d+(\.\d+)?)")
_LETTER_TWO_LETTER = re.compile(r"(([a-zA-Z]+)二([a-zA-Z]+))")


def _digit_value(ch: str) -> int:
    return int(ch)


def _integer_symbols(value: str) -> list[int | str]:
    """Digits (ints) and unit characters for an integer string, SpeechIO's recursive ``get_value``."""
    stripped = value.lstrip("0")
    if not stripped:
        return []
    if len(stripped) == 1:
        if len(value) != len(stripped):
            return [0, _digit_value(stripped)]
        return [_digit_value(stripped)]
    power, unit = next((p, u) for p, u in reversed(_UNITS) if p < len(stripped))
    return _integer_symbols(value[:-power]) + [unit] + _integer_symbols(stripped[-power:])


def _unit_power(symbol: int | str) -> int | None:
    return next((p for p, u in _UNITS if u == symbol), None) if isinstance(symbol, str) else None


def num2chn(number: str, *, alt_two: bool = True, use_units: bool = True) -> str:
    """A decimal number string in Chinese numerals (``"2000"`` → ``两千``, ``"12.5"`` → ``十二点五``)."""
    parts = number.split(".")
    if len(parts) > 2:
        raise ValueError(f"invalid number string with more than one dot: {number!r}")
    integer, decimals = parts[0], parts[1] if len(parts) == 2 else ""
    symbols: list[int | str] = (_integer_symbols(integer) if use_units and len(integer) > 1
                                else [_digit_value(ch) for ch in integer])
    if decimals:
        symbols += [POINT] + [_digit_value(ch) for ch in decimals]
    rendered = [CHINESE_DIGITS[s] if isinstance(s, int) else s for s in symbols]
    if alt_two:
        for index, symbol in enumerate(symbols):
            if symbol != 2:
                continue
            following = symbols[index + 1] if index + 1 < len(symbols) else None
            previous = symbols[index - 1] if index > 0 else None
            next_power, previous_power = _unit_power(following), _unit_power(previous)
            if next_power is not None and (previous is None or previous_power is not None):
                if next_power != 1 and (previous is None or previous_power != 1):
                    rendered[index] = LIANG
    result = "".join(rendered)
    if result.startswith(POINT):
        return CHINESE_DIGITS[0] + result
    if len(result) >= 2 and result[1] == "十" and result[0] == "一":
        result = result[1:]
    return result


def digits2chn(digits: str) -> str:
    """Read a digit string digit by digit (``"2020"`` → ``二零二零``)."""
    return num2chn(digits, alt_two=False, use_units=False)


def _date2chn(date: str) -> str:
    try:
        year, other = date.strip().split("年", 1)
        year = digits2chn(year) + "年"
    except ValueError:
        other, year = date, ""
    month = day = ""
    if other:
        try:
            month, day = other.strip().split("月", 1)
            month = num2chn(month) + "月"
        except ValueError:
            day, month = date, ""
        if day:
            day = num2chn(day[:-1]) + day[-1]
    return year + month + day


def _money2chn(money: str) -> str:
    for match in _NUMBER.findall(money):
        money = money.replace(match[0], num2chn(match[0]))
    return money


def _telephone2chn(number: str, *, fixed: bool) -> str:
    parts = number.split("-") if fixed else number.strip("+").split()
    return "".join(digits2chn(part) for part in parts)


def _fraction2chn(fraction: str) -> str:
    numerator, denominator = fraction.split("/")
    return num2chn(denominator) + "分之" + num2chn(numerator)


def normalize_nsw(raw_text: str) -> str:
    """Step 1: rewrite dates, money, phone numbers, fractions, percentages and numbers in Chinese."""
    text = "^" + raw_text + "$"
    for match in _DATE.findall(text):
        text = text.replace(match[0], _date2chn(match[0]), 1)
    for match in _MONEY.findall(text):
        text = text.replace(match[0], _money2chn(match[0]), 1)
    for match in _MOBILE.findall(text):
        text = text.replace(match[0], _telephone2chn(match[0], fixed=False), 1)
    for match in _LANDLINE.findall(text):
        text = text.replace(match[0], _telephone2chn(match[0], fixed=True), 1)
    for match in _FRACTION.findall(text):
        text = text.replace(match, _fraction2chn(match), 1)
    text = text.replace("％", "%")
    for match in _PERCENTAGE.findall(text):
        text = text.replace(match[0], "百分之" + num2chn(match[0].strip().strip("%")), 1)
    for match in _QUANTIFIED.findall(text):
        text = text.replace(match[0], num2chn(match[0]), 1)
    for match in _DIGIT_STRING.findall(text):
        text = text.replace(match, digits2chn(match), 1)
    for match in _NUMBER.findall(text):
        text = text.replace(match[0], num2chn(match[0]), 1)
    for match in _LETTER_TWO_LETTER.findall(text):
        text = text.replace(match[0], match[1] + "2" + match[2], 1)
    return text.lstrip("^").rstrip("$")


def remove_punctuation(text: str) -> str:
    """Step 2: Chinese and ASCII punctuation → space."""
    return text.translate(_PUNCTUATION_TO_SPACE)


class TextNorm:
    """SpeechIO ``TextNorm`` with every option off (the only configuration Qwen2-Audio uses)."""

    def __init__(self, **options: object):
        enabled = sorted(name for name, value in options.items() if value)
        if enabled:
            raise ValueError(f"CN-TN options not implemented (Qwen2-Audio keeps them off): {', '.join(enabled)}")

    def __call__(self, text: str) -> str:
        return remove_punctuation(normalize_nsw(text))


def cn_tn(text: str) -> str:
    """``CN-TN`` as configured by Qwen2-Audio ``evaluate_asr.py``."""
    return remove_punctuation(normalize_nsw(text))
