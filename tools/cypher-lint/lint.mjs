#!/usr/bin/env node
// Lint Cypher files with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
//
//   node tools/cypher-lint/lint.mjs [--json] [--schema FILE] cypher/*.cypher
//
// Every diagnostic counts (errors and warnings alike): a file passes only with zero. Besides
// syntax and semantic analysis, the database schema in schema.json (labels, relationship types,
// property keys graphinflu writes) flags misspelt names, and the `// :param NAME => value` lines
// in each file's header are the only parameters the file may use. Every file except schema.cypher
// must hold exactly one statement. Exit status: 0 clean, 1 diagnostics found, 2 usage error.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let json = false;
let schemaPath = join(here, 'schema.json');
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--json') json = true;
  else if (args[i] === '--schema') schemaPath = args[++i];
  else if (args[i] === '-h' || args[i] === '--help') {
    console.log('usage: node lint.mjs [--json] [--schema FILE] FILE.cypher ...');
    process.exit(0);
  } else files.push(args[i]);
}
if (files.length === 0) {
  console.error('lint.mjs: give at least one .cypher file');
  process.exit(2);
}
const schemaFile = JSON.parse(readFileSync(schemaPath, 'utf8'));
// The front end types `row` in `UNWIND $rows AS row MATCH (a {id: row.s})` as a possible node and
// then checks `s` against the property keys, so the keys of the batch row maps are declared too.
const { rowFields = [], ...baseSchema } = schemaFile;
baseSchema.propertyKeys = [...(baseSchema.propertyKeys ?? []), ...rowFields];
const MULTI_STATEMENT = new Set(['schema.cypher']);
const PARAM_LINE = /^\s*\/\/\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?)\s*$/;

const results = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const parameters = {};
  for (const line of text.split('\n')) {
    const m = PARAM_LINE.exec(line);
    if (m) parameters[m[1]] = m[2];
  }
  const { diagnostics, symbolTables } = lintCypherQuery(text, { ...baseSchema, parameters });
  const found = diagnostics.map((d) => ({
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
    message: d.message,
  }));
  const statements = symbolTables.length;
  if (statements !== 1 && !MULTI_STATEMENT.has(basename(file))) {
    found.push({ line: 1, column: 1, severity: 'error',
                 message: `expected exactly one statement, found ${statements}` });
  }
  results.push({ file, statements, parameters: Object.keys(parameters), diagnostics: found });
}

const total = results.reduce((n, r) => n + r.diagnostics.length, 0);
if (json) {
  console.log(JSON.stringify({ files: results, diagnostics: total }, null, 1));
} else {
  for (const r of results) {
    for (const d of r.diagnostics) {
      console.log(`${r.file}:${d.line}:${d.column}: ${d.severity}: ${d.message.replace(/\s+/g, ' ')}`);
    }
  }
  console.error(`${results.length} file(s), ${total} diagnostic(s)`);
}
process.exit(total === 0 ? 0 : 1);
