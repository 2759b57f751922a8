"""Every citation in the code, screens and docs resolves inside the repository.

The product gives a source for each rule it follows: a guidance document (`002 §3.3`,
`002 Annex B`, `(000, 003)`, `KCSIE Annex C`) or one of its own docs
(`docs/triage.md#presets`). The guidance texts are not kept in the repository, so
docs/sources.md is where a reader looks a citation up. These tests check that each cited
document has a `## ` entry there and each cited part of 002 a heading of its own, and that
every doc path, link and anchor points to a file and heading that exist. The forms
accepted are those of docs/sources.md#how-citations-are-written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "sources.md"

#: A part of a document: a section (`§3.3`, `§5`, `§3.3 (5)`, `§3.3 (1)–(6)`, `§3.6–§3.7`,
#: `§5.1–5.2`) or an annex (`Annex B`).
_PART = (
    r"(?:§\d+(?:\.\d+)?(?:\s*\(\d+\)(?:\s*[–-]\s*\(\d+\))?)?(?:\s*[–-]\s*§?\d+(?:\.\d+)?)?"
    r"|Annex [A-Z]\b)"
)
#: Space between the parts, which may break the line inside a `#:` comment or a string.
_GAP = r'(?:\s|\n\s*#:?|"\s*\n\s*")+'
#: Number 000–004 (not part of 100,000, a phone number, a version or a path), then parts in a list.
CITATION = re.compile(
    rf"(?<![\w.:/-])(?<!\d[ ,])(?P<doc>00[0-4])(?![\w.:/-]|[\s,]\d)"
    rf"(?P<parts>{_GAP}{_PART}(?:(?:,{_GAP}|{_GAP}and{_GAP}){_PART})*)?"
    r"|\b(?P<named>KCSIE|UKCIS 2020|IRMS)\b(?:\s+(?P<annex>Annex [A-Z])\b)?"
)
_ITEMS = re.compile(r"\s*\(\d+\)(?:\s*[–-]\s*\(\d+\))?")
_TOKEN = re.compile(r"§(\d+(?:\.\d+)?)(?:\s*[–-]\s*§?(\d+(?:\.\d+)?))?|Annex ([A-Z])")
DOC_PATH = re.compile(r"(?<![\w/.-])docs/([\w-]+\.md)(?:#([\w-]+))?")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
EXPLICIT_ID = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']|\{#([\w-]+)\}""")

Section = tuple[int, int]


@dataclass(frozen=True)
class Citation:
    where: str  # "path:line"
    text: str
    doc: str  # "000"…"004", "KCSIE", "UKCIS 2020" or "IRMS"
    parts: tuple[str, ...]  # "§3.3", "§3.7", "Annex B"; a range gives both ends


def section(number: str) -> Section:
    major, _, minor = number.partition(".")
    return int(major), int(minor or 0)


def parts_of(text: str) -> tuple[str, ...]:
    """`§3.6–§3.7, Annex A` → ("§3.6", "§3.7", "Annex A"); `§5` is `§5.0`."""
    found: list[str] = []
    for first, last, annex in _TOKEN.findall(_ITEMS.sub("", text)):
        if annex:
            found.append(f"Annex {annex}")
        for number in (first, last):
            if number:
                found.append("§{}.{}".format(*section(number)))
    return tuple(found)


def find_citations(text: str, name: str = "<text>") -> list[Citation]:
    found = []
    for match in CITATION.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        doc = match["doc"] or match["named"]
        parts = parts_of(match["parts"] or match["annex"] or "")
        found.append(Citation(f"{name}:{line}", " ".join(match[0].split()), doc, parts))
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lowercase, punctuation but `-` gone."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>|\{#[\w-]+\}", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def headings(markdown: str) -> Iterator[tuple[int, str]]:
    """(level, text) of each markdown heading outside fenced code."""
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            yield len(match[1]), match[2]


def anchors(path: Path) -> set[str]:
    """The anchors a page has: heading slugs (repeats get -1, -2…) and explicit ids."""
    markdown = path.read_text(encoding="utf-8")
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _, text in headings(markdown):
        base = slug(text)
        found.add(f"{base}-{seen[base]}" if base in seen else base)
        seen[base] = seen.get(base, 0) + 1
    for ids in EXPLICIT_ID.findall(markdown):
        found.update(filter(None, ids))
    return found


@dataclass
class Entries:
    """What docs/sources.md has an entry for."""

    documents: dict[str, str]  # "002" or "KCSIE" → text of its `## ` entry
    ranges: list[tuple[Section, Section, bool]]  # 002 sections headed, and "(not cited)"
    annexes: set[str]  # "Annex A"… of 002

    @classmethod
    def parse(cls, text: str) -> Entries:
        documents: dict[str, str] = {}
        ranges: list[tuple[Section, Section, bool]] = []
        annexes: set[str] = set()
        for chunk in re.split(r"^(?=## )", text, flags=re.MULTILINE)[1:]:
            documents[chunk.partition("\n")[0][3:].split(" — ")[0].strip()] = chunk
        for level, heading in headings(text):
            if level < 3 or not heading.startswith("002 "):
                continue
            for first, last, annex in _TOKEN.findall(heading):
                if annex:
                    annexes.add(f"Annex {annex}")
                elif first:
                    ranges.append((section(first), section(last or first), "not cited" in heading))
        return cls(documents, ranges, annexes)

    def problems(self, citation: Citation) -> list[str]:
        entry = self.documents.get(citation.doc)
        if entry is None:
            return [f"no `## {citation.doc}` entry"]
        problems = []
        for part in citation.parts:
            if citation.doc != "002":
                if part not in entry:
                    problems.append(f"the {citation.doc} entry does not mention {part}")
            elif part.startswith("Annex"):
                if part not in self.annexes:
                    problems.append(f"no `### 002 {part}` heading")
            else:
                cited = section(part[1:])
                covering = [note for lo, hi, note in self.ranges if lo <= cited <= hi]
                if not covering:
                    problems.append(f"no `### 002 {part}` heading")
                elif all(covering) and not citation.where.startswith("docs/sources.md"):
                    problems.append(f"the 002 {part} heading says it is not cited")
        return problems


