"""Citations of the rules in the user's language. The profiles (and the deadlines stored from
them) cite in one structured English form; in Chinese each is shown in the style of the texts'
own numbering:

    Tianjin art. 14(2)           天津规定第十四条第（二）项     (天津市政府系统值班工作规定)
    Henan 6(2), 7(4)             河南规范六（二）、七（四）      (河南省政府系统值班工作规范)
    District Duty Work Rules 6   区值班工作制度第六条             (the district's rules)
    District General Incident Information Handling Flow (relatively serious level and above)
                                 区一般突发事件信息处理流程（较大及以上级别）
    common practice (… as Tianjin art. 9(5))    通行做法（参照天津规定第九条第（五）项）
    office setting (the minutes)                本单位设定

A remark in brackets is English prose for the maintainers: in Chinese only the texts it names
are kept ("参照 …"). Pure string work: imported by the catalogue (i18n) for every `{cite}`.

Cites written before the profiles named the district's sections in English ("District 工作制度
6", in stored deadlines and signed handover forms) and with Chinese in a few parts ("Henan 三(二)",
"office setting (平急 as 普通件)") are shown in English as the profiles cite now (`cite_text`);
an archive's form drawn in an older style shows them as it did then (`cite_text_v2`, with the
profiles' cites taken back to their old words by `as_before_english`)."""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
_TIANJIN = re.compile(r"Tianjin art\. (?P<refs>\d+(?:\(\d+\))?(?:, \d+(?:\(\d+\))?)*)")
_HENAN_REF = r"(?:\d+|[一二三四五六七八九十]+)(?:\((?:\d+|[一二三四五六七八九十]+)\))?"
_HENAN = re.compile(rf"Henan (?P<refs>{_HENAN_REF}(?:, {_HENAN_REF})*)")
# The district's texts (区政府应急总值班室规章制度), as the profiles name them: in Chinese.
DISTRICT_SECTIONS = {
    "Duty Reminder Board": "值班工作提示牌",
    "Duty Responsibilities": "值班工作职责",
    "Duty Work Rules": "值班工作制度",
    "Duty Arrangements": "值班安排",
    "Circulation of Documents from Higher Authorities": "上级来文运转流程",
    "General Incident Information Handling Flow": "一般突发事件信息处理流程",
}
DISTRICT_BRANCHES = {"relatively serious level and above": "较大及以上级别"}  # of the flow chart
# The Chinese names the profiles cited the sections by before (工作制度: 值班工作制度).
_OLD_SECTIONS = {"工作制度": "Duty Work Rules"} | {c: e for e, c in DISTRICT_SECTIONS.items()}
# Parts of the profiles' cites that held Chinese, and the English they hold now.
_OLD_PARTS = {
    "Henan 三(一)": "Henan 3(1)",
    "Henan 三(二)": "Henan 3(2)",
    "Henan 五": "Henan 5",
    "common practice: 首报 elements (DOMAIN.md)":
        "common practice: the first report's elements (DOMAIN.md)",
    "common practice (the text names a 监交 by the 区应急办, not the leader)":
        "common practice (the text has the district emergency office supervise the handover, "
        "not the leader)",
    "common practice (补休和值班补贴, as Henan 8(3))":
        "common practice (time off in lieu and a duty allowance, as Henan 8(3))",
    "office setting (平急 as 普通件)": "office setting (priority documents as ordinary ones)",
    "common practice (收发文登记)": "common practice (the register of documents received and sent)",
    "common practice (收发文登记: a document received is passed on)":
        "common practice (the register of documents received and sent: a document received "
        "is passed on)",
    "office setting (the texts set no limit; longer: a 替岗, as Tianjin art. 12(5))":
        "office setting (the texts set no limit; longer: a substitute on duty, as Tianjin "
        "art. 12(5))",
}  # fmt: skip
_NEW_PARTS = {new: old for old, new in _OLD_PARTS.items()}
_SECTION = "|".join(map(re.escape, sorted(DISTRICT_SECTIONS, key=len, reverse=True)))
_BRANCH = "|".join(map(re.escape, DISTRICT_BRANCHES))
_DISTRICT = re.compile(
    rf"District (?P<section>{_SECTION}|[^\s\d;,()A-Za-z]+)(?: (?P<refs>\d+(?:(?:, |-)\d+)*))?"
    rf"(?: \((?P<branch>{_BRANCH}|[^()A-Za-z]+)\))?"  # a branch of a flow chart
)
_ANY = re.compile(
    re.sub(r"\?P<\w+>", "?:", "|".join(p.pattern for p in (_TIANJIN, _HENAN, _DISTRICT)))
)
_BASES = {"common practice": "通行做法", "office setting": "本单位设定"}


