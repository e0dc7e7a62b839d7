"""The prefilters of fastre may skip a regex only when it cannot match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mctext.classify.countries import _regex as country_cues
from mctext.classify.fastre import (
    CueGroup,
    CueSet,
    TextView,
    best_keys,
    index_keys,
    inner_word_keys,
    literal_choices,
    literal_prefix,
    rare_literal,
    required_literal,
)
from mctext.classify.rules import lexicons

TEXTS = [
    "Micro-credentials at EQF level 5 are stackable towards a full qualification in the United Kingdom.",
    "Die Mitgliedstaaten der EU und das Vereinigte Königreich: Mikro-Zertifikate, DQR-Niveau 4.",
    "Les États membres et les États-Unis; la validation des acquis de l'expérience (VAE).",
    "Ballstáit an Aontais Eorpaigh, an Ostair, an Ghearmáin agus Éireannach; the U.S. and UK.",
    "Mikrotutkinnot Suomessa ja Ruotsissa; microcredenciales en España; NLQF in Nederland.",
    "Η Κύπρος, οι Η.Π.Α. και η Ε.Ε.; an Ghréig, Málta agus an Mhálta; Έλληνες και ΚΥΠΡΟΣ.",
    "",
]


@pytest.mark.parametrize(
    ("pattern", "prefix", "required"),
    [
        (r"\bmicro[\s-]?credential\w*", "micro", "credential"),
        (r"\bh?ostair\w*", "", "ostair"),
        (r"\b[ée]tats?\s+membres?\b", "", "membre"),
        (r"(?-i:\bU\.S\.)", "u.s.", "u.s."),
        (r"ab(?:cd|ef)gh", "ab", ""),  # no run of 3 certain characters
        (r"x{0,2}abc", "", "abc"),
    ],
)
def test_literals(pattern: str, prefix: str, required: str) -> None:
    assert literal_prefix(pattern) == prefix
    assert required_literal(pattern) == required


def _reference(cue_set: CueSet, text: str) -> list[tuple[str, int, int]]:
    """Every branch run on the whole text, no prefilter."""
    return sorted((a.key, m.start(), m.end()) for a in cue_set.alts for m in a.regex.finditer(text) if m.end() > m.start())


def _texts(seed_path: Path | None) -> list[str]:
    texts = list(TEXTS)
    if seed_path is not None:
        texts += [json.loads(line)["text"] for line in seed_path.read_text(encoding="utf-8").splitlines() if line]
    return texts


def _sets() -> list[CueSet]:
    sets = [country_cues()[0]]
    for lex in lexicons().values():
        sets.append(lex.cues)
        if lex.guard is not None:
            sets.append(lex.guard)
    return sets


def _check(texts: list[str]) -> int:
    sets = _sets()
    group = CueGroup(sets)
    found = 0
    for text in texts:
        view = TextView.of(text)
        grouped = group.matches(view)
        for cue_set, matches in zip(sets, grouped, strict=True):
            expected = _reference(cue_set, text)
            assert sorted((k, m.start(), m.end()) for k, m in matches) == expected, text[:80]
            assert sorted((k, m.start(), m.end()) for k, m in cue_set.finditer(view)) == expected
            found += len(expected)
    return found


def test_prefilters_drop_no_match_on_built_texts() -> None:
    assert _check(TEXTS) > 20


@pytest.mark.parametrize(
    ("pattern", "rare"),
    [
        (r"\bκ[υύ]πρ\w*", "πρ"),
        (r"(?-i:(?<![\w.])Ε\.?Ε\b\.?)", "ε"),
        (r"\bmh?ál?ta\b", "á"),  # a letter outside ASCII before a longer ASCII run
        (r"\bgh?r[ée]ig\w*", "ig"),
        (r"\b\w+\b", ""),
    ],
)
def test_a_branch_without_a_long_literal_gets_a_rare_one(pattern: str, rare: str) -> None:
    assert required_literal(pattern) == "" and rare_literal(pattern) == rare
    cue_set = CueSet([("X", pattern)])
    texts = [t for t in TEXTS if rare and rare in t.lower()]
    assert all(sorted(m.span() for _, m in cue_set.finditer(t)) == [m.span() for m in re.finditer(pattern, t, re.I)]
               for t in TEXTS)
    assert not rare or any(re.search(pattern, t, re.I) for t in texts)  # the built texts hold matches


def test_prefilters_drop_no_match_on_the_seed(seed_path: Path) -> None:
    assert _check(_texts(seed_path)) > 1000


def test_the_required_literal_is_really_required() -> None:
    cue_set = CueSet([("AT", r"\bh?ostair\w*")])
    assert [m.group(0) for _, m in cue_set.finditer("An Ostair agus hOstair")] == ["Ostair", "hOstair"]
    assert list(cue_set.finditer("Austria")) == []
    assert re.search(r"\bh?ostair\w*", "Austria", re.IGNORECASE) is None


def test_a_languages_group_finds_the_all_language_matches_of_its_cues(seed_path: Path) -> None:
    """The per-language lexicons (cues in their language) match exactly what the
    all-language lexicon matches with that language's and xx's cues."""
    from mctext.lang import cue_languages, spoken

    texts = _texts(seed_path)[:200]
    everything = lexicons(None)
    for lang in spoken():
        allowed = cue_languages(lang.code)
        assert allowed is not None
        own = lexicons(allowed)
        for name, lex in own.items():
            for text in texts:
                view = TextView.of(text)
                expected = [(k, m.span()) for k, m in everything[name].cues.finditer(view) if k.split(":")[0] in allowed]
                assert sorted((k, m.span()) for k, m in lex.cues.finditer(view)) == sorted(expected), (lang.code, name)


def test_branches_are_compiled_and_parsed_when_first_needed() -> None:
    """A set compiles (and parses for its substring test) only the branches a text makes candidates;
    the lazily made needle is the one the eager formula gives."""
    patterns = [("a", r"\bmicro[\s-]?credential\w*"), ("b", r"\bzzyzx\w*"), ("c", r"\bin[\s-]person\b")]
    cue_set = CueSet(patterns)
    assert all(alt._regex is None and alt._needle is None for alt in cue_set.alts)
    found = cue_set.finditer("Micro-credentials are offered in person.")
    assert sorted((k, m.group(0)) for k, m in found) == [("a", "Micro-credentials"), ("c", "in person")]
    compiled = {alt.key for alt in cue_set.alts if alt._regex is not None}
    assert compiled == {"a", "c"}  # "zzy" is no word start of the text: never compiled
    for alt in cue_set.alts:
        assert alt.needle == (max(alt.literal, required_literal(alt.pattern), key=len) or rare_literal(alt.pattern))
        assert alt.regex.pattern == alt.pattern


# ----------------------------------------------------------------------------- pre-filters derived from the cues


def _every_set() -> list[CueSet]:
    """Every CueSet the classifier builds: label cues and guards, countries, facets, levels, references."""
    from mctext.classify import context, facets, levels

    sets = _sets()
    for part in (facets.ALWAYS, facets.LEARNT, facets.GATED):
        sets.extend(facets._matcher(None, part).sets)
    mx = levels._matchers()
    sets += [mx.anchors, mx.not_levels, mx.qualification]
    for label in context.context_labels():
        sets += [context._references(label, None, False), context._references(label, None, True)]
    return sets


@pytest.mark.parametrize(
    ("pattern", "keys"),
    [
        (r"\bmicro[\s-]?credential\w*", ("micro",)),  # five letters of the literal, not three
        (r"\bEU\b", ("eu",)),
        (r"\bh?ostair\w*", ("hosta", "ostai")),  # an optional start: both ways
        (r"\b[ée]tats?\s+membres?\b", ("etat", "état")),
        (r"\b(?:berufs|lebens)?erfahrung\w*", ("beruf", "erfah", "leben")),
        (r"\bE?NQFs?\b", ("enqf", "nqf")),  # "nqfs" starts with "nqf": one key is enough
        (r"(?-i:\bE(?:QF|KR)\b)", ("ekr", "eqf")),
        (r"qualifikationsrahmen\w*", ()),  # not at a word start: the substring test decides
        (r"\b\w+modul\b", ()),  # starts with anything
        (r"\b(?:digital\s+)?badges?\b", ()),  # an optional start that is no literal
        (r"\be\.g\.", ()),  # one letter before a dot is no key
    ],
)
def test_index_keys(pattern: str, keys: tuple[str, ...]) -> None:
    assert index_keys(pattern, literal_prefix(pattern)) == keys


@pytest.mark.parametrize(
    ("pattern", "choices", "exact"),
    [
        (r"(?-i:\bE(?:QF|QR|KR)\b)", ("EKR", "EQF", "EQR"), True),
        (r"(?-i:\b[AB][12]\b)", ("A1", "A2", "B1", "B2"), True),
        (r"(?-i:\b(?:del|el)\s+Marco\b)", ("Marco",), True),  # as written: "marco" would pass on "marcos"
        (r"\bgh?r[ée]ig\w*", ("reig", "réig"), False),
        (r"(?-i:\bIT)\s+(?:sector|skills)\b", ("sector", "skills"), False),  # partly exact: lowercase
        (r"\b\w+\b", (), False),
    ],
)
def test_literal_choices(pattern: str, choices: tuple[str, ...], exact: bool) -> None:
    assert literal_choices(pattern) == (choices, exact)


def test_exact_choices_are_tested_on_the_text_as_written() -> None:
    """A branch that is one (?-i:...) group and starts with no literal ("5 EC") is scanned for its
    strings as written: "ec" in "the ec of 5 ec" lets nothing through."""
    cue_set = CueSet([("EC", r"(?-i:\b\d+(?:[.,]\d+)?\s?EC\b)")])
    assert not cue_set.indexed
    assert [m.group(0) for _, m in cue_set.finditer("5 EC and 2,5EC, not 5 ec")] == ["5 EC", "2,5EC"]
    assert not cue_set.might_match("the ec of 5 ec, the tec")
    assert cue_set.might_match("an EC")


def _prefilter_passes(group: CueGroup, view: TextView) -> set[int]:
    """The branch numbers the group's pre-filters let through for ``view`` (index, literals, choices,
    and the candidate's own substring test)."""
    out = set()
    for n in {n for key in group._keys & view.prefixes for n in group._index[key]} | set(group._always) | set(
            group._scanned(view)):
        test = group._tests[n] if group._tests[n] is not None else group._test(n)
        if CueGroup.passes(test, view.low):
            out.add(n)
    return out


