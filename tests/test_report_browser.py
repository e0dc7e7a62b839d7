"""report.html in a real headless browser (Debian chromium driven by Playwright)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from evidence_factory import MOBILITY, XSS, S, make_result, sample_results
from facet_factory import SAMPLE_FACETS, with_facets
from mctext.codebook import LABELS
from mctext.evidence import build_tables
from mctext.report import ReportMeta, render_report, write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_report(browser, path: Path):
    """Load the report, recording console errors, page errors, dialogs and requests."""
    seen: dict[str, list[str]] = {"errors": [], "dialogs": [], "requests": []}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, seen


def test_static_escaping():
    """Without a browser: document text never appears unescaped in the HTML."""
    sneaky = make_result("x.md", "DE", ["</script><img src=x onerror=alert(2)> @@DATA@@ ok."],
                         [S(1, "</script><img src=x onerror=alert(2)> @@DATA@@ ok.",
                            ["microcredential"], ["DE"])], title="<b>Title</b>")
    html = render_report(build_tables(sample_results() + [sneaky]),
                         ReportMeta(corpus="<corpus>", generated="2026-01-01 00:00 UTC"))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>Title</b>" not in html
    assert "@@DATA@@ ok." in html  # a marker inside document text stays text
    assert html.count("</script>") == 2  # the page's own two scripts, nothing from documents
    assert not re.search(r"(src|href)=\"https?:", html)  # nothing fetched at view time


def test_generated_on_comes_from_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    tables = build_tables(sample_results())
    a = render_report(tables, ReportMeta(corpus="c", model_versions=["m1"]))
    b = render_report(build_tables(list(reversed(sample_results()))),
                      ReportMeta(corpus="c", model_versions=["m1"]))
    assert "2026-01-01 00:00 UTC" in a and a == b


@pytest.mark.browser
@needs_chromium
def test_report_in_headless_chromium(browser, tmp_path):
    tables = build_tables(sample_results())
    path = write_report(tables, ReportMeta(corpus="tests/corpus", model_versions=["test-model-1"],
                                           generated="2026-01-01 00:00 UTC"),
                        tmp_path / "report.html")
    page, seen = open_report(browser, path)

    heatmap = page.locator("#heatmap")
    assert heatmap.is_visible()
    countries = list(tables.country_summary["country"])
    assert page.locator("#heatmap tbody tr").count() == len(countries)
    assert page.locator("#heatmap td[data-label]").count() == len(countries) * len(LABELS)
    eu_mc = page.locator('#heatmap td[data-country="EU"][data-label="microcredential"]')
    assert eu_mc.inner_text().startswith("100.0%")
    assert "rgb(8, 48, 107)" in eu_mc.evaluate("td => getComputedStyle(td).backgroundColor")
    assert "Germany (DE)" in page.locator("#heatmap").inner_text()

    card = page.locator("#country-EU")
    assert card.is_visible()
    assert "EQF level 6" in card.inner_text()
    assert XSS in card.inner_text()  # the script tag shows as text ...
    assert seen["dialogs"] == []  # ... and never runs
    assert page.evaluate("document.querySelectorAll('main script').length") == 0
    # The card's charts: EQF 6 filled in the levels grid.
    assert card.locator('.levels i.on[title="EQF 6"]').count() == 1
    # Fact-sheet values show their basis.
    assert "linked: 1 segment in 1 document labelled nqf and microcredential" in card.inner_text()

    # DE: the EU report's sentence about a German employer is seen from elsewhere, apart
    # from DE's own fact sheet and quotes.
    de = page.locator("#country-DE")
    elsewhere = de.locator(".elsewhere")
    assert elsewhere.is_visible() and MOBILITY in elsewhere.inner_text()
    assert MOBILITY not in de.locator(".facts").inner_text()
    assert MOBILITY not in "".join(de.locator(".label-block").all_inner_texts())
    # FI has no document of its own: a card with its mentions only, after the own countries.
    fi = page.locator("#country-FI")
    assert "no documents of its own" in fi.inner_text() and fi.locator(".elsewhere").is_visible()
    assert fi.locator(".facts").count() == 0

    page.select_option("#label-filter", "nqf")
    assert page.locator('#heatmap th[data-label="nqf"]').is_visible()
    assert not page.locator('#heatmap th[data-label="driver"]').is_visible()
    assert not card.locator('.label-block[data-label="microcredential"]').is_visible()
    page.select_option("#label-filter", "")
    page.select_option("#lang-filter", "de")
    assert not card.is_visible() and page.locator("#country-DE").is_visible()
    assert not page.locator("#named-in-passing").is_visible()  # FI and NL have no German
    de_mc = page.locator('#heatmap td[data-country="DE"][data-label="microcredential"]')
    assert de_mc.inner_text().startswith("50.0%")
    page.select_option("#lang-filter", "")
    assert card.is_visible() and page.locator("#named-in-passing").is_visible()

    ids = page.eval_on_selector_all(".card", "cards => cards.map(c => c.id)")
    assert ids == ["country-DE", "country-EU", "country-FR", "country-ES", "country-FI",
                   "country-NL"]
    assert "test-model-1" in page.locator("#methods").inner_text()
    assert "truncated PDF" in page.locator("#failures").inner_text()
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    example_dir = os.environ.get("MCTEXT_EXAMPLE_SCREENSHOT_DIR")
    if example_dir:
        heatmap.screenshot(path=str(Path(example_dir) / "heatmap-test.png"))
    assert seen["errors"] == []
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"]), seen["requests"]
    page.close()


@pytest.mark.browser
@needs_chromium
def test_report_matrix_legend_and_filters_in_the_url(browser, tmp_path):
    """The first screen's matrix, a legend true for the filtered view, filters kept on reload."""
    tables = build_tables(sample_results())
    n = len(tables.documents)
    tables.documents["year"] = [2024 if i % 2 else 2021 for i in range(n)]
    tables.documents["doc_type"] = ["law" if i % 2 else "strategy" for i in range(n)]
    path = write_report(tables, ReportMeta(corpus="c", generated="2026-01-01 00:00 UTC"), tmp_path / "report.html")
    page, seen = open_report(browser, path)
    matrix = page.locator("#matrix")
    assert matrix.is_visible() and page.locator("#matrix tbody tr").count() == len(tables.country_summary)
    eu_row = page.locator("#matrix tbody tr", has_text="European Union (EU)")
    assert "linked" in eu_row.inner_text() and "1 document" in eu_row.inner_text()
    page.locator('#matrix th button[data-col="0"]').click()
    names = page.eval_on_selector_all("#matrix tbody th", "ths => ths.map(t => t.dataset.sort)")
    assert names == sorted(names)
    page.locator('#matrix th button[data-col="0"]').click()
    assert page.eval_on_selector_all("#matrix tbody th", "ths => ths.map(t => t.dataset.sort)") == sorted(names, reverse=True)

    page.select_option("#label-filter", "nqf")
    page.select_option("#lang-filter", "de")
    assert page.evaluate("location.hash") == "#label=nqf&lang=de"
    shown = page.eval_on_selector_all('#heatmap td[data-label="nqf"]', "tds => tds.map(t => t.firstChild.textContent)")
    legend = page.locator("#scale-max").inner_text()
    top = max(float(v.rstrip("%")) for v in shown)
    assert float(legend.rstrip("%")) == pytest.approx(top, abs=0.05)  # the scale of what is shown
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator("#label-filter").input_value() == "nqf"
    assert page.locator("#lang-filter").input_value() == "de"

    # Country, document type and year filters, also in the URL.
    page.select_option("#label-filter", "")
    page.select_option("#lang-filter", "")
    page.select_option("#country-filter", "EU")
    assert page.locator("#country-EU").is_visible() and not page.locator("#country-DE").is_visible()
    assert page.locator("#matrix tbody tr:not(.hidden)").count() == 1
    assert "country=EU" in page.evaluate("location.hash")
    page.select_option("#country-filter", "")
    years = page.eval_on_selector_all("#year-filter option", "os => os.map(o => o.value).filter(v => v)")
    types = page.eval_on_selector_all("#doctype-filter option", "os => os.map(o => o.value).filter(v => v)")
    assert years and types
    page.select_option("#year-filter", years[0])
    shown = page.eval_on_selector_all(".card blockquote[data-year]:not(.hidden)", "qs => qs.map(q => q.dataset.year)")
    assert shown and set(shown) == {years[0]}
    page.select_option("#year-filter", "")

    # A quote's title leads to its segment in the per-document view, opened, with its cue.
    page.select_option("#label-filter", "")
    page.select_option("#lang-filter", "")
    link = page.locator("#country-EU .label-block a.in-context").first
    target = link.get_attribute("href")
    link.click()
    item = page.locator(target)
    assert item.is_visible() and item.evaluate("li => li.closest('details').open")
    assert ":" in item.locator(".cues").inner_text() and "p. " in item.locator(".where").inner_text()
    assert page.locator("#label-filter").input_value() == ""  # following a quote keeps the filters
    assert seen["errors"] == []
    page.close()


