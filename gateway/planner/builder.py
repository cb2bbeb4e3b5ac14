"""Build a query plan: assign fields to subgraphs and add `_entities` jumps over `@key` edges.

Pure and synchronous. The strategy follows the federation query-planning model: stay in the current
subgraph while it resolves fields, jump along the key edge that covers most remaining fields, fetch
`@requires` inputs before the jump, and use `@provides` to keep external fields local.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from graphql import OperationType, print_ast

from gateway.operation import INTROSPECTION_FIELDS
from gateway.planner.batching import batch_fetches
from gateway.planner.collect import collect_fields, leftover_fragments, split_units
from gateway.planner.conflicts import alias_shape_conflicts
from gateway.planner.errors import PlanningError
from gateway.planner.fetch_builder import FetchBuilder, SelectionBuilder
from gateway.planner.nodes import EntityCall, QueryPlan, RepresentationField, type_segment
from gateway.query_graph import EntityEdge, Field, InlineFragment, QueryGraph, Selection
from gateway.supergraph.records import SubgraphName

_MAX_JUMP_DEPTH = 12


@dataclass(frozen=True, slots=True)
class _Context:
    """What is true at one position of one fetch."""

    provided: tuple[Selection, ...] = ()
    known: frozenset[str] = frozenset()
    """Argument-free fields already merged at this position by earlier fetches."""
    satisfied: frozenset[str] = frozenset()
    """Fields whose `@requires` inputs this entity fetch's representations already carry."""
    type_filter: tuple[str, ...] | None = None
    candidates: frozenset[SubgraphName] | None = None
    """Subgraphs that could equally serve this position (reached through a shareable path below an
    entity); only union members and implementations common to all of them are safe to select."""


_EMPTY = _Context()