def _check_prefilters(texts: list[str]) -> int:
    """Every branch whose plain regex matches a text passes the pre-filters for it; returns the matches."""
    groups = [CueGroup([s]) for s in _every_set()]
    found = 0
    for text in texts:
        view = TextView.of(text)
        for group in groups:
            passed = _prefilter_passes(group, view)
            for n, (_, alt) in enumerate(group._branches):
                if any(m.end() > m.start() for m in alt.regex.finditer(text)):
                    found += 1
                    assert n in passed, (alt.pattern, text[:80])
            assert group.might_match(view) or not passed  # might_match says no only when nothing can match
    return found


def test_no_prefilter_skips_a_real_match_on_built_texts() -> None:
    texts = [*TEXTS, "EQF level 4 and the NQR; A2 or B1 German; an tSualainn, hOstair, Ostair, États membres.",
             "Berufserfahrung und Lebenserfahrung; ENQF, NQFs; the EC and 5 EC; Malta, Mhálta."]
    assert _check_prefilters(texts) > 30


@pytest.mark.slow
def test_no_prefilter_skips_a_real_match_on_the_seed(seed_path: Path) -> None:
    assert _check_prefilters(_texts(seed_path)) > 1000


@pytest.mark.slow
def test_every_cue_set_matches_as_its_plain_regexes_on_the_seed(seed_path: Path) -> None:
    """The fast matching (index, literal tests, choices) of every set the classifier builds equals
    running each branch alone on the whole text."""
    sets = _every_set()
    group = CueGroup(sets)
    for text in _texts(seed_path):
        view = TextView.of(text)
        for cue_set, matches in zip(sets, group.matches(view), strict=True):
            assert sorted((k, m.start(), m.end()) for k, m in matches) == _reference(cue_set, text), text[:80]


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"(?<=a)bc\w*", "xbc abcd abc", ["bcd", "bc"]),  # run from the head on, a lookbehind still sees before it
        (r"\bmicro\w*", "İzmir: Micro-credentials and microlearning", ["Micro", "microlearning"]),  # "İ" lowers to two
        (r"\bh?ostair\w*", "Ostair, hOstair, ostair", ["Ostair", "hOstair", "ostair"]),
        (r"\bstate\b", "statement, the State", ["State"]),  # the head's first occurrence is inside a word
    ],
)
def test_a_branch_runs_from_its_heads_first_occurrence(pattern: str, text: str, expected: list[str]) -> None:
    assert [m.group(0) for _, m in CueSet([("x", pattern)]).finditer(text)] == expected
    assert [m.group(0) for m in re.finditer(pattern, text, re.IGNORECASE)] == expected


