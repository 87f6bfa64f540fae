#!/usr/bin/env node
// Lint Cypher files with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
//
//   node tools/cypher-lint/lint.mjs [--json] [--schema FILE] cypher/*.cypher
//
// Every diagnostic counts (errors and warnings alike): a file passes only with zero. Besides
// syntax and semantic analysis, the database schema in schema.json (labels, relationship types,
// property keys graphinflu writes) flags misspelt names, and the `// :param NAME => value` lines
// in each file's header are the only parameters the file may use. Every file except schema.cypher
// must hold exactly one statement. The GDS procedures the library calls are checked against
// gds-schema.json, read from a live Neo4j with GDS (tools/cypher-lint/gds_schema.py): their
// names, arguments and YIELD columns by the front end, and the keys of each call's configuration
// map here (a misspelt `dampingFactr` is an error), and the keys of gds.graph.project's node and
// relationship projection maps and their property mappings (`orientaton`, `agregation` are errors)
// with their orientation / aggregation values. Exit status: 0 clean, 1 diagnostics found,
// 2 usage error.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let json = false;
let schemaPath = join(here, 'schema.json');
let gdsPath = join(here, 'gds-schema.json');
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--json') json = true;
  else if (args[i] === '--schema') schemaPath = args[++i];
  else if (args[i] === '--gds-schema') gdsPath = args[++i];
  else if (args[i] === '-h' || args[i] === '--help') {
    console.log('usage: node lint.mjs [--json] [--schema FILE] [--gds-schema FILE] FILE.cypher ...');
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
const gds = JSON.parse(readFileSync(gdsPath, 'utf8'));
baseSchema.procedures = { 'CYPHER 5': gds.procedures, 'CYPHER 25': gds.procedures };

// The keys of the configuration map (the last argument, a map literal) of every `CALL gds.x(...)`.
function gdsConfigDiagnostics(text) {
  const out = [];
  const call = /\bCALL\s+(gds(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\(/gi;
  let m;
  while ((m = call.exec(text)) !== null) {
    const name = m[1];
    const allowed = gds.configKeys[name];
    if (!allowed) continue;
    // the top-level arguments up to the matching parenthesis; the last one that is a map literal
    let depth = 0, start = -1, keys = [];
    for (let i = call.lastIndex; i < text.length; i++) {
      const c = text[i];
      if (c === "'" || c === '"') { i = text.indexOf(c, i + 1); if (i < 0) break; continue; }
      if (c === '(' || c === '[') depth++;
      else if (c === '{') { depth++; if (depth === 1) { start = i; keys = []; } }
      else if (c === ')' || c === ']' || c === '}') { if (depth === 0) break; depth--; }
      else if (depth === 1 && start >= 0) {
        const k = /^([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(text.slice(i));
        const before = text.slice(start, i).replace(/\s+$/, '');
        if (k && (before.endsWith('{') || before.endsWith(','))) { keys.push([k[1], i]); i += k[1].length - 1; }
      }
    }
    for (const [key, at] of keys) {
      if (allowed.includes(key)) continue;
      const lines = text.slice(0, at).split('\n');
      const near = allowed.filter((a) => distance(a.toLowerCase(), key.toLowerCase()) <= 2);
      out.push({ line: lines.length, column: lines[lines.length - 1].length + 1, severity: 'error',
                 message: `${name} has no configuration key '${key}'` +
                          (near.length ? ` (did you mean ${near.join(', ')}?)` : '') +
                          ` [GDS ${gds.gdsVersion}]` });
    }
  }
  return out;
}

// A small reader of the literal arguments of a CALL: maps (keys with their offsets), lists,
// strings; anything else ($params, expressions) is kept as opaque text.
function readArguments(text, open) {
  let i = open + 1;
  const ws = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('//', i)) { const e = text.indexOf('\n', i); i = e < 0 ? text.length : e; }
      else if (text.startsWith('/*', i)) { const e = text.indexOf('*/', i + 2); i = e < 0 ? text.length : e + 2; }
      else return;
    }
  };
  const value = () => {
    ws();
    const c = text[i], at = i;
    if (c === "'" || c === '"') {
      let out = '';
      for (i++; i < text.length && text[i] !== c; i++) out += text[i] === '\\' ? text[++i] : text[i];
      i++;
      return { kind: 'string', value: out, at };
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      const items = [];
      i++;
      ws();
      while (i < text.length && text[i] !== close) {
        if (c === '{') {
          const k = /^(?:`([^`]*)`|([A-Za-z_][A-Za-z0-9_]*))\s*:/.exec(text.slice(i));
          if (!k) return { kind: 'other', at };
          const keyAt = i;
          i += k[0].length;
          items.push({ key: k[1] ?? k[2], at: keyAt, value: value() });
        } else items.push(value());
        ws();
        if (text[i] === ',') { i++; ws(); }
      }
      i++;
      return c === '{' ? { kind: 'map', entries: items, at } : { kind: 'list', items, at };
    }
    let depth = 0;  // opaque: up to the next top-level , ) ] }
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === "'" || ch === '"') { i = text.indexOf(ch, i + 1); if (i < 0) i = text.length; continue; }
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) { if (depth === 0) break; depth--; }
      else if (ch === ',' && depth === 0) break;
    }
    return { kind: 'other', at };
  };
  const args = [];
  ws();
  while (i < text.length && text[i] !== ')') {
    args.push(value());
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== ')') break;
  }
  return args;
}

// The keys of gds.graph.project's node and relationship projection maps (and of their property
// mappings), and the orientation / aggregation values, against gds-schema.json's projectionKeys
// (read from the projections the live server yields) and projectionValues (GDS manual). GDS
// matches keys and these values without regard to case, so the lint does too.
function gdsProjectionDiagnostics(text) {
  const out = [];
  const keys = gds.projectionKeys, values = gds.projectionValues;
  if (!keys) return out;
  const report = (at, message) => {
    const lines = text.slice(0, at).split('\n');
    out.push({ line: lines.length, column: lines[lines.length - 1].length + 1, severity: 'error',
               message: `${message} [GDS ${gds.gdsVersion}]` });
  };
  const checkMap = (proc, what, m, allowed) => {
    const lower = allowed.map((a) => a.toLowerCase());
    for (const e of m.entries) {
      if (lower.includes(e.key.toLowerCase())) continue;
      const near = allowed.filter((a) => distance(a.toLowerCase(), e.key.toLowerCase()) <= 2);
      report(e.at, `${proc}: ${what} has no key '${e.key}'` + (near.length ? ` (did you mean ${near.join(', ')}?)` : '') +
                   ` (allowed: ${allowed.join(', ')})`);
    }
    for (const e of m.entries) {
      const name = Object.keys(values).find((v) => v.toLowerCase() === e.key.toLowerCase());
      if (name && e.value.kind === 'string' && !values[name].includes(e.value.value.toUpperCase())) {
        report(e.value.at, `${proc}: ${what} has ${name} '${e.value.value}', not one of ${values[name].join(', ')}`);
      }
    }
  };
  const checkProperties = (proc, owner, v, allowed) => {
    if (v.kind !== 'map') return;
    for (const e of v.entries) {
      if (e.value.kind === 'map') checkMap(proc, `property mapping '${e.key}' of ${owner}`, e.value, allowed);
    }
  };
  const checkProjection = (proc, v, kind) => {
    if (v === undefined || v.kind !== 'map') return;
    const allowed = kind === 'node' ? keys.node : keys.relationship;
    for (const e of v.entries) {
      if (e.value.kind !== 'map') continue;
      const owner = `${kind} projection '${e.key}'`;
      checkMap(proc, owner, e.value, allowed);
      const props = e.value.entries.find((x) => x.key.toLowerCase() === 'properties');
      if (props) checkProperties(proc, owner, props.value, kind === 'node' ? keys.nodeProperty : keys.relationshipProperty);
    }
  };
  const call = /\bCALL\s+(gds\.graph\.project(?:\.estimate)?)\s*\(/gi;
  let m;
  while ((m = call.exec(text)) !== null) {
    const args = readArguments(text, call.lastIndex - 1);
    const first = m[1].toLowerCase().endsWith('.estimate') ? 0 : 1;  // project(graphName, nodes, relationships, config)
    checkProjection(m[1], args[first], 'node');
    checkProjection(m[1], args[first + 1], 'relationship');
  }
  return out;
}

function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

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
  found.push(...gdsConfigDiagnostics(text), ...gdsProjectionDiagnostics(text));
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