def test_profile_blocks_without_facets_say_so():
    """A run whose segments carry no facets: the blocks are there and say nothing was stated."""
    html = render_report(build_tables(sample_results()), ReportMeta(corpus="c", generated="x"))
    assert html.count('<section class="profile"') == 3  # DE, EU, FR: the own-document cards
    assert "none stated" in html and "No country's documents cite another country" in html
    assert 'id="actors-heatmap"' in html and 'id="sectors-heatmap"' in html


@pytest.mark.browser
@needs_chromium
def test_profiles_facet_heatmaps_and_links_graph_in_chromium(browser, tmp_path):
    """Profile blocks, actor and sector heatmaps and the links graph, all from own documents;
    every count leads to the quotes behind it."""
    tables = with_facets(build_tables(sample_results()), SAMPLE_FACETS)
    path = write_report(tables, ReportMeta(corpus="c", generated="2026-01-01 00:00 UTC"), tmp_path / "report.html")
    page, seen = open_report(browser, path)
    countries = list(tables.country_summary["country"])
    for facet in ("actors", "sectors"):
        assert page.locator(f"#{facet}-heatmap tbody tr").count() == len(countries)
    eu_row = page.locator('#actors-heatmap tbody tr[data-country="EU"]')
    cell = eu_row.locator('a[href="#pf-EU-actors-employers"]')
    assert cell.inner_text() == "2"
    assert "rgb(8, 48, 107)" in cell.evaluate("a => getComputedStyle(a.parentElement).backgroundColor")
    de_row = page.locator('#actors-heatmap tbody tr[data-country="DE"]')
    assert de_row.locator("a").all_inner_texts()[1:] == ["1"]  # public authorities only, not EU's employer
    assert page.locator('#sectors-heatmap a[href="#pf-DE-sectors-crafts"]').count() == 0  # a heading's

    # A heatmap cell opens the card's profile value on its quotes.
    cell.click()
    item = page.locator("#pf-EU-actors-employers")
    assert item.evaluate("d => d.open") and item.is_visible()
    assert MOBILITY in item.inner_text() and "values / trusts 2" in item.inner_text()
    assert "2 segments in 1 document" in item.inner_text()

    eu_profile = page.locator("#country-EU .profile")
    assert "3 credits" in eu_profile.inner_text() and "EQF 6" in eu_profile.inner_text()
    assert eu_profile.locator('details[data-facet="mc_elements"] summary').all_inner_texts() == [
        "Workload 1", "Level 1", "Participation form 1", "Quality assurance 1"]
    de_profile = page.locator("#country-DE .profile")
    assert MOBILITY not in de_profile.inner_text()
    assert de_profile.locator('details[data-facet="international"] summary').all_inner_texts() == [
        "EU MC recommendation 1"]  # its own country:DE is no link
    # A quote of a profile value leads to its segment in the per-document view, with its facets.
    page.locator("#pf-EU-mc_elements-workload summary").click()
    page.locator("#pf-EU-mc_elements-workload a.in-context").click()
    seg = page.locator(page.evaluate("location.hash"))
    assert seg.is_visible() and "workload: 3 credits, 30 credits" in seg.locator(".facets").inner_text()

    # The international links: a table per citing country and the graph of countries citing countries.
    links = page.locator("#links-table")
    assert links.locator("tbody tr").count() == 2  # DE and EU cite something, FR nothing
    assert links.locator('tr[data-country="EU"] td').last.locator(".chip").all_inner_texts() == [
        "DE 1", "ES 1"]
    graph = page.locator("#links-graph")
    assert graph.locator("path.edge").count() == 2 and graph.locator(".node").count() == 3
    assert sorted(graph.locator("path.edge title").all_text_contents()) == [
        "EU cites DE: 1 segment in 1 document", "EU cites ES: 1 segment in 1 document"]
    assert graph.locator(".node.cited text").all_text_contents() == ["ES"]  # no documents of its own
    page.locator('#links-graph a[href="#pf-EU-international-country-DE"] path').dispatch_event("click")
    page.wait_for_function("document.getElementById('pf-EU-international-country-DE').open")
    assert MOBILITY in page.locator("#pf-EU-international-country-DE").inner_text()

    # The country filter keeps its rows in the new tables.
    page.select_option("#country-filter", "DE")
    assert not eu_row.is_visible() and de_row.is_visible()
    assert not links.locator('tr[data-country="EU"]').is_visible()
    example_dir = os.environ.get("MCTEXT_EXAMPLE_SCREENSHOT_DIR")
    if example_dir:
        page.select_option("#country-filter", "")
        page.locator("#facets-panel").screenshot(path=str(Path(example_dir) / "facets-test.png"))
    assert seen["errors"] == []
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"]), seen["requests"]
    page.close()
