"""Where articles come from: files, folders, JSONL files, standard input, web pages, URL lists,
feeds.

``analyze`` and ``corpus ingest`` read their inputs the same way, through ``Inputs``: a path
goes to the file readers (``readers.py``), an http(s):// URL to the fetcher (``fetch.py``:
public hosts only, its time and size limits), every line of a ``--urls`` file is a URL, and every
entry of a ``--feed`` (RSS, Atom or sitemap, a URL or a saved file; an OPML list stands for
each of its feeds, a sitemap index with ``--feed-since`` for its recent sitemaps) is a URL
whose page gets the feed's title, author and date where it names none. Runs of URLs are
fetched several at a time, in order, so a list of 10,000 pages is not 10,000 sequential
waits; what cannot be read comes out as an ``IngestFailure`` next to the documents, never as
an exception.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from propscope.config import FetchConfig
    from propscope.document import Document
    from propscope.ingest import IngestFailure, SkippedInput
    from propscope.ingest.feeds import Feed, FeedEntry

    Item = Document | IngestFailure | SkippedInput


def is_url(arg: str) -> bool:
    """Whether an INPUT names a web page rather than a file (checked without importing the
    fetcher, which only a URL needs)."""
    return arg.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Inputs:
    """The inputs of one command.

    Attributes:
        args: files, folders, JSONL files, http(s) URLs and ``-`` (standard input), in order.
        url_lists: files with one URL per line (``-``: standard input); blank lines and lines
            starting with ``#`` are skipped. Their pages come after ``args``.
        feeds: RSS/Atom feeds, sitemaps and OPML lists of feeds, as http(s) URLs or saved
            files (``-``: standard input). Their pages come last, in each feed's order.
        feed_since: leave out feed entries dated before this day (``dated_since``).
    """

    args: tuple[str, ...] = ()
    url_lists: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    feed_since: date | None = None

    def problem(self) -> str | None:
        """Why these inputs cannot be read at all (a usage error), or ``None``."""
        if not self.args and not self.url_lists and not self.feeds:
            return "give at least one INPUT (a file, folder, URL or -), --urls FILE or --feed URL."
        if self.feed_since and not self.feeds:
            return "--feed-since chooses among the entries of --feed; give a --feed too."
        if [*self.args, *self.url_lists, *self.feeds].count("-") > 1:
            return "standard input (-) can be read only once."
        # A URL list is a local file; a feed may be a URL too.
        for option, names, urls, kind in (("--urls", self.url_lists, False, "a list of URLs"),
                                          ("--feed", self.feeds, True, "a feed")):
            for name in names:
                if name != "-" and not (urls and is_url(name)) and not Path(name).is_file():
                    what = f"is a folder, not {kind}" if Path(name).is_dir() else "no such file"
                    return f"{option} {name}: {what}."
        return None

    @property
    def several(self) -> bool:
        """Whether these inputs can hold more than one article."""
        from propscope.ingest.readers import format_of

        return bool(self.url_lists or self.feeds) or len(self.args) > 1 or any(
            p != "-" and not is_url(p) and (Path(p).is_dir() or format_of(p) == "jsonl")
            for p in self.args)

    @property
    def urls_given(self) -> bool:
        """Whether any web page is to be fetched."""
        return bool(self.url_lists or self.feeds) or any(map(is_url, self.args))

    def estimate(self) -> int:
        """A quick count of the articles, for a progress bar's total (0: unknown). A feed's
        pages are not counted: that would fetch it twice (the bar's total grows instead)."""
        from propscope.ingest import estimate_inputs

        files = [a for a in self.args if a != "-" and not is_url(a)]
        total = estimate_inputs(files) + sum(map(is_url, self.args))
        for name in self.url_lists:
            if name != "-":  # standard input can be read only once, by ``read``
                with _open_list(name) as fh:
                    total += sum(1 for line in fh if _url_line(line))
        return total

    def read(self, *, max_bytes: int, fetch: FetchConfig, encoding: str | None = None,
             known: Callable[[str], bool] | None = None,
             note: Callable[[str], None] | None = None, skip: Sequence[Path] = ()) -> Iterator[Item]:
        """Documents, failures and (for URLs ``known`` says are stored) skips, in input order.

        Args:
            max_bytes: largest file or record accepted.
            fetch: the fetcher's limits, allowed hosts and concurrency.
            encoding: decode files with this instead of detecting it.
            known: URLs not to fetch again (a corpus's stored pages).
            note: told what was left out on purpose (older feed entries), as
                ``"SOURCE: what"``; not a failure. Also told, when the run stops early
                (Ctrl-C), how many fetches it still waits for.
            skip: files and folders that folder walks leave out (the run's own output).
        """
        from propscope.ingest import iter_documents
        from propscope.ingest.feeds import FeedEntry, apply_entry

        # The feed entry (or None) of each URL handed to fetch_many and not yet answered:
        # it answers each in order, so they pair up first in, first out (a URL listed twice
        # gets each listing's own hints).
        hints: deque[FeedEntry | None] = deque()

        def urls(group: Iterator[tuple[str, str | IngestFailure | FeedEntry]],
                 ) -> Iterator[str | IngestFailure]:
            for _, entry in group:  # with the lists' bad lines in their places
                if isinstance(entry, FeedEntry):
                    hints.append(entry)
                    yield entry.url
                else:
                    hints.append(None)
                    yield entry

        say = note or (lambda _: None)
        entries = self._entries(fetch, max_bytes, say)
        for kind, group in groupby(entries, key=lambda entry: entry[0]):
            if kind == "url":
                # Imported only here: files never load the HTTP stack (cold start).
                from propscope.ingest.fetch import fetch_many

                for _, got in fetch_many(urls(group), fetch, max_bytes=max_bytes,
                                         concurrency=fetch.fetch_concurrency, known=known,
                                         on_wait=_waiting(say, fetch)):
                    hint = hints.popleft()
                    if isinstance(got, list):
                        yield from (apply_entry(doc, hint) for doc in got) if hint else got
                    else:
                        yield got
            else:
                yield from iter_documents([str(path) for _, path in group], max_bytes=max_bytes,
                                          encoding=encoding, skip=skip)

    def _entries(self, fetch: FetchConfig, max_bytes: int, note: Callable[[str], None],
                 ) -> Iterator[tuple[str, str | IngestFailure | FeedEntry]]:
        """``("path", PATH)``, ``("url", URL)``, ``("url", FeedEntry)``, or ``("url",
        IngestFailure)`` for a line of a URL list that is no URL or a feed that cannot be read
        (so it does not split a run of pages fetched together), lazily."""
        from propscope.ingest import IngestFailure

        for arg in self.args:
            yield ("url" if is_url(arg) else "path"), arg
        for name in self.url_lists:
            with _open_list(name) as fh:
                for lineno, line in enumerate(fh, 1):
                    url = _url_line(line)
                    if not url:
                        continue
                    if is_url(url):
                        yield "url", url
                    else:
                        yield "url", IngestFailure(name, f"line {lineno}: {url[:80]!r} is not an "
                                                         "http:// or https:// URL", line=lineno)
        for entry in _feeds_entries(self.feeds, fetch, max_bytes, self.feed_since, note):
            yield "url", entry


def _waiting(note: Callable[[str], None], fetch: FetchConfig) -> Callable[[int], None]:
    """What tells ``note`` that a stopped run waits for fetches in flight (``in_order``'s
    ``on_wait``): each ends within the timeout, and a silent wait of seconds after Ctrl-C
    reads as a hang."""
    def waiting(running: int) -> None:
        note(f"stopping: waiting for {running} fetch{'es' * (running != 1)} in flight "
             f"(at most {fetch.fetch_timeout:g} s)")
    return waiting


def _read_feed(name: str, fetch: FetchConfig, max_bytes: int,
               pause: Callable[[float], bool] | None = None) -> Feed | IngestFailure:
    """Feed ``name``, fetched within the fetcher's limits (a saved file: of at most
    ``max_bytes``), or why it cannot be had (``pause``: as ``fetch_feed``'s)."""
    from propscope.errors import PropscopeError
    from propscope.ingest import IngestFailure
    from propscope.ingest.feeds import read_feed_file

    try:
        if is_url(name):
            from propscope.ingest.fetch import fetch_feed

            return fetch_feed(name, fetch, pause=pause)
        return read_feed_file(name, max_bytes=max_bytes)
    except (PropscopeError, OSError) as exc:
        return IngestFailure.from_error(exc, source=name)


def _feeds_entries(names: Sequence[str], fetch: FetchConfig, max_bytes: int,
                   since: date | None, note: Callable[[str], None], *,
                   within: str | None = None) -> Iterator[IngestFailure | FeedEntry]:
    """``_feed_entries`` of each feed in ``names``, in order. Feeds at URLs are fetched
    ``fetch.fetch_concurrency`` at a time, ahead of their turn: a daily run over a reader's
    hundred feeds, whose pages are mostly stored already, is mostly these fetches."""
    from propscope.ingest.ordered import in_order

    stopped = threading.Event()  # set when the run stops: a busy site's retry is not waited for
    read = in_order(lambda name: _read_feed(name, fetch, max_bytes, stopped.wait), names,
                    fetch.fetch_concurrency, stop=stopped, on_wait=_waiting(note, fetch))
    for name, feed in read:
        yield from _feed_entries(name, feed, fetch, max_bytes, since, note, within=within)


def _feed_entries(name: str, feed: Feed | IngestFailure, fetch: FetchConfig, max_bytes: int,
                  since: date | None, note: Callable[[str], None], *,
                  within: str | None = None) -> Iterator[IngestFailure | FeedEntry]:
    """The pages feed ``name`` (read as ``feed``) lists, then a failure for each entry without
    a usable link; one failure if the feed could not be had or lists no pages. With
    ``since``, older entries are left out and ``note`` is told how many.

    A list of feeds is read feed by feed, each reporting its own failures (``within``: the
    kind of list this feed came from; a list is not followed inside a list of its own kind,
    nor an OPML list inside a sitemap index). An OPML list is the user's pick, so all its
    feeds are read. A sitemap index can list a site's whole archive in thousands of
    sitemaps, so it is followed only with ``since``, and then only into the sitemaps changed
    since that day (by the index's ``lastmod``; undated ones are read): without it the
    failure names the sitemaps, for the user to pick."""
    from propscope.ingest import IngestFailure
    from propscope.ingest.feeds import OPML, SITEMAP_INDEX

    if isinstance(feed, IngestFailure):
        yield feed
        return
    lists = {OPML: "an OPML list", SITEMAP_INDEX: "a sitemap index"}  # as messages name them
    if within is not None and feed.kind in (within, OPML):
        yield IngestFailure(name, f"{lists[feed.kind]} inside {lists[within]} is not followed; "
                                  "give it with --feed.")
        return
    if feed.kind == SITEMAP_INDEX and since is None:
        first = f", for example --feed {feed.feeds[0].url}" if feed.feeds else ""
        yield IngestFailure(name, f"a sitemap index of {len(feed.feeds)} sitemaps, not a list of "
                                  "pages; add --feed-since DAY to read the pages of those changed "
                                  f"since then, or give the sitemaps you want with --feed{first}.")
        return
    if feed.kind in (OPML, SITEMAP_INDEX):
        if not feed.feeds and not feed.skipped:
            what = "feeds (no outline with an xmlUrl)" if feed.kind == OPML else "sitemaps"
            yield IngestFailure(name, f"the {feed.kind} names no {what}.")
        listed = feed.feeds
        if since is not None and feed.kind == SITEMAP_INDEX:
            listed = _since(name, listed, since, note, noun="sitemaps", dated="last changed")
        for why in feed.skipped:
            yield IngestFailure(name, why)
        yield from _feeds_entries([f.url for f in listed], fetch, max_bytes, since, note,
                                  within=feed.kind)
        return
    if not feed.entries and not feed.skipped:
        yield IngestFailure(name, f"the {feed.kind} lists no pages.")
    entries = feed.entries
    if since is not None:
        entries = _since(name, entries, since, note, noun="entries", dated="dated")
    yield from entries
    for why in feed.skipped:
        yield IngestFailure(name, why)


def _since(name: str, listed: list[FeedEntry], since: date, note: Callable[[str], None], *,
           noun: str, dated: str) -> list[FeedEntry]:
    """``dated_since(listed, since)``, telling ``note`` how many were left out and how many
    undated ones are read anyway: a site's sitemap without dates is its whole archive, and
    the user should see that before thousands of pages arrive."""
    from propscope.ingest.feeds import dated_since

    kept, older = dated_since(listed, since)
    undated = sum(e.day is None for e in kept)
    if older:
        said = f"left out {older:,} of {len(listed):,} {noun} {dated} before {since.isoformat()}"
        said += f"; read {undated:,} undated anyway" if undated else ""
    elif undated:
        said = f"{undated:,} of {len(listed):,} {noun} are undated: read anyway"
    else:
        return kept
    note(f"{name}: {said} (--feed-since).")
    return kept


def _url_line(line: str) -> str:
    """The URL a line of a ``--urls`` file holds ("" for a blank line or a # comment)."""
    line = line.strip()
    return "" if line.startswith("#") else line


def _open_list(name: str) -> AbstractContextManager[TextIO]:
    """A URL list to read; standard input is left open for the rest of the process."""
    if name == "-":
        return nullcontext(sys.stdin)
    return open(name, encoding="utf-8-sig", errors="replace")
