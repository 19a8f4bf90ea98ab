"""Field checks shared by every form and command. Each problem is a catalogue key.

Three kinds of text:
- names (people, units, offices, and the names typed as callers, answerers, receivers): one
  line, Unicode NFC, no control or format characters, no leading or trailing space, no
  combining mark left over on a letter NFC could not compose it with, and no mix of the Latin,
  Cyrillic and Greek alphabets (whose letters look alike). They are refused, not silently
  repaired, so what is stored is always exactly what was typed;
- one-line free text (reasons, "passed to" lists): no control characters, no line breaks, no
  bidi overrides or invisible spaces;
- multi-line free text (summaries, notes, handling): the same, but line breaks (\\n) and tabs
  are kept.
"""

from __future__ import annotations

import re
import unicodedata

from dutydesk.errors import FieldProblem

_PHONE = re.compile(r"^[0-9+\-() #*,转xX]+$")

# Characters that reorder the text they sit in (embeddings, overrides, isolates): never in text.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters with no business in free text: zero-width space, word joiner and the
# invisible operators, deprecated format marks, byte-order mark, interlinear annotations.
# (Zero-width joiners, direction marks and soft hyphens stay allowed in free text: emoji
# sequences and mixed-script text need them; names refuse them all.)
_INVISIBLE = frozenset(
    "\u200b\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f"
    "\ufeff\ufff9\ufffa\ufffb"
)
# Characters that show as nothing though they are not format characters (Unicode's "default
# ignorable" letters and marks: Hangul fillers, variation selectors, the combining grapheme
# joiner, Khmer inherent vowels): a name holding one looks like the same name without it.
_IGNORABLE_IN_NAMES = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Alphabets whose letters a reader cannot tell apart (Latin a, Cyrillic а, Greek α): a name
# keeps to one of them.
_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "BOPOMOFO"})
# Cyrillic and Greek letters drawn like a Latin one, folded to it by name_key (a subset of
# Unicode's confusables.txt: the letters that look the same in the fonts a desk uses).
_LATIN_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝүɑıɡȷ"  # Cyrillic small (and Latin alpha, dotless i and j, script g)
    "АВЕКМНОРСТХІЈЅӀҮԚԜ"  # Cyrillic capital
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιναυρϲϳ",  # Greek
    "aeopcyxijsdhlqwyaigj"  # each drawn like this Latin letter
    "ABEKMHOPCTXIJSlYQW"  # (the palochka like a lower-case l)
    "ABEZHIKMNOPTYXoivaupcj",
)


def codepoint(char: str) -> str:
    """U+200B: how a character the user cannot see is named in a message."""
    return f"U+{ord(char):04X}"


def _char_problem(char: str, *, name: bool, multiline: bool) -> str | None:
    """The catalogue key for a character that may not be in this kind of text, or None."""
    if multiline and char in "\n\t":
        return None
    category = unicodedata.category(char)
    if category == "Cs":
        return "text_problem.surrogate"
    if char in _LINE_BREAKS:
        # free text takes \n; a \r (as in a Windows line ending) is refused, not rewritten,
        # so that what is stored is what was typed
        return "text_problem.carriage_return" if multiline else "text_problem.line_break"
    if category == "Cc":
        return "text_problem.control"
    if char in BIDI_CONTROLS:
        return "text_problem.bidi"
    if char in _INVISIBLE or (name and (category == "Cf" or char in _IGNORABLE_IN_NAMES)):
        return "text_problem.invisible"
    return None


def without_refused(text: str, *, multiline: bool) -> tuple[str, list[tuple[str, str]]]:
    """`text` less the characters free text may never hold (control characters, bidi overrides,
    invisible spaces), and for each kind of them (problem key, the characters left out, each
    named once, space-separated), in the order first met: a field leaves them out as they are
    typed or pasted, in the words a save would refuse them with, naming every one (breaker,
    session 17: a paste with several named only the first). In multi-line text every line
    break stays (the text area makes each a line)."""
    if text.isprintable():  # the common case, without a per-character walk
        return text, []
    kept: list[str] = []
    refused: dict[str, dict[str, None]] = {}
    for char in text:
        key = (
            None
            if multiline and char in _LINE_BREAKS
            else _char_problem(char, name=False, multiline=multiline)
        )
        if key is None:
            kept.append(char)
        else:
            refused.setdefault(key, {})[codepoint(char)] = None
    return "".join(kept), [(key, " ".join(chars)) for key, chars in refused.items()]


