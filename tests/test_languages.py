"""The language data layer: every language file loads and validates, its test cases
(tests/languages/<code>.yaml, sentences written by the team) come out right, cues stay in
their language, and a short document in every language goes through ``mctext run``.

Adding a language = its data file + its test-case file; nothing here names a language
except the alias and detection checks of Norwegian.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import minimal_language
from mctext import lang as langdata
from mctext.classify.countries import find_countries
from mctext.classify.fastre import split_alternatives
from mctext.classify.rules import apply_rules
from mctext.cli import app
from mctext.codebook import DRIVER_TYPES, LABELS
from mctext.extract.layout import join_lines
from mctext.lang import XX, LanguageDataError, load_directory, load_file
from mctext.segment import split_sentences

CASES_DIR = Path(__file__).resolve().parent / "languages"
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "annotations" / "examples"
CASE_KEYS = {"labels", "levels", "countries", "no_split", "dehyphenation", "facets"}
# Languages whose facet cues cover every facet, with test sentences (issue 13: these first).
# Cue parity (issue 11): the English label cases translated into these languages keep their labels.
PARITY_FILE = CASES_DIR / "parity.yaml"
PARITY_LANGUAGES = ("sl", "pl", "fi", "de", "hr", "pt")
FACET_LANGUAGES = ("en", "de", "fr", "nl", "fi", "sl", "pl", "es", "sv", "it", "et", "cs", "sk", "no", "pt", "da", "el", "lt")


def _cases(code: str) -> dict:
    path = CASES_DIR / f"{code}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {} if path.is_file() else {}


SPOKEN = [lang.code for lang in langdata.spoken()]


def _ids(kind: str) -> list[tuple[str, int]]:
    return [(code, i) for code in SPOKEN for i, _ in enumerate(_cases(code).get(kind, []))]


# ------------------------------------------------------------------ the files


def test_every_language_has_its_test_cases() -> None:
    for code in SPOKEN:
        cases = _cases(code)
        assert cases, f"tests/languages/{code}.yaml is missing"
        assert set(cases) <= CASE_KEYS, f"{code}.yaml: unknown keys {set(cases) - CASE_KEYS}"
        labelled = {lab for case in cases.get("labels", []) for lab in case["labels"]}
        assert labelled == set(LABELS), f"{code}: no positive case for {set(LABELS) - labelled}"
        assert any(not case["labels"] for case in cases["labels"]), f"{code}: no negative case"
        for kind in ("countries", "no_split", "dehyphenation"):
            assert cases.get(kind), f"{code}: no {kind} case"


def test_case_files_belong_to_languages() -> None:
    assert {p.stem for p in CASES_DIR.glob("*.yaml")} - {PARITY_FILE.stem} <= set(SPOKEN)


def test_aliases_read_the_same_file() -> None:
    for lang in langdata.languages().values():
        for alias in lang.aliases:
            assert langdata.language(alias) is lang
            assert langdata.canonical(alias.upper()) == lang.code
    assert langdata.language("zz") is None and langdata.canonical("") is None
    assert langdata.canonical(XX) is None  # xx is not a language of text: all cues run
    assert langdata.cue_languages(None) is None and langdata.cue_languages("zz") is None


def test_norwegian_is_one_file_with_bokmal_and_nynorsk() -> None:
    if "no" not in langdata.languages():
        pytest.skip("no.yaml not written yet (h-langdata)")
    no = langdata.language("no")
    assert no is not None and {"nb", "nn"} <= set(no.aliases)
    assert langdata.language("nb") is no and langdata.language("nn") is no
    assert set(langdata.lingua_names()) >= {"BOKMAL", "NYNORSK"}


def test_lingua_names_are_lingua_members() -> None:
    from lingua import Language

    for name, code in langdata.lingua_names().items():
        assert hasattr(Language, name), f"{code}.yaml: lingua: {name}"


def test_derived_views() -> None:
    codes = set(langdata.languages())
    assert set(langdata.country_patterns()) <= set(langdata.country_codes())
    assert set(langdata.stopwords()) <= codes
    words, of = langdata.page_words()
    assert words and of and all(w == w.lower() for w in words)
    for code in SPOKEN:
        rules = langdata.segmentation(code)
        common = langdata.languages()[XX].segmentation.abbreviations
        assert set(common) <= set(rules.abbreviations)
        assert langdata.spacy_code(code)
    for label in LABELS:
        assert set(langdata.label_cues(label)) >= set(SPOKEN)
    for dtype in DRIVER_TYPES:
        assert set(langdata.driver_type_cues(dtype)) >= set(SPOKEN)


def test_languages_load_once() -> None:
    assert langdata.languages() is langdata.languages()


# ------------------------------------------------------------------ validation errors

_MINIMAL = minimal_language()


def _write(tmp_path: Path, data: dict, name: str = "qq") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _broken(**change: object) -> dict:
    data = json.loads(json.dumps(_MINIMAL))
    for key, value in change.items():
        node = data
        *parents, last = key.split("__")
        for p in parents:
            node = node.setdefault(p, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return data


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    lang = load_file(_write(tmp_path, _MINIMAL))
    assert lang.code == "qq" and lang.levels is None and lang.cues["nqf"]["c"] == r"\bword\b"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "blue"}, r"qq\.yaml: \(top level\): unknown key\(s\) colour"),
        ({"segmentation__abbrevs": ["z."]}, r"qq\.yaml: segmentation: unknown key\(s\) abbrevs"),
        ({"cues__nqf__c": r"\bunclosed(\w+"}, r"qq\.yaml: cues\.nqf\.c: bad regex"),
        ({"cues__nqf__c": r"\w*"}, r"qq\.yaml: cues\.nqf\.c: regex .* matches the empty string"),
        ({"cues__novelty": {"c": "x"}}, r"qq\.yaml: cues: novelty: not a label of the codebook"),
        ({"driver_types__weather": {"c": "x"}}, r"qq\.yaml: driver_types: weather: not a driver type"),
        ({"cues__driver": None}, r"qq\.yaml: cues\.driver: required"),
        ({"driver_types__crisis": None}, r"qq\.yaml: driver_types\.crisis: required"),
        ({"driver_context": None}, r"qq\.yaml: driver_context: required"),
        ({"name": None}, r"qq\.yaml: name: required"),
        ({"lingua": None}, r"qq\.yaml: lingua: required"),
        ({"lingua": ["english"]}, r"qq\.yaml: lingua: 'english' is not a lingua\.Language member"),
        ({"code": "qx"}, r"qq\.yaml: code: 'qx' does not match the file name 'qq'"),
        ({"country_names": {"ZZ": ["x"]}}, r"qq\.yaml: country_names\.ZZ: country 'ZZ' is not in countries\.yaml"),
        ({"countries": ["ZZ"]}, r"qq\.yaml: countries: country 'ZZ'"),
        ({"hyphenation__compounding": "yes"}, r"qq\.yaml: hyphenation\.compounding: expected true or false"),
        ({"cues__nqf": {"Bad-Name": "x"}}, r"qq\.yaml: cues\.nqf\.Bad-Name: cue names"),
        ({"levels__numbers": {"one": ["x"]}}, r"qq\.yaml: levels\.numbers\.one: expected a level number"),
        ({"levels__frameworks": [{"acronym": "QQF", "country": "DE"}]}, r"qq\.yaml: levels\.frameworks\[0\]\.patterns: required"),
        ({"levels__eqf": ["(unclosed"]}, r"qq\.yaml: levels\.eqf: bad regex"),
        ({"stopwords": ["ja", False]}, r"qq\.yaml: stopwords: an unquoted no/yes"),
        ({"country_names": {False: ["x"]}}, r"qq\.yaml: country_names: the key False .* quote it"),
        ({"facets__colours": {"red": {"c": "x"}}}, r"qq\.yaml: facets: colours: not a facet of the codebook"),
        ({"facets__actors__robots": {"c": "x"}}, r"qq\.yaml: facets\.actors: robots: not a actors value of the codebook"),
        ({"facets__sectors__ict": {"c": "(unclosed"}}, r"qq\.yaml: facets\.sectors\.ict\.c: bad regex"),
        ({"facets__workload_units__minutes": ["min"]}, r"qq\.yaml: facets\.workload_units: unknown key\(s\) minutes"),
        ({"facets__workload_units__hours": "(unclosed"}, r"qq\.yaml: facets\.workload_units\.hours: bad regex"),
        ({"facets__roles__sells": {"c": "x"}}, r"qq\.yaml: facets\.roles: sells: not a actor role of the codebook"),
    ],
)
def test_validation_errors_name_the_file_and_key(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(LanguageDataError, match=message):
        load_file(_write(tmp_path, _broken(**change)))


def test_levels_section_loads_into_its_record(tmp_path: Path) -> None:
    data = _broken(levels={
        "level_words": [r"level\w*"], "numbers": {1: ["one", "first"]}, "range_separators": ["to"],
        "list_separators": ["and", ","], "eqf": [r"\bEQF\b"], "national_phrases": [r"national\s+framework"],
        "frameworks": [{"acronym": "DQR", "country": "DE", "patterns": [r"\bDQR\b"]}], "not_levels": [r"floor\w*"],
    })  # fmt: skip
    levels = load_file(_write(tmp_path, data)).levels
    assert levels is not None and levels.numbers[1] == ("one", "first")
    assert levels.frameworks[0].acronym == "DQR" and levels.frameworks[0].patterns == (r"\bDQR\b",)


def test_duplicate_aliases_and_missing_xx(tmp_path: Path) -> None:
    with pytest.raises(LanguageDataError, match="xx.yaml"):
        load_directory(tmp_path)
    shutil.copy(langdata.LANGUAGES_DIR / "xx.yaml", tmp_path / "xx.yaml")
    _write(tmp_path, _broken(aliases=["qz"]))
    _write(tmp_path, _broken(code="qy", aliases=["qz"]), name="qy")
    with pytest.raises(LanguageDataError, match=r"aliases: 'qz' is already"):
        load_directory(tmp_path)
    _write(tmp_path, _broken(code="qy", aliases=["qq"]), name="qy")
    with pytest.raises(LanguageDataError, match=r"qy\.yaml: aliases: 'qq' is already"):
        load_directory(tmp_path)


def test_yaml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "qq.yaml"
    path.write_text("code: qq\ncues: [unclosed\n", encoding="utf-8")
    with pytest.raises(LanguageDataError, match=r"qq\.yaml: \(file\): not valid YAML"):
        load_file(path)


# ------------------------------------------------------------------ per-language cases


@pytest.mark.parametrize(("code", "i"), _ids("labels"), ids=lambda v: str(v))
def test_labels(code: str, i: int) -> None:
    case = _cases(code)["labels"][i]
    res = apply_rules(case["text"], code, case.get("country"))
    assert sorted(res.labels) == sorted(case["labels"]), f"{code}: {case['text']} -> {[c.cue for c in res.cues]}"
    assert {c.cue.split(":", 1)[0] for c in res.cues} <= {code, XX, "type", "level"}


def _parity() -> list[dict]:
    return yaml.safe_load(PARITY_FILE.read_text(encoding="utf-8"))["cases"]


def _english_labels() -> dict[str, list[str]]:
    return {case["text"]: case["labels"] for case in _cases("en")["labels"]}


def _parity_ids() -> list[tuple[str, int, int]]:
    return [(code, i, j) for i, case in enumerate(_parity()) for code in PARITY_LANGUAGES for j, _ in enumerate(case.get(code, []))]


def test_parity_cases_are_english_cases_in_every_language() -> None:
    """Each parity case names an English case of en.yaml (its labels) and translates it into every language."""
    english = _english_labels()
    for case in _parity():
        assert set(case) <= {"en", "pending", *PARITY_LANGUAGES}, f"parity.yaml: unknown keys in {case['en']}"
        assert set(case.get("pending", {})) <= set(PARITY_LANGUAGES)
        assert case["en"] in english, f"parity.yaml: not an en.yaml labels case: {case['en']}"
        assert english[case["en"]], f"parity.yaml: a negative case: {case['en']}"
        for code in PARITY_LANGUAGES:
            assert case.get(code) and all(isinstance(t, str) for t in case[code]), f"parity.yaml: no {code} for {case['en']}"


@pytest.mark.parametrize(("code", "i", "j"), _parity_ids(), ids=lambda v: str(v))
def test_parity(code: str, i: int, j: int) -> None:
    """A translation of an English case gets exactly the English case's labels (less its pending ones,
    which must still be missing: a pending label that comes out is stale)."""
    case = _parity()[i]
    text, pending = case[code][j], set(case.get("pending", {}).get(code, []))
    want = set(_english_labels()[case["en"]]) - pending
    res = apply_rules(text, code)
    assert set(res.labels) == want, f"{code}: {text} (en: {case['en']}) -> {[c.cue for c in res.cues]}"


@pytest.mark.parametrize(("code", "i"), _ids("countries"), ids=lambda v: str(v))
def test_countries(code: str, i: int) -> None:
    case = _cases(code)["countries"][i]
    assert find_countries(case["text"]) == sorted(case["expected"]), f"{code}: {case['text']}"


@pytest.mark.parametrize(("code", "i"), _ids("no_split"), ids=lambda v: str(v))
def test_no_split(code: str, i: int) -> None:
    text = _cases(code)["no_split"][i]
    spans = split_sentences(text, code)
    assert len(spans) == 1, f"{code}: split into {[text[s:e] for s, e in spans]}"


@pytest.mark.parametrize(("code", "i"), _ids("dehyphenation"), ids=lambda v: str(v))
def test_dehyphenation(code: str, i: int) -> None:
    case = _cases(code)["dehyphenation"][i]
    text, _ = join_lines(case["raw"].split("\n"), set(), code)
    assert text == case["clean"], f"{code}: {case['raw']!r}"


@pytest.mark.parametrize(("code", "i"), _ids("levels"), ids=lambda v: str(v))
def test_levels(code: str, i: int) -> None:
    from mctext.classify.levels import extract_nqf_levels

    case = _cases(code)["levels"][i]
    found = {(lv.framework, lv.level) for lv in extract_nqf_levels(case["text"], code, case.get("country", ""))}
    assert found == {(fw, n) for fw, n in case["expected"]}, f"{code}: {case['text']!r}"


@pytest.mark.parametrize(("code", "i"), _ids("facets"), ids=lambda v: str(v))
def test_facets(code: str, i: int) -> None:
    """Each facet a case names comes out exactly (workload as [value, unit], roles as [actor, role])."""
    from mctext.classify.facets import facets_of_text

    case = _cases(code)["facets"][i]
    res = facets_of_text(case["text"], code, case.get("doc_country", ""))
    got: dict[str, list] = {facet: list(values) for facet, values in res.facets.items()}
    got["workload"] = [[w.value, w.unit] for w in res.workload]
    got["roles"] = [[r.actor, r.role] for r in res.actor_roles]
    for facet, expected in case["expected"].items():
        want = sorted([float(v[0]), v[1]] if facet == "workload" else list(v) if facet == "roles" else v for v in expected)
        assert sorted(got.get(facet, [])) == want, f"{code}: {case['text']} -> {facet} {got.get(facet, [])}"
    assert {c.cue.split(":", 1)[0] for c in res.cues if ":" in c.cue} <= {code, XX}


def test_facet_languages_cover_every_facet() -> None:
    from mctext.codebook import FACETS, actor_roles, workload_units

    for code in FACET_LANGUAGES:
        lang = langdata.language(code)
        assert lang is not None and set(lang.facets.values) == set(FACETS), f"{code}: facets"
        assert "hours" in lang.facets.workload_units, f"{code}: facets.workload_units.hours"
        assert set(lang.facets.roles) == set(actor_roles()), f"{code}: roles"
        assert set(lang.facets.workload_units) <= set(workload_units())
        cases = _cases(code).get("facets", [])
        assert any(not any(case["expected"].values()) for case in cases), f"{code}: no negative facet case"
        named = {facet for case in cases for facet, v in case["expected"].items() if v}
        assert {"mc_elements", "workload", "actors", "sectors", "international"} <= named, f"{code}: facet cases"


# ------------------------------------------------------------------ cues in their language


def _example_sentences() -> list[tuple[str, str]]:
    """(lang, text) of every language's test sentences and of annotations/examples.

    Translations of real segments (``translation: true``) are left out: a faithful
    translation keeps proper names and loanwords of its source ("Open Badges").
    """
    out = [(code, case["text"]) for code in SPOKEN for case in _cases(code).get("labels", [])]
    for path in sorted(EXAMPLES_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found = langdata.canonical(row.get("lang"))
                if found and not row.get("translation"):
                    out.append((found, row["text"]))
    return out


def _raw_cues() -> list[tuple[str, str, re.Pattern[str]]]:
    """(lang, "kind.name", branch) for every cue branch of every language but xx."""
    out = []
    for lang in langdata.spoken():
        tables = {f"cues.{k}": v for k, v in lang.cues.items()}
        tables.update({f"driver_types.{k}": v for k, v in lang.driver_types.items()})
        tables["driver_context"] = lang.driver_context
        for kind, cues in tables.items():
            for name, pattern in cues.items():
                for branch in split_alternatives(pattern):
                    out.append((lang.code, f"{kind}.{name}", re.compile(branch, re.IGNORECASE)))
    return out


def test_no_cue_fires_on_another_languages_sentences() -> None:
    """Run every language's cues (raw patterns, ungated) on the other languages' example
    sentences: a hit means the cue is either too loose or language-independent (then xx)."""
    sentences = _example_sentences()
    assert len(sentences) > 100
    hits = []
    for code, kind, regex in _raw_cues():
        for lang, text in sentences:
            if lang != code and (m := regex.search(text)):
                hits.append(f"{code}.yaml {kind} /{regex.pattern}/ matched {m.group(0)!r} in {lang}: {text[:80]}")
    assert not hits, f"{len(hits)} cross-language hit(s):\n" + "\n".join(hits[:40])


def test_gating_follows_the_segment_language() -> None:
    """Issue 10's cases: a cue of one language does not fire on text in another."""
    stats = "Table A 1 Descriptive statistics (mean and standard error) by country"
    assert "quality_trust" not in apply_rules(stats, "en").labels
    assert not any(c.cue.startswith("fr:") for c in apply_rules("Learners earn credit for the course.", "en").cues)
    assert "quality_trust" not in apply_rules("HAVE ADOPTED THIS REGULATION:", "en").labels
    # the same German sentence: German cues fire on German text and on text of unknown language
    de = "Die Hochschule vergibt Mikrozertifikate."
    assert "microcredential" in apply_rules(de, "de").labels
    assert "microcredential" in apply_rules(de, None).labels and "microcredential" in apply_rules(de, "").labels
    assert "microcredential" not in apply_rules(de, "fi").labels
    # xx cues fire in every language
    assert "stackability" in apply_rules("Kurssi on 5 ECTS.", "fi").labels


