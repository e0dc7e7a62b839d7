"""A researcher's own cues, without editing the package: ``--lexicon FILE.yaml``.

`mctext cues suggest` proposes terms; accepted ones go into the language data files, or, for a
researcher who cannot edit the package, into a lexicon file passed to `mctext run` and
`mctext classify`. The file has the shape of a language file's ``cues``/``guards`` sections,
keyed by language first:

    lexicon: my-project-terms          # a name, recorded in the cue: "lexicon:<lang>:<cue>"
    cues:
      en:
        microcredential: {skills_pass: '\\bskills?\\s+pass(?:es)?\\b'}
      xx:                                # any language
        microcredential: {euhemc_short: '(?-i:\\bEUHEMC\\b)'}
    guards:
      en:
        nqf: {study_framework: '\\bframework\\s+of\\s+the\\s+study\\b'}

It is validated like the codebook's language data (unknown keys, labels not in the codebook,
languages without a data file, regexes that do not compile are errors naming the file and key),
and its content is part of the cache key of every document it classifies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mctext.errors import MctextError

_KEYS = ("lexicon", "cues", "guards")


class LexiconError(MctextError):
    """A lexicon file that cannot be used: the message names the file and the key."""


@dataclass(frozen=True)
class Lexicon:
    name: str
    text: str  # the file's content (what the cache key hashes)
    cues: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)  # label -> lang -> name -> regex
    guards: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LexiconError(f"{where}: expected a mapping")
    return value


def parse_lexicon(text: str, source: str = "lexicon") -> Lexicon:
    """Validate a lexicon file's text (see the module docstring for its shape)."""
    from mctext import lang as langdata
    from mctext.codebook import LABELS

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{source}: not valid YAML: {exc}") from None
    data = _mapping(data, source)
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise LexiconError(f"{source}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(_KEYS)})")
    name = str(data.get("lexicon") or Path(source).stem)
    sections: dict[str, dict[str, dict[str, dict[str, str]]]] = {"cues": {}, "guards": {}}
    for section in ("cues", "guards"):
        for code, labels in _mapping(data.get(section) or {}, f"{source}: {section}").items():
            if langdata.language(code) is None:
                raise LexiconError(f"{source}: {section}.{code}: no language data file for {code!r} "
                                   f"(known: {', '.join(langdata.languages())})")
            lang = langdata.canonical(code) or code
            for label, cues in _mapping(labels, f"{source}: {section}.{code}").items():
                if label not in LABELS:
                    raise LexiconError(f"{source}: {section}.{code}.{label}: not a codebook label ({', '.join(LABELS)})")
                for cue, pattern in _mapping(cues, f"{source}: {section}.{code}.{label}").items():
                    where = f"{source}: {section}.{code}.{label}.{cue}"
                    if not isinstance(pattern, str) or not pattern.strip():
                        raise LexiconError(f"{where}: expected a regular expression")
                    try:
                        re.compile(pattern, re.IGNORECASE)
                    except re.error as exc:
                        raise LexiconError(f"{where}: bad regular expression: {exc}") from None
                    sections[section].setdefault(label, {}).setdefault(lang, {})[f"lexicon:{cue}"] = pattern
    if not sections["cues"] and not sections["guards"]:
        raise LexiconError(f"{source}: no cues and no guards")
    return Lexicon(name, text, sections["cues"], sections["guards"])


def read_lexicon(path: Path) -> Lexicon:
    path = Path(path)
    if not path.is_file():
        raise LexiconError(f"--lexicon {path}: no such file")
    return parse_lexicon(path.read_text(encoding="utf-8"), str(path))


def use_lexicon(text: str | None, source: str = "lexicon") -> Lexicon | None:
    """Make a lexicon's cues part of every later classification in this process (None: none)."""
    from mctext import lang as langdata

    lexicon = parse_lexicon(text, source) if text else None
    langdata.set_lexicon(lexicon)
    return lexicon


def fingerprint(text: str | None) -> str:
    """What a lexicon adds to the cache key ("" without one)."""
    return "" if not text else "+lexicon:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
