// Stand-in for wasm/src/compiler/compiler.js when the build runs before the compiler exists:
// the page still works (reference runs, examples) and Run explains what is missing.
export async function createCompiler() {
  throw new Error('the in-page compiler is not part of this build (wasm/src/compiler/compiler.js is missing)');
}
