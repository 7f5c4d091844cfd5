"""Where the project's data lives. nzkg runs from a checkout (`pip install -e .`): the ontology, vocabulary,
shapes and queries are plain files beside the code, so that a user extends the graph by editing them."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_FILE = PROJECT_ROOT / "ontology" / "nzkg.ttl"
VOCAB_DIR = PROJECT_ROOT / "ontology" / "vocab"
SHAPES_DIR = PROJECT_ROOT / "shapes"
QUERIES_DIR = PROJECT_ROOT / "queries"
SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_OUTPUT = PROJECT_ROOT / "build" / "nzkg.trig"
