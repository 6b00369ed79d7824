"""Article-by-article coverage of the national texts (逐条对照), generated from the rule files.

``rules/coverage.yaml`` lists, per national text, every article that defines a criterion.
Each article is *encoded* when a rule's ``basis:`` or a parameter value's ``source:`` cites it
(found here, never written by hand), or *not encoded* with the reason written in the file.
:func:`coverage_problems` names an article that is neither, and one marked not encoded that
the book now cites; :func:`coverage_markdown` is the page (docs/coverage.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from aidrules import _yaml
from aidrules.rulebook.book import RuleBook

COVERAGE_FILE = "coverage.yaml"  # at the top of the rules directory
LOCAL_MARK = "本地设计"  # a rule whose basis is a local design cites no national text

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_NUMERAL = "零一二三四五六七八九十百"
# A paragraph (第N款) or item (第N项) narrows an article and adds no reference of its own.
_TOKEN = re.compile(rf"第[{_NUMERAL}]+[款项]|第([{_NUMERAL}]+)条|（([{_NUMERAL}]+)）"
                    rf"|([{_NUMERAL}]+)|(\d+)|(至)")


@attrs.frozen
class Article:
    article: str
    topic: str
    not_encoded: str | None
    line: int
    partly: str | None = None  # what of an encoded article is left out, and why

    @property
    def refs(self) -> frozenset[tuple[int, ...]]:
        return frozenset(article_refs(self.article))


@attrs.frozen
class Document:
    title: str
    number: str | None
    names: tuple[str, ...]  # how rules and parameters cite it
    articles: tuple[Article, ...]


@attrs.frozen
class Citation:
    by: str  # "rule `dibao.household`" or "parameter `dibao.standard.urban`"
    refs: frozenset[tuple[int, ...]]


def numeral(text: str) -> int:
    """``"二十三"`` → 23 (the numerals of article and section numbers, below 1000)."""
    total, digit = 0, 0
    for char in text:
        if char == "百":
            total, digit = total + (digit or 1) * 100, 0
        elif char == "十":
            total, digit = total + (digit or 1) * 10, 0
        else:
            digit = _DIGITS[char]
    return total + digit


def article_refs(text: str) -> list[tuple[int, ...]]:
    """The articles or sections a citation names: ``第四条至第六条`` → (4,), (5,), (6,);
    ``二（一）至（三）`` → (2, 1), (2, 2), (2, 3); ``四（二）1`` → (4, 2, 1)."""
    refs: list[tuple[int, ...]] = []
    span = False
    for m in _TOKEN.finditer(text):
        article, sub, section, item, until = m.groups()
        if until:
            span = True
            continue
        if article or section:
            new: tuple[int, ...] = (numeral(article or section),)
        elif sub and refs:
            new = (refs[-1][0], numeral(sub))
            if len(refs[-1]) == 1 and not span:
                refs.pop()  # "二" then "（一）": one reference, 二（一）
        elif item and refs and len(refs[-1]) >= 2:
            new = refs.pop()[:2] + (int(item),)
        else:
            continue
        if span and refs and len(refs[-1]) == len(new) and refs[-1][:-1] == new[:-1]:
            refs += [new[:-1] + (n,) for n in range(refs[-1][-1] + 1, new[-1] + 1)]
        else:
            refs.append(new)
        span = False
    return refs


def covers(entry: tuple[int, ...], cited: tuple[int, ...]) -> bool:
    """A citation covers an article it names, a part of it, or the section holding it."""
    n = min(len(entry), len(cited))
    return entry[:n] == cited[:n]


# ---- reading ---------------------------------------------------------------------------

def read_coverage(path: Path | str) -> tuple[list[Document], list[str]]:
    """The documents of ``coverage.yaml`` and the defects of the file, as ``file:line: …``."""
    doc, problems = _yaml.load(path)
    if problems:
        return [], [str(p) for p in problems]
    items = doc.get("documents") if _yaml.is_mapping(doc) else None
    if not _yaml.is_sequence(items):
        return [], [f"{path}:1: expected 'documents:' and a list of documents"]
    documents, defects = [], []
    for i, item in enumerate(items):
        where = f"{path}:{_yaml.position(items, i)[0]}"
        if not (_yaml.is_mapping(item) and isinstance(item.get("title"), str)
                and _yaml.is_sequence(item.get("names"))
                and _yaml.is_sequence(item.get("articles"))):
            defects.append(f"{where}: a document needs 'title:', 'names:' and 'articles:'")
            continue
        articles = [_article(item["articles"], j, path, defects)
                    for j in range(len(item["articles"]))]
        documents.append(Document(item["title"], item.get("number"),
                                  tuple(str(n) for n in item["names"]),
                                  tuple(a for a in articles if a is not None)))
    return documents, defects


def _article(items: Any, j: int, path, defects: list[str]) -> Article | None:
    item, line = items[j], _yaml.position(items, j)[0]
    ok = (_yaml.is_mapping(item) and isinstance(item.get("article"), str)
          and isinstance(item.get("topic"), str)
          and isinstance(item.get("not_encoded", ""), str)
          and isinstance(item.get("partly", ""), str))
    if not ok or not article_refs(item["article"]):
        defects.append(f"{path}:{line}: an article needs 'article:' (第N条, or a section such "
                       "as 一（三）), 'topic:' and, if no rule encodes it, 'not_encoded:' (why)")
        return None
    reason, partly = item.get("not_encoded"), item.get("partly")
    return Article(item["article"], " ".join(item["topic"].split()),
                   " ".join(reason.split()) if reason else None, line,
                   " ".join(partly.split()) if partly else None)


# ---- what the book cites ---------------------------------------------------------------

def citations(book: RuleBook, document: Document) -> list[Citation]:
    """Every rule and parameter of ``book`` that cites ``document``, with the articles cited."""
    found: list[Citation] = []
    for rule in book.rules:
        refs = _cited(str(rule.basis), document)
        if refs:
            found.append(Citation(f"rule `{rule.id}`", refs))
    tree = book.policies
    for name in sorted(tree.parameters()):
        refs = frozenset(r for v in tree.history(name) if v.source is not None
                         for r in _cited(f"{v.source.document} {v.source.article or ''}",
                                         document))
        if refs:
            found.append(Citation(f"parameter `{name}`", refs))
    return found


def _cited(text: str, document: Document) -> frozenset[tuple[int, ...]]:
    refs: set[tuple[int, ...]] = set()
    for segment in re.split(r"[；;]", text):
        ends = [m.end() for name in document.names for m in re.finditer(re.escape(name), segment)]
        if ends:
            rest = re.sub(r"^\s*（[^）]*）", "", segment[max(ends):])
            refs |= set(article_refs(rest))
    return frozenset(refs)


def encoded_by(article: Article, cited: list[Citation]) -> list[str]:
    return [c.by for c in cited if any(covers(e, r) for e in article.refs for r in c.refs)]


def coverage_problems(book: RuleBook, documents: list[Document], file: str) -> list[str]:
    """Articles neither encoded nor explained, and explained ones the book now encodes."""
    problems = []
    for document in documents:
        cited = citations(book, document)
        for article in document.articles:
            by = encoded_by(article, cited)
            where = f"{file}:{article.line}: {document.title} {article.article}"
            if not by and not article.not_encoded:
                problems.append(f"{where} is cited by no rule or parameter; cite it in a "
                                "'basis:' or give the reason in 'not_encoded:'")
            elif by and article.not_encoded:
                problems.append(f"{where} is marked not encoded but {', '.join(by)} cite(s) "
                                "it; remove 'not_encoded:' or correct the citation")
    return problems


def uncited_rules(book: RuleBook, documents: list[Document]) -> list[str]:
    """Rules whose basis names none of the documents and is not marked a local design."""
    names = [n for d in documents for n in d.names]
    return [rule.id for rule in book.rules
            if LOCAL_MARK not in str(rule.basis) and not any(n in str(rule.basis) for n in names)]


# ---- the page --------------------------------------------------------------------------

HEADER = """\
# 国家文件逐条对照 / Article-by-article coverage of the national texts

