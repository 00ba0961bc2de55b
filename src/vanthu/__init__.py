"""vanthu: Vietnamese administrative documents laid out to Decree 30/2020/NĐ-CP."""

__version__ = "0.1.0"