def cite_text(cite: str, lang: str) -> str:
    """`cite` as shown in `lang`: the Chinese rendering for zh, else in English (as written, an
    older cite's Chinese parts as the profiles word them now). A cite stored in both languages
    ("上级要求 / upper office's request") shows the side of `lang`, alone or as one part of a
    joined cite ("District Duty Work Rules 6; common practice; 上级要求 / …": a handover item's
    rule and its deadline's own)."""
    if " / " not in cite:
        if lang == "zh" and cite:
            return cite_zh(cite)
        return cite if cite.isascii() else "; ".join(map(_english, _top_level_split(cite)))
    parts = [_side(part.strip(), lang) for part in _top_level_split(cite)]
    return ("；" if lang == "zh" else "; ").join(parts)


def cite_text_v2(cite: str, lang: str) -> str:
    """`cite` as the forms of archives in form style 2 and before showed it: in English as
    written, the profiles' cites in the words they had then (as_before_english)."""
    cite = as_before_english(cite)
    if " / " not in cite:
        return cite_zh(cite) if lang == "zh" and cite else cite
    parts = [_side_v2(part.strip(), lang) for part in _top_level_split(cite)]
    return ("；" if lang == "zh" else "; ").join(parts)


def as_before_english(cite: str) -> str:
    """`cite` in the words the profiles had before they named the district's sections in English
    (for the archives drawn then). Shown in Chinese, both words read the same."""
    return ";".join(map(_before, _top_level_split(cite)))


def _before(part: str) -> str:
    lead = part[: len(part) - len(part.lstrip())]
    text = part.strip()
    if text in _NEW_PARTS:
        return lead + _NEW_PARTS[text]
    match = _DISTRICT.fullmatch(text)
    if match is None or match["section"] not in DISTRICT_SECTIONS:
        return part
    chinese = DISTRICT_SECTIONS[match["section"]]
    old = "工作制度" if chinese == "值班工作制度" else chinese
    branch = match["branch"]
    shown = f"District {old}" + (f" {match['refs']}" if match["refs"] else "")
    return lead + shown + (f" ({DISTRICT_BRANCHES.get(branch, branch)})" if branch else "")


def _english(part: str) -> str:
    """One part of an older cite in the profiles' English words now."""
    text = part.strip()
    if text in _OLD_PARTS:
        return _OLD_PARTS[text]
    if match := _HENAN.fullmatch(text):
        return "Henan " + ", ".join(map(_henan_digits, match["refs"].split(", ")))
    match = _DISTRICT.fullmatch(text)
    if match is None or match["section"] not in _OLD_SECTIONS:
        return text
    branch = match["branch"]
    english = {chinese: name for name, chinese in DISTRICT_BRANCHES.items()}.get(branch, branch)
    refs = f" {match['refs']}" if match["refs"] else ""
    return f"District {_OLD_SECTIONS[match['section']]}{refs}" + (f" ({english})" if branch else "")


def _henan_digits(ref: str) -> str:
    """ "三(二)" as "3(2)"; digits stay."""
    return re.sub(r"[一二三四五六七八九十]+", lambda m: str(number_of(m[0])), ref)


def number_of(numeral_text: str) -> int:
    """一..九十九 as a number (the inverse of numeral())."""
    tens, _, ones = numeral_text.rpartition("十")
    if "十" not in numeral_text:
        return DIGITS.index(numeral_text)
    return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)


def cite_text_v1(cite: str, lang: str) -> str:
    """`cite` as the forms of archives before form style 2 showed it (handover_form.py): a cite
    in both languages was split as a whole, so a joined one kept its profile part as written
    in zh ("District 工作制度 6; common practice; 上级要求") and only the last side in en. Kept
    so that those archives still verify; never shown on screen."""
    cite = as_before_english(cite)
    chinese, bilingual, english = cite.partition(" / ")
    if bilingual and chinese and not chinese.isascii() and english.isascii():
        return chinese if lang == "zh" else english
    return cite_zh(cite) if lang == "zh" and cite else cite


def _side(part: str, lang: str) -> str:
    """One part of a cite in `lang`: its side when stored in both languages, else rendered."""
    chinese, bilingual, english = part.partition(" / ")
    if bilingual and chinese and not chinese.isascii() and english.isascii():
        return chinese if lang == "zh" else english
    return _part(part) if lang == "zh" and part else _english(part)


def _side_v2(part: str, lang: str) -> str:
    """_side as form style 2 drew it: a part in English as written."""
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
        named = match["section"]
        section = DISTRICT_SECTIONS.get(_OLD_SECTIONS.get(named, named), named)
        points = _district_points(match["refs"]) if match["refs"] else ""
        branch = DISTRICT_BRANCHES.get(match["branch"], match["branch"])
        return "区" + section + points + (f"（{branch}）" if branch else "")
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
