"""Issue 12: the cache and output fingerprints follow the code the job imports, not a list of names."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from mctext import config
from mctext.cache import _import_nodes, code_fingerprint, module_closure, package_dir


def _key(root: Path) -> str:
    digest = hashlib.sha256()
    code_fingerprint(digest, root, "pkg.pipeline")
    return digest.hexdigest()


def _package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    (root / "extract").mkdir(parents=True)
    (root / "data" / "languages").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "extract" / "__init__.py").write_text("")
    (root / "pipeline.py").write_text("from pkg.extract import pdf\n\ndef job():\n    from . import segment\n")
    (root / "extract" / "pdf.py").write_text("from .. import records\n")
    (root / "records.py").write_text("X = 1\n")
    (root / "segment.py").write_text("Y = 1\n")
    (root / "report.py").write_text("Z = 1\n")  # not on the per-document path
    (root / "data" / "languages" / "en.yaml").write_text("code: en\n")
    return root


def test_a_new_module_on_the_path_changes_the_key(tmp_path: Path) -> None:
    root = _package(tmp_path)
    names = {str(p.relative_to(root)) for p in module_closure(root, "pkg.pipeline")}
    assert names == {"__init__.py", "pipeline.py", "extract/__init__.py", "extract/pdf.py", "records.py", "segment.py"}
    before = _key(root)
    (root / "report.py").write_text("Z = 2\n")
    assert _key(root) == before  # off the path: the cache stays valid
    (root / "extract" / "sniff.py").write_text("def sniff():\n    return 'pdf'\n")
    (root / "records.py").write_text("X = 1\n\ndef f():\n    from pkg.extract.sniff import sniff\n")
    with_import = _key(root)
    assert with_import != before
    (root / "extract" / "sniff.py").write_text("def sniff():\n    return 'docx'\n")
    assert _key(root) != with_import  # the new module's own edit counts, no list edited
    edited = _key(root)
    (root / "data" / "languages" / "sk.yaml").write_text("code: sk\n")
    assert _key(root) != edited  # a new data file too, however deep


def test_the_real_pipeline_closure() -> None:
    names = {str(p.relative_to(package_dir())) for p in module_closure(package_dir(), "mctext.pipeline")}
    for module in ("pipeline.py", "records.py", "segment.py", "lang.py", "lexicon.py", "extract/pdf.py",
                   "extract/ocr.py", "classify/rules.py", "classify/levels.py", "codebook.py", "config.py"):
        assert module in names, module
    assert "report/__init__.py" not in names and "annotate/__init__.py" not in names
    assert any(p.parent.name == "languages" for p in (package_dir() / "data").rglob("*.yaml"))


def test_one_definition_of_the_repeated_facts() -> None:
    from mctext import evidence
    from mctext.annotate import anchor
    from mctext.classify import countries
    from mctext.executors import WorkerSpec

    assert evidence.CONTEXT_CHARS == anchor.CONTEXT_CHARS == config.QUOTE_CONTEXT_CHARS
    assert evidence.NO_COUNTRY is countries.UNKNOWN_COUNTRIES is config.NO_COUNTRY
    assert WorkerSpec.timeout_s == config.RunConfig.timeout_s
    assert WorkerSpec.memory_limit_mb == config.RunConfig.memory_limit_mb


def _walked_imports(tree: ast.AST) -> list[str]:
    """The simple reference: every node of the tree, filtered."""
    return sorted(ast.dump(n) for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)))


def test_import_scan_finds_what_a_full_walk_finds() -> None:
    source = '''
import pkg.a
from . import b
if X:
    from .c import d
elif Y:
    import pkg.e as e
else:
    from pkg import f
try:
    import pkg.g
except ImportError:
    from pkg.h import i
else:
    import pkg.j
finally:
    import pkg.k
class C:
    import pkg.l
    def m(self):
        with open(p) as fh, other():
            for x in y:
                while z:
                    import pkg.n
            else:
                from pkg.o import q
        async def r():
            async with s:
                async for t in u:
                    import pkg.v
        match w:
            case 1:
                import pkg.x
            case _ if cond:
                from .. import yy
def outer():
    def inner():
        lam = lambda: __import__("pkg.not_a_statement")
        import pkg.z
    return [i for i in range(3)]
'''
    tree = ast.parse(source)
    found = sorted(ast.dump(n) for n in _import_nodes(tree))
    assert found == _walked_imports(tree) and len(found) == 16
    for real in package_dir().rglob("*.py"):  # and on every module of the package
        tree = ast.parse(real.read_text(encoding="utf-8"))
        assert sorted(ast.dump(n) for n in _import_nodes(tree)) == _walked_imports(tree), real
