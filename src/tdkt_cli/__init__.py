"""tdkt: records and documents of Vietnamese emulation blocs (khối thi đua)."""

__version__ = "0.1.0"
