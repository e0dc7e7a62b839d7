"""Many small regexes, each run only when its leading literal occurs in the text.

Python's ``re`` gets no prefix optimisation from a big ``\\b(?:a|b|...)`` alternation
(each text position tries every branch), so the codebook's cues are split into their
top-level alternatives; each alternative is compiled alone and guarded by a cheap
substring test on the lowercased text (its leading literal, e.g. "micro" for
``\\bmicro[\\s-]?credential\\w*``). An alternative without such a literal always runs.
Matching semantics are unchanged: the test only skips regexes that cannot match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

try:  # Python 3.11+
    from re import _constants, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _constants  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter

from mctext.lang import compile_ignorecase

_META = set("\\[](){}?*+|.^$")


def _scan(pattern: str) -> Iterator[tuple[int, str, int, bool]]:
    """(index, token, group depth, inside a [class]) of each token of a regex's text, the state as it
    stands where the token starts; an escape ("\\s", "\\(") is one two-character token."""
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            yield i, pattern[i:i + 2], depth, in_class
            i += 2
            continue
        yield i, c, depth, in_class
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1


def split_alternatives(pattern: str) -> list[str]:
    """Top-level ``|`` branches of a regex (respecting groups, classes and escapes)."""
    out, start = [], 0
    for i, token, depth, in_class in _scan(pattern):
        if token == "|" and depth == 0 and not in_class:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return [p for p in out if p]


def _past_group(s: str, depth: int = 0) -> tuple[int, int]:
    """Index just past the ``)`` that brings ``depth`` back to 0 (escapes skipped), and the depth left
    (above 0 when the group never closes)."""
    j = 0
    while j < len(s):
        if s[j] == "\\":
            j += 2
            continue
        depth += s[j] == "("
        depth -= s[j] == ")"
        j += 1
        if depth == 0:
            break
    return j, depth


def literal_prefix(alt: str) -> str:
    """The lowercase literal every match of ``alt`` starts with ("" if none is certain)."""
    s = alt
    while True:
        if s.startswith("\\b"):
            s = s[2:]
        elif s.startswith("(?<!") or s.startswith("(?<="):
            s = s[_past_group(s)[0]:]
        elif s.startswith("(?-i:") and split_alternatives(s[5:-1]) == [s[5:-1]] and s.endswith(")"):
            s = s[5:-1]
        else:
            break
    lit = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 < len(s) and not s[i + 1].isalnum():
                lit.append(s[i + 1])
                i += 2
                continue
            break
        if c in _META:
            if c in "?*{" and lit:
                lit.pop()  # the previous character is optional
            break
        lit.append(c)
        i += 1
    text = "".join(lit).lower()
    return text if len(text.strip()) >= 2 else ""


@cache
def required_literal(alt: str) -> str:
    """The longest lowercase literal every match of ``alt`` contains ("" if none of 3+ chars).

    For branches without a literal prefix ("\\bh?ostair\\w*" -> "ostair"): read off
    the parsed pattern's top-level sequence, so a branch with an optional lead or a
    character class first still gets a substring test instead of always running.
    """
    best = max(_literal_runs(alt), key=len)
    return best if len(best) >= 3 else ""


def rare_literal(alt: str) -> str:
    """A lowercase literal every match of ``alt`` contains, for a branch ``required_literal``
    finds none for: the longest run with a letter outside ASCII, else the longest ("" if none).

    Such branches would run on every text ("\\bκ[υύ]πρ\\w*", "(?-i:(?<![\\w.])Ε\\.?Ε\\b)");
    a test for even one rare letter ("ε", "á") keeps them off most texts.
    """
    runs = [r for r in _literal_runs(alt) if r.strip()]
    return max(runs, key=lambda r: (not r.isascii(), len(r))) if runs else ""


def _literal_runs(alt: str) -> list[str]:
    """The lowercase literal runs of ``alt``'s top-level sequence (groups without ``|`` read through)."""
    try:
        parsed = _parser.parse(alt)
    except re.error:
        return [""]
    runs, run = [], []

    def walk(items: object) -> None:
        nonlocal run
        for op, arg in items:  # type: ignore[attr-defined]
            if op is _constants.LITERAL:
                run.append(chr(arg))
            elif op is _constants.SUBPATTERN and not any(o is _constants.BRANCH for o, _ in arg[-1]):
                walk(arg[-1])  # a group without alternatives, e.g. (?-i:EU)
            else:
                runs.append("".join(run))
                run = []

    walk(parsed)
    runs.append("".join(run))
    return [r.lower() for r in runs]