def _check_characters(
    problems: list[FieldProblem], field: str, value: str, *, name: bool, multiline: bool
) -> bool:
    """Say the first character that may not be here (one problem per field). True if clean."""
    for char in value:
        key = _char_problem(char, name=name, multiline=multiline)
        if key is not None:
            problems.append(FieldProblem(field, key, char=codepoint(char)))
            return False
    return True


def _check_required_and_length(
    problems: list[FieldProblem], field: str, value: str | None, required: bool, max_length: int
) -> bool:
    """False when there is nothing more to check (blank)."""
    if value is None or not value.strip():
        if required:
            problems.append(FieldProblem(field, "problem.required"))
        return False
    if len(value) > max_length:
        problems.append(
            FieldProblem(field, "problem.too_long", limit=max_length, length=len(value))
        )
    return True


def check_text(
    problems: list[FieldProblem],
    field: str,
    value: str | None,
    *,
    required: bool,
    max_length: int,
    multiline: bool = False,
) -> None:
    """Free text: line breaks and tabs only when `multiline`; never other control characters,
    bidi overrides or zero-width spaces."""
    if _check_required_and_length(problems, field, value, required, max_length):
        assert value is not None
        _check_characters(problems, field, value, name=False, multiline=multiline)


def check_name(
    problems: list[FieldProblem],
    field: str,
    value: str | None,
    *,
    required: bool,
    max_length: int,
    person: bool = False,
) -> None:
    """A name of a person, unit or office: one line, NFC, nothing invisible, no edge spaces;
    a person's name has no digits (a PIN typed into the name field must not become a name)."""
    if not _check_required_and_length(problems, field, value, required, max_length):
        return
    assert value is not None
    if not _check_characters(problems, field, value, name=True, multiline=False):
        return
    if person and any(unicodedata.category(char) == "Nd" for char in value):
        problems.append(FieldProblem(field, "text_problem.digits"))
    elif value != value.strip():
        problems.append(FieldProblem(field, "text_problem.edge_space"))
    elif unicodedata.normalize("NFC", value) != value:
        problems.append(FieldProblem(field, "text_problem.not_nfc"))
    else:
        problem = _stray_mark(field, value) or _mixed_alphabets(field, value)
        if problem is not None:
            problems.append(problem)


