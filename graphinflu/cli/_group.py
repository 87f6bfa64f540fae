"""The ``graphinflu`` click group; command modules register themselves on it."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="graphinflu")
def cli():
    """graphinflu: find micro-influencers who are trusted authorities in a niche.

    Reads follower lists, interactions and profiles; ranks authorities, finds niche communities,
    measures audience overlap, builds HTML maps and talks to Neo4j. Run `graphinflu demo -o out`
    to see everything on bundled data.
    """
