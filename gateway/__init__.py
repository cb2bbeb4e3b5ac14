"""Federation gateway: supergraph → query graph → operation → planner → execution → HTTP."""