def _first_word(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def _stray_mark(field: str, name: str) -> FieldProblem | None:
    """A combining mark (Unicode Mn, Me) NFC left uncomposed: 李娜 with an acute accent looks
    like 李娜. Only a script's own marks on a letter of that script stay (Tibetan vowel signs
    and subjoined letters, Arabic vowel marks, Thai tone marks: names in those scripts need
    them); the generic accents ("COMBINING ...", U+0300 onwards) never do in an NFC name."""
    base = ""
    for char in name:
        if unicodedata.category(char) not in ("Mn", "Me"):
            base = char
            continue
        script = _first_word(char)
        if script == "COMBINING" or not base or _first_word(base) != script:
            return FieldProblem(field, "text_problem.combining_mark", char=codepoint(char))
    return None


def _alphabet(char: str) -> str | None:
    """The script of a letter (LATIN, CYRILLIC, GREEK, ARMENIAN, CHEROKEE…, full-width forms
    included), or None for Han, kana, Hangul and modifier letters, which sit beside any one
    alphabet in a name (李Na, 扎西·Tashi)."""
    category = unicodedata.category(char)
    if not category.startswith("L") or category == "Lm":
        return None
    words = unicodedata.name(unicodedata.normalize("NFKC", char)[0], "").split()
    if not words or words[0] in _EAST_ASIAN:
        return None
    return next((script for script in _LOOKALIKE_SCRIPTS if script in words[:2]), words[0])


def _mixed_alphabets(field: str, name: str) -> FieldProblem | None:
    """A name mixing Latin, Cyrillic and Greek letters ('Li Nа' with a Cyrillic а): the
    first letter not of the alphabet most of its letters are in, named with its alphabet."""
    letters = [(char, script) for char in name if (script := _alphabet(char)) is not None]
    scripts = [script for _, script in letters]
    if len(set(scripts)) < 2:
        return None
    main = max(dict.fromkeys(scripts), key=scripts.count)  # a tie: the first one written
    char, script = next((char, script) for char, script in letters if script != main)
    if script in _LOOKALIKE_SCRIPTS:
        key = f"text_problem.mixed_{script.lower()}"
    else:
        key = "text_problem.mixed_other"
    return FieldProblem(field, key, letter=char, char=codepoint(char))


def name_key(name: str) -> str:
    """A name folded for look-alike detection: two names with the same key are the same name
    to a reader (compatibility forms, invisible characters, generic combining marks, spaces and
    case ignored; Cyrillic and Greek letters drawn like Latin ones read as those, before and
    after case folding: Н is H, and У folds to у, which is y)."""
    # NFKD after NFKC: accents come apart from their letters and are dropped (Ná reads as Na)
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    folded = folded.translate(_LATIN_LOOKALIKES)
    kept = (
        char
        for char in folded
        if not char.isspace()
        and unicodedata.category(char) not in ("Cc", "Cf")
        and char not in _IGNORABLE_IN_NAMES
        and not (unicodedata.category(char) in ("Mn", "Me") and _first_word(char) == "COMBINING")
    )
    return "".join(kept).casefold().translate(_LATIN_LOOKALIKES)


def lookup_name(name: str) -> str:
    """A name typed to find an existing record: NFC, without leading or trailing spaces."""
    return unicodedata.normalize("NFC", name).strip()


# What Chinese input methods type for a phone's characters in full-width mode (and the dashes a
# word processor substitutes): digits, dashes, plus, parentheses, space, mapped to ASCII.
_PHONE_WIDTHS = str.maketrans(
    {
        **{chr(0xFF10 + n): str(n) for n in range(10)},
        "\uff0d": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
        "\u2014": "-", "\u2015": "-", "\u2212": "-", "\uff0b": "+", "\uff08": "(",
        "\uff09": ")", "\u3000": " ", "\uff03": "#", "\uff0a": "*", "\uff0c": ",",
    }
)  # fmt: skip


def ascii_phone(text: str) -> str:
    """`text` with full-width digits, dashes, plus, parentheses and spaces as ASCII: a phone as
    it is stored, or a search term as it is matched. Other characters are kept as typed."""
    return text.translate(_PHONE_WIDTHS)


def check_phone(
    problems: list[FieldProblem], field: str, value: str | None, required: bool
) -> None:
    before = len(problems)
    check_text(problems, field, value, required=required, max_length=40)
    if len(problems) > before or not value or not value.strip():
        return
    digits = sum(char.isdigit() for char in value)
    if not _PHONE.match(value) or digits < 3:
        problems.append(FieldProblem(field, "problem.bad_phone"))


def check_choice(
    problems: list[FieldProblem],
    field: str,
    value: str | None,
    choices: list[str] | tuple[str, ...],
) -> None:
    if value not in choices:
        problems.append(FieldProblem(field, "problem.bad_choice", choices=_named(field, choices)))


def _named(field: str, choices: list[str] | tuple[str, ...]) -> str:
    """The codes, each with its name where the catalogue has one (urgency `putong（普通）`): a
    list of bare codes told a Chinese user nothing (QA)."""
    from dutydesk.i18n import has, t

    return ", ".join(
        t("problem.choice_named", code=code, name=t(f"{field}.{code}"))
        if has(f"{field}.{code}")
        else code
        for code in choices
    )
