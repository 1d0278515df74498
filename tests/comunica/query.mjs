// Run one SPARQL query with Comunica against a Triple Pattern Fragments interface; print the rows as JSON.
//   node query.mjs http://127.0.0.1:PORT/fragments < query.rq
// Each row is {variable: {termType, value, datatype?, language?}}; bindings Comunica leaves unbound are absent.
import { QueryEngine } from "@comunica/query-sparql";
import { readFileSync } from "node:fs";

const source = process.argv[2];
const query = readFileSync(0, "utf-8");
const engine = new QueryEngine();
const stream = await engine.queryBindings(query, { sources: [{ type: "qpf", value: source }], lenient: false });
const rows = [];
for await (const bindings of stream) {
  const row = {};
  for (const [variable, term] of bindings) {
    row[variable.value] = { termType: term.termType, value: term.value };
    if (term.termType === "Literal") {
      row[variable.value].datatype = term.datatype.value;
      if (term.language) row[variable.value].language = term.language;
    }
  }
  rows.push(row);
}
process.stdout.write(JSON.stringify(rows) + "\n");
