"""Runs the stages over a corpus: read → extract → graph → validate → reason for each release on its own
(in parallel worker processes), then assembles the dataset and brings the store up to date. It holds no
rules of its own.

Its modules, each importing only those before it:
- `convert`: one release's conversion into an `Outcome`, and the worker processes that convert many;
- `cache`: outcomes kept by the file and everything that shapes them, so a build redoes only what changed;
- `corpus`: the files of a build, their keys, and the dataset they make with the graphs they share (`build`);
- `publishing`: the graph file written whole and the store brought in line graph by graph (`publish`).
"""

from nzkg.build.cache import Cache, settings_digest
from nzkg.build.convert import Converter, Outcome
from nzkg.build.corpus import BuildReport, Entry, build, find_sources
from nzkg.build.publishing import exclusive, publish, write_output

__all__ = ["BuildReport", "Cache", "Converter", "Entry", "Outcome", "build", "exclusive", "find_sources",
           "publish", "settings_digest", "write_output"]
