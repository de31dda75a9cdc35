"""Sphinx extension for the course "Async Context Managers in C++20".

Directives
----------

``.. kata:: <name>``
    Embeds a kata (staller, closer, spotlight, timeout).  Reads the starter, the doctest
    tests, the hints and the reference solution from ``exercises/`` and ``solutions/`` and
    emits the DOM the browser code builds its editor from::

        <section class="acm-kata" data-kata="NAME">
          <script type="application/json" class="acm-kata-data">{...}</script>
          <noscript>starter and tests as highlighted code</noscript>
        </section>

``.. example:: <name>``
    Shows ``examples/<name>.cpp`` (like ``literalinclude``, so a page can never drift from
    code that ``make check`` compiles and runs) followed by ``examples/<name>.out``, the
    program's expected standard output.  Options: ``:simulate:`` (flag: the browser may
    run it and draw the LED/camera/timeline), ``:lines:`` and ``:emphasize-lines:``.

``.. compile-error:: <name>``
    Shows ``examples/rejected/<name>.cpp``, code the page explains *because* compilers reject
    it, with the line marked ``// rejected: ...`` highlighted, followed by what each compiler
    says (``examples/rejected/<name>.err``).  CTest checks that the compilers really say that.

``.. trace-events::``
    The table of trace events (``ev``, extra fields, meaning), read from the trace section
    of ``ARCHITECTURE.md`` so the reference page and the contract the runtime and the browser
    code follow are one text.

``.. kata-progress::``
    A placeholder the browser fills with the learner's solved katas; without JavaScript
    (and in non-HTML builders) it is a plain list of links to the four kata pages.

For builders other than HTML every custom node degrades to its children: plain
literal blocks and lists.
"""

from __future__ import annotations

import json
import os
import re
from html import escape as html_escape
from typing import Any, Dict, List

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralIncludeReader, container_wrapper
from sphinx.util import logging, parselinenos
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import set_source_info

logger = logging.getLogger(__name__)

KATAS = ("staller", "closer", "spotlight", "timeout")

# Where each kata's page lives; the progress fallback links to these.
KATA_DOCS = {name: "docs/katas/" + name for name in KATAS}

# Assets built by the Makefile (esbuild) into _build/html/_static/acm/; Sphinx only links them.
JS_FILE = "acm/course.js"
CSS_FILE = "acm/course.css"


# --------------------------------------------------------------------------- nodes


class kata_node(nodes.General, nodes.Element):
    """``<section class="acm-kata">``; attribute ``payload`` holds the JSON text."""


class example_node(nodes.General, nodes.Element):
    """``<div class="acm-example">``; attribute ``payload`` holds the JSON text."""


class progress_node(nodes.General, nodes.Element):
    """``<div class="acm-progress" data-role="progress">`` with a fallback list."""