class PlanBuilder:
    """Accumulates fetches for one operation; `plan_operation` returns the frozen plan."""

    def __init__(self, graph: QueryGraph, variable_types: dict[str, str]) -> None:
        self.graph = graph
        self.variable_types = variable_types
        self.fetches: list[FetchBuilder] = []
        self._touched: list[set[int]] = []
        self._jumps: list[tuple[SubgraphName, str, tuple[str, ...], frozenset[str]]] = []
        self._aliases: dict[tuple[str, str], str] = {}

    # -- entry points ------------------------------------------------------------------------------

    def plan_operation(self, kind: OperationType, selections: tuple[Selection, ...]) -> QueryPlan:
        """Plan a whole operation's root selection."""
        sg = self.graph.supergraph
        if kind is OperationType.SUBSCRIPTION:
            root = sg.subscription_type
        else:
            root = sg.mutation_type if kind is OperationType.MUTATION else sg.query_type
        if root is None:
            raise PlanningError(f"The supergraph has no {kind.value} type.")
        fields = [
            f
            for f in collect_fields(self.graph, selections, root)
            if f.name != "__typename" and f.name not in INTROSPECTION_FIELDS
        ]
        if kind is OperationType.MUTATION:
            self._plan_mutation(root, fields)
        else:
            by_subgraph: dict[SubgraphName, FetchBuilder] = {}
            for f in fields:
                try:
                    parts = [(self._choose_root_subgraph(root, f, tuple(by_subgraph)), f)]
                except PlanningError:
                    if kind is OperationType.SUBSCRIPTION:
                        raise
                    parts = self._split_root_field(root, f)
                for subgraph, part in parts:
                    fetch = by_subgraph.get(subgraph)
                    if fetch is None:
                        fetch = self._new_fetch(subgraph, (), None, set())
                        by_subgraph[subgraph] = fetch
                    self._add_local(fetch, fetch.root, subgraph, root, part, (), _EMPTY)
        # none: every root field was removed for the caller's rights (the executor answers with those errors)
        if kind is OperationType.SUBSCRIPTION and sum(fetch.entity is None for fetch in self.fetches) > 1:
            raise PlanningError("A subscription must select exactly one field that one subgraph resolves.")
        for fetch in self.fetches:
            type_name = fetch.entity.typename if fetch.entity is not None else root
            alias_shape_conflicts(self.graph, fetch.subgraph, fetch.root, type_name)
        return QueryPlan(kind=kind.value, fetches=batch_fetches(self.fetches, kind, self.variable_types))

    def _plan_mutation(self, root: str, fields: list[Field]) -> None:
        """Root mutation fields run in document order (GraphQL spec §6.2.2); neighbours share a fetch."""
        current: FetchBuilder | None = None
        for f in fields:
            subgraph = self._choose_root_subgraph(root, f, (current.subgraph,) if current else ())
            if current is None or current.subgraph != subgraph:
                current = self._new_fetch(subgraph, (), None, {x.id for x in self.fetches})
            self._add_local(current, current.root, subgraph, root, f, (), _EMPTY)

    def _split_root_field(self, root: str, f: Field) -> list[tuple[SubgraphName, Field]]:
        """A shared root field no single subgraph can serve: ask each subgraph for the part it can."""
        graph = self.graph
        candidates = graph.subgraphs_resolving(root, f.name)
        shape = graph.field_shape(root, f.name)
        pending = [c for c in collect_fields(graph, f.selections, shape.type_name) if c.name != "__typename"]
        parts: list[tuple[SubgraphName, Field]] = []
        for subgraph in candidates:
            mine: list[Selection] = []
            for child in pending:
                trial = PlanBuilder(graph, self.variable_types)
                fetch = trial._new_fetch(subgraph, (), None, set())
                try:
                    part = Field(f.response_key, f.name, f.arguments, (child,))
                    trial._add_local(fetch, fetch.root, subgraph, root, part, (), _EMPTY)
                except PlanningError:
                    continue
                mine.append(child)
            if mine:
                pending = [c for c in pending if c not in mine]
                parts.append((subgraph, Field(f.response_key, f.name, f.arguments, tuple(mine))))
            if not pending:
                return parts
        raise PlanningError(f"No combination of subgraphs resolves the selection under {root}.{f.name}.")

    def _choose_root_subgraph(self, root: str, f: Field, preferred: tuple[SubgraphName, ...]) -> SubgraphName:
        candidates = self.graph.subgraphs_resolving(root, f.name)
        if not candidates:
            raise PlanningError(f"No subgraph resolves {root}.{f.name}.")
        if len(candidates) == 1:
            return candidates[0]
        best: tuple[int, int, int, int, SubgraphName] | None = None
        for order, subgraph in enumerate(candidates):
            trial = PlanBuilder(self.graph, self.variable_types)
            try:
                fetch = trial._new_fetch(subgraph, (), None, set())
                trial._add_local(fetch, fetch.root, subgraph, root, f, (), _EMPTY)
            except PlanningError:
                continue
            # Fewest fetches; then the preferred subgraph; then the least selected through entity calls (a
            # subgraph that @provides a nested selection beats one that must fetch it all again by key).
            remote = sum(other.root.size() for other in trial.fetches if other.entity is not None)
            score = (len(trial.fetches), 0 if subgraph in preferred else 1, remote, order, subgraph)
            if best is None or score < best:
                best = score
        if best is None:
            raise PlanningError(f"No subgraph can resolve the selection under {root}.{f.name}.")
        return best[4]

    # -- positions ---------------------------------------------------------------------------------

    def _plan_position(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        selections: tuple[Selection, ...],
        path: tuple[str, ...],
        ctx: _Context,
    ) -> None:
        """Plan `selections` at a position of `type_name` reached inside `subgraph`."""
        graph = self.graph
        if not graph.is_abstract(type_name):
            fields = collect_fields(graph, selections, type_name)
            self._plan_object(fetch, sel, subgraph, type_name, fields, path, ctx)
        elif graph.is_interface_object(subgraph, type_name):
            self._plan_interface_object(fetch, sel, subgraph, type_name, selections, path, ctx)
        else:
            self._plan_abstract(fetch, sel, subgraph, type_name, selections, path, ctx)

    def _plan_abstract(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        selections: tuple[Selection, ...],
        path: tuple[str, ...],
        ctx: _Context,
    ) -> None:
        """An interface or union the subgraph knows: ask `__typename`, then plan per runtime type."""
        graph = self.graph
        sel.add("__typename", "__typename", ())
        runtime = graph.runtime_types(subgraph, type_name)
        if ctx.candidates:
            others = [
                graph.runtime_types(c, type_name)
                for c in ctx.candidates
                if graph.has_type(c, type_name) and not graph.is_interface_object(c, type_name)
            ]
            runtime = tuple(t for t in runtime if all(t in o for o in others))
        shared = collect_fields(graph, selections, type_name)
        if not runtime and not graph.runtime_types(subgraph, type_name):
            self._plan_object(fetch, sel, subgraph, type_name, shared, path, ctx)
            return
        if (
            runtime
            and not leftover_fragments(graph, selections, type_name)
            and graph.schema.get_type(type_name) is not None
            and all(self._local_everywhere(subgraph, type_name, runtime, f, ctx) for f in shared)
        ):
            for f in shared:
                if f.name != "__typename":
                    self._add_local(fetch, sel, subgraph, type_name, f, path, ctx)
            return
        for runtime_type in runtime:
            fields = [f for f in collect_fields(graph, selections, runtime_type) if f.name != "__typename"]
            if not fields:
                continue
            inner = _Context(provided=ctx.provided, type_filter=(runtime_type,), candidates=ctx.candidates)
            self._plan_object(fetch, sel.fragment(runtime_type), subgraph, runtime_type, fields, path, inner)

    def _local_everywhere(
        self, subgraph: SubgraphName, type_name: str, runtime: tuple[str, ...], f: Field, ctx: _Context
    ) -> bool:
        """Whether the interface field resolves in `subgraph` for the interface and all its runtime types."""
        if f.name == "__typename":
            return True
        if self.graph.schema.get_type(type_name) is None or not self._is_local(
            subgraph, type_name, f.name, ctx.provided
        ):
            return False
        if not self._is_shape_local(subgraph, type_name, f):
            return False
        return all(
            self._is_local(subgraph, t, f.name, ctx.provided) and not self.graph.requires(subgraph, t, f.name)
            for t in runtime
        )

    def _is_shape_local(self, subgraph: SubgraphName, type_name: str, f: Field) -> bool:
        """Whether a field's whole sub-selection stays inside `subgraph` (so interface-level planning is safe)."""
        try:
            shape = self.graph.field_shape(type_name, f.name)
        except KeyError:
            return False
        if shape.is_leaf:
            return True
        if self.graph.is_abstract(shape.type_name):
            return False
        for child in collect_fields(self.graph, f.selections, shape.type_name):
            if child.name == "__typename":
                continue
            if not self.graph.resolves(subgraph, shape.type_name, child.name):
                return False
            if self.graph.requires(subgraph, shape.type_name, child.name):
                return False
            if not self._is_shape_local(subgraph, shape.type_name, child):
                return False
        return True

    def _plan_interface_object(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        interface: str,
        selections: tuple[Selection, ...],
        path: tuple[str, ...],
        ctx: _Context,
    ) -> None:
        """An `@interfaceObject`: interface fields as on any entity, the concrete type from a real interface owner.

        Interface-level fields are planned the same way whether or not the concrete type is needed too, so
        a field never changes source because `__typename` or a type condition joins the selection.
        """
        graph = self.graph
        fields = collect_fields(graph, selections, interface)
        leftovers = leftover_fragments(graph, selections, interface)
        typename = [f for f in fields if f.name == "__typename"]
        plain = [f for f in fields if f.name != "__typename"]
        if plain or not (typename or leftovers):
            self._plan_object(fetch, sel, subgraph, interface, plain, path, ctx)
        if not typename and not leftovers:
            return
        edges = [e for e in graph.interface_edges(interface) if e.subgraph != subgraph]
        if not edges:
            raise PlanningError(f"No subgraph can tell the concrete type of {interface} objects from {subgraph}.")
        edge = self._pick_key(fetch, path, subgraph, interface, edges, ctx)
        target = self._jump_fetch(fetch, sel, subgraph, interface, edge, (), path, ctx)
        inner = _Context(type_filter=ctx.type_filter)
        rest: tuple[Selection, ...] = (*typename[:1], *leftovers)
        self._plan_abstract(target, target.root, edge.subgraph, interface, rest, path, inner)

    def _plan_object(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        fields: list[Field],
        path: tuple[str, ...],
        ctx: _Context,
    ) -> None:
        """Fields of one object type (or an interface object): local ones here, the rest through jumps."""
        graph = self.graph
        self._touch(fetch)
        remote: list[Field] = []
        for f in fields:
            if f.name == "__typename" or f.name in INTROSPECTION_FIELDS:
                continue
            if self._is_local(subgraph, type_name, f.name, ctx.provided):
                if f.name not in ctx.satisfied and graph.requires(subgraph, type_name, f.name):
                    remote.append(f)
                elif not self._try_local(fetch, sel, subgraph, type_name, f, path, ctx):
                    rest = self._split_local(fetch, sel, subgraph, type_name, f, path, ctx)
                    remote.append(Field(f.response_key, f.name, f.arguments, rest))
            elif f.response_key == f.name and not f.arguments and not f.selections and f.name in ctx.known:
                continue
            else:
                remote.append(f)
        if remote:
            self._plan_remote(fetch, sel, subgraph, type_name, remote, path, ctx)

    def _candidates(
        self,
        subgraph: SubgraphName,
        type_name: str,
        field_name: str,
        child_type: str,
        current: frozenset[SubgraphName] | None,
    ) -> frozenset[SubgraphName] | None:
        """Subgraphs that could serve the child position as well as `subgraph` does."""
        graph = self.graph
        if current is not None:
            current = frozenset(c for c in current if graph.resolves(c, type_name, field_name)) | {subgraph}
        if not graph.is_abstract(child_type):
            keyed = frozenset(c for c in graph.subgraph_names if graph.keys(c, child_type))
            if keyed:
                return keyed | {subgraph}
        return current

    def _try_local(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        f: Field,
        path: tuple[str, ...],
        ctx: _Context,
    ) -> bool:
        """Plan `f` here; when its sub-selection cannot be reached from here, undo and report False.

        The caller then fetches `f` again from its parent entity in another subgraph.
        """
        mark = len(self.fetches)
        existing = sel.fields.get(f.response_key)
        saved = existing.copy() if existing is not None else None
        try:
            self._add_local(fetch, sel, subgraph, type_name, f, path, ctx)
        except PlanningError:
            self._rollback(mark)
            if saved is None:
                sel.fields.pop(f.response_key, None)
            else:
                sel.fields[f.response_key] = saved
            return False
        return True

    def _split_local(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        f: Field,
        path: tuple[str, ...],
        ctx: _Context,
    ) -> tuple[Selection, ...]:
        """Plan here the parts of a composite field's selection this subgraph can reach; return the rest."""
        rest: list[Selection] = []
        for child in split_units(self.graph, f.selections, self.graph.field_shape(type_name, f.name).type_name):
            part = Field(f.response_key, f.name, f.arguments, (child,))
            if not self._try_local(fetch, sel, subgraph, type_name, part, path, ctx):
                rest.append(child)
        return tuple(rest)

    def _rollback(self, mark: int) -> None:
        """Forget fetches created since `mark`."""
        del self.fetches[mark:]
        for log in self._touched:
            log.difference_update([i for i in log if i >= mark])

    def _add_local(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        f: Field,
        path: tuple[str, ...],
        ctx: _Context,
    ) -> None:
        """Select `f` in this fetch and plan its sub-selection from here."""
        graph = self.graph
        shape = graph.field_shape(type_name, f.name)
        builder = sel.add(f.response_key, f.name, f.arguments)
        if shape.is_leaf:
            return
        builder.composite = True
        below = (type_segment(ctx.type_filter), f.response_key) if ctx.type_filter else (f.response_key,)
        child_path = path + below + ("@",) * shape.list_depth
        child_provided = graph.provides(subgraph, type_name, f.name) or _narrow(graph, ctx.provided, type_name, f.name)
        child_type = shape.type_name
        declared = graph.subgraph_field_type(subgraph, type_name, f.name).strip("[]!")
        if declared and declared != child_type and graph.is_abstract(child_type) and not graph.is_abstract(declared):
            builder.sub.add("__typename", "__typename", ())  # the subgraph narrows the type (§ join__field type)
            child_type = declared
        candidates = self._candidates(subgraph, type_name, f.name, child_type, ctx.candidates)
        child_ctx = _Context(child_provided, candidates=candidates)
        self._plan_position(fetch, builder.sub, subgraph, child_type, f.selections, child_path, child_ctx)
        if not builder.sub.fields and not builder.sub.fragments:
            builder.sub.add("__typename", "__typename", ())

    # -- jumps -------------------------------------------------------------------------------------

    def _plan_remote(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        remote: list[Field],
        path: tuple[str, ...],
        ctx: _Context,
    ) -> None:
        """Cover `remote` fields with as few key jumps as possible (greedy set cover)."""
        graph = self.graph
        pending = list(remote)
        while pending:
            options: dict[tuple[SubgraphName, str], list[Field]] = {}
            edges_by_option: dict[tuple[SubgraphName, str], list[EntityEdge]] = {}
            for f in pending:
                for edge in graph.entity_edges(type_name, f.name):
                    if edge.subgraph == subgraph and not (
                        graph.resolves(subgraph, type_name, f.name) and f.name not in ctx.satisfied
                    ):
                        continue
                    option = (edge.subgraph, edge.representation_type)
                    covered = options.setdefault(option, [])
                    if f not in covered:
                        covered.append(f)
                    edges_by_option.setdefault(option, []).append(edge)
            if not options:
                names = ", ".join(f.name for f in pending)
                raise PlanningError(f"Cannot reach {type_name}.{{{names}}} from subgraph {subgraph}.")
            ranked = sorted(
                options,
                key=lambda o: self._option_score(
                    fetch, path, subgraph, type_name, o, options[o], edges_by_option[o], ctx
                ),
            )
            failure: PlanningError | None = None
            for best in ranked:
                covered = options[best]
                edge = self._pick_key(fetch, path, subgraph, type_name, _unique(edges_by_option[best]), ctx)
                mark = len(self.fetches)
                try:
                    self._jump_groups(fetch, sel, subgraph, type_name, edge, covered, path, ctx)
                except PlanningError as error:
                    self._rollback(mark)
                    failure = failure or error
                    continue
                pending = [f for f in pending if f not in covered]
                break
            else:
                assert failure is not None
                raise failure

    def _requirement_groups(self, edge: EntityEdge, covered: list[Field]) -> tuple[list[Field], list[list[Field]]]:
        """Fields without `@requires`, and groups of fields with it; two fields needing one field with
        different arguments land in different groups (a representation carries each field once)."""
        plain: list[Field] = []
        groups: list[tuple[dict[str, str], list[Field]]] = []
        for f in covered:
            requirements = self.graph.requires(edge.subgraph, edge.representation_type, f.name)
            if not requirements:
                plain.append(f)
                continue
            needs = {
                s.name: ",".join(f"{n}:{print_ast(v)}" for n, v in s.arguments)
                for s in requirements
                if isinstance(s, Field)
            }
            for seen, members in groups:
                if all(seen.get(name, args) == args for name, args in needs.items()):
                    seen.update(needs)
                    members.append(f)
                    break
            else:
                groups.append((needs, [f]))
        return plain, [members for _, members in groups]

    def _jump_groups(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        edge: EntityEdge,
        covered: list[Field],
        path: tuple[str, ...],
        ctx: _Context,
    ) -> None:
        """Plan the fields one key edge covers: `@requires` groups first, then the plain fields.

        Plain fields join a requirement-free fetch to the same subgraph that the requirements already
        created here; else the first `@requires` fetch (one `_entities` call per entity, as subgraphs
        with side effects in `__resolveReference` expect); else a fetch of their own.
        """
        plain, groups = self._requirement_groups(edge, covered)
        targets = [self._jump_and_plan(fetch, sel, subgraph, type_name, edge, g, path, ctx) for g in groups]
        if not plain:
            return
        home = next(
            (
                candidate
                for candidate in self.fetches
                if candidate.entity is not None
                and not candidate.entity.requires
                and candidate.subgraph == edge.subgraph
                and candidate.entity.typename == edge.representation_type
                and candidate.path == path
                and candidate.entity.type_filter == ctx.type_filter
                and fetch.id in candidate.depends_on
            ),
            targets[0] if targets else None,
        )
        if home is None:
            self._jump_and_plan(fetch, sel, subgraph, type_name, edge, plain, path, ctx)
            return
        inner = _Context(known=home.root.leaf_names() | sel.leaf_names() | ctx.known, type_filter=ctx.type_filter)
        self._touch(home)
        self._plan_object(home, home.root, edge.subgraph, edge.representation_type, plain, path, inner)

    def _jump_and_plan(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        edge: EntityEdge,
        covered: list[Field],
        path: tuple[str, ...],
        ctx: _Context,
    ) -> FetchBuilder:
        """Jump along `edge` and plan the covered fields in the target subgraph."""
        target = self._jump_fetch(fetch, sel, subgraph, type_name, edge, tuple(covered), path, ctx)
        target_type = edge.representation_type
        requires = self.graph.requires
        satisfied = frozenset(f.name for f in covered if requires(edge.subgraph, target_type, f.name))
        inner = _Context(
            known=target.root.leaf_names() | sel.leaf_names() | ctx.known,
            satisfied=satisfied,
            type_filter=ctx.type_filter,
        )
        self._jumps.append((edge.subgraph, target_type, path, frozenset(f.response_key for f in covered)))
        try:
            self._plan_object(target, target.root, edge.subgraph, target_type, covered, path, inner)
        finally:
            self._jumps.pop()
        return target

    def _option_score(
        self,
        fetch: FetchBuilder,
        path: tuple[str, ...],
        subgraph: SubgraphName,
        type_name: str,
        option: tuple[SubgraphName, str],
        covered: list[Field],
        edges: list[EntityEdge],
        ctx: _Context,
    ) -> tuple[int, int, int, int, str]:
        """Rank a jump: more fields covered, then more of them served whole there (no onward jump), then a key
        available here, then supergraph order."""
        local_key = any(self._key_available(fetch, path, subgraph, type_name, e, ctx) for e in edges)
        whole = sum(1 for f in covered if self._serves_whole(option[0], option[1], f))
        return (-len(covered), -whole, 0 if local_key else 1, self.graph.subgraph_names.index(option[0]), option[1])

    def _serves_whole(self, subgraph: SubgraphName, type_name: str, f: Field) -> bool:
        """Whether `subgraph` resolves `f` and everything selected below it without another fetch."""
        graph = self.graph
        if f.name == "__typename":
            return True
        if not graph.resolves(subgraph, type_name, f.name) or graph.requires(subgraph, type_name, f.name):
            return False
        shape = graph.field_shape(type_name, f.name)
        if shape.is_leaf:
            return True
        child = shape.type_name
        if graph.is_interface_object(subgraph, child):
            fields = collect_fields(graph, f.selections, child)
            if leftover_fragments(graph, f.selections, child) or any(c.name == "__typename" for c in fields):
                return False
            return all(self._serves_whole(subgraph, child, c) for c in fields)
        types = graph.runtime_types(subgraph, child) if graph.is_abstract(child) else (child,)
        return all(self._serves_whole(subgraph, t, c) for t in types for c in collect_fields(graph, f.selections, t))

    def _key_available(
        self,
        fetch: FetchBuilder,
        path: tuple[str, ...],
        subgraph: SubgraphName,
        type_name: str,
        edge: EntityEdge,
        ctx: _Context,
    ) -> bool:
        """Whether every key field is here, already merged, or served by a sibling fetch at this position."""
        return all(
            isinstance(s, Field)
            and (
                self._is_local(subgraph, type_name, s.name, ctx.provided)
                or s.name in ctx.known
                or self._sibling_for(fetch, path, ctx.type_filter, s.name, edge.subgraph) is not None
            )
            for s in edge.key
        )

    def _pick_key(
        self,
        fetch: FetchBuilder,
        path: tuple[str, ...],
        subgraph: SubgraphName,
        type_name: str,
        edges: list[EntityEdge],
        ctx: _Context,
    ) -> EntityEdge:
        """Prefer a key whose fields are already at hand; else the first key."""
        for edge in edges:
            if self._key_available(fetch, path, subgraph, type_name, edge, ctx):
                return edge
        return edges[0]

    def _jump_fetch(
        self,
        fetch: FetchBuilder,
        sel: SelectionBuilder,
        subgraph: SubgraphName,
        type_name: str,
        edge: EntityEdge,
        covered: tuple[Field, ...],
        path: tuple[str, ...],
        ctx: _Context,
    ) -> FetchBuilder:
        """Fetch key and `@requires` inputs from here, then return the `_entities` fetch that uses them."""
        if len(self._jumps) > _MAX_JUMP_DEPTH:
            raise PlanningError(f"Too many nested key jumps resolving {type_name} at {'.'.join(path)}.")
        graph = self.graph
        target_type = edge.representation_type
        jump = (edge.subgraph, target_type, path, frozenset(f.response_key for f in covered))
        if jump in self._jumps:
            raise PlanningError(f"Circular requirements resolving {type_name} at {'.'.join(path)}.")
        requires: list[Selection] = []
        for f in covered:
            requires.extend(r for r in graph.requires(edge.subgraph, target_type, f.name) if r not in requires)
        key_fields, key_reps = self._requirement(type_name, edge.key)
        req_fields, req_reps = self._requirement(type_name, tuple(requires))
        touched: set[int] = set()
        self._touched.append(touched)
        self._jumps.append(jump)
        try:
            inner = _Context(ctx.provided, ctx.known, frozenset(), ctx.type_filter)
            here: list[Selection] = []
            for needed in key_fields + req_fields:
                if isinstance(needed, Field) and not self._is_local(subgraph, type_name, needed.name, ctx.provided):
                    sibling = self._sibling_for(fetch, path, ctx.type_filter, needed.name, edge.subgraph)
                    if sibling is not None and sibling.entity is not None:
                        sibling_ctx = _Context(type_filter=ctx.type_filter)
                        sibling_type = sibling.entity.typename
                        sub = sibling.subgraph
                        if self._try_local(sibling, sibling.root, sub, sibling_type, needed, path, sibling_ctx):
                            touched.add(sibling.id)
                            continue
                here.append(needed)
            self._plan_position(fetch, sel, subgraph, type_name, tuple(here), path, inner)
        finally:
            self._jumps.pop()
            self._touched.pop()
        for outer in self._touched:
            outer.update(touched)
        call = EntityCall(typename=target_type, type_filter=ctx.type_filter, key=key_reps, requires=req_reps)
        depends = {fetch.id} | touched
        for existing in self.fetches:
            if (
                existing.subgraph == edge.subgraph
                and existing.path == path
                and existing.entity == call
                and existing.depends_on == depends
            ):
                return existing
        return self._new_fetch(edge.subgraph, path, call, depends)

    def _sibling_for(
        self,
        fetch: FetchBuilder,
        path: tuple[str, ...],
        type_filter: tuple[str, ...] | None,
        field_name: str,
        target: SubgraphName,
    ) -> FetchBuilder | None:
        """An entity fetch already planned at this position (after `fetch`) that resolves `field_name` itself."""
        for candidate in self.fetches:
            entity = candidate.entity
            if (
                entity is not None
                and candidate.path == path
                and candidate.subgraph != target
                and fetch.id in candidate.depends_on
                and entity.type_filter == type_filter
                and self.graph.resolves(candidate.subgraph, entity.typename, field_name)
                and not self.graph.requires(candidate.subgraph, entity.typename, field_name)
            ):
                return candidate
        return None

    def _requirement(
        self, type_name: str, selections: tuple[Selection, ...]
    ) -> tuple[tuple[Selection, ...], tuple[RepresentationField, ...]]:
        """Key or `@requires` fields as selections to plan plus how to copy them into representations.

        Fields with arguments get a stable alias so they never collide with a client's selection.
        """
        fields: list[Selection] = []
        reps: list[RepresentationField] = []
        for selection in selections:
            if isinstance(selection, InlineFragment):
                condition = selection.type_condition or type_name
                inner_fields, inner_reps = self._requirement(condition, selection.selections)
                fields.append(InlineFragment(selection.type_condition, inner_fields))
                possible = self.graph.possible_types(condition)
                for r in inner_reps:
                    applies = possible if r.applies_to is None else tuple(t for t in r.applies_to if t in possible)
                    reps.append(RepresentationField(r.source_key, r.name, r.selections, condition, applies))
                continue
            key = selection.name
            if selection.arguments:
                text = selection.name + "(" + ",".join(f"{n}:{print_ast(v)}" for n, v in selection.arguments) + ")"
                alias = self._aliases.get((type_name, text))
                if alias is None:
                    alias = f"_{selection.name}_r{len(self._aliases)}"
                    self._aliases[(type_name, text)] = alias
                key = alias
            child_type = type_name
            with suppress(KeyError):
                child_type = self.graph.field_shape(type_name, selection.name).type_name
            inner_fields, inner_reps = self._requirement(child_type, selection.selections)
            fields.append(Field(key, selection.name, selection.arguments, inner_fields))
            reps.append(RepresentationField(key, selection.name, inner_reps))
        return tuple(fields), tuple(reps)

    # -- bookkeeping -------------------------------------------------------------------------------

    def _is_local(self, subgraph: SubgraphName, type_name: str, name: str, provided: tuple[Selection, ...]) -> bool:
        if self.graph.resolves(subgraph, type_name, name):
            return True
        return bool(provided) and any(f.name == name for f in collect_fields(self.graph, provided, type_name))

    def _touch(self, fetch: FetchBuilder) -> None:
        for log in self._touched:
            log.add(fetch.id)

    def _new_fetch(
        self, subgraph: SubgraphName, path: tuple[str, ...], entity: EntityCall | None, depends: set[int]
    ) -> FetchBuilder:
        fetch = FetchBuilder(len(self.fetches), subgraph, path, entity, set(depends))
        self.fetches.append(fetch)
        self._touch(fetch)
        return fetch


def _narrow(graph: QueryGraph, provided: tuple[Selection, ...], type_name: str, name: str) -> tuple[Selection, ...]:
    """The part of a `@provides` selection under field `name`."""
    if not provided:
        return ()
    result: list[Selection] = []
    for f in collect_fields(graph, provided, type_name):
        if f.name == name:
            result.extend(f.selections)
    return tuple(result)


def _unique(edges: list[EntityEdge]) -> list[EntityEdge]:
    seen: list[EntityEdge] = []
    for edge in edges:
        if edge not in seen:
            seen.append(edge)
    return seen
