// Holds a real trace file (ACM_TRACE output) to the documented format:
//
//   node tests/runtime/check_trace.mjs trace.jsonl ARCHITECTURE.md include/acm/trace.hpp
//
// - every line is one JSON object whose first two keys are "ev" and "t_ms";
// - every event kind and every field it carries appears in both tables (ARCHITECTURE.md's and the
//   comment in trace.hpp), and the two tables list the same runtime events;
// - the fields the browser relies on are there, with the right types and values;
// - virtual time never goes back during a run.
// Prints what is wrong, line by line, and exits 1; prints a summary and exits 0 when all is well.
import fs from 'node:fs';

const [tracePath, architecturePath, headerPath] = process.argv.slice(2);
if (!headerPath) {
  console.error('usage: check_trace.mjs trace.jsonl ARCHITECTURE.md include/acm/trace.hpp');
  process.exit(2);
}

const identifiers = (text) => new Set(text.match(/[a-z_][a-z0-9_]*/g) ?? []);

// ARCHITECTURE.md: the table under "trace.jsonl"; first cell = the kinds, the whole row = fields.
function tableFromArchitecture(text) {
  const start = text.indexOf('## trace.jsonl');
  const end = text.indexOf('\n## ', start + 1);
  const table = new Map();
  for (const row of text.slice(start, end === -1 ? undefined : end).split('\n')) {
    if (!row.startsWith('| `')) continue;
    const cells = row.split('|').slice(1, -1);
    const backticked = (cell) => [...cell.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
    const fields = new Set(backticked(row).filter((w) => /^[a-z_][a-z0-9_]*$/.test(w)));
    for (const kind of backticked(cells[0])) if (kind !== 'ev') table.set(kind, fields);  // not the header row
  }
  return table;
}

// trace.hpp: the comment block after "The events and their other fields:". An entry starts on a
// line indented by three spaces (the kinds); deeper lines continue it.
function tableFromHeader(text) {
  const start = text.indexOf('The events and their other fields:');
  const end = text.indexOf('\n\n', start);
  const table = new Map();
  let kinds = [];
  for (const raw of text.slice(start, end).split('\n').slice(1)) {
    const line = raw.replace(/^\/\/ ?/, '');
    if (/^ {2}[a-z]/.test(line)) {
      const [kindPart, ...rest] = line.trim().split(/ {2,}/);
      const kindsHere = kindPart.split(/,\s*/).filter((k) => /^[a-z_]+$/.test(k));
      if (kindsHere.length && kindsHere.length === kindPart.split(/,\s*/).length) {
        kinds = kindsHere;
        for (const k of kinds) table.set(k, identifiers(rest.join(' ')));
        continue;
      }
    }
    for (const k of kinds) for (const w of identifiers(line)) table.get(k).add(w);
  }
  return table;
}

const architecture = tableFromArchitecture(fs.readFileSync(architecturePath, 'utf8'));
const header = tableFromHeader(fs.readFileSync(headerPath, 'utf8'));
const problems = [];

// The simulated file/http/process document their events only in ARCHITECTURE.md.
const simOnly = new Set(['file', 'http', 'process']);
for (const kind of header.keys()) if (!architecture.has(kind)) problems.push(`trace.hpp documents "${kind}", ARCHITECTURE.md does not`);
for (const kind of architecture.keys())
  if (!header.has(kind) && !simOnly.has(kind)) problems.push(`ARCHITECTURE.md documents "${kind}", trace.hpp does not`);

// What the browser relies on. `?` marks a field that may be absent.
const id = (v) => Number.isInteger(v) && v >= 0;
const time = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const str = (v) => typeof v === 'string';
const bool = (v) => typeof v === 'boolean';
const oneOf = (...values) => (v) => values.includes(v);
const unit = (v) => typeof v === 'number' && v >= 0 && v <= 1;
const curve = (v) => Array.isArray(v) && v.length > 0 && v.every((p) => Array.isArray(p) && p.length === 2 && time(p[0]) && unit(p[1]));
const pixels = (v) => Array.isArray(v) && v.every((p) => Number.isInteger(p) && p >= 0 && p <= 255);
const phase = { cm: id, name: str, depth: id, task: id };
const phaseEnd = { ...phase, outcome: oneOf('ok', 'exception'), 'what?': str };
const rules = {
  test: { name: str },
  run_begin: { loop: id },
  run_end: { loop: id, outcome: oneOf('ok', 'exception'), 'what?': str },
  task_spawn: { task: id, name: str },
  task_done: { task: id, name: str, outcome: oneOf('ok', 'exception', 'cancelled') },
  aenter_begin: phase,
  body_begin: phase,
  aexit_begin: phase,
  aenter_end: phaseEnd,
  body_end: phaseEnd,
  aexit_end: { ...phaseEnd, suppressed: bool },
  exception: { cm: id, name: str, type: str, what: str, action: oneOf('raised', 'suppressed', 'propagated') },
  timer_scheduled: { timer: id, due_ms: time, label: str },
  timer_fired: { timer: id, label: str },
  timer_cancelled: { timer: id, label: str },
  cancel_requested: { task: id, reason: str, 'by_task?': id },
  cancelled: { task: id, at: str },
  led: { led: str, on: bool, curve },
  capture: { camera: str, start_ms: time, exposure_ms: time, width: id, height: id, pixels, brightness: unit },
  guard: { kind: oneOf('deadlock', 'time_limit', 'step_limit'), message: str },
  note: { text: str },
};

const lines = fs.readFileSync(tracePath, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const seen = new Map();
let runTime = null;  // virtual time within the current run, null outside runs
lines.forEach((text, i) => {
  const where = `line ${i + 1}`;
  let ev;
  try {
    ev = JSON.parse(text);
  } catch (error) {
    problems.push(`${where}: not JSON (${error.message}): ${text.slice(0, 120)}`);
    return;
  }
  if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) return problems.push(`${where}: not an object`);
  const keys = Object.keys(ev);
  if (keys[0] !== 'ev' || keys[1] !== 't_ms') problems.push(`${where}: must start with "ev" and "t_ms": ${text.slice(0, 120)}`);
  if (!time(ev.t_ms)) problems.push(`${where}: t_ms is not a time: ${ev.t_ms}`);
  const kind = ev.ev;
  seen.set(kind, (seen.get(kind) ?? 0) + 1);
  for (const [name, table] of [['ARCHITECTURE.md', architecture], ['trace.hpp', header]]) {
    if (name === 'trace.hpp' && simOnly.has(kind)) continue;
    if (!table.has(kind)) problems.push(`${where}: event "${kind}" is not documented in ${name}`);
    else for (const key of keys.slice(2)) if (!table.get(kind).has(key)) problems.push(`${where}: field "${key}" of "${kind}" is not documented in ${name}`);
  }
  const rule = rules[kind];
  if (rule) {
    for (const [spec, ok] of Object.entries(rule)) {
      const optional = spec.endsWith('?');
      const key = optional ? spec.slice(0, -1) : spec;
      if (!(key in ev)) {
        if (!optional) problems.push(`${where}: "${kind}" lacks "${key}"`);
      } else if (!ok(ev[key])) {
        problems.push(`${where}: "${kind}".${key} has a wrong value: ${JSON.stringify(ev[key]).slice(0, 80)}`);
      }
    }
  }
  if (kind === 'capture' && Array.isArray(ev.pixels) && ev.pixels.length !== ev.width * ev.height)
    problems.push(`${where}: capture has ${ev.pixels.length} pixels for ${ev.width}x${ev.height}`);
  if (kind === 'run_begin') runTime = ev.t_ms;
  else if (runTime !== null) {
    if (ev.t_ms < runTime) problems.push(`${where}: virtual time went back from ${runTime} to ${ev.t_ms} during a run`);
    runTime = kind === 'run_end' ? null : ev.t_ms;
  }
});

if (lines.length === 0) problems.push('the trace is empty: was ACM_TRACE honoured?');
if (lines.some((l) => l.includes('"trace truncated'))) problems.push('the trace hit its line limit: trace a smaller run');
if (problems.length) {
  console.error(`${tracePath}: ${problems.length} problem(s)`);
  for (const p of problems.slice(0, 50)) console.error('  ' + p);
  process.exit(1);
}
const summary = [...seen].map(([k, n]) => `${k} ${n}`).join(', ');
console.log(`${lines.length} lines match the documented format (${summary})`);