@pytest.mark.parametrize(
    ("pattern", "inner", "best"),
    [
        (r"\bde[snmr]\s+badges?\b", [("badge",)], ("badge",)),  # not "den", "der", ...: few words start so
        (r"\bde\s+forenede\s+stater\b", [("foren",), ("state",)], ("foren",)),
        (r"\bnach\s+(?:der|dem)\s+(?:empfehlung|vorbild)\b", [("dem", "der"), ("empfe", "vorbi")], ("empfe", "vorbi")),
        (r"\bmicro[\s-]?credential\w*", [], ("micro",)),  # a space in a class: no word start is certain
        (r"\bfoo\s*barbaz", [], ("foo",)),  # an optional space
        (r"\bin\s+(?:\w+\s+)?niveau", [], ("in",)),  # after an optional word: not read
        (r"\bin\s+(?:niveau|stufe)?\s+x", [], ("in",)),  # an optional group
        (r"\bzu\s+(?:einem|er)\s+x", [], ("zu",)),  # one way has no key of three letters
        (r"\bkoulutuksen\s+arvioin\w*", [("arvio",)], ("koulu",)),  # a tie keeps the start's key
        (r"(?-i:\bES\b)(?=\s+(?:fond|program)\w*)", [], ("es",)),  # inside a lookahead: not top level
    ],
)
def test_a_branch_is_indexed_by_its_rarest_word(pattern: str, inner: list[tuple[str, ...]], best: tuple[str, ...]) -> None:
    """A word inside a branch that starts a word in every match indexes it when its key is longer than
    the start's; the branch still matches exactly what its regex does."""
    assert inner_word_keys(pattern) == inner
    assert best_keys(pattern, literal_prefix(pattern)) == best
    texts = ["Des badges et der Badge; de forenede stater; nach dem Vorbild, nach der Empfehlung.",
             "FOO barbaz, foobarbaz; in niveau; zu einem x; koulutuksen arviointi; ES fondai, ES programos."]
    for text in texts:
        expected = [m.span() for m in re.finditer(pattern, text, re.IGNORECASE) if m.end() > m.start()]
        assert [m.span() for _, m in CueSet([("x", pattern)]).finditer(text)] == expected