_MAX_CHOICES = 16  # the most strings one substring test of ``literal_choices`` may hold


@cache
def literal_choices(alt: str) -> tuple[tuple[str, ...], bool]:
    """Strings one of which every match of ``alt`` contains, and whether they are to be found
    case-sensitively (in the text itself, not its lowercase form); ((), False) when none is known.

    For branches whose single needle is weak or missing: a letter class or a group of short
    alternatives in the middle ("(?-i:\\bE(?:QF|QR|KR)\\b)" -> EQF, EQR, EKR; "(?-i:\\b[ABC][12]\\b)"
    -> A1 ... C2) gives the product of the pieces around it. A branch that is one ``(?-i:...)``
    group is matched case-sensitively, so its strings are tested on the text as written
    ("Marco", not "marco" that every "marcos" holds). Read off the parsed pattern's top-level
    sequence; the best set has the longest shortest string (at least two characters).
    """
    try:
        parsed = list(_parser.parse(alt))
    except re.error:
        return (), False
    exact = (len(parsed) == 1 and parsed[0][0] is _constants.SUBPATTERN and bool(parsed[0][1][2] & re.IGNORECASE)
             and not _turns_ignorecase_on(parsed[0][1][-1]))
    best: tuple[str, ...] = ()
    for found in _choice_runs(parsed[0][1][-1] if exact else parsed):
        strings = tuple(sorted(found if exact else {f.lower() for f in found}))
        if min(map(len, strings)) >= 2 and (not best or (min(map(len, strings)), -len(strings))
                                             > (min(map(len, best)), -len(best))):
            best = strings
    return best, exact and bool(best)


def _turns_ignorecase_on(items: object) -> bool:
    """A group inside ``items`` that sets the i flag again (its letters match either case)."""
    for op, arg in items:  # type: ignore[attr-defined]
        if op is _constants.SUBPATTERN and (arg[1] & re.IGNORECASE or _turns_ignorecase_on(arg[-1])):
            return True
        if op is _constants.BRANCH and any(_turns_ignorecase_on(seq) for seq in arg[1]):
            return True
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and _turns_ignorecase_on(arg[2]):
            return True
    return False


def _exact_strings(items: object) -> set[str] | None:
    """Every string a sequence of literals, letter sets and groups of such can match (None when it
    holds anything else or more than ``_MAX_CHOICES`` of them)."""
    out = {""}
    for op, arg in items:  # type: ignore[attr-defined]
        if op is _constants.LITERAL:
            options = {chr(arg)}
        elif op is _constants.IN and all(o is _constants.LITERAL for o, _ in arg):
            options = {chr(a) for _, a in arg}
        elif op is _constants.SUBPATTERN:  # (?-i:...) too: its letters are exact, so also lowercase ones
            options = _exact_strings(arg[-1])  # type: ignore[assignment]
        elif op is _constants.BRANCH:
            options = set()
            for seq in arg[1]:
                one = _exact_strings(seq)
                if one is None:
                    return None
                options |= one
        else:
            return None
        if options is None or len(out) * len(options) > _MAX_CHOICES:
            return None
        out = {a + b for a in out for b in options}
    return out


