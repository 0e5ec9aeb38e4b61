"""CN-TN (SpeechIO TextNorm as configured by Qwen2-Audio), protocols.md §1.7."""

from __future__ import annotations

import pytest

from evaluators.text.cn_tn import TextNorm, cn_tn, digits2chn, normalize_nsw, num2chn, remove_punctuation


def test_spec_example() -> None:
    assert cn_tn("我有3个苹果。") == "我有三个苹果 "


@pytest.mark.parametrize(("number", "expected"), [
    ("0", "零"), ("3", "三"), ("10", "十"), ("12", "十二"), ("20", "二十"), ("22", "二十二"), ("100", "一百"),
    ("115", "一百一十五"), ("200", "两百"), ("938", "九百三十八"), ("1200", "一千两百"), ("2000", "两千"),
    ("2938", "两千九百三十八"), ("1005", "一千零五"), ("10000", "一万"), ("20000", "两万"),
    ("100000000", "一亿"), ("12.5", "十二点五"), ("0.5", "零点五"), ("80.03", "八十点零三"),
])
def test_num2chn(number: str, expected: str) -> None:
    assert num2chn(number) == expected


def test_digit_strings_are_read_digit_by_digit() -> None:
    assert digits2chn("2020") == "二零二零"
    assert digits2chn("0595") == "零五九五"


@pytest.mark.parametrize(("text", "expected"), [
    ("2938个", "两千九百三十八个"),
    ("938", "九百三十八"),
    ("3456万吨", "三千四百五十六万吨"),
    ("今天吃了115个小笼包231个馒头", "今天吃了一百一十五个小笼包两百三十一个馒头"),
    ("有62％的概率", "有百分之六十二的概率"),
    ("百分数：80.03%。", "百分数：百分之八十点零三。"),
    ("分数：1/3。", "分数：三分之一。"),
    ("编号：31520181154418。", "编号：三一五二零一八一一五四四一八。"),
    ("日期：1999年2月20日", "日期：一九九九年二月二十日"),
    ("金钱：12块5", "金钱：十二块五"),
    ("特殊：O2O或B2C。", "特殊：O2O或B2C。"),
])
def test_nsw_rewriting(text: str, expected: str) -> None:
    assert normalize_nsw(text) == expected


def test_punctuation_becomes_space() -> None:
    assert remove_punctuation("你好，世界！ok?“引号”·-") == "你好 世界 ok  引号   "


def test_text_without_digits_only_loses_punctuation() -> None:
    assert cn_tn("今天天气很好。") == "今天天气很好 "


def test_switched_off_options_are_refused_not_ignored() -> None:
    assert TextNorm(to_banjiao=False, remove_space=False)("3个") == "三个"
    with pytest.raises(ValueError, match="remove_erhua"):
        TextNorm(remove_erhua=True)
