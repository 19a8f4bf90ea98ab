"""Citations of the rules in the user's language. The profiles (and the deadlines stored from
them) cite in one structured English form; in Chinese each is shown in the style of the texts'
own numbering:

    Tianjin art. 14(2)           天津规定第十四条第（二）项     (天津市政府系统值班工作规定)
    Henan 6(2), 7(4)             河南规范六（二）、七（四）      (河南省政府系统值班工作规范)
    District 工作制度 6           区值班工作制度第六条             (the district's rules)
    District 一般突发事件信息处理流程 (较大及以上级别)   区一般突发事件信息处理流程（较大及以上级别）
    common practice (… as Tianjin art. 9(5))    通行做法（参照天津规定第九条第（五）项）
    office setting (the minutes)                本单位设定

A remark in brackets is English prose for the maintainers: in Chinese only the texts it names
are kept ("参照 …"). Pure string work: imported by the catalogue (i18n) for every `{cite}`."""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
_TIANJIN = re.compile(r"Tianjin art\. (?P<refs>\d+(?:\(\d+\))?(?:, \d+(?:\(\d+\))?)*)")
_HENAN_REF = r"(?:\d+|[一二三四五六七八九十]+)(?:\((?:\d+|[一二三四五六七八九十]+)\))?"
_HENAN = re.compile(rf"Henan (?P<refs>{_HENAN_REF}(?:, {_HENAN_REF})*)")
_DISTRICT = re.compile(
    r"District (?P<section>[^\s\d;,()]+)(?: (?P<refs>\d+(?:(?:, |-)\d+)*))?"
    r"(?: \((?P<branch>[^()A-Za-z]+)\))?"  # the text's own words: a branch of a flow chart
)
_ANY = re.compile(
    re.sub(r"\?P<\w+>", "?:", "|".join(p.pattern for p in (_TIANJIN, _HENAN, _DISTRICT)))
)
_BASES = {"common practice": "通行做法", "office setting": "本单位设定"}
_DISTRICT_SECTIONS = {"工作制度": "值班工作制度"}  # the profiles' short name for it


def cite_text(cite: str, lang: str) -> str:
    """`cite` as shown in `lang`: the Chinese rendering for zh, else as written. A cite stored in
    both languages ("上级要求 / upper office's request") shows the side of `lang`, alone or as
    one part of a joined cite ("District 工作制度 6; common practice; 上级要求 / …": a handover
    item's rule and its deadline's own)."""
    if " / " not in cite:
        return cite_zh(cite) if lang == "zh" and cite else cite
    parts = [_side(part.strip(), lang) for part in _top_level_split(cite)]
    return ("；" if lang == "zh" else "; ").join(parts)


def cite_text_v1(cite: str, lang: str) -> str:
    """`cite` as the forms of archives before form style 2 showed it (handover_form.py): a cite
    in both languages was split as a whole, so a joined one kept its profile part as written
    in zh ("District 工作制度 6; common practice; 上级要求") and only the last side in en. Kept
    so that those archives still verify; never shown on screen."""
    chinese, bilingual, english = cite.partition(" / ")
    if bilingual and chinese and not chinese.isascii() and english.isascii():
        return chinese if lang == "zh" else english
    return cite_zh(cite) if lang == "zh" and cite else cite


def _side(part: str, lang: str) -> str:
    """One part of a cite in `lang`: its side when stored in both languages, else rendered."""
    chinese, bilingual, english = part.partition(" / ")
    if bilingual and chinese and not chinese.isascii() and english.isascii():
        return chinese if lang == "zh" else english
    return _part(part) if lang == "zh" and part else part


def cite_zh(cite: str) -> str:
    return "；".join(_part(part.strip()) for part in _top_level_split(cite))


def _top_level_split(text: str) -> list[str]:
    """`text` split at the semicolons outside brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    return [*parts, text[start:]]


def _part(part: str) -> str:
    for english, chinese in _BASES.items():
        if part.startswith(english):
            remark = part.removeprefix(english).strip()
            named = [_reference(m.group(0)) for m in _ANY.finditer(remark)]
            return chinese + (f"（参照{'、'.join(named)}）" if named else "")
    return _reference(part)


def _reference(text: str) -> str:
    if match := _TIANJIN.fullmatch(text):
        return "天津规定" + "、".join(map(_article, match["refs"].split(", ")))
    if match := _HENAN.fullmatch(text):
        return "河南规范" + "、".join(map(_henan_ref, match["refs"].split(", ")))
    if match := _DISTRICT.fullmatch(text):
        section = _DISTRICT_SECTIONS.get(match["section"], match["section"])
        points = _district_points(match["refs"]) if match["refs"] else ""
        return "区" + section + points + (f"（{match['branch']}）" if match["branch"] else "")
    return text


def _article(ref: str) -> str:
    number, _, item = ref.partition("(")
    text = f"第{numeral(int(number))}条"
    return text + (f"第（{numeral(int(item.rstrip(')')))}）项" if item else "")


def _henan_ref(ref: str) -> str:
    part, _, item = ref.partition("(")
    item = item.rstrip(")")
    shown = numeral(int(part)) if part.isdigit() else part
    if item:
        shown += f"（{numeral(int(item)) if item.isdigit() else item}）"
    return shown


def _district_points(refs: str) -> str:
    if "-" in refs:
        first, last = refs.split("-")
        return f"第{numeral(int(first))}至{numeral(int(last))}条"
    return "第" + "、".join(numeral(int(n)) for n in refs.split(", ")) + "条"


def numeral(number: int) -> str:
    """1..99 in Chinese numerals (十四, 二十, 三十八)."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "十" if tens == 1 else DIGITS[tens] + "十"
    return head + (DIGITS[ones] if ones else "")