def _choice_runs(items: object) -> list[set[str]]:
    """The maximal runs of ``items`` that ``_exact_strings`` can read, each as its set of strings."""
    runs: list[set[str]] = []
    run: set[str] = {""}
    for item in items:  # type: ignore[attr-defined]
        options = _exact_strings([item])
        if options is not None and len(run) * len(options) <= _MAX_CHOICES:
            run = {a + b for a in run for b in options}
            continue
        if run != {""}:
            runs.append(run)
        run = options if options is not None else {""}
    if run != {""}:
        runs.append(run)
    return runs


def _compile(alt: str) -> re.Pattern[str]:
    """One compiled regex per branch text, shared by every CueSet (the rules build one set per language)
    and with the language data's validation, which compiled most of them already."""
    return compile_ignorecase(alt)


class _Alt:
    """One branch of a CueSet. Its compiled regex and its substring test are made when first asked
    for, not when the set is built: the sets span every language file (country names, level words,
    a language's cues), a worker meets only the few branches whose index key its documents contain,
    and compiling and parsing all of them (~2,000 regexes) was a large share of a worker's start-up.
    Either is the same value whenever it is made, so matching is unchanged."""

    __slots__ = ("key", "literal", "pattern", "_needle", "_regex")

    def __init__(self, key: str, literal: str, pattern: str) -> None:
        self.key = key
        self.literal = literal  # every match starts with it (the prefix index)
        self.pattern = pattern  # the branch's regex text
        self._needle: str | None = None
        self._regex: re.Pattern[str] | None = None

    @property
    def needle(self) -> str:
        """A literal every match contains (the substring test): the longest of the literal and a
        required one ("person" for "\\bin[\\s-]person\\b", whose prefix "in" is in almost every
        text), else a rarer short one; "" when there is none."""
        if self._needle is None:
            self._needle = max(self.literal, required_literal(self.pattern), key=len) or rare_literal(self.pattern)
        return self._needle

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = _compile(self.pattern)
        return self._regex


_LEADING_GROUP = re.compile(r"^(\\b)?\(\?:(.*)$", re.DOTALL)


def expand_leading_group(alt: str) -> list[str]:
    """``\\b(?:DQR|EQR)\\b`` -> [``\\bDQR\\b``, ``\\bEQR\\b``], so each branch gets a literal."""
    m = _LEADING_GROUP.match(alt)
    if not m:
        return [alt]
    body = m.group(2)
    j, depth = _past_group(body, depth=1)
    inner, rest = body[: j - 1], body[j:]
    if depth or (rest[:1] in ("?", "*", "+", "{")):
        return [alt]
    return [(m.group(1) or "") + branch + rest for branch in split_alternatives(inner)]


_WORD = re.compile(r"\w+")
_KEY = 5  # the longest word-prefix key of the index
_SHORT_KEY = 2  # a branch whose literal is only two letters ("EU", "ES") is indexed by those two
_KEY_LENGTHS = range(_SHORT_KEY, _KEY + 1)


def index_key(alt: str, literal: str) -> str:
    """The word-prefix key a branch is indexed by, "" when it has none (its substring test then
    decides): the first up to ``_KEY`` letters of its literal prefix, for a branch anchored at a
    word start whose literal starts with at least three word characters (or is two of them).

    Every match starts a word of the text with the key, so the text's words' prefixes of the
    key's length hold it; a longer key ("micro", not "mic") makes fewer branches candidates
    of a text that cannot match them.
    """
    if len(literal) < _SHORT_KEY or not _word_anchored(alt) or not _WORD.fullmatch(literal[:3]):
        return ""
    return _WORD.match(literal[:_KEY]).group(0)  # type: ignore[union-attr]


