"""The market-entities subgraph (市场主体): registration facts, credit lists and the USCC key every domain joins on."""
