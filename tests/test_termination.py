"""``stance._termination``: SIGTERM as an interrupt, handlers restored."""

from __future__ import annotations

import os
import signal
import time

import pytest

from stance._termination import Terminated, handle_termination


def _send_sigterm() -> None:
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)  # the handler raises before this ends


def test_sigterm_raises_terminated_and_nested_handlers_are_restored():
    before = signal.getsignal(signal.SIGTERM)
    with handle_termination():
        outer = signal.getsignal(signal.SIGTERM)
        assert outer is not before
        with handle_termination():  # the worker pool inside the command line's main
            with pytest.raises(Terminated) as caught:
                _send_sigterm()
        assert signal.getsignal(signal.SIGTERM) is outer
        with pytest.raises(Terminated):
            _send_sigterm()
    assert signal.getsignal(signal.SIGTERM) is before
    assert caught.value.exit_status == 143 and isinstance(caught.value, KeyboardInterrupt)