def test_an_inner_key_finds_the_match_when_the_start_is_elsewhere() -> None:
    """Indexed by an inner word, a branch still runs from its start's first occurrence (its head); a text
    with the inner word but no start gives nothing."""
    cue_set = CueSet([("x", r"\bde[snmr]\s+badges?\b")])
    assert list(cue_set.indexed) == ["badge"]
    assert [m.group(0) for _, m in cue_set.finditer("Badges: den Badge, des badges")] == ["den Badge", "des badges"]
    assert list(cue_set.finditer("Badges, open badges")) == []


def test_a_texts_view_is_shared_and_equals_a_fresh_one() -> None:
    text = "Micro-credentials: die Mikro-Zertifikate der EU."
    view = TextView.of(text)
    assert TextView.of(text) is view
    fresh = TextView._make(text)
    assert (fresh.text, fresh.low, fresh.prefixes) == (view.text, view.low, view.prefixes)
    assert view.prefixes == frozenset(w[:k] for w in re.findall(r"\w+", text.lower()) for k in range(2, 6))
    with pytest.raises(AttributeError):
        view.low = ""  # type: ignore[misc]  # shared, so it cannot be changed


def test_an_indexed_branch_is_tested_for_its_strings_when_they_are_longer_than_its_needle() -> None:
    """A key of "zu" and the needle "zu" let most German texts through; one of the group's strings
    ("abschluss", "qualifikation") must be in the text, and the branch still matches as its regex."""
    pattern = r"\bzu\s+(?:einem|einer)\s+\w*(?:abschl[üu]ss|qualifikation)\w*"
    group = CueGroup([CueSet([("x", pattern)])])
    assert group._test(0) == ("abschluss", "abschlüss", "qualifikation")
    assert not CueGroup.passes(group._test(0), "zu einem kurs")
    for text in ["Sie führt zu einem Berufsabschluss.", "zu einer Qualifikation; zu einem Kurs", "zu einem Kurs"]:
        expected = [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
        assert [m.span() for _, m in group.matches(TextView.of(text))[0]] == expected


def test_an_indexed_branch_needs_all_its_literal_runs() -> None:
    """Several top-level literal runs are all in every match: a text missing one makes no regex run,
    and the branch matches as its regex does."""
    pattern = r"\bkoulutuksen\s+arvioin\w*[^.;]{0,30}?\bjulkais\w*"
    group = CueGroup([CueSet([("x", pattern)])])
    assert group._test(0) == ["koulutuksen", "arvioin", "julkais"]
    assert not CueGroup.passes(group._test(0), "koulutuksen arviointi tehdään")
    assert CueGroup.passes(group._test(0), "koulutuksen arviointi julkaistaan")
    for text in ["Koulutuksen arviointi julkaistaan.", "koulutuksen arviointi tehdään; julkaisu", "koulutuksen laatu"]:
        expected = [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
        assert [m.span() for _, m in group.matches(TextView.of(text))[0]] == expected
