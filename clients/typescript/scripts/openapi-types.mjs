// Writes the types of an OpenAPI document with the pinned openapi-typescript:
//   node scripts/openapi-types.mjs [document] [output]
// `document` is a URL or a file (by default a local server's /schema/openapi.json), `output`
// src/generated/openapi.ts by default (`npm run generate -- <document>`). `make openapi-types`
// runs it on the app's document (tools/openapi_types.py), without a server.
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import ts from "typescript";

const JSON_VALUE = "#/components/schemas/JsonValue";
// The recursive JsonValue as a type alias: written inside `components` it would refer to itself
// through an indexed access, which TypeScript refuses (TS2502).
const JSON_VALUE_ALIAS = `export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
`;

const source = process.argv[2] ?? "http://127.0.0.1:8000/schema/openapi.json";
const output = process.argv[3] ?? "src/generated/openapi.ts";
const document = /^https?:\/\//.test(source) ? new URL(source) : pathToFileURL(source);

const ast = await openapiTS(document, {
  // A field with a default is optional, as `required` says: the API answers stored objects as
  // stored (unset fields left out), and a request may leave it out.
  defaultNonNullable: false,
  inject: JSON_VALUE_ALIAS,
  transform: (_schema, options) =>
    options.path === JSON_VALUE ? ts.factory.createTypeReferenceNode("JsonValue") : undefined,
  silent: true,
});
writeFileSync(output, COMMENT_HEADER + astToString(ast));
