"""A synthetic scale corpus: N text documents recombined from the real corpus, for measuring how
ingest and queries grow with the size of the corpus.

Each document is made of the real corpus's headings, prose and interview quotations, shuffled
and perturbed (synonyms swapped, sentences reordered and mixed across paragraphs) so that no two
passages are the same text: the embedding cache is keyed by the text's hash, and identical
passages would make a large corpus look cheaper than it is. Quotations get fresh respondent
codes in the corpus convention (`P4S{site}R{nn}`; phase 4 does not occur in the real corpus),
so a test can tell generated attributions from copied ones. Same sources and seed, same bytes.

Run alone: `python bench/scale_corpus.py OUT_DIR --n 20 --seed 7`.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.quotes import find_quotes

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "text"
PAGES_PER_DOCUMENT = 5
PAGE_CHARS = 3000  # about one printed report page of the real corpus (357k characters, 112 pages)
PHASE = 4
MANIFEST_NAME = "manifest.yaml"

# Pairs swapped either way; chosen to keep sentences readable and common in the corpus.
SYNONYMS: dict[str, str] = {
    "important": "crucial", "staff": "workforce", "support": "help", "funding": "money",
    "relationships": "partnerships", "model": "approach", "programme": "scheme", "local": "regional",
    "national": "central", "change": "transformation", "work": "effort", "team": "group",
    "services": "provision", "residents": "people", "really": "truly", "difficult": "hard",
    "people": "individuals", "system": "network", "organisations": "bodies", "time": "period",
    "new": "novel", "good": "positive", "care": "support", "quite": "fairly", "lot": "great deal",
    "working": "operating", "example": "instance", "problems": "difficulties", "across": "throughout",
}
_SWAPS = {**SYNONYMS, **{v: k for k, v in SYNONYMS.items() if " " not in v}}
_WORDS = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SWAPS), key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NUMBERED_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?)\s+([A-Z][^.\n|]{3,70})$")
_PLAIN_HEADING = re.compile(r"^([A-Z][A-Za-z ,:’'&-]{3,60})$")
_CODE_LIKE = re.compile(r"\(\s*(?:ID\s*)?P\s*\d|\bP\d+S\d+R\d+|\bP\d+N?R\d+|\([^()]*\b\d{1,3},\s*[A-Z][^()]*\)")
_MARKUP = re.compile(r"\*\*|__|<[^>]+>|\[\^?\d+\]")
_INNER_DOUBLE = str.maketrans({"“": "‘", "”": "’", '"': "'"})
LEAD_INS = (
    "As one {role} said:", "One {role} explained:", "A {role} described it this way:",
    "In the words of a {role}:", "A {role} put it as follows:",
)
ROLES = ("commissioner", "GP", "care home manager", "project lead", "nurse", "senior manager")


@dataclass(frozen=True)
class Sources:
    """The material documents are made of, read once from the real corpus."""

    headings: tuple[str, ...]
    sentences: tuple[tuple[str, ...], ...]  # prose paragraphs as sentence lists
    quotes: tuple[str, ...]


def read_sources(source_dir: Path = DEFAULT_SOURCES) -> Sources:
    """Headings, prose paragraphs and interview quotations of every `*.txt` in `source_dir`."""
    files = sorted(source_dir.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no *.txt source documents in {source_dir}")
    headings: list[str] = []
    paragraphs: list[tuple[str, ...]] = []
    quotes: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        quotes.extend(_interview_quotes(text))
        for block in re.split(r"\n\s*\n", text):
            block = _MARKUP.sub("", block).strip()
            heading = _heading(block)
            if heading:
                headings.append(heading)
            elif _is_prose(block):
                sentences = tuple(s.strip() for s in _SENTENCE_END.split(" ".join(block.split()))
                                  if s.strip() and not s.rstrip().endswith(":"))
                if len(sentences) >= 2:
                    paragraphs.append(sentences)
    if not (headings and paragraphs and quotes):
        raise ValueError(f"the sources in {source_dir} lack headings, prose or interview quotations")
    return Sources(tuple(dict.fromkeys(headings)), tuple(paragraphs), tuple(dict.fromkeys(quotes)))


def _interview_quotes(text: str) -> list[str]:
    found = []
    for quote in find_quotes(text):
        if quote.attribution is None or quote.attribution.source_kind != "interview":
            continue
        body = " ".join(quote.text.split()).strip("“”‘’\"' ")
        if 60 <= len(body) <= 1200 and not _CODE_LIKE.search(body):
            found.append(body.translate(_INNER_DOUBLE))
    return found


def _heading(block: str) -> str | None:
    if "\n" in block or len(block) > 72:
        return None
    match = _NUMBERED_HEADING.match(block) or _PLAIN_HEADING.match(block)
    if not match:
        return None
    heading = match.group(1).strip(" :")
    return heading if len(heading.split()) >= 2 else None


def _is_prose(block: str) -> bool:
    return (len(block) >= 200 and not _CODE_LIKE.search(block) and not any(m in block for m in "“”\"")
            and not block.lstrip().startswith(("-", "|", "*", "#")))


def perturb(sentence: str, rng: random.Random, rate: float = 0.5) -> str:
    """Swap some words for their synonyms (keeping an initial capital)."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        if rng.random() >= rate:
            return word
        other = _SWAPS.get(word.lower(), word)
        return other[0].upper() + other[1:] if word[0].isupper() else other

    return _WORDS.sub(swap, sentence) if sentence else sentence


