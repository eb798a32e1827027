"""Stance networks: who stands how toward whom, over time.

Reads `stance predict` output (or annotation records) and aggregates, per
period, directed edges holder -> target: the holder is the claim's source
(``?`` when not known), the target each actor the sentence takes a stance
toward.  See :func:`network_edges` for the edge table, and the README's
"stance network" section for the columns and the net score.
"""

from .aggregate import EDGE_COLUMNS, POOLED, NetworkAggregator, net_interval, network_edges
from .reader import LABELS, UNDATED, UNKNOWN, load_dates, period_of, read_records
from .report import network_data, strongest, write_network

__all__ = [
    "EDGE_COLUMNS",
    "LABELS",
    "POOLED",
    "UNDATED",
    "UNKNOWN",
    "NetworkAggregator",
    "load_dates",
    "net_interval",
    "network_data",
    "network_edges",
    "period_of",
    "read_records",
    "strongest",
    "write_network",
]
