"""Stage 2: a `Release` → `ReleaseFacts`: what it names, who announced it, and the contributions it states."""

from nzkg.extract.contributions import find_contributions
from nzkg.extract.mentions import find_mentions, find_ministers, plain_name
from nzkg.facts import ReleaseFacts
from nzkg.release import Release
from nzkg.vocab import Vocabulary


def extract(release: Release, vocab: Vocabulary) -> ReleaseFacts:
    mentions = find_mentions(release, vocab)
    ministers = [plain_name(m) for m in release.ministers] or find_ministers(release, vocab)
    return ReleaseFacts(
        source_file=release.source_file,
        stem=release.stem,
        title=release.title,
        date=release.date,
        url=release.url,
        ministers=list(dict.fromkeys(m for m in ministers if m)),
        portfolios=release.portfolios,
        mentions=mentions,
        contributions=find_contributions(release, mentions, vocab),
        problems=list(release.problems),
    )
