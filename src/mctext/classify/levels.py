"""Qualifications-framework levels named in a segment, with their framework.

"EQF level 5" -> EQF 5; "levels 6 to 8 of the NFQ" -> NFQ 6, 7, 8; "niveau 5 (CEC 5)" in
a French text -> RNCP 5 and EQF 5. A level is read from a level word (level, Niveau,
taso, poziom, raven, nivel, nivå, leibhéal ...) or a framework acronym followed by a
number (Arabic, roman or written). Its framework is, in order: an acronym attached to
it, one in the next few words ("Niveau 4 des DQR"), one elsewhere in the segment, and
else (codebook boundary rule) the national framework of the known country, or "NQF".
Scoring compares (EQF or national, level): see ``scale``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mctext.classify.countries import UNKNOWN_COUNTRIES, national_framework
from mctext.records import NqfLevel

EQF = "EQF"
NATIONAL = "national"  # a generic "national framework" phrase: resolved by country

# Framework names -> canonical acronym (NATIONAL: the country's own framework).
_FRAMEWORKS: tuple[tuple[str, str], ...] = (
    (r"\b(?:EQF|EQR|CEC|EKR|EKT|ERK|MEC|EKP|EKK|EOK|EKS)\b", EQF),
    (r"\beuropean\s+(?:qualifications?\s+framework|framework\s+of\s+qualifications)\b", EQF),
    (r"\beuropäische\w*\s+qualifikationsrahmen\w*|\bcadre\s+europ[ée]en\s+des\s+(?:certifications|qualifications)\b", EQF),
    (r"\beuropees\w*\s+kwalificatie\w*|\beurooppalai\w*\s+tutkintojen\s+viitekeh\w*|\bevropsk\w*\s+ogrodj\w*", EQF),
    (r"\beuropejsk\w*\s+ram\w*\s+kwalifikacji\b|\bmarco\s+europeo\s+de\s+(?:las\s+)?cualificaciones\b|\beuropeisk\w*\s+referensram\w*", EQF),
    (r"\b(?:NFQ|QQI)\b|\bnational\s+framework\s+of\s+qualifications\b", "NFQ"),
    (r"\bDQR\b|\bdeutsche\w*\s+qualifikationsrahmen\w*", "DQR"),
    (r"\bNLQF\b", "NLQF"),
    (r"\bRNCP\b|\br[ée]pertoire\s+national\s+des\s+certifications\w*|\bnomenclature\b|\bcadre\s+national\s+des\s+certifications\b", "RNCP"),
    (r"\bPRK\b|\bpolsk\w*\s+ram\w*\s+kwalifikacji\b", "PRK"),
    (r"\bSOK\b|\bslovensk\w*\s+ogrodj\w*", "SOK"),
    (r"\bMECU\b|\bmarco\s+español\s+de\s+(?:las\s+)?cualificaciones\b", "MECU"),
    (r"\bMECES\b", "MECES"),
    (r"\bSeQF\b|\bsvensk\w*\s+referensram\w*", "SeQF"),
    (r"\bSCQF\b", "SCQF"),
    (r"\bRQF\b", "RQF"),
    (r"\bAQF\b", "AQF"),
    (r"\bN[QK]F\b|\bnational\w*\s+(?:qualifications?\s+)?frameworks?\b|\b(?:the\s+)?framework\b|qualifikationsrahmen\w*"
     r"|\bcadre\s+national\b|kwalificatiekader\w*|\bviitekeh\w*|\bogrodj\w*\s+kvalifikacij\w*|\bram\w*\s+kwalifikacji\b"
     r"|\bmarco\s+\w+\s+de\s+(?:las\s+)?cualificaciones\b|referensram\w*|\bcreat\s+n[áa]isi[úu]nta\b", NATIONAL),
)

_LEVEL_WORD = (
    r"(?:levels?|niveaux?|niveaus?|niveaustufe\w*|nivel(?:es)?|nivå(?:er|n|erna)?|taso(?:n|lla|lle|a|t|ille|illa)?|vaativuustaso\w*"
    r"|poziom\w*|raven|ravn\w*|leibh[ée]a?i?l\w*|livell[oi]|n[íi]ve(?:l|is)"
    # other EU languages, so they degrade gracefully: el, bg, cs/sk, hu, hr, lt, lv, et
    r"|επ[ιί]π[εέ]δ\w*|ниво\w*|úrov\w*|szint\w*|razin\w*|lygm\w*|līmen\w*|tasem\w*)"
)
_WRITTEN = {
    1: "one|eins|één|yksi|jeden|ena|uno|ett|aon",
    2: "two|zwei|deux|twee|kaksi|dwa|dve|dos|två|dó",
    3: "three|drei|trois|drie|kolme|trzy|tri|tres|tre|trí",
    4: "four|vier|quatre|neljä|cztery|štiri|cuatro|fyra|ceathair",
    5: "five|fünf|cinq|vijf|viisi|pięć|pet|cinco|fem|cúig",
    6: "six|sechs|zes|kuusi|sześć|šest|seis|sex|sé",
    7: "seven|sieben|sept|zeven|seitsemän|siedem|sedem|siete|sju|seacht",
    8: "eight|acht|huit|kahdeksan|osiem|osem|ocho|åtta|ocht",
    9: "nine|neun|neuf|negen|yhdeksän|dziewięć|devet|nueve|nio|naoi",
    10: "ten|zehn|dix|tien|kymmenen|dziesięć|deset|diez|tio|deich",
}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_WORD_TO_INT = {w: n for n, ws in _WRITTEN.items() for w in ws.split("|")}
_NUM = (
    r"(?:\d{1,2}(?![\d%])(?![.,]\d)|(?-i:(?:VIII|VII|VI|IV|IX|III|II|V|X|I))\b|(?:"
    + "|".join(sorted(_WORD_TO_INT, key=len, reverse=True))
    + r")\b)"
)
_RANGE_SEP = r"(?:-|–|—|to|through|bis|à|au|tot|t/m|do|al|a|hasta|till)"
_LIST_SEP = r"(?:,|/|and|or|und|oder|et|ou|en|of|ja|tai|i|lub|oraz|in|ali|y|o|och|eller|agus|nó)"


# Cheap pre-test (substring tests on the lowercased text): every mention contains a
# level word or a framework acronym.
_TRIGGERS = (
    "level", "niveau", "nivel", "nivå", "taso", "poziom", "rav", "leibh", "livell", "nível", "nivel", "επιπ", "επίπ",
    "ниво", "úrov", "szint", "razin", "lygm", "līmen", "tasem", "eqf", "eqr", "cec", "ekr", "ekt", "ekp", "ekk", "eks",
    "erk", "mec", "eok", "nfq", "qqi", "dqr", "nlqf", "rncp", "prk", "sok", "seqf", "scqf", "rqf", "aqf", "nqf", "nkf",
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]], re.Pattern[str]]:
    fw_any = "|".join(p for p, _ in _FRAMEWORKS if _ != NATIONAL)
    fw = rf"(?:{fw_any})"
    sep = rf"\s*(?:{_RANGE_SEP}|{_LIST_SEP}(?:\s+(?:{_LIST_SEP}))?)\s*"
    more = rf"(?:{sep}(?:(?:{fw}|{_LEVEL_WORD})[\s-]*){{0,2}}{_NUM})*"
    mention = (
        rf"(?:{fw}[\s-]*)?\b{_LEVEL_WORD}\b[\s:-]*(?:{fw}[\s-]*)?{_NUM}{more}"
        rf"|(?:{fw})[\s-]*{_NUM}{more}"
        # ordinal before the level word: "5. raven SOK", "na 4. ravni", "5 poziom PRK"
        rf"|(?<![\d.,])\d{{1,2}}\.\s*{_LEVEL_WORD}\b(?:[\s-]*{fw})?"
        rf"|(?<![\d.,])\d{{1,2}}\s+{_LEVEL_WORD}\b[\s-]*{fw}"
    )
    frameworks = [(re.compile(p, re.IGNORECASE), name) for p, name in _FRAMEWORKS]
    number = re.compile(rf"({_NUM})|({_RANGE_SEP})(?=\s*(?:(?:{fw}|{_LEVEL_WORD})[\s-]*){{0,2}}{_NUM})", re.IGNORECASE)
    return re.compile(mention, re.IGNORECASE), frameworks, number


def _to_int(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token in _ROMAN:
        return _ROMAN[token]
    return _WORD_TO_INT.get(token.lower())


def _numbers(span: str, country: str) -> list[tuple[int, str]]:
    """(level, framework or "") of one mention, ranges expanded ("6-10" -> 6..10).

    A number takes the nearest framework before it in the mention ("EQF-Niveau 4 und
    DQR-Niveau 4"), else the first one after it ("Leibhéal 7 NFQ" inside the span).
    """
    _, frameworks, number = _compiled()
    # Mask framework names so "CEC 5" does not read "CEC" as roman numerals.
    masked = list(span)
    fw_marks: list[tuple[int, str]] = []
    for rx, name in frameworks:
        for m in rx.finditer(span):
            if all(masked[i] != "\0" for i in range(m.start(), m.end())):
                fw_marks.append((m.start(), _national(country) if name == NATIONAL else name))
                masked[m.start() : m.end()] = "\0" * (m.end() - m.start())
    text = "".join(masked).replace("\0", " ")
    fw_marks.sort()
    out: list[tuple[int, int]] = []  # (level, position)
    pending_range = False
    for m in number.finditer(text):
        if m.group(2):
            pending_range = bool(out)
            continue
        value = _to_int(m.group(1))
        if value is None:
            continue
        if pending_range and out and out[-1][0] < value <= 10:
            out.extend((v, m.start()) for v in range(out[-1][0] + 1, value + 1))
        else:
            out.append((value, m.start()))
        pending_range = False
    result = []
    for value, pos in out:
        before = [name for p, name in fw_marks if p < pos]
        after = [name for p, name in fw_marks if p > pos]
        fw = before[-1] if before else (after[0] if after else "")
        if 1 <= value <= 10:
            result.append((value, fw))
    return result


def _framework_in(text: str, country: str) -> str:
    """First framework named in ``text``, national phrases resolved by country; "" if none."""
    _, frameworks, _ = _compiled()
    best: tuple[int, str] | None = None
    for rx, name in frameworks:
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    if best is None:
        return ""
    return _national(country) if best[1] == NATIONAL else best[1]


def _national(country: str) -> str:
    c = (country or "").upper()
    return "NQF" if c in UNKNOWN_COUNTRIES else national_framework(c)


def extract_nqf_levels(text: str, lang: str | None = None, country: str | None = None) -> list[NqfLevel]:
    """Every (framework, level) the text names, in order of appearance, without duplicates.

    ``lang`` is accepted for symmetry with the other extractors; level words of all
    languages are matched anyway (short segments are often mis-detected).
    """
    low = text.lower()
    if not any(t in low for t in _TRIGGERS):
        return []  # no level word or framework name: skip the big mention regex
    mention_rx, _, _ = _compiled()
    country = country or ""
    mentions = list(mention_rx.finditer(text))
    if not mentions:
        return []
    # Framework words outside any level mention (masked), for the look-ahead and segment fallbacks.
    outside = list(text)
    for m in mentions:
        outside[m.start() : m.end()] = " " * (m.end() - m.start())
    outside_text = "".join(outside)
    segment_fw = _framework_in(outside_text, country)
    out: list[NqfLevel] = []
    for m in mentions:
        fallback = ""
        for level, fw in _numbers(m.group(0), country):
            if not fw:
                fallback = fallback or (
                    _framework_in(outside_text[m.end() : m.end() + 60], country) or segment_fw or _national(country)
                )
                fw = fallback
            lv = NqfLevel(fw, level)
            if lv not in out:
                out.append(lv)
    return out


def scale(framework: str) -> str:
    """What scoring compares: "EQF" or "national" (any national acronym or NQF)."""
    return EQF if framework.upper() == EQF else NATIONAL
