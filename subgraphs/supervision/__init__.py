"""The supervision subgraph (监督, :4003): inspection tasks, 双随机 random inspections, inspection records."""
