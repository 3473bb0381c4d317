"""The HTML report: one self-contained file (inline CSS, no scripts, no external resources).

Article text is hostile input, so the template is rendered with ``autoescape=True`` and no
part of the document is ever marked safe: tags, entities and ``javascript:`` links in an
article show up as text. Overlapping spans stay visible because the text is cut at every
span boundary and each piece is wrapped in one ``<mark>`` per covering span, nested
outermost first; every span draws an underline at its own stacking level.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from propscope.document import Document
from propscope.render.printable import finalize
from propscope.render.segments import document_lines, span_refs
from propscope.render.summary import DARKEN, explain, summarize
from propscope.render.voices import voice_name, voices
from propscope.sensitivity import describe_sensitivity
from propscope.taxonomy import CATEGORIES, TECHNIQUES, technique_style, underline_css
from propscope.version import __version__

TEMPLATES = Path(__file__).parent / "templates"
MAX_LEVEL = 5  # deeper stacks share the last underline slot; more never occur in practice


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,  # no NUL or ESC from an input in the report's HTML
    )
    env.globals.update(
        explain=explain,
        technique=TECHNIQUES.__getitem__,
        category_of=lambda name: TECHNIQUES[name].category,
        darken=darken,
        voice_name=voice_name,
        style=technique_style,
    )
    return env


def template(name: str) -> jinja2.Template:
    """A packaged template, in the one autoescaping environment every page is rendered with."""
    return _environment().get_template(name)


def darken(colour: str, factor: float = DARKEN) -> str:
    """A darker shade of a ``#rrggbb`` colour, for underlines that must show on white."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def technique_css() -> list[dict[str, str | int]]:
    """Each technique's CSS values in the report (``taxonomy/styles.py``): its shade, the
    darker colour of its lines, and its underline pattern as a background image."""
    out: list[dict[str, str | int]] = []
    for name in TECHNIQUES:
        style = technique_style(name)
        line = darken(style.color)
        image, height = underline_css(style.underline, line)
        out.append({"name": name, "color": style.color, "line": line, "image": image,
                    "height": height})
    return out


def http_url(url: str | None) -> str | None:
    """``url`` if it may become a link: only http(s) URLs do; anything else (``javascript:``,
    ``data:``) is shown as text."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def render_html(doc: Document, *, index: str | None = None) -> str:
    """Render the analysed ``doc`` as a complete, self-contained HTML page.

    A pure function of the Document: the same document always gives the same bytes, and
    nothing is read from or written to disk besides the packaged template. The recorded rates
    of the model that analysed it (``doc.model.quality``: attach them with
    ``doc.model.with_quality(analyzer.quality())``) add how often its labels of each
    technique were right. ``index``, the relative link of the page listing a folder of
    reports, adds a way back to it.
    """
    return template("report.html.j2").render(
        doc=doc,
        meta=doc.metadata,
        link=http_url(doc.metadata.url),
        lines=document_lines(doc),
        refs=span_refs(doc),
        summary=summarize(doc),
        voices=voices(doc),
        categories=list(CATEGORIES.values()),
        styles=technique_css(),
        max_level=MAX_LEVEL,
        version=__version__,
        index=index,
        rates=doc.model.quality if doc.model else None,
        sensitivity=describe_sensitivity(doc.model.sensitivity) if doc.model else None,
    )
