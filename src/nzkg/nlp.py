"""The one spaCy pipeline every stage shares: a blank English tokenizer, a rule-based sentencizer, and
token norms folded for matching names.

Nothing is downloaded: a blank pipeline needs no model. Sharing one instance matters because gazetteer
patterns (vocab) and release texts (release) must be tokenized and normalised the same way for phrase
matching to work. Norms are lower-cased, without accents, trailing hyphens or curly apostrophes, so a
release's "Medécins", "Nuku’alofa" or "CTF- 151" finds the vocabulary's "Médecins", "Nuku'alofa", "CTF 151".
"""

import unicodedata
from functools import cache, lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʻ": "'", "`": "'", "´": "'"})


@lru_cache(maxsize=1 << 16)  # words repeat: folding each once keeps tokenizing cheap
def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(APOSTROPHES))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.rstrip("-") or folded  # "CTF- 151" is written for "CTF 151"


@Language.component("fold_norms")
def fold_norms(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = fold(token.text)
    return doc


@cache
def pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("fold_norms")
    nlp.max_length = 50_000_000  # no parser or tagger runs, so long texts cost only tokenizing time
    return nlp
