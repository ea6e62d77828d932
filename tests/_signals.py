"""Ctrl-C in tests, delivered at a known point."""

import signal


def press_ctrl_c():
    """Do what the terminal's Ctrl-C does: run the process's SIGINT handler.

    Calling the handler directly, instead of ``os.kill(os.getpid(), SIGINT)``,
    makes the interruption happen exactly here, whatever the load and the
    test runner (a real signal is handled whenever the main thread next runs
    Python code).
    """
    handler = signal.getsignal(signal.SIGINT)
    if not callable(handler):
        raise KeyboardInterrupt
    handler(signal.SIGINT, None)