def json_for_script(data: Dict[str, Any]) -> str:
    """Serialise for an inline ``<script>``: a literal ``</`` would end the element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


# --------------------------------------------------------------------------- helpers


def read_required(directive: SphinxDirective, rel_path: str) -> str:
    """Read a repository file the page depends on; a missing file is a build error."""
    path = os.path.join(directive.env.srcdir, rel_path)
    if not os.path.isfile(path):
        raise directive.error(
            "%s: file %s not found (the page refers to it; add it or fix the name)"
            % (directive.name, rel_path)
        )
    directive.env.note_dependency(path)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def split_hints(markdown: str) -> List[str]:
    """Hints are the sections of hints.md that start with a line ``## title``.

    Each hint is the section's body as plain text (inline code stays in backticks); text
    before the first ``## `` (a title, say) is not a hint.  A section without a body
    contributes its title, so no hint is ever an empty string.
    """
    hints: List[str] = []
    title = None
    body: List[str] = []

    def flush() -> None:
        if title is None:
            return
        text = "\n".join(body).strip()
        hints.append(text if text else title)

    for line in markdown.splitlines():
        if line.startswith("## "):
            flush()
            title = line[3:].strip()
            body = []
        elif title is not None:
            body.append(line)
    flush()
    return hints


def code_block(directive: SphinxDirective, text: str, language: str, caption: str,
               **options: Any) -> nodes.Node:
    block = nodes.literal_block(text, text)
    block["language"] = language
    block["highlight_args"] = {}
    for key, value in options.items():
        if key == "emphasize":
            block["highlight_args"]["hl_lines"] = value
        else:
            block[key] = value
    set_source_info(directive, block)
    if caption:
        return container_wrapper(directive, block, caption)
    return block


# --------------------------------------------------------------------------- kata


class KataDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> List[nodes.Node]:
        name = self.arguments[0].strip()
        if name not in KATAS:
            raise self.error("kata: unknown kata %r (expected one of %s)" % (name, ", ".join(KATAS)))
        header = name + ".hpp"
        test_file = name + "_test.cpp"
        starter = read_required(self, "exercises/%s/%s" % (name, header))
        tests = read_required(self, "exercises/%s/%s" % (name, test_file))
        hints = split_hints(read_required(self, "exercises/%s/hints.md" % name))
        solution = read_required(self, "solutions/%s/%s" % (name, header))

        # Key order is part of the contract with the browser code; keep it.
        data = {
            "kata": name,
            "header": header,
            "test_file": test_file,
            "starter": starter,
            "tests": tests,
            "solution": solution,
            "hints": hints,
            "reference_wasm": "reference/%s.wasm" % name,
        }
        node = kata_node()
        node["kata"] = name
        node["payload"] = json_for_script(data)
        set_source_info(self, node)
        node += code_block(self, starter, "cpp", header + " (starter: edit this)")
        node += code_block(self, tests, "cpp", test_file + " (the tests)")
        return [node]


def visit_kata_html(translator, node: kata_node) -> None:
    translator.body.append(
        '<section class="acm-kata" data-kata="%s">'
        '<script type="application/json" class="acm-kata-data">%s</script>'
        "<noscript>" % (html_escape(node["kata"]), node["payload"])
    )


def depart_kata_html(translator, node: kata_node) -> None:
    translator.body.append("</noscript></section>\n")


# --------------------------------------------------------------------------- example


class ExampleDirective(SphinxDirective):
    required_arguments = 1
    has_content = False
    option_spec = {
        "simulate": directives.flag,
        "lines": directives.unchanged_required,
        "emphasize-lines": directives.unchanged_required,
    }

    def run(self) -> List[nodes.Node]:
        name = self.arguments[0].strip()
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
            raise self.error("example: %r is not a plain file name" % name)
        source_rel = "examples/%s.cpp" % name
        output_rel = "examples/%s.out" % name
        # Read through read_required for the error message and the dependency note...
        read_required(self, source_rel)
        output = read_required(self, output_rel)

        # ...then let Sphinx's own literalinclude reader apply :lines: and
        # :emphasize-lines:, so the options mean exactly what they mean there.
        reader_options = {k: v for k, v in self.options.items() if k in ("lines", "emphasize-lines")}
        path = os.path.join(self.env.srcdir, source_rel)
        try:
            text, _ = LiteralIncludeReader(path, reader_options, self.config).read(location=self.get_location())
        except Exception as exc:  # bad :lines: spec and the like
            raise self.error("example %s: %s" % (name, exc))

        emphasize = None
        if "emphasize-lines" in self.options:
            nlines = len(text.splitlines())
            try:
                emphasize = [n + 1 for n in parselinenos(self.options["emphasize-lines"], nlines)]
            except ValueError as exc:
                raise self.error("example %s: %s" % (name, exc))

        data = {
            "name": name,
            "wasm": "examples/%s.wasm" % name,
            "simulate": "simulate" in self.options,
        }
        node = example_node()
        node["example"] = name
        node["payload"] = json_for_script(data)
        set_source_info(self, node)
        options: Dict[str, Any] = {"linenos": False}
        if emphasize:
            options["emphasize"] = emphasize
        node += code_block(self, text, "cpp", "examples/%s.cpp" % name, **options)
        node += code_block(self, output if output else "(no output)\n", "text", "Output")
        return [node]


def visit_example_html(translator, node: example_node) -> None:
    translator.body.append(
        '<div class="acm-example" data-example="%s">'
        '<script type="application/json" class="acm-example-data">%s</script>'
        % (html_escape(node["example"]), node["payload"])
    )


def depart_example_html(translator, node: example_node) -> None:
    translator.body.append("</div>\n")


# --------------------------------------------------------------------------- compile-error


class CompileErrorDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> List[nodes.Node]:
        name = self.arguments[0].strip()
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
            raise self.error("compile-error: %r is not a plain file name" % name)
        source_rel = "examples/rejected/%s.cpp" % name
        source = read_required(self, source_rel)
        said = read_required(self, "examples/rejected/%s.err" % name)

        marked = [n + 1 for n, line in enumerate(source.splitlines()) if "// rejected" in line]
        if not marked:
            raise self.error("compile-error %s: mark the rejected line with a `// rejected: ...` comment" % name)

        verdicts = []
        for line in said.splitlines():
            family, _, message = line.partition(": ")
            if not message:
                continue
            verdicts.append("%-6s %s" % (family + ":", "accepts it" if message == "compiles" else message))
        if not verdicts:
            raise self.error("compile-error %s: %s.err lists no compiler" % (name, name))

        box = nodes.container(classes=["acm-rejected"])
        set_source_info(self, box)
        box += code_block(self, source, "cpp", "%s (does not compile)" % source_rel,
                          linenos=False, emphasize=marked)
        box += code_block(self, "\n".join(verdicts) + "\n", "text", "What the compilers say")
        return [box]


# --------------------------------------------------------------------------- trace-events

TRACE_CONTRACT = "ARCHITECTURE.md"
TRACE_HEADING = "## trace.jsonl"


def markdown_cell(text: str) -> nodes.paragraph:
    """A table cell's text: `spans` become literals, everything else stays plain text."""
    para = nodes.paragraph()
    for i, part in enumerate(text.split("`")):
        if not part:
            continue
        para += nodes.literal(part, part) if i % 2 else nodes.Text(part)
    return para


