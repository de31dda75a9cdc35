// Page entry for "Async Context Managers in C++20" (bundled to _static/acm/course.js, loaded as
// type="module" on every page by docs/_ext/acm_course.py).
//
// DOM CONTRACT with the Sphinx extension (keep both sides in step):
//
//   Kata:     <section class="acm-kata" data-kata="spotlight">
//               <script type="application/json" class="acm-kata-data">
//                 {"kata":"spotlight","header":"spotlight.hpp","test_file":"spotlight_test.cpp",
//                  "starter":"…","tests":"…","solution":"…","hints":["…","…"],
//                  "reference_wasm":"reference/spotlight.wasm"}
//               </script>
//               <noscript>…static starter and tests…</noscript>
//             </section>
//   Example:  <div class="acm-example" data-example="capture_loop">
//               <script type="application/json" class="acm-example-data">
//                 {"name":"capture_loop","wasm":"examples/capture_loop.wasm","simulate":true}
//               </script>
//               …the static code block and expected output rendered by Sphinx…
//             </div>
//   Progress: <div class="acm-progress" data-role="progress">…fallback list of links to the
//             kata pages (the hrefs end in staller/closer/spotlight/timeout .html)…</div>
//
//   Paths inside the JSON ("reference/…", "examples/…") are relative to the `acm/` static dir,
//   i.e. to this module's URL. The compiler's assets are expected under `acm/toolchain/`,
//   the workers under `acm/workers/`.
//
// What the page adds (stable hooks for browser tests, see DESIGN.md):
//   kata section: data-state="running|compiling|done" (while/after a run), class acm-ready once mounted
//   buttons data-action="run|reset|hint|solution"; simulation controls data-action="play|restart"
//   data-role="summary" (one line; data-run="reference|learner" says which run it describes)
//   data-role="run-label" ("Reference run" or "Your code"), data-role="results" (list),
//   each test li data-test-status="passed|failed" ("running" only while the run is live),
//   data-role="compile-log", data-role="output" (learner stdout/stderr), data-role="hints",
//   data-role="compiler-progress", data-role="solved" (badge)
//   simulation: data-role="led" (data-lit), data-role="frame" (data-t-ms), data-role="timeline",
//   data-role="events", data-role="case" (test case <select>), data-role="scrubber", data-role="clock"
//   localStorage: acm:code:<kata> (autosave), acm:solved:<kata> = "1"
// The kata widget (with its editor) and the example widget (with the simulation panel) are
// loaded only by pages that have one: most pages have neither, and CodeMirror is most of the code.
import { mountProgress } from './progress.js';

function readJson(root, selector) {
  const el = root.querySelector(`:scope > script.${selector}`) ?? root.querySelector(`script.${selector}`);
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch (err) {
    console.error(`acm: bad ${selector} JSON`, err);
    return null;
  }
}

async function mountKatas(roots) {
  const { KataWidget } = await import('./kata.js');
  for (const root of roots) {
    const data = readJson(root, 'acm-kata-data');
    if (!data) continue;
    data.kata ??= root.dataset.kata;
    try {
      const w = new KataWidget(root, data);
      w.runReference();
    } catch (err) {
      console.error('acm: could not mount kata', data.kata, err);
    }
  }
}

async function mountExamples(roots) {
  const { ExampleWidget } = await import('./example.js');
  for (const root of roots) {
    const data = readJson(root, 'acm-example-data');
    if (!data) continue;
    try {
      new ExampleWidget(root, data);
    } catch (err) {
      console.error('acm: could not mount example', data.name, err);
    }
  }
}

function mountAll() {
  for (const root of document.querySelectorAll('.acm-progress[data-role="progress"]:not(.acm-ready)')) mountProgress(root);
  const katas = [...document.querySelectorAll('section.acm-kata:not(.acm-ready)')];
  if (katas.length) mountKatas(katas).catch((err) => console.error('acm: could not load the kata widget', err));
  const examples = [...document.querySelectorAll('div.acm-example:not(.acm-ready)')];
  if (examples.length) mountExamples(examples).catch((err) => console.error('acm: could not load the example widget', err));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll, { once: true });
else mountAll();
