// What the in-page compiler makes of clang's and wasm-ld's output: the editor's markers and the
// error list under the summary are drawn from this.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDiagnostics } from '../../wasm/src/compiler/compiler.js';

test('a compile error names the learner\'s file as they know it, with line and column', () => {
  const [d] = parseDiagnostics('/work/staller.hpp:19:20: error: expected expression\n   19 |  int oops = ;\n');
  assert.deepEqual(d, { file: 'staller.hpp', line: 19, column: 20, severity: 'error', message: 'expected expression' });
});

test('course headers are shown as they are included, not where the page keeps them', () => {
  const [d] = parseDiagnostics('/kit/include/acm/async_with.hpp:40:5: note: in instantiation of function template');
  assert.equal(d.file, 'acm/async_with.hpp');
  assert.equal(d.severity, 'note');
});

test('a link error says which symbol is missing, without the object file\'s name', () => {
  const log = 'wasm-ld: error: /work/staller_test.o: undefined symbol: settle_down()\nclang++: error: linker command failed with exit code 1 (use -v to see invocation)\n';
  const [link, driver] = parseDiagnostics(log);
  assert.deepEqual(link, { file: null, line: 0, column: 0, severity: 'error', message: 'undefined symbol: settle_down()', stage: 'link' });
  assert.equal(driver.message, 'clang++: linker command failed with exit code 1 (use -v to see invocation)');
});
