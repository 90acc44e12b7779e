"""Mock system design interview: the domain package (no UI imports)."""