# ------------------------------------------------------------------ a document per language


def _document(code: str) -> str:
    """A short document: the language's positive label sentences, two to a paragraph."""
    texts = [case["text"] for case in _cases(code).get("labels", []) if case["labels"]]
    return "\n\n".join(" ".join(texts[i : i + 2]) for i in range(0, len(texts), 2)) + "\n"


@pytest.mark.slow
def test_round_trip_of_a_document_in_every_language(tmp_path: Path) -> None:
    import pandas as pd

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = []
    for code in SPOKEN:
        name = f"{code}_document.txt"
        (corpus / name).write_text(_document(code), encoding="utf-8")
        country = langdata.languages()[code].countries[0] if langdata.languages()[code].countries else "XX"
        rows.append({"file": name, "title": f"Test {code}", "country": country, "language": code,
                     "year": "2024", "doc_type": "study"})  # fmt: skip
    with (corpus / "MANIFEST.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out), "--workers", "1", "--quiet", "--no-human"])
    assert res.exit_code == 0, res.output[-2000:]
    docs = pd.read_parquet(out / "documents.parquet")
    assert set(docs["status"]) == {"ok"} and sorted(docs["language"]) == sorted(SPOKEN)
    segs = pd.read_parquet(out / "segments.parquet").merge(docs[["doc_id", "language"]], on="doc_id")
    assert (segs["lang"] == segs["language"]).all()
    for code, group in segs.groupby("language"):
        rows = [json.loads(cues) if isinstance(cues, str) else list(cues) for cues in group["cues"]]
        cue_langs = {c["cue"].split(":", 1)[0] for cues in rows for c in cues if ":" in c["cue"]}
        cue_langs -= {"type", "level"}
        assert code in cue_langs and cue_langs <= {code, XX}, (code, cue_langs)


# ------------------------------------------------------------------ no word lists in code

SRC = Path(__file__).resolve().parent.parent / "src" / "mctext"
MAX_STRINGS = 8  # a literal collection with more string entries than this is suspect
# Files not scanned: none (classify/levels.py reads the languages' `levels:` sections).
NOT_SCANNED: set[str] = set()
# What the scan finds that is not language data, and why (file:name of the enclosing
# assignment, function or class).
NOT_LANGUAGE_DATA = {
    "annotate/__init__.py:__all__": "the package's export names",
    "annotate/__init__.py:_record": "annotation record field names",
    "annotate/formats.py:data": "Label Studio task field names",
    "annotate/formats.py:CSV_INFO_COLUMNS": "annotation CSV column names",
    "annotate/formats.py:write_tasks": "annotation task field names",
    "annotate/select.py:segment_rows": "segment field names",
    "annotate/store.py:training_records": "training record field names",
    "api.py:_EXPORTS": "the public API's names",
    "cache.py:_ENGINES": "Python package names whose versions key the cache",
    "classify/__init__.py:cols": "output column names",
    "classify/train.py:card": "model card field names",
    "classify/train.py:model_card_markdown": "the model card's English prose and table lines",
    "evidence.py:build_tables": "segments and evidence column names",
    "evidence.py:country_mentions": "country_mentions column names",
    "facet_tables.py:columns": "segments column names",
    "facet_tables.py:mc_profiles": "mc_profiles column names",
    "extract/html.py:_DROP_TAGS": "HTML tag names (markup, not language)",
    "extract/html.py:_BLOCKS": "HTML tag names (markup, not language)",
    "extract/html.py:_BOILERPLATE": "CSS class/id words of web-page chrome (markup conventions)",
    "extract/sniff.py:_EXTENSIONS": "file extensions",
    "extract/text.py:LEGACY_ENCODINGS": "codec names",
    "query.py:READ_PRAGMAS": "DuckDB pragma names",
    "report/report.py:parts": "HTML template placeholders",
    "schemas.py:*": "table column names (schemas.py is their one place)",
    "segment.py:_FORM_HINTS": "form-field blanks and check-box characters, not words",
    "segment.py:_DIAGRAM_START": "diagram-language keywords (Mermaid, Graphviz): code, not a natural language",
}


def _word_alternatives(pattern: str) -> int:
    """How many branches of a regex are plain words ("niveau", "taso\\w*", "Artikel")."""
    n = 0
    for branch in pattern.split("|"):
        bare = re.sub(r"\\[bswdWSB]\*?|\(\?[:!=<]+|[()?*+\[\]^$]|\\.", "", branch).strip()
        n += len(bare) >= 2 and re.fullmatch(r"[^\W\d_]+(?:\s[^\W\d_]+)*", bare) is not None
    return n


def _literal_word_lists(path: Path) -> list[tuple[str, int, str]]:
    """(enclosing name, line, what) of every suspect literal in one module."""
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, name: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = node.name
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                name = target.id
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            strings = [e for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(strings) > MAX_STRINGS:
                found.append((name, node.lineno, f"{type(node).__name__.lower()} of {len(strings)} strings"))
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if len(keys) > MAX_STRINGS:
                found.append((name, node.lineno, f"dict of {len(keys)} string keys"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _word_alternatives(node.value) > MAX_STRINGS:
            found.append((name, node.lineno, f"regex of {_word_alternatives(node.value)} word alternatives"))
        for child in ast.iter_child_nodes(node):
            visit(child, name)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def test_no_word_list_in_python_modules() -> None:
    """Per-language words live in data/languages/*.yaml, not in literals of src/."""
    suspects = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in NOT_SCANNED or rel == "lang.py":
            continue
        for name, line, what in _literal_word_lists(path):
            if f"{rel}:{name}" not in NOT_LANGUAGE_DATA and f"{rel}:*" not in NOT_LANGUAGE_DATA:
                suspects.append(f"src/mctext/{rel}:{line} ({name}): {what}")
    assert not suspects, "word lists in code (move them to data/languages/, or say why they are not language data):\n" + "\n".join(suspects)


def test_the_scan_finds_a_word_list(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text('LEVEL = r"(?:level|niveau|nivel|nivå|taso|poziom|raven|szint|úroveň|lygmuo)"\n'
                    'MONTHS = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september"]\n',
                    encoding="utf-8")  # fmt: skip
    assert [(name, what.split()[0]) for name, _, what in _literal_word_lists(path)] == [("LEVEL", "regex"), ("MONTHS", "list")]


def test_every_exemption_is_still_needed() -> None:
    used = {f"{p.relative_to(SRC).as_posix()}:{name}" for p in SRC.rglob("*.py") for name, _, _ in _literal_word_lists(p)}
    stale = [key for key in NOT_LANGUAGE_DATA if not key.endswith(":*") and key not in used]
    assert not stale, f"remove from NOT_LANGUAGE_DATA: {stale}"


@pytest.mark.slow
def test_norwegian_documents_are_detected_as_norwegian(original_dir: Path) -> None:
    """Bokmål and Nynorsk documents come out as "no" (lingua's BOKMAL/NYNORSK), not Danish."""
    from mctext.corpus import detect_language
    from mctext.extract import extract_bytes

    if "no" not in langdata.languages():
        pytest.skip("no.yaml not written yet (h-langdata)")
    paths = sorted(original_dir.glob("NO_*"))
    assert paths
    for path in paths:
        doc = extract_bytes(path.read_bytes(), path)
        text = " ".join(page.text for page in doc.pages)
        assert langdata.canonical(detect_language(text)) == "no", path.name
