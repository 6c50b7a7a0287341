"""The reporting service's records: no domain records of its own — the events it stores
(:mod:`.events`) and the projections built from them (:mod:`.projections`)."""
