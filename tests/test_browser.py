"""The built book in a real browser, with no network.

Debian's Chromium, driven by Playwright, opens every page of the built book from
disk, as a reader with a downloaded copy would, while every http(s) request is
refused and recorded. Each page is visited once (a few at a time, in one
browser), and the tests read what the visits saw: the network requests, console
errors, equations, images, links, launch buttons, solution dropdowns, the layout
at a phone's width, and an axe-core accessibility scan.

The visits also cover a fixture page of our own (`fixtures/browser_page.md`,
built with the book's configuration) that has every kind of content a chapter
has, whatever the chapters' progress: math of each kind, a figure with alt text,
a wide table and equation, an exercise with its solution. And a page broken on
purpose shows that each check can fail.

Screenshots of each chapter, at a desktop's and at a phone's width, are saved
beside the built book; the test run prints their folder.
"""

import asyncio
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from axe_playwright_python.async_playwright import Axe
from bs4 import BeautifulSoup
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

from booktools import BOOK_ROOT, Build, build_book, copy_book_settings

pytestmark = [pytest.mark.build, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
# Headless, and nothing that would reach out on the browser's own account.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
PAGES_AT_ONCE = 2
SERIOUS = {"serious", "critical"}
FIXTURE_PAGE = Path(__file__).parent / "fixtures" / "browser_page.md"
CHAPTERS = sorted(p.stem for p in (BOOK_ROOT / "chapters").glob("*.md"))

# Each evaluated in the page. MathJax typesets once its startup promise settles.
TYPESET_MATH = """async () => {
    if (window.MathJax?.startup?.promise) await MathJax.startup.promise;
    return {
        math: document.querySelectorAll("span.math, div.math").length,
        typeset: document.querySelectorAll(":is(span, div).math > mjx-container").length,
        errors: Array.from(document.querySelectorAll("mjx-merror"),
                           e => e.getAttribute("data-mjx-error") || e.textContent),
    };
}"""
LOAD_IMAGES = """async () => {
    const images = Array.from(document.images);
    images.forEach(image => { image.loading = "eager"; });
    await Promise.all(images.map(image => image.decode().catch(() => null)));
    return {
        count: images.length,
        broken: images.filter(image => !(image.complete && image.naturalWidth > 0))
                      .map(image => image.getAttribute("src")),
    };
}"""
# A widget's view or state in a page needs ipywidgets' JavaScript from a CDN:
# offline it renders as nothing, or as its text fallback.
DEAD_WIDGETS = """() => [
    ...Array.from(document.querySelectorAll('script[type^="application/vnd.jupyter.widget"]'),
                  s => s.type),
    ...Array.from(document.querySelectorAll(".cell_output"), o => o.innerText)
        .filter(text => /\\w\\(children=|Slider\\(/.test(text)),
]"""
# If the page scrolls sideways: by how much, and what sticks out (elements past
# the right edge that no scrolling box of theirs clips).
SIDEWAYS_OVERFLOW = """() => {
    const root = document.scrollingElement, width = root.clientWidth;
    if (root.scrollWidth <= width) return [];
    const clipped = e => {
        for (let box = e.parentElement; box; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (style.position === "fixed") return true;
            if (style.overflowX !== "visible" && box.getBoundingClientRect().right <= width) return true;
        }
        return false;
    };
    return [`the page is ${root.scrollWidth}px wide in a ${width}px window`,
            ...Array.from(document.body.querySelectorAll("*"))
                .filter(e => e.getBoundingClientRect().right > width + 1 && !clipped(e))
                .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}`)];
}"""
# A dropdown's content counts as shown when it takes room and can be seen.
SHOWN = """body => {
    const style = getComputedStyle(body);
    return body.getBoundingClientRect().height > 0 && style.visibility !== "hidden"
        && style.opacity !== "0";
}"""


@dataclass
class Visit:
    """What one page showed a reader without network."""

    path: Path
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    launch_links: list[str] = field(default_factory=list)
    repository_links: list[str] = field(default_factory=list)
    launch_menu_opens: bool = False
    dead_widgets: list[str] = field(default_factory=list)
    # (id, shown before a click on its title, shown after)
    solutions: list[tuple[str, bool, bool]] = field(default_factory=list)
    phone_overflow: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)


