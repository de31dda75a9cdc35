// Tiny DOM builder. Everything the learner's program produced goes in as text nodes (never
// innerHTML): output, exception texts and test names are untrusted strings.

/**
 * h('div', { class: 'x', dataset: { role: 'summary' }, onclick: fn }, 'text', childNode, [more])
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Renders `inline code` spans of a hint as <code>, everything else as text. */
export function inlineCode(text) {
  return String(text).split(/(`[^`]+`)/).map((part) =>
    part.length > 1 && part.startsWith('`') && part.endsWith('`') ? h('code', {}, part.slice(1, -1)) : part);
}

/** Blank-line separated paragraphs with inline code. */
export function paragraphs(text) {
  return String(text).split(/\n\s*\n/).map((p) => h('p', {}, inlineCode(p.trim())));
}
