"""The ``graphinflu`` click group; command modules register themselves on it.

The group is where "never a traceback" is kept for every command at once: a
:class:`~graphinflu.errors.GraphinfluError` becomes one line and exit code 1, an ``OSError`` that
a library call did not translate (a full disk, a vanished folder) becomes one line naming the file,
any other exception (a bug) one line asking for a report (``GRAPHINFLU_DEBUG=1`` shows the
traceback), and SIGTERM is turned into an orderly exit so that half-written outputs are removed.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading

import click

from .. import __version__
from ..errors import GraphinfluError


def _terminate(signum, frame):
    # raising here unwinds the stack like Ctrl-C does: every atomic write removes its temporary file
    raise SystemExit(128 + signum)


def install_signal_handlers() -> None:
    """SIGTERM (and SIGHUP) exit through Python's normal unwinding instead of killing the process on
    the spot; SIGINT already raises KeyboardInterrupt. Only possible in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, _terminate)


class GraphinfluGroup(click.Group):
    """A click group whose commands never end in a traceback for a user's mistake."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GraphinfluError as err:
            raise click.ClickException(str(err)) from err
        except OSError as err:
            if err.errno == errno.EPIPE:  # the reader went away (| head): stop quietly, as Unix tools do
                sys.exit(0)
            where = f"{err.filename}: " if err.filename else ""
            raise click.ClickException(f"{where}{err.strerror or err}\n  fix: check the path, its permissions "
                                       "and the free disk space") from err
        except MemoryError as err:
            raise click.ClickException("out of memory\n  fix: use a smaller input, or a machine with more "
                                       "memory (see README, Performance, for memory per edge count)") from err
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:  # a bug: one line for the user, the traceback on request
            if os.environ.get("GRAPHINFLU_DEBUG"):
                raise
            first = (str(err).splitlines() or [""])[0][:200]
            raise click.ClickException(
                f"internal error ({type(err).__name__}: {first}): this is a bug in graphinflu, please report it "
                "with the command you ran\n  fix: run again with GRAPHINFLU_DEBUG=1 to see the traceback") from err


@click.group(cls=GraphinfluGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="graphinflu")
def cli():
    """graphinflu: find micro-influencers who are trusted authorities in a niche.

    Reads follower lists, interactions and profiles; ranks authorities, finds niche communities,
    measures audience overlap, builds HTML maps and talks to Neo4j. Run `graphinflu demo -o out`
    to see everything on bundled data.
    """
    install_signal_handlers()
