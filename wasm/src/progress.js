// Course index: which katas this browser has solved (localStorage `acm:solved:<kata>` = "1",
// set by a learner run that passed every test). The Sphinx extension leaves a fallback list of
// links to the kata pages inside the placeholder; we reuse those links.
import { h } from './dom.js';
import { KATAS, store, solvedKey, codeKey } from './services.js';

export function mountProgress(root) {
  const links = new Map();
  for (const a of root.querySelectorAll('a[href]')) {
    const kata = KATAS.find((k) => new RegExp(`(^|/)${k.kata}(\\.html|/|$|#)`).test(a.getAttribute('href')));
    if (kata && !links.has(kata.kata)) links.set(kata.kata, { href: a.getAttribute('href'), text: a.textContent.trim() });
  }
  const render = () => {
    const solved = KATAS.filter((k) => store.get(solvedKey(k.kata)) === '1').length;
    const items = KATAS.map((k) => {
      const done = store.get(solvedKey(k.kata)) === '1';
      const started = !done && store.get(codeKey(k.kata)) != null;
      const link = links.get(k.kata);
      const title = link ? h('a', { href: link.href }, k.title) : h('span', {}, k.title);
      return h('li', { class: `acm-progress__item${done ? ' is-solved' : ''}`, dataset: { kata: k.kata, solved: String(done) } },
        h('span', { class: 'acm-progress__mark', 'aria-hidden': 'true' }, done ? '✓' : started ? '…' : ''),
        title,
        h('span', { class: 'acm-progress__state' }, done ? 'solved' : started ? 'started' : 'not solved yet'));
    });
    root.replaceChildren(
      h('div', { class: 'acm-progress__head' },
        h('span', { class: 'acm-progress__count', dataset: { role: 'solved-count' } }, `${solved} of ${KATAS.length} katas solved`),
        h('span', { class: 'acm-progress__meter', 'aria-hidden': 'true' }, h('span', { style: `width: ${(solved / KATAS.length) * 100}%` }))),
      h('ol', { class: 'acm-progress__list' }, items));
    root.classList.add('acm-ready');
  };
  render();
  // Solved in another tab, or in a widget on this same page.
  window.addEventListener('storage', (e) => { if (!e.key || e.key.startsWith('acm:')) render(); });
  window.addEventListener('acm:solved', render);
}
