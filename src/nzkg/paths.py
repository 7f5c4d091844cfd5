"""Where the project's data lives. The ontology, vocabulary, shapes, named queries and seeds ship inside the
package (`nzkg/data/`) and are found with importlib.resources, so an installed wheel has them wherever it is.
In a checkout `src/nzkg/data/ontology`, `shapes`, `queries` and `seeds` are symbolic links to the folders at
the top of the checkout, the one copy of them a user edits to extend the graph."""

from importlib.resources import files
from pathlib import Path

# A real directory for a wheel installed as usual and for an editable install alike (not for a zipped package).
DATA_DIR = Path(str(files("nzkg") / "data"))
ONTOLOGY_FILE = DATA_DIR / "ontology" / "nzkg.ttl"
VOCAB_DIR = DATA_DIR / "ontology" / "vocab"
SHAPES_DIR = DATA_DIR / "shapes"
QUERIES_DIR = DATA_DIR / "queries"
SEEDS_DIR = DATA_DIR / "seeds"

# What `nzkg build` writes and `nzkg serve` reads by default, in the current directory.
DEFAULT_GRAPH_FILE = Path("build/nzkg.trig")
DEFAULT_STORE = Path("build/store")
