"""HTML pages to article text and metadata, with trafilatura and a plain-text fallback.

The result is plain text, one paragraph per line with blank lines between, the title first
(as in the shared task's article files). Scripts, styles and attributes never reach it: the
text holds what a reader sees and nothing a browser could run.
"""

from __future__ import annotations

import re

from propscope.document import PAGE, Metadata
from propscope.errors import EmptyInputError, EncodingError
from propscope.ingest.decode import AUTO, decode_bytes, guess_legacy_encoding, text_codec, wide_codec

_BLOCK_TAGS = ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
               "table", "blockquote", "pre", "section", "article", "header", "footer", "aside",
               "main", "nav", "dd", "dt", "figcaption", "hr")
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head")
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_SPACE_RE = re.compile(r"\s+")


def decode_html(data: bytes, *, source: str, encoding: str | None = None,
                fallback: str | None = None) -> str:
    """Decode an HTML page: the given encoding, else UTF-8, else the page's declared charset,
    else ``fallback`` (for a fetched page: the server's charset, or windows-1252 as browsers
    assume for pages that declare none). ``encoding="auto"`` is UTF-8, else the declared
    charset, else ``fallback`` or the legacy guess."""
    if encoding == AUTO:
        # UTF-16/32 by their mark; else UTF-8, else a charset the page states, and only then
        # the legacy guess (``fallback`` AUTO, made below when it is needed).
        encoding = wide_codec(data)
        fallback = fallback or (AUTO if encoding is None else None)
    try:
        return decode_bytes(data, source=source, encoding=encoding)
    except EncodingError:
        if encoding is not None:
            raise
        m = _META_CHARSET_RE.search(data[:4096])
        declared = m.group(1).decode("ascii") if m else None
        # A charset no text is in (unknown, or rot13 and the like) is ignored, as browsers do.
        codec = text_codec(declared) if declared else None
        if codec is None and fallback:
            codec = guess_legacy_encoding(data) if fallback == AUTO else text_codec(fallback)
        if codec is None or codec == "utf-8":
            raise
        try:
            return decode_bytes(data, source=source, encoding=codec)
        except EncodingError:
            said = f"the {declared} it declares" if declared else codec
            raise EncodingError(f"is neither UTF-8 nor {said}; pass --encoding with the page's "
                                "real encoding.", source=source) from None


def _paragraphs(text: str) -> list[str]:
    return [p for line in text.splitlines() if (p := _SPACE_RE.sub(" ", line).strip())]


def _fallback(html: str) -> tuple[list[str], str | None]:
    """Visible text of the whole page, block by block, and its ``<title>``."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return [], None
    titles = tree.xpath("//title")
    title = _SPACE_RE.sub(" ", titles[0].text_content()).strip() if titles else None
    etree.strip_elements(tree, *_DROP_TAGS, with_tail=False)
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for el in tree.iter(*_BLOCK_TAGS):
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    return _paragraphs(tree.text_content()), title or None


def html_to_text(html: str, *, source: str) -> tuple[str, Metadata]:
    """Extract an article's main text and metadata from an HTML page.

    trafilatura finds the main text (no navigation, comments or footers) and the title,
    author, date (ISO, only where the page states one), site name (``outlet``) and canonical
    URL. When it finds no main text, the visible text of the whole page is used instead.

    Raises:
        EmptyInputError: the page has no visible text at all.
    """
    import trafilatura
    from trafilatura.settings import set_date_params

    # No extensive date search: it takes any year in the body ("In 1999 the war ended") as
    # the publication date, which then sorts republications and fills monthly profiles
    # wrongly. Dates the page states (meta tags, JSON-LD, <time>, a dated byline) are kept.
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                         include_images=False, include_links=False,
                                         date_extraction_params=set_date_params(False))
    found = result if result is None or isinstance(result, dict) else result.as_dict()
    meta = Metadata()
    paras: list[str] = []
    if found is not None:
        paras = _paragraphs(found.get("text") or "")
        meta.set_from(PAGE, title=found.get("title"), author=found.get("author"),
                      published=found.get("date"), outlet=found.get("sitename"),
                      url=found.get("url"))
    if not paras:
        paras, title = _fallback(html)
        meta.fill_from(PAGE, title=title)
    if not paras:
        raise EmptyInputError("HTML page has no visible text to analyse; check that it is the "
                              "article page and not a script-rendered shell.", source=source)
    if meta.title and meta.title not in paras[:3]:
        paras.insert(0, meta.title)
    return "\n\n".join(paras), meta
