"""The one spaCy pipeline every stage shares: a blank English tokenizer and a rule-based sentencizer.

Nothing is downloaded: a blank pipeline needs no model. Sharing one instance matters because gazetteer
patterns (vocab) and release texts (release) must be tokenized the same way for phrase matching to work.
"""

from functools import cache

import spacy
from spacy.language import Language


@cache
def pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000  # no parser or tagger runs, so long texts cost only tokenizing time
    return nlp