def scanned_files() -> list[Path]:
    """Every project file that can hold a citation, tracked or new (this one cites made-up ones)."""
    files = [ROOT / name for name in ("README.md", "Makefile", "pyproject.toml", ".env.example")]
    files += (ROOT / "docs").rglob("*.md")
    files += (ROOT / "templates").rglob("*.html")
    for package in ("incidents", "referrals", "safeguarding", "demo", "tests"):
        files += (ROOT / package).rglob("*.py")
    return sorted(path for path in files if path != Path(__file__).resolve())


def all_citations() -> list[Citation]:
    return [
        citation
        for path in scanned_files()
        for citation in find_citations(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]


def doc_references(path: Path) -> Iterator[tuple[int, Path, str]]:
    """(line, file, anchor) of each `docs/x.md#a` path and, in markdown, each relative link."""
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        for name, anchor in DOC_PATH.findall(line):
            yield number, ROOT / "docs" / name, anchor
        if path.suffix != ".md":
            continue
        for target in MD_LINK.findall(line):
            if not re.match(r"[a-z]+:", target):
                file, _, anchor = target.partition("#")
                yield number, (path.parent / file if file else path), anchor


def test_every_guidance_citation_has_an_entry_in_sources_md() -> None:
    entries = Entries.parse(SOURCES.read_text(encoding="utf-8"))
    unresolved = [
        f"{citation.where}: `{citation.text}`: {problem}"
        for citation in all_citations()
        for problem in entries.problems(citation)
    ]
    assert not unresolved, "Citations docs/sources.md cannot resolve:\n" + "\n".join(unresolved)


def test_every_doc_reference_points_to_a_file_and_heading() -> None:
    broken = []
    for path in scanned_files():
        for line, target, anchor in doc_references(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if not target.exists():
                broken.append(f"{where}: no file {target.relative_to(ROOT)}")
            elif anchor and target.suffix == ".md" and anchor not in anchors(target):
                broken.append(f"{where}: no heading #{anchor} in {target.relative_to(ROOT)}")
    assert not broken, "Doc references that point nowhere:\n" + "\n".join(broken)


def test_the_scanner_finds_the_citations_that_are_there() -> None:
    citations = all_citations()
    assert len(citations) > 50
    assert any(
        c.where.startswith("incidents/triage/") and c.doc == "002" and "§3.3" in c.parts
        for c in citations
    )
    references = [ref for path in scanned_files() for ref in doc_references(path)]
    assert any(anchor == "input-the-facts-json" for _, _, anchor in references)


def test_citation_forms_and_slugs() -> None:
    def cited(text: str) -> list[tuple[str, tuple[str, ...]]]:
        return [(c.doc, c.parts) for c in find_citations(text)]

    assert cited("(002 §3.8, §5.2; 000)") == [("002", ("§3.8", "§5.2")), ("000", ())]
    assert cited("002 §3.3 (5), 003") == [("002", ("§3.3",)), ("003", ())]
    assert cited("002 §3.6–§3.7 and 002 §5.1–5.2") == [
        ("002", ("§3.6", "§3.7")),
        ("002", ("§5.1", "§5.2")),
    ]
    assert cited('(002 §3.4, Annex A; 002 "\n    "§5)') == [
        ("002", ("§3.4", "Annex A")),
        ("002", ("§5.0",)),
    ]
    assert cited("KCSIE Annex C, UKCIS 2020, IRMS") == [
        ("KCSIE", ("Annex C",)),
        ("UKCIS 2020", ()),
        ("IRMS", ()),
    ]
    assert cited("0113 000 0101, 100,000 rows, version 1.002, docs/002.md") == []

    entries = Entries.parse(SOURCES.read_text(encoding="utf-8"))
    assert entries.problems(find_citations("002 §3.3 (5)")[0]) == []
    assert entries.problems(find_citations("002 §9.9")[0]) == ["no `### 002 §9.9` heading"]
    assert entries.problems(find_citations("002 Annex D")[0]) == ["no `### 002 Annex D` heading"]
    assert entries.problems(find_citations("KCSIE Annex Z")[0]) != []

    assert slug("002 §3.3 — Initial review meeting") == "002-33--initial-review-meeting"
    assert slug("Input: the facts (JSON)") == "input-the-facts-json"
    assert slug("`demo/`: the [demo](x.md) data") == "demo-the-demo-data"


def test_anchors_count_repeats_and_explicit_ids_and_skip_code(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        '<a id="doc-000"></a>\n\n## Notes\n\n```sh\n# not a heading\n```\n\n'
        "## Notes\n\n### Notes {#own}\n\nSee [below](#notes-1), [gone](#gone).\n",
        encoding="utf-8",
    )
    assert anchors(page) == {"doc-000", "notes", "notes-1", "notes-2", "own"}
    assert [anchor for _, _, anchor in doc_references(page)] == ["notes-1", "gone"]
