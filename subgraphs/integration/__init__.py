"""The integration subgraph (数据对接): what the legacy adapters did — runs, counts, lag, circuits and the records
they quarantined — for the bureau's operators, with corrections re-submitted from here."""