def _prose(sources: Sources, rng: random.Random) -> str:
    """A paragraph of sentences from one source paragraph and one more, reordered and perturbed."""
    first, second = rng.choice(sources.sentences), rng.choice(sources.sentences)
    picked = [*rng.sample(first, min(len(first), rng.randint(2, 5))), rng.choice(second)]
    rng.shuffle(picked)
    return " ".join(perturb(s, rng) for s in picked)


def _quote(sources: Sources, rng: random.Random, code: str) -> str:
    sentences = _SENTENCE_END.split(rng.choice(sources.quotes))
    if len(sentences) > 2 and rng.random() < 0.5:
        head, tail = sentences[0], sentences[1:]
        rng.shuffle(tail)
        sentences = [head, *tail]
    body = " ".join(perturb(s, rng, rate=0.35) for s in sentences)
    lead = rng.choice(LEAD_INS).format(role=rng.choice(ROLES))
    return f"{lead}\n\n“{body}” ({code})"


def generate_document(sources: Sources, rng: random.Random, site: int,
                      pages: int = PAGES_PER_DOCUMENT) -> tuple[str, list[str]]:
    """One document's text (pages separated by form feeds) and the respondent codes it quotes."""
    respondents = [f"P{PHASE}S{site}R{n:02d}" for n in rng.sample(range(1, 60), 12)]
    used: list[str] = []
    page_texts = []
    section = 0
    for _ in range(pages):
        blocks: list[str] = []
        size = 0
        while size < PAGE_CHARS:
            roll = rng.random()
            if roll < 0.12 or not blocks:
                section += 1
                block = f"{section}. {perturb(rng.choice(sources.headings), rng)}"
            elif roll < 0.4:
                code = rng.choice(respondents)
                used.append(code)
                block = _quote(sources, rng, code)
            else:
                block = _prose(sources, rng)
            blocks.append(block)
            size += len(block)
        page_texts.append("\n\n".join(blocks))
    return "\n\n\f".join(page_texts) + "\n", used


def write_scale_corpus(out_dir: Path, n: int, seed: int = 7, source_dir: Path = DEFAULT_SOURCES,
                       pages: int = PAGES_PER_DOCUMENT) -> Path:
    """Write n documents and a manifest listing them into out_dir; return the manifest's path."""
    if n < 1:
        raise ValueError("the scale corpus needs at least one document")
    sources = read_sources(source_dir)
    rng = random.Random(seed)
    docs_dir = out_dir / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    lines = ["# Synthetic scale corpus written by bench/scale_corpus.py; do not edit.", "root: .", "documents:"]
    for number in range(n):
        site = rng.randint(1, 9)
        text, _ = generate_document(sources, rng, site, pages)
        name = f"scale_{number:04d}.txt"
        (docs_dir / name).write_text(text, encoding="utf-8")
        lines.append(f"  - {{id: scale_{number:04d}, path: docs/{name}, title: 'Synthetic report {number}', "
                     f"study: scale-study-{site}, kind: evaluation-report, year: 2024}}")
    manifest = out_dir / MANIFEST_NAME
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=20, help="number of documents")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="folder of real *.txt documents")
    args = parser.parse_args(argv)
    print(write_scale_corpus(args.out_dir, args.n, args.seed, args.sources))


if __name__ == "__main__":
    main()
