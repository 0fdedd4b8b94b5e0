"""Pure scoring: a unit's facts → item scores with explanations → grades and ranks.

Nothing here imports Django; every function is deterministic over its arguments.
"""