def markdown_table_after(text: str, heading: str) -> List[List[str]]:
    """The rows (header first) of the first Markdown table under the heading that starts with ``heading``."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    except StopIteration:
        return []
    rows: List[List[str]] = []
    for line in lines[start + 1:]:
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                rows.append(cells)
        elif rows:
            break
        elif stripped.startswith("#"):
            break
    return rows


class TraceEventsDirective(SphinxDirective):
    """One entry per row of the table: the event kinds, what they mean, then their fields.

    A definition list rather than a table: the rows have long prose cells, and a three-column
    table does not fit furo's content column.
    """

    has_content = False

    def run(self) -> List[nodes.Node]:
        rows = markdown_table_after(read_required(self, TRACE_CONTRACT), TRACE_HEADING)
        if len(rows) < 2 or any(len(row) != 3 for row in rows):
            raise self.error("trace-events: no three-column table under %r in %s" % (TRACE_HEADING, TRACE_CONTRACT))
        entries = nodes.definition_list(classes=["acm-trace-events"])
        for kinds, fields, meaning in rows[1:]:
            term = nodes.term()
            term.extend(markdown_cell(kinds).children)
            definition = nodes.definition()
            definition += markdown_cell(meaning[:1].upper() + meaning[1:] + ("" if meaning.endswith(".") else "."))
            if fields and fields != "—":
                line = markdown_cell(fields)
                line.insert(0, nodes.strong("Fields: ", "Fields: "))
                definition += line
            entries += nodes.definition_list_item("", term, definition)
        set_source_info(self, entries)
        return [entries]


# --------------------------------------------------------------------------- progress


class KataProgressDirective(SphinxDirective):
    has_content = False

    def run(self) -> List[nodes.Node]:
        node = progress_node()
        set_source_info(self, node)
        # The fallback is an ordinary bullet list of :doc: references, so links resolve
        # (and are checked) like any other cross-reference, in every builder.
        items = nodes.bullet_list(classes=["acm-progress-fallback"])
        for kata in KATAS:
            ref = nodes.inline()
            xref_nodes, messages = self.state.inline_text(":doc:`/%s`" % KATA_DOCS[kata], self.lineno)
            ref.extend(xref_nodes)
            item = nodes.list_item("", nodes.paragraph("", "", *ref.children))
            items += item
            for message in messages:
                item += message
        node += items
        return [node]


def visit_progress_html(translator, node: progress_node) -> None:
    translator.body.append('<div class="acm-progress" data-role="progress">')


def depart_progress_html(translator, node: progress_node) -> None:
    translator.body.append("</div>\n")


# --------------------------------------------------------------------------- furo, dark by default

AUTO_DARK_CSS = "acm-auto-dark.css"


def follow_system_dark_mode(app: Sphinx, exception) -> None:
    """Make furo's "auto" theme follow the reader's system setting again.

    Debian's furo 2022.12.07 ships a furo.css without the rule that applies the dark colours
    when the system prefers dark and the reader chose "auto" (upstream's CSS has it), so the
    site stayed light until someone pressed the theme button. The rule is rebuilt from the
    dark colours that *are* in that furo.css, so nothing of furo is copied into this project,
    and it is left empty where furo already has it.
    """
    if exception or app.builder.format != "html":
        return
    static = os.path.join(app.outdir, "_static")
    furo_css = os.path.join(static, "styles", "furo.css")
    rule = ""
    if os.path.isfile(furo_css):
        with open(furo_css, encoding="utf-8") as handle:
            css = handle.read()
        dark = re.search(r'body\[data-theme="dark"\]\s*\{([^}]*)\}', css)
        if dark and "prefers-color-scheme" not in css:
            rule = (
                "@media not print {\n  @media (prefers-color-scheme: dark) {\n"
                '    body:not([data-theme="light"]) {%s}\n'
                '    html body:not([data-theme="light"]) .only-light { display: none !important; }\n'
                '    body:not([data-theme="light"]) .only-dark { display: block !important; }\n'
                "  }\n}\n" % dark.group(1)
            )
    with open(os.path.join(static, AUTO_DARK_CSS), "w", encoding="utf-8") as handle:
        handle.write("/* Generated by acm_course.follow_system_dark_mode. */\n" + rule)


# --------------------------------------------------------------------------- non-HTML


def unwrap_for_other_builders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Outside HTML the wrappers mean nothing: keep only their plain children."""
    if app.builder.format == "html":
        return
    for cls in (kata_node, example_node, progress_node):
        for node in list(doctree.findall(cls)):
            node.replace_self(node.children)


def passthrough(translator, node) -> None:
    pass


def setup(app: Sphinx) -> Dict[str, Any]:
    for cls, visit, depart in (
        (kata_node, visit_kata_html, depart_kata_html),
        (example_node, visit_example_html, depart_example_html),
        (progress_node, visit_progress_html, depart_progress_html),
    ):
        app.add_node(
            cls,
            html=(visit, depart),
            # Already unwrapped by unwrap_for_other_builders; registered so a stray node
            # never breaks a builder.
            latex=(passthrough, passthrough),
            text=(passthrough, passthrough),
            man=(passthrough, passthrough),
            texinfo=(passthrough, passthrough),
        )
    app.add_directive("kata", KataDirective)
    app.add_directive("example", ExampleDirective)
    app.add_directive("compile-error", CompileErrorDirective)
    app.add_directive("trace-events", TraceEventsDirective)
    app.add_directive("kata-progress", KataProgressDirective)
    app.connect("doctree-resolved", unwrap_for_other_builders)
    app.connect("build-finished", follow_system_dark_mode)
    app.add_css_file(AUTO_DARK_CSS)

    # Built into _build/html/_static/acm/ by the Makefile, not by Sphinx: linking them
    # needs no file at build time, so a docs-only build still succeeds.
    app.add_js_file(JS_FILE, type="module")
    app.add_css_file(CSS_FILE)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
