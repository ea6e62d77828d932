"""The per-epoch table of ``verbose=1``, with colours only on a terminal."""

import os
import re
import sys

from skorch.callbacks import PrintLog

__all__ = ["EpochTable"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class EpochTable(PrintLog):
    """skorch's :class:`~skorch.callbacks.PrintLog`, coloured only on a terminal.

    skorch colours each epoch's best losses with ANSI escape codes. Logs,
    CI output and notebooks that do not render them show ``\\x1b[32m``
    instead, so the codes are kept only when the table goes to
    ``sys.stdout`` (the default sink, ``print``), that stream is a terminal
    (``sys.stdout.isatty()``) and the ``NO_COLOR`` environment variable is
    not set (https://no-color.org). The check runs at every epoch, so a
    model fitted in a terminal and refitted in a notebook prints correctly
    in both.

    Parameters
    ----------
    **kwargs
        As for :class:`skorch.callbacks.PrintLog`.

    Examples
    --------
    >>> from sklstm.training.printing import EpochTable
    >>> row = {"epoch": 1, "train_loss": 0.5, "train_loss_best": True, "dur": 0.1}
    >>> print(EpochTable().initialize().table(row))  # not a terminal here
      epoch    train_loss     dur
    -------  ------------  ------
          1        0.5000  0.1000
    """

    def colour(self):
        """Whether the table may carry ANSI colour codes now."""
        if self.sink is not print or os.environ.get("NO_COLOR"):
            return False
        isatty = getattr(sys.stdout, "isatty", None)
        return bool(isatty and isatty())

    def on_epoch_end(self, net, **kwargs):
        """Print the epoch's row; skip formatting it when nothing is printed."""
        if self.sink is print and not net.verbose:
            # skorch formats the row with tabulate and then drops it, a
            # visible share of a small model's epoch. The state stays as
            # skorch leaves it.
            self.first_iteration_ = False
            return
        super().on_epoch_end(net, **kwargs)

    def table(self, row):
        """The table of one epoch, without colour codes off a terminal."""
        text = super().table(row)
        return text if self.colour() else _ANSI.sub("", text)