def index_keys(alt: str, literal: str) -> tuple[str, ...]:
    """The word-prefix keys a branch is indexed by (a word of every matching text starts with one
    of them), () when it has none: ``index_key`` of its literal prefix, else, for a branch anchored
    at a word start whose start is optional or a letter class ("\\bh?ostair" -> "hosta", "ostai";
    "\\b(?:berufs|lebens)?erfahrung" -> "beruf", "leben", "erfah"), every way it can start.
    A key of fewer than three letters is taken only when it is all there is ("EU")."""
    if key := index_key(alt, literal):
        return (key,)
    if not _word_anchored(alt):
        return ()
    starts = _word_starts(alt)
    if not starts:
        return ()
    keys = set()
    for start in starts:
        run = _WORD.match(start.lower()[:_KEY])
        key = run.group(0) if run else ""
        if len(key) < 2 or (len(key) < 3 and len(start) > len(key)):
            return ()
        keys.add(key)
    return tuple(sorted(k for k in keys if not any(o != k and k.startswith(o) for o in keys)))


def inner_word_keys(alt: str) -> list[tuple[str, ...]]:
    """Word-prefix keys of the words inside ``alt`` that start a word in every match, one tuple per word
    (``_keys_at``): right after a top-level ``\\s+``, ``\\s`` or ``\\b`` ("badge" of
    "\\bde[snmr]\\s+badges?\\b", "foren" of "\\bde\\s+forenede\\s+stater\\b", "empfe", "vorbi" of
    "\\bnach\\s+dem\\s+(?:empfehlung|vorbild)\\b"). Top-level items of a
    branch are all in every match, and a word character after whitespace (or a boundary) starts a word
    of the text, so a word of the lowercase text starts with the key whenever the branch matches."""
    out: list[tuple[str, ...]] = []
    for i, token, depth, in_class in _scan(alt):
        if depth == 0 and not in_class and i > 0 and token in ("\\s", "\\b"):
            j = i + 2
            if token == "\\s" and alt[j:j + 1] == "+":
                j += 1 + (alt[j + 1:j + 2] == "?")  # \s+ or its lazy \s+?: at least one space
            # (the space or boundary is there in every match unless a quantifier follows)
            if alt[j:j + 1] not in ("?", "*", "{", "+") and (keys := _keys_at(alt[j:])):
                out.append(keys)
    return out


def _key_of(start: str) -> str:
    """The key of a word every match starts with ``start`` (lowercase), "" when it has under three word
    characters first."""
    return _WORD.match(start[:_KEY]).group(0) if len(start) >= 3 and _WORD.fullmatch(start[:3]) else ""  # type: ignore[union-attr]


def _keys_at(rest: str) -> tuple[str, ...]:
    """The keys a word starting at ``rest`` (the regex text after a space or boundary) starts with: its
    literal prefix's, or each of a leading group of literal alternatives ("(?:empfehlung|vorbild)\\b")
    when the group is there once; () when any way of starting has no key."""
    if key := _key_of(literal_prefix(rest)):
        return (key,)
    if not rest.startswith("(?:"):
        return ()
    end, depth = _past_group(rest)
    if depth or rest[end:end + 1] in ("?", "*", "{", "+"):
        return ()
    keys = [_key_of(literal_prefix(branch)) for branch in split_alternatives(rest[3:end - 1])]
    return tuple(sorted(set(keys))) if keys and all(keys) else ()


def best_keys(alt: str, literal: str) -> tuple[str, ...]:
    """The word-prefix keys a branch is indexed by: those of its start (``index_keys``) or of one inner
    word (``inner_word_keys``), whichever has the longest shortest key (fewer texts have a word that starts
    so: "badge", not "des", "den", "dem", "der"); the start's on a tie. A branch that is a candidate
    only when a word of the text starts with one of them may match; any other cannot."""
    best = index_keys(alt, literal)
    for keys in inner_word_keys(alt):
        if not best or min(map(len, keys)) > min(map(len, best)):
            best = keys
    return best


