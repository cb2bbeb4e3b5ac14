"""`@inaccessible` consistency of the merged supergraph: the API schema left after removing inaccessible
elements must still be valid (https://specs.apollo.dev/inaccessible/v0.2, "Rules")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gateway.composition.context import Context
from gateway.composition.merged import MergedInputValue, MergedType
from gateway.composition.subgraph import Kind
from gateway.composition.typeref import is_required, named_type

INACCESSIBLE = "@inaccessible"


def validate_inaccessible(ctx: Context, merged: Mapping[str, MergedType]) -> None:
    """Report elements of the API schema that depend on `@inaccessible` ones."""
    checker = _Checker(ctx, merged)
    if checker.hidden("Query"):
        checker.report(
            "QUERY_ROOT_TYPE_INACCESSIBLE",
            'Type "Query" is @inaccessible but is the root query type, which must be in the API schema.',
            "Query",
        )
    for type_def in merged.values():
        if INACCESSIBLE not in type_def.directives:
            checker.check_type(type_def)


@dataclass(frozen=True, slots=True)
class _Checker:
    ctx: Context
    merged: Mapping[str, MergedType]

    def hidden(self, type_name: str) -> bool:
        type_def = self.merged.get(type_name)
        return type_def is not None and INACCESSIBLE in type_def.directives

    def report(self, code: str, message: str, coordinate: str) -> None:
        type_name = coordinate.split(".")[0].split("(")[0]
        subgraphs = [self.ctx.name(i) for i, _ in self.ctx.sources(type_name)]
        self.ctx.reporter.error(code, message, subgraphs, [coordinate])

    def referenced(self, target: str, referencer: str) -> None:
        if self.hidden(target):
            self.report(
                "REFERENCED_INACCESSIBLE",
                f'Type "{target}" is @inaccessible but is referenced by "{referencer}", which is in the API schema.',
                referencer,
            )

    def check_type(self, type_def: MergedType) -> None:
        for field in type_def.input_fields:
            coordinate = f"{type_def.name}.{field.name}"
            self.input_value(field, coordinate, f'Input field "{coordinate}"', "input field of its type")
        for output in type_def.fields:
            coordinate = f"{type_def.name}.{output.name}"
            if INACCESSIBLE in output.directives:
                continue
            self.referenced(named_type(output.type), coordinate)
            for arg in output.args:
                arg_coordinate = f"{coordinate}({arg.name}:)"
                self.input_value(arg, arg_coordinate, f'Argument "{arg_coordinate}"', "argument of its field")
        self.only_inaccessible_children(type_def)
        self.implemented_by_inaccessible(type_def)

    def input_value(self, value: MergedInputValue, coordinate: str, subject: str, role: str) -> None:
        """An argument or input field in the API references visible types; a hidden one must not be required."""
        if INACCESSIBLE not in value.directives:
            self.referenced(named_type(value.type), coordinate)
        elif is_required(value.type, value.default):
            self.report("REQUIRED_INACCESSIBLE", f"{subject} is @inaccessible but is a required {role}.", coordinate)

    def only_inaccessible_children(self, type_def: MergedType) -> None:
        if type_def.kind in (Kind.OBJECT, Kind.INTERFACE):
            children, what = [f.directives for f in type_def.fields], "fields"
        elif type_def.kind is Kind.INPUT_OBJECT:
            children, what = [f.directives for f in type_def.input_fields], "input fields"
        elif type_def.kind is Kind.ENUM:
            children, what = [v.directives for v in type_def.values], "values"
        else:
            return
        if children and all(INACCESSIBLE in c for c in children):
            self.report(
                "ONLY_INACCESSIBLE_CHILDREN",
                f'Type "{type_def.name}" is in the API schema but all of its {what} are @inaccessible.',
                type_def.name,
            )

    def implemented_by_inaccessible(self, type_def: MergedType) -> None:
        for interface in type_def.interfaces:
            itf = self.merged.get(interface)
            if itf is None or INACCESSIBLE in itf.directives:
                continue
            for field in type_def.fields:
                itf_field = next((f for f in itf.fields if f.name == field.name), None)
                if itf_field is None or INACCESSIBLE not in field.directives:
                    continue
                if INACCESSIBLE not in itf_field.directives:
                    self.report(
                        "IMPLEMENTED_BY_INACCESSIBLE",
                        f'Field "{type_def.name}.{field.name}" is @inaccessible but implements the interface field '
                        f'"{interface}.{field.name}", which is in the API schema.',
                        f"{type_def.name}.{field.name}",
                    )