async def visit(context, path: Path, screenshots: Path | None) -> Visit:
    seen = Visit(path)
    page = await context.new_page()

    def record_error(message):
        if message.type == "error":
            seen.console_errors.append(message.text)

    page.on("console", record_error)
    page.on("pageerror", lambda error: seen.console_errors.append(str(error)))

    async def refuse_network(route):
        if route.request.url.startswith("file:"):
            await route.continue_()
        else:
            seen.blocked.append(route.request.url)
            await route.abort()

    await page.route("**/*", refuse_network)
    await page.goto(path.as_uri(), wait_until="load")
    seen.math = await page.evaluate(TYPESET_MATH)
    seen.images = await page.evaluate(LOAD_IMAGES)
    seen.links = await page.evaluate("() => Array.from(document.links, a => a.href)")
    seen.dead_widgets = await page.evaluate(DEAD_WIDGETS)
    # (No `preload`: axe would fetch the stylesheets, which a file:// page may not.)
    results = await Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    seen.accessibility = [
        f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"] if v["impact"] in SERIOUS]
    if screenshots:
        # The first screenful: Chromium repeats tiles in a full-page capture of a
        # page taller than its texture limit (16,384 px), as every chapter is.
        await page.screenshot(path=screenshots / f"{path.stem}.png")

    seen.repository_links = await page.locator(
        "a.btn-source-repository-button, a.btn-source-issues-button").evaluate_all(
        "links => links.map(a => a.href)")
    launch = page.locator(".dropdown-launch-buttons")
    if await launch.count():
        seen.launch_links = await launch.locator("a").evaluate_all("links => links.map(a => a.href)")
        await launch.locator("button").click()
        seen.launch_menu_opens = await shown_soon(page, await launch.locator("a").first.element_handle())
        await page.keyboard.press("Escape")

    solutions = page.locator(".solution")
    for i in range(await solutions.count()):
        solution = solutions.nth(i)
        body = await solution.locator(":scope > :not(.admonition-title)").first.element_handle()
        before = await body.evaluate(SHOWN)
        await solution.locator(".admonition-title").click()
        seen.solutions.append((await solution.get_attribute("id"), before, await shown_soon(page, body)))

    await page.set_viewport_size(PHONE)
    seen.phone_overflow = await page.evaluate(SIDEWAYS_OVERFLOW)
    if screenshots:
        await page.evaluate("window.scrollTo(0, 0)")
        await page.screenshot(path=screenshots / f"{path.stem}-phone.png")
    await page.close()
    return seen


async def shown_soon(page, body) -> bool:
    """Whether `body` is shown within ten seconds (dropdowns animate; CI may be busy)."""
    try:
        await page.wait_for_function(SHOWN, arg=body, timeout=10_000)
        return True
    except PlaywrightTimeout:
        return False


async def visit_all(pages: list[Path], screenshots: dict[Path, Path]) -> dict[Path, Visit]:
    """Visit `pages`, a few at a time in one browser; screenshot some into folders."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # A fresh profile, as a first-time reader has.
        context = await browser.new_context(viewport=DESKTOP)
        at_once = asyncio.Semaphore(PAGES_AT_ONCE)

        async def one(path: Path) -> Visit:
            async with at_once:
                return await visit(context, path, screenshots.get(path))

        visits = await asyncio.gather(*map(one, pages))
        await browser.close()
    return dict(zip(pages, visits))


def pages_of(html: Path) -> list[Path]:
    """Every page of a built book but `index.html`, which only redirects."""
    return sorted(path for path in html.rglob("*.html")
                  if not {"_static", "_sources"} & set(path.relative_to(html).parts)
                  and path != html / "index.html")


@pytest.fixture(scope="module")
def fixture_book(tmp_path_factory) -> Build:
    """`fixtures/browser_page.md` as the only page of a book with the real configuration."""
    source = tmp_path_factory.mktemp("browser") / "book"
    copy_book_settings(source)
    shutil.copy(FIXTURE_PAGE, source)
    (source / "_toc.yml").write_text(f"format: jb-book\nroot: {FIXTURE_PAGE.stem}\n")
    build = build_book(source, source.parent / "out")
    assert build.returncode == 0, build.log[-5000:]
    return build


@pytest.fixture(scope="module")
def broken_page(book, tmp_path_factory) -> Path:
    """A page with one of each fault the checks look for, using the book's MathJax."""
    page = tmp_path_factory.mktemp("broken") / "broken.html"
    mathjax = (book.html / "_static" / "mathjax" / "tex-chtml.js").as_uri()
    page.write_text(f"""<!DOCTYPE html><html lang="en"><head><title>Broken</title>
        <script defer src="{mathjax}"></script>
        <script defer src="https://example.invalid/tracker.js"></script></head>
        <body><main>
        <p><span class="math">\\(x^2\\)</span>, <span class="math">\\(x^^2\\)</span>
           and <span class="math">\\(x^{{2\\)</span></p>
        <img src="missing.png">
        <a href="nowhere.html">a dead link</a> <a href="#nothing-here">a dead anchor</a>
        <div style="width: 1000px">too wide for a phone</div>
        <div class="solution dropdown admonition" id="open-solution">
          <p class="admonition-title">Solution</p><p>Shown before any click.</p></div>
        <script>console.error("an error of the page's own")</script>
        </main></body></html>""")
    return page


@dataclass(frozen=True)
class Visits:
    book: dict[Path, Visit]
    fixture: Visit
    broken: Visit

    def all_good(self) -> dict[Path, Visit]:
        """Every page that must pass: the book's and the fixture's."""
        return {**self.book, self.fixture.path: self.fixture}


@pytest.fixture(scope="module")
def visits(fixture_book, book, broken_page) -> Visits:
    # Whether the build passed is test_book_build.py's concern; visit what it made.
    shots = book.html.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    fixture = fixture_book.html / f"{FIXTURE_PAGE.stem}.html"
    chapter_pages = [book.html / "chapters" / f"{stem}.html" for stem in CHAPTERS]
    pages = [*pages_of(book.html), fixture, broken_page]
    seen = asyncio.run(visit_all(pages, {path: shots for path in [*chapter_pages, fixture]}))
    return Visits({p: seen[p] for p in pages_of(book.html)}, seen[fixture], seen[broken_page])


def failures(visits: dict[Path, Visit], check) -> dict[str, object]:
    """`check(visit)` for each page where it is not empty, by page name."""
    found = {path.name: check(seen) for path, seen in visits.items()}
    return {name: problem for name, problem in found.items() if problem}


@cache
def ids_in(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(), "html.parser")
    return frozenset(tag["id"] for tag in soup.find_all(id=True))


def dead_links(seen: Visit) -> list[str]:
    """Links to a file of the book that does not exist, or to an id the page lacks."""
    dead = []
    for href in seen.links:
        url = urlsplit(href)
        if url.scheme != "file":
            continue  # the web: a reader offline cannot follow it anyway
        target = Path(unquote(url.path))
        if not target.is_file():
            dead.append(href)
        elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in ids_in(target):
            dead.append(href)
    return dead


def math_problems(seen: Visit) -> list[str]:
    math = seen.math
    untypeset = [f"{math['typeset']} of {math['math']} equations typeset"]
    return (untypeset if math["typeset"] != math["math"] else []) + math["errors"]


def binder_link(stem: str) -> str:
    """The launch URL of a chapter, for the repository named in `_config.yml`."""
    repository = yaml.safe_load((BOOK_ROOT / "_config.yml").read_text())["repository"]
    org_repo = urlsplit(repository["url"]).path.strip("/")
    return f"https://mybinder.org/v2/gh/{org_repo}/{repository['branch']}?urlpath=lab/tree/chapters/{stem}.md"


def test_every_page_is_visited(visits, book):
    names = {path.relative_to(book.html).as_posix() for path in visits.book}
    assert {f"chapters/{stem}.html" for stem in CHAPTERS} | {"intro.html", "references.html",
                                                            "genindex.html", "search.html"} <= names


def test_front_page_redirects_to_a_page(book):
    refresh = BeautifulSoup((book.html / "index.html").read_text(), "html.parser").find(
        "meta", attrs={"http-equiv": "Refresh"})
    assert (book.html / refresh["content"].split("url=")[1]).is_file()


def test_pages_ask_nothing_of_the_network(visits):
    assert failures(visits.all_good(), lambda seen: seen.blocked) == {}


def test_pages_log_no_error(visits):
    assert failures(visits.all_good(), lambda seen: seen.console_errors) == {}


def test_every_equation_is_typeset_without_error(visits):
    assert failures(visits.all_good(), math_problems) == {}
    assert visits.fixture.math["math"] >= 5


def test_every_image_loads(visits):
    assert failures(visits.all_good(), lambda seen: seen.images["broken"]) == {}
    # The fixture's figure, the theme's logos.
    assert visits.fixture.images["count"] >= 2


def test_every_internal_link_and_anchor_resolves(visits):
    assert failures(visits.all_good(), dead_links) == {}


def test_each_chapter_launches_in_binder_and_nothing_else(visits, book):
    for stem in CHAPTERS:
        seen = visits.book[book.html / "chapters" / f"{stem}.html"]
        assert seen.launch_links == [binder_link(stem)], stem
        assert seen.launch_menu_opens, stem
    # No other way to run a page: no Colab, JupyterHub or live-code (thebe) button.
    others = failures(visits.all_good(), lambda seen: [
        link for link in seen.links + seen.launch_links
        if any(word in link for word in ("colab", "hub/user-redirect", "thebe"))])
    assert others == {}


def test_repository_buttons_lead_to_the_repository(visits):
    repository = yaml.safe_load((BOOK_ROOT / "_config.yml").read_text())["repository"]["url"]
    assert failures(visits.all_good(), lambda seen: [
        link for link in seen.repository_links if not link.startswith(repository)]) == {}
    assert all(len(seen.repository_links) == 2 for seen in visits.all_good().values())


def test_search_finds_the_chapters_offline(book):
    # Only results are checked: Sphinx then fetches each result page to show a
    # summary, which a page opened from disk may not do (the console says so), and
    # the results stay listed without their summaries.
    async def search(query: str) -> list[str]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = await browser.new_page()
            await page.goto(f"{(book.html / 'search.html').as_uri()}?q={query}")
            await page.locator("#search-results").get_by_text("Search finished").wait_for()
            found = await page.locator("#search-results li a").evaluate_all(
                "links => links.map(a => a.href)")
            await browser.close()
            return found

    found = {Path(urlsplit(link).path).stem for link in asyncio.run(search("likelihood"))}
    assert set(CHAPTERS) <= found


def test_solutions_are_collapsed_until_clicked(visits):
    assert failures(visits.all_good(), lambda seen: [
        solution for solution in seen.solutions if solution[1:] != (False, True)]) == {}
    assert len(visits.fixture.solutions) == 1
    # Every solution written in the chapters is on their pages, as a dropdown.
    sources = [(BOOK_ROOT / "chapters" / f"{stem}.md").read_text() for stem in CHAPTERS]
    written = sum(text.count("{solution-start}") + text.count("{solution}") for text in sources)
    assert sum(len(seen.solutions) for seen in visits.book.values()) == written


def test_pages_fit_a_phone(visits):
    assert failures(visits.all_good(), lambda seen: seen.phone_overflow) == {}


def test_no_serious_accessibility_problem(visits):
    assert failures(visits.all_good(), lambda seen: seen.accessibility) == {}


def test_no_dead_widget(visits):
    assert failures(visits.all_good(), lambda seen: seen.dead_widgets) == {}


def test_screenshots_of_every_chapter(visits, book, record_property):
    shots = book.html.parent / "screenshots"
    for stem in [*CHAPTERS, FIXTURE_PAGE.stem]:
        for name in (f"{stem}.png", f"{stem}-phone.png"):
            assert (shots / name).stat().st_size > 10_000, name
    # Printed at the end of the run (see conftest.py).
    record_property("screenshots", str(shots))


def test_each_check_can_fail(visits):
    broken = visits.broken
    assert broken.blocked == ["https://example.invalid/tracker.js"]
    assert any("an error of the page's own" in error for error in broken.console_errors)
    # A double exponent is a MathJax error; an unclosed brace is never typeset.
    assert broken.math["math"] == 3 and broken.math["typeset"] == 2
    assert len(broken.math["errors"]) == 1
    assert broken.images["broken"] == ["missing.png"]
    assert {link.rsplit("/", 1)[1] for link in dead_links(broken)} == {
        "nowhere.html", "broken.html#nothing-here"}
    assert broken.solutions == [("open-solution", True, True)]
    assert broken.phone_overflow
    assert any(problem.startswith("image-alt") for problem in broken.accessibility)