<!-- Generated by `aidrules document` from rules/coverage.yaml, the rules' `basis:` and the
     parameters' `source:`. Do not edit by hand. -->

每个规定认定条件的条款，列出引用它的规则和参数（来自规则的 `basis:` 和参数取值的 `source:`），
或写明未编码的理由（`rules/coverage.yaml`）。For each article of the national texts that
defines a criterion: the rules and parameters that cite it (from the rules' `basis:` and the
parameter values' `source:`), or why it is not encoded (`rules/coverage.yaml`). A test fails
when an article is neither, and when this page is not current.
"""


def coverage_markdown(book: RuleBook, documents: list[Document]) -> str:
    parts = [HEADER]
    for document in documents:
        parts.append("\n".join(_document_section(book, document)) + "\n")
    local = [r.id for r in book.rules if LOCAL_MARK in str(r.basis)]
    if local:
        parts.append("## 本地设计 / Local design\n\n"
                     "依据为本地设计、不引用国家文件的规则 / Rules whose basis is a local design, "
                     "not a national text: " + ", ".join(f"`{r}`" for r in local) + ".\n")
    return "\n".join(parts)


def _document_section(book: RuleBook, document: Document) -> Iterator[str]:
    title = f"{document.title}（{document.number}）" if document.number else document.title
    cited = citations(book, document)
    encoded = sum(1 for a in document.articles if encoded_by(a, cited))
    yield f"## {title}"
    yield ""
    yield (f"{len(document.articles)} 条款，{encoded} 已编码 / {len(document.articles)} articles, "
           f"{encoded} encoded.")
    yield ""
    yield ("| 条款 / article | 内容 / what it defines | 编码于 / encoded by "
           "| 未编码的理由 / not encoded because |")
    yield "|---|---|---|---|"
    for article in document.articles:
        by = encoded_by(article, cited)
        left = article.not_encoded or (f"部分 / partly: {article.partly}" if article.partly else "")
        yield (f"| {article.article} | {_cell(article.topic)} | {'<br>'.join(by) or '—'} | "
               f"{_cell(left)} |")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