@cache
def _word_starts(alt: str) -> tuple[str, ...]:
    """Every way a match of a word-anchored ``alt`` can start, up to ``_KEY`` characters or the first
    piece that is neither a literal, a letter class, an optional one nor a group of such; () when
    there are more than ``_MAX_CHOICES``."""
    try:
        items = list(_parser.parse(alt))
    except re.error:
        return ()
    while items and items[0][0] is _constants.SUBPATTERN:  # (?-i:\bIT) ...: its start is the match's
        items = list(items[0][1][-1]) + items[1:]
    while items and (items[0][0] is _constants.AT or (items[0][0] is _constants.ASSERT_NOT and items[0][1][0] < 0)):
        items = items[1:]  # the anchor: \b, (?<!\w)
    starts = {""}
    for op, arg in items:
        if min(map(len, starts)) >= _KEY:
            break
        last = False
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            body = _exact_strings(arg[2])
            if body is None or arg[0] > 1:
                break
            options, last = (body | {""} if arg[0] == 0 else body), arg[1] != 1  # "s?", "x+": x once, then unknown
        else:
            options = _exact_strings([(op, arg)])  # type: ignore[assignment]
            if options is None:
                break
        if len(starts) * len(options) > _MAX_CHOICES:
            break
        starts = {a + b for a in starts for b in options}
        if last:
            break
    return tuple(sorted(starts)) if "" not in starts else ()


@dataclass(frozen=True)
class TextView:
    """A text prepared once for every CueSet: lowercased, and the set of its words' prefixes
    (of every index key length, two to ``_KEY`` letters)."""

    text: str
    low: str
    prefixes: frozenset[str]

    @classmethod
    def of(cls, text: str) -> TextView:
        """The view of ``text``; the same text's view is shared (the classifier's stages, the rules, the
        facets, the countries and the document passes, look at a segment's text one after another)."""
        return _view(text) if cls is TextView else cls._make(text)

    @classmethod
    def _make(cls, text: str) -> TextView:
        low = text.lower()
        words = set(_WORD.findall(low))
        prefixes = set(map(_PREFIX_OF[0], words))
        for prefix_of in _PREFIX_OF[1:]:
            prefixes.update(map(prefix_of, words))
        return cls(text, low, frozenset(prefixes))


_PREFIX_OF = [itemgetter(slice(None, k)) for k in _KEY_LENGTHS]  # w -> w[:k], mapped over a text's words
VIEWS_KEPT = 4096  # the views last made, kept for the same text's next look (a document's segments)


@lru_cache(maxsize=VIEWS_KEPT)
def _view(text: str) -> TextView:
    return TextView._make(text)


def _word_anchored(alt: str) -> bool:
    """True when every match starts at a word start (leading ``\\b`` or ``(?<!\\w)``)."""
    s = alt
    while s.startswith("(?<!") or s.startswith("(?-i:"):
        s = s[s.index(")") + 1 :] if s.startswith("(?<!") else s[5:]
    return s.startswith("\\b") or alt.startswith("(?<!\\w)")


class CueSet:
    """(key, regex) pairs matched case-insensitively, each branch prefiltered by its literal.

    Branches anchored at a word start are indexed by the first letters of their literal
    (``index_key``: up to five; two when it has only two: "EU", "ES", whose substring test
    passed on almost every text) and run only when a word of the text starts with them;
    other branches with a literal run when it occurs anywhere; branches without one always run.
    """

    def __init__(self, patterns: list[tuple[str, str]]):
        self.alts: list[_Alt] = []
        self.indexed: dict[str, list[int]] = {}
        self.scanned: list[int] = []  # not indexable: substring test or always
        self._alone: CueGroup | None = None  # this set as a group of one, for finditer
        for key, pattern in patterns:
            for alt in (a for top in split_alternatives(pattern) for a in expand_leading_group(top)):
                lit = literal_prefix(alt)
                i = len(self.alts)
                self.alts.append(_Alt(key, lit, alt))
                if keys := best_keys(alt, lit):
                    for prefix in keys:
                        self.indexed.setdefault(prefix, []).append(i)
                else:
                    self.scanned.append(i)

    def _group(self) -> CueGroup:
        if self._alone is None:
            self._alone = CueGroup([self])
        return self._alone

    def finditer(self, text: str | TextView, low: str | None = None) -> Iterator[tuple[str, re.Match[str]]]:
        """(key, match) for every match of every candidate branch, in branch order."""
        view = text if isinstance(text, TextView) else TextView.of(text)
        return iter(self._group().matches(view)[0])

    def might_match(self, text: str | TextView) -> bool:
        """The pre-filter alone: False only when no branch can match (no word starts with an index
        key, no literal occurs, and every branch has one)."""
        return self._group().might_match(text if isinstance(text, TextView) else TextView.of(text))

    def search_any(self, text: str | TextView) -> list[tuple[int, int]]:
        """Spans of all matches (for guards)."""
        return [m.span() for _, m in self.finditer(text)]


