"""Every quote in the report leads to its document (FILE#page=N for PDFs, relative to the report),
and the methods note counts documents left incomplete."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pandas as pd

from mctext.config import DEMO_CORPUS, RunConfig
from mctext.report.report import source_link


def test_source_link_shapes() -> None:
    assert source_link("a b.pdf", 3, "../corpus", "p. 3") == '<a href="../corpus/a%20b.pdf#page=3">p. 3</a>'
    assert source_link("x.html", 1, "../corpus", "x") == '<a href="../corpus/x.html">x</a>'
    assert source_link("x.pdf", 1, "", "x <1>") == "x &lt;1&gt;"  # no place known: text only


def test_report_quotes_link_to_existing_documents_and_pages(tmp_path: Path) -> None:
    from mctext.runner import run

    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO_CORPUS, corpus)
    out = tmp_path / "runs" / "demo"
    run(corpus, out, RunConfig(workers=1), progress=False, annotations_dir=None)
    html = (out / "report.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"#]+\.pdf)#page=(\d+)">', html)
    assert links, "no quote links in the report"
    pages = dict(zip(pd.read_parquet(out / "documents.parquet")["file"],
                     pd.read_parquet(out / "documents.parquet")["pages"], strict=True))
    for href, page in links:
        target = (out / unquote(href)).resolve()
        assert target.is_file(), href
        assert 1 <= int(page) <= pages[target.relative_to(corpus.resolve()).as_posix()]
    assert "0 incomplete" in html
