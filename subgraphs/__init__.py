"""Domain subgraphs (Strawberry, Federation v2), each owning its own tables."""
