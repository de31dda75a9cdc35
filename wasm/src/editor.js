// CodeMirror 6 set-up for the kata editor and the read-only test viewer.
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, defaultHighlightStyle, HighlightStyle, bracketMatching, indentOnInput } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { cpp } from '@codemirror/lang-cpp';
import { tags } from '@lezer/highlight';

// Colours come from the course's CSS variables, so the editor follows furo's light/dark switch
// without rebuilding the editor.
const theme = EditorView.theme({
  '&': { color: 'var(--acm-code-fg)', backgroundColor: 'var(--acm-code-bg)', fontSize: '0.85rem' },
  '.cm-content': { fontFamily: 'var(--acm-mono)', caretColor: 'var(--acm-fg)' },
  '.cm-gutters': { backgroundColor: 'var(--acm-code-gutter)', color: 'var(--acm-muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--acm-code-active)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--acm-code-active)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--acm-fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--acm-code-selection) !important' },
  '&.cm-focused': { outline: '2px solid var(--acm-accent)', outlineOffset: '-2px' },
  '.cm-scroller': { fontFamily: 'var(--acm-mono)', lineHeight: '1.5' },
});

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.modifier, tags.operatorKeyword], color: 'var(--acm-syn-keyword)' },
  { tag: [tags.typeName, tags.className, tags.namespace], color: 'var(--acm-syn-type)' },
  { tag: [tags.string, tags.character], color: 'var(--acm-syn-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--acm-syn-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--acm-syn-comment)', fontStyle: 'italic' },
  { tag: [tags.processingInstruction, tags.macroName], color: 'var(--acm-syn-macro)' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--acm-syn-function)' },
]);

// Keys typed in an editor belong to it. Without this, the page's own shortcuts (Sphinx's "/" to
// search, furo's) see the keydown too — they only spare <input> and <textarea> — and a learner
// typing a `//` comment would land in the search box.
const keepKeysInEditor = EditorView.domEventHandlers({ keydown: (event) => { event.stopPropagation(); return false; } });

const common = () => [
  keepKeysInEditor,
  lineNumbers(),
  syntaxHighlighting(highlight),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  cpp(),
  theme,
];

/**
 * @param {HTMLElement} parent
 * @param {{doc:string, onChange?:(doc:string)=>void, onRun?:()=>void, label?:string}} o
 */
export function createEditor(parent, { doc, onChange, onRun, label }) {
  const runKeys = Prec.highest(keymap.of([{ key: 'Mod-Enter', preventDefault: true, run: () => { onRun?.(); return true; } }]));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        runKeys,
        common(),
        highlightActiveLine(),
        highlightActiveLineGutter(),
        drawSelection(),
        history(),
        bracketMatching(),
        indentOnInput(),
        lintGutter(),
        // Long comment lines wrap rather than scroll sideways out of a narrow page column.
        EditorView.lineWrapping,
        // Tab indents (as in any code editor); Escape then Tab still leaves the editor.
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorState.tabSize.of(4),
        EditorView.contentAttributes.of({ 'aria-label': label ?? 'C++ editor' }),
        EditorView.updateListener.of((u) => { if (u.docChanged) onChange?.(u.state.doc.toString()); }),
      ],
    }),
  });
  return view;
}

export function createReadonlyViewer(parent, doc, label) {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [common(), EditorState.readOnly.of(true), EditorView.editable.of(false),
        EditorView.contentAttributes.of({ 'aria-label': label ?? 'read-only code' })],
    }),
  });
}

/** Replaces the whole document as one undoable change. */
export function setDoc(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/**
 * Compiler diagnostics → lint markers. Only diagnostics in the learner's header are placed in
 * the editor (others — e.g. in the test file — stay in the full log).
 */
/** Line `line` (1-based, clamped to the document) and the offset of `column` (1-based) on it. */
function locate(doc, line, column = 1) {
  const at = doc.line(Math.min(Math.max(1, line | 0), doc.lines));
  return { line: at, pos: Math.min(at.from + Math.max(0, (column | 0) - 1), at.to) };
}

export function showDiagnostics(view, diagnostics, header) {
  const doc = view.state.doc;
  const mine = (diagnostics ?? []).filter((d) => isLearnerFile(d.file, header) && d.line >= 1);
  const cm = (diagnostics ?? []).map((d) => undefinedSymbolMarker(doc, d)).filter(Boolean);
  cm.push(...mine.map((d) => {
    const { line, pos: from } = locate(doc, d.line, d.column);
    // Mark to the end of the word at the column (at least one character) so it is visible.
    const rest = doc.sliceString(from, line.to);
    const word = /^[\w:~]+/.exec(rest);
    const to = Math.min(line.to, from + Math.max(1, word ? word[0].length : 1));
    const severity = d.severity === 'warning' ? 'warning' : d.severity === 'note' ? 'info' : 'error';
    return { from, to: Math.max(from, to), severity, message: d.message, source: 'clang' };
  }));
  view.dispatch(setDiagnostics(view.state, cm));
  return cm.length;
}

/**
 * The linker knows no lines: "undefined symbol: Staller::settle(int)". Point at the first place
 * the learner's code names that function (usually where it is declared and never defined).
 */
function undefinedSymbolMarker(doc, d) {
  const m = d.file == null && d.severity === 'error' ? /^undefined symbol: (.+)$/.exec(d.message) : null;
  if (!m) return null;
  // "ns::Class::name(args) const" → "name"; operators and special names are not searched for.
  const name = /([A-Za-z_]\w*)\s*(?:\(|$)/.exec(m[1].replace(/\(.*$/, '('))?.[1];
  if (!name) return null;
  const found = new RegExp(`\\b${name}\\b`).exec(doc.toString());
  if (!found) return null;
  return {
    from: found.index,
    to: found.index + name.length,
    severity: 'error',
    message: `the linker found no definition of ${m[1]}: it is declared and used, but its body is missing`,
    source: 'wasm-ld',
  };
}

/** Scrolls line (1-based) into view, leaving the cursor and focus where they are. */
export function scrollToLine(view, line) {
  const { pos } = locate(view.state.doc, line);
  view.dispatch({ effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
}

/** Puts the cursor at line:column (1-based), scrolls it into view and focuses the editor. */
export function revealPosition(view, line, column = 1) {
  const { pos } = locate(view.state.doc, line, column);
  view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
  view.focus();
}

export function clearDiagnostics(view) {
  view.dispatch(setDiagnostics(view.state, []));
}

function isLearnerFile(file, header) {
  if (!file) return false;
  const base = String(file).split(/[\\/]/).pop();
  return base === header;
}
