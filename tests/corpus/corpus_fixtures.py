"""Articles written for the corpus tests and helpers that store them with known annotations."""

from __future__ import annotations

from propscope.corpus.store import CorpusStore, StoredArticle, content_key
from propscope.document import Document, Frame, Genre, Metadata, Span
from propscope.pipeline import Pipeline, create_component
from propscope.serialize import to_dict

# Five unrelated articles (about 150 words each) on different topics.
ARTICLES = {
    "harbour": (
        "Harbour dredging plan splits the council\n\n"
        "The port authority wants to deepen the northern channel so that larger container ships "
        "can dock without waiting for the tide. Engineers estimate the work would take two winters "
        "and move nearly a million cubic metres of silt.\n\n"
        "Fishermen from the old quay say the plume of sediment will smother the mussel beds that "
        "their families have worked for generations. The authority replies that silt curtains and "
        "strict monitoring will keep the water clear enough.\n\n"
        "Councillors delayed a vote on Tuesday after a long session in which residents queued to "
        "speak about noise from night dredging, lorries on the coast road and the fate of a "
        "nesting colony of terns on the breakwater. A revised environmental statement is expected "
        "before the summer recess, and the mayor promised a public meeting in the harbour hall."),
    "orchard": (
        "Frost arrives late and orchards count the cost\n\n"
        "Apple growers in the valley lost much of the blossom when temperatures fell below freezing "
        "for three nights in a row at the end of April. Some farms ran wind machines and lit "
        "candles between the rows, but the cold settled in the hollows regardless.\n\n"
        "Cooperative managers expect the harvest to fall by at least a third, which will push up "
        "prices for juice makers who buy fruit by the tonne. Pickers who travel north each autumn "
        "have been told there may be fewer weeks of work.\n\n"
        "Researchers at the agricultural college are testing later flowering varieties and "
        "netting that traps warmth near the ground. They warn that frost after an early spring has "
        "become more common, and that insurance for small orchards is getting harder to buy."),
    "library": (
        "City library reopens with longer hours and a repair cafe\n\n"
        "After eighteen months of renovation the central library opened its doors again on "
        "Saturday, with a new reading room under the restored glass roof and shelves for a "
        "growing collection of local history.\n\n"
        "Opening hours now run until nine in the evening on weekdays, a change that staff say "
        "answers the most frequent request in last year's survey. On the first Sunday of each "
        "month volunteers will run a repair cafe where visitors can bring lamps, toasters and "
        "torn clothes.\n\n"
        "The building also gained a lift, step-free entrances and quiet booths that can be booked "
        "online. The head librarian thanked the carpenters and glaziers who kept the old oak "
        "panelling, and said school classes are already booked for weekly visits."),
    "rail": (
        "Night trains return to the southern line\n\n"
        "A sleeper service between the capital and the coast will run again from December, ten "
        "years after the last overnight train was withdrawn for lack of passengers. The operator "
        "has leased refurbished carriages with couchettes and a small dining car.\n\n"
        "Tickets will go on sale in September. Travel groups welcomed the news, saying many "
        "travellers now prefer to avoid short flights, while unions asked for guarantees about "
        "staffing on board and rest periods for crews.\n\n"
        "The regional transport minister said the trial will last two years and that the timetable "
        "could expand to four nights a week if carriages are full. Station towns along the route "
        "hope that visitors arriving early in the morning will spend the day in their markets."),
    "chess": (
        "Teenager wins the national chess championship\n\n"
        "A sixteen year old from the mining district won the national championship on Sunday, "
        "drawing her final game with black to finish half a point ahead of two grandmasters. She "
        "learned the game at a club that meets in the back room of a bakery.\n\n"
        "Her coach said she prepared by studying endgames for hours every evening and by playing "
        "fast games online against opponents from across the world. The club now has a waiting "
        "list of children who want to join.\n\n"
        "The title gives her a place in the olympiad team next year. Asked about her plans, she "
        "said she would first finish her school exams, then travel to a tournament abroad, and "
        "that she hopes more girls will sit down at the board."),
}


def preprocess(text: str, *, id: str, metadata: Metadata | None = None) -> Document:
    """A Document with the real boilerplate and paragraph components applied (no model)."""
    pipe = Pipeline([create_component("boilerplate"), create_component("paragraphs")])
    return pipe(Document(text, id=id, source=f"{id}.txt", metadata=metadata or Metadata()))


def annotated(text: str, *, id: str, outlet: str | None = None, published: str | None = None,
              author: str | None = None, spans: tuple[tuple[str, str], ...] = (),
              genre: str | None = None, frames: tuple[str, ...] = ()) -> Document:
    """A Document with known annotations: each ``(phrase, technique)`` span marks ``phrase``."""
    doc = preprocess(text, id=id, metadata=Metadata(outlet=outlet, published=published,
                                                    author=author, title=text.split("\n")[0]))
    doc.add_spans(Span(text.index(p), text.index(p) + len(p), t, 0.9) for p, t in spans)
    if genre:
        doc.genre = Genre(genre, {g: float(g == genre) for g in ("opinion", "reporting", "satire")})
    doc.frames = [Frame(f, 0.8) for f in frames]
    return doc


def store_docs(store: CorpusStore, docs: list[Document]) -> list[str]:
    """Write annotated documents to the store as ingest would; returns their article ids."""
    batch = [StoredArticle(content_key(d), d, to_dict(d, include_text=False), d.word_count())
             for d in docs]
    store.add(batch)
    return [a.key for a in batch]
