"""kaoping — 目标管理考评系统."""

__version__ = "0.1.0"