class CueGroup:
    """Several CueSets matched together: one index lookup and one literal scan per text.

    The rules run about twenty CueSets (each label's cues and guards, driver context and
    types) over every segment; asking each set for its candidates separately cost more
    than the regexes themselves. ``matches`` gives each set's (key, match) list exactly
    as ``CueSet.finditer`` would.

    The branches of all sets are numbered once, set by set and in branch order, so a text's
    candidates are plain numbers (sorted, they are in the order every set's matches come in);
    the text's word prefixes meet the index in one set intersection.
    """

    def __init__(self, sets: list[CueSet]):
        self.sets = sets
        self._branches: list[tuple[int, _Alt]] = []  # number -> (set, branch)
        self._index: dict[str, list[int]] = {}  # word-prefix key -> branch numbers
        self._always: list[int] = []  # no literal: run on every text
        self._literal: list[tuple[str, int]] = []  # (literal, number): run when the literal occurs
        self._exact: list[tuple[str, int]] = []  # (literal, number): run when it occurs as written
        # (strings, as written?, number): run when one of them occurs (``literal_choices``)
        self._choices: list[tuple[tuple[str, ...], bool, int]] = []
        # the substring test still to make for a candidate: None until first needed (an indexed
        # branch's needle is made lazily, see ``_Alt``), "" when passing the pre-filter implies it
        self._tests: list[str | tuple[str, ...] | list[str] | None] = []  # see ``_test``
        self._keys_of: dict[int, tuple[str, ...]] = {}  # an indexed branch's keys
        # what every match of a branch starts with (its key, its keys, its literal prefix), "" or () when
        # unknown: the regex is run from its first occurrence on, not from the text's start
        self._heads: list[str | tuple[str, ...]] = []
        self._several = False  # a branch has several keys (a text may make it a candidate twice)
        for s_no, cue_set in enumerate(sets):
            keys_of: dict[int, list[str]] = {}
            for key, branches in cue_set.indexed.items():
                for i in branches:
                    keys_of.setdefault(i, []).append(key)
            for i, alt in enumerate(cue_set.alts):
                number = len(self._branches)
                self._branches.append((s_no, alt))
                if i in keys_of:
                    for key in keys_of[i]:
                        self._index.setdefault(key, []).append(number)
                    self._keys_of[number] = tuple(keys_of[i])
                    self._several = self._several or len(keys_of[i]) > 1
                    # the head is what every match starts with: the start's keys (an inner key is no start)
                    starts = index_keys(alt.pattern, alt.literal)
                    if not starts:
                        self._heads.append(alt.literal if len(alt.literal) >= 2 else "")
                    else:
                        self._heads.append(starts[0] if len(starts) == 1 else starts)
                    self._tests.append(None)
                    continue
                self._heads.append(alt.literal if len(alt.literal) >= 2 else "")
                needle = alt.needle
                choices, exact = literal_choices(alt.pattern)
                if choices and (exact or (needle.isascii() and min(map(len, choices)) > len(needle))):
                    if len(choices) == 1:
                        (self._exact if exact else self._literal).append((choices[0], number))
                    else:
                        self._choices.append((choices, exact, number))
                elif needle:
                    self._literal.append((needle, number))
                else:
                    self._always.append(number)
                self._tests.append("")
        self._keys = frozenset(self._index)
        self._scans = bool(self._literal or self._exact or self._choices)  # a substring test to make per text

    def _test(self, number: int) -> str | tuple[str, ...] | list[str]:
        """The substring test of an indexed candidate: its needle, "" when the needle lies inside
        each of its index keys (a word starting with a key holds it); or, where its strings
        (``literal_choices``, lowercase ones) are all longer than the needle, those strings, one of which
        the text must hold ("\\bzu\\s+...(?:abschl[üu]ss|qualifikation|studiengang)\\w*": not "zu"), a tuple;
        else, where it has several top-level literal runs of three or more letters, all of them, a list
        ("\\bkoulutuksen\\s+arvioin\\w*[^.;]{0,30}?\\bjulkais\\w*": "koulutuksen", "arvioin", "julkais")."""
        alt = self._branches[number][1]
        needle = alt.needle
        test: str | tuple[str, ...] = "" if all(needle in key for key in self._keys_of[number]) else needle
        choices, exact = literal_choices(alt.pattern)
        if choices and not exact and min(map(len, choices)) > len(needle):
            test = choices[0] if len(choices) == 1 else choices
        elif len(runs := sorted({r for r in _literal_runs(alt.pattern) if len(r) >= 3}, key=lambda r: (-len(r), r))) > 1:
            test = runs  # every top-level literal run is in every match: all of them must occur
        self._tests[number] = test
        return test

    @staticmethod
    def passes(test: str | tuple[str, ...] | list[str], low: str) -> bool:
        """Whether a lowercase text passes a candidate's substring test (``_test``)."""
        if test.__class__ is str:
            return not test or test in low
        if test.__class__ is list:
            return all(string in low for string in test)
        return any(string in low for string in test)

    def might_match(self, view: TextView) -> bool:
        """False when no branch of the group can match ``view`` (no candidate at all)."""
        return bool(self._always) or not self._keys.isdisjoint(view.prefixes) or bool(self._scanned(view))

    def _scanned(self, view: TextView) -> list[int]:
        """The scanned branches whose substring test ``view`` passes."""
        low, text = view.low, view.text
        out = [n for literal, n in self._literal if literal in low]
        if self._exact:
            out += [n for literal, n in self._exact if literal in text]
        for strings, exact, n in self._choices:
            hay = text if exact else low
            for string in strings:
                if string in hay:
                    out.append(n)
                    break
        return out

    def matches(self, view: TextView) -> list[list[tuple[str, re.Match[str]]]]:
        low = view.low
        index = self._index
        todo = [n for key in self._keys.intersection(view.prefixes) for n in index[key]]
        if self._several:
            todo = list(set(todo))
        if self._always:
            todo += self._always
        if self._scans:
            todo += self._scanned(view)
        out: list[list[tuple[str, re.Match[str]]]] = [[] for _ in self.sets]
        if not todo:
            return out
        todo.sort()
        tests, branches, text = self._tests, self._branches, view.text
        # a match starts where its head starts in the lowercase text when lowercasing kept every
        # character one character (it nearly always does: not for "İ")
        heads = self._heads if len(low) == len(text) else None
        for n in todo:
            test = tests[n]
            if test is None:
                test = self._test(n)
            if test:
                if test.__class__ is str:  # the common test, inline: this loop runs for every candidate
                    if test not in low:  # type: ignore[operator]
                        continue
                elif not CueGroup.passes(test, low):
                    continue  # none of its strings, or not all of its literal runs, in the text
            s_no, alt = branches[n]
            regex = alt._regex or alt.regex  # the slot read directly: this loop runs for every candidate
            found = out[s_no]
            pos = 0
            if heads is not None:
                head = heads[n]
                if head.__class__ is str:
                    pos = low.find(head) if head else 0  # type: ignore[arg-type]
                else:
                    pos = min((at for at in map(low.find, head) if at >= 0), default=-1)
                if pos < 0:
                    continue  # the literal every match starts with does not occur
            for m in regex.finditer(text, pos):
                if m.end() > m.start():
                    found.append((alt.key, m))
        return out
