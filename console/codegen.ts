// Types for every operation in src/ from the checked-in supergraph: a schema change that breaks a query fails here
// (unknown field, wrong argument) or in `tsc` (a field whose type changed).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema/supergraph.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string",
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          Date: "string",
          DateTime: "string",
          Decimal: "string",
          Time: "string",
          join__FieldSet: "string",
          join__FieldValue: "string",
          join__DirectiveArguments: "unknown",
          link__Import: "unknown",
          policy__Policy: "string",
          requiresScopes__Scope: "string",
        },
        skipTypename: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
  errorsOnly: true,
};

export default config;
