#!/usr/bin/env python3
"""Each call's description, errors and examples, kept in docs/calls.toml,
in the doc comment of that call in every binding.

    scripts/call-docs.py --check   fail when a doc comment lacks its call's
                                   summary, errors line or example, when a
                                   call of src/dispatch.rs has no entry, or
                                   when a generated example runner is stale
    scripts/call-docs.py --write   rewrite the doc comments and the runners

The runners are the Go, Java and C examples as tests (the Rust ones are
rustdoc tests; python/tests/test_call_docs.py and the Node test
call-docs.test.js read theirs from the docstrings and index.d.ts).

The Python module's docstrings take their examples from python/src/examples.rs,
written here too: eiam.Client and eiam.AsyncClient share the Rust of their
calls, and an AsyncClient's example awaits each call.

A doc comment is read as paragraphs: the first is the summary, the one
starting "Errors:" the errors line, and the example section (from its
heading to the end) is last; --write replaces those and keeps every other
paragraph (what only that binding has to say: C's out-parameters and
# Safety, a Go nil, a Python callback) in place between them.

The C header is checked as users read it (include/eiam.h) and written
where cbindgen copies it from (src/ffi/); rebuild to regenerate the header.
"""
import argparse
import pathlib
import re
import sys
import textwrap
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOME = ROOT / "docs" / "calls.toml"
WIDTH = 80
EXAMPLE_HEADING = {
    "rust": "# Examples",
    "python": "Example (eiam.Client):",
    "pyi": "Example (eiam.Client):",
    "python-async": "Example (eiam.AsyncClient):",
    "go": "Example:",
    "node": "@example",
    "java": "<p>Example:",
    "c": "# Examples",
}
GO_EXAMPLES = ROOT / "bindings" / "go" / "example_calls_test.go"
PYTHON_EXAMPLES = ROOT / "python" / "src" / "examples.rs"
JAVA_EXAMPLES = ROOT / "bindings/java/src/test/java/io/github/eiam/CallExamplesTest.java"
C_EXAMPLES = ROOT / "tests" / "c" / "call_examples.c"
CPP_HEADER = ROOT / "bindings" / "cpp" / "include" / "eiam.hpp"


def dispatch_calls():
    """The calls the core knows by name: src/dispatch.rs's CALLS."""
    text = (ROOT / "src" / "dispatch.rs").read_text()
    body = re.search(r"const CALLS: &\[&str\] = &\[(.*?)\];", text, re.S)
    return re.findall(r'"([a-z_]+)"', body.group(1))


def camel(snake, upper_first=False, go=False):
    words = snake.split("_")
    if go:
        words = ["ID" if w == "id" else w for w in words]
    out = words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])
    return out[:1].upper() + out[1:] if upper_first else out


# The statuses as each binding names them (the C ABI's eiam_status names).
STATUSES = {
    "INVALID_ARGUMENT": ("InvalidArgument", "InvalidArgumentError", "StatusInvalidArgument"),
    "API_ERROR": ("Api", "ApiError", "StatusAPIError"),
    "AUTH_ERROR": ("Auth", "AuthError", "StatusAuthError"),
    "TRANSPORT_ERROR": ("Transport", "TransportError", "StatusTransportError"),
    "TIMEOUT": ("Timeout", "TimeoutError", "StatusTimeout"),
    "PROTOCOL_ERROR": ("Protocol", "ProtocolError", "StatusProtocolError"),
    "INTERNAL_ERROR": ("Internal", "EiamError", "StatusInternalError"),
    "CANCELLED": ("Cancelled", "CancelledError", "StatusCancelled"),
}


def status_name(status, lang):
    rust, python, go = STATUSES[status]
    return {
        "rust": f"[`ErrorKind::{rust}`](crate::ErrorKind::{rust})",
        "c": f"`EIAM_STATUS_{status}`",
        "python": f"`{python}`",
        "pyi": f"`{python}`",
        "go": go,
        "node": f"`Status.{status}`",
        "java": "{@link Status#" + status + "}",
    }[lang]


def binding_name(call, lang, entry):
    """The name `call` has in `lang` (a binding of the C ABI or the core)."""
    names = entry.get("names", {})
    key = "python" if lang == "pyi" else lang
    if key in names:
        return names[key]
    return {
        "rust": call,
        "python": call,
        "cpp": call,
        "c": "eiam_" + call,
        "go": camel(call, upper_first=True, go=True),
        "node": camel(call),
        "java": camel(call),
    }[key]


class Home:
    def __init__(self):
        self.entries = tomllib.loads(HOME.read_text())
        self.languages = self.entries.pop("languages", {})

    def name(self, call, lang):
        return binding_name(call, lang, self.entries[call])

    def localize(self, text, lang):
        """`text` as `lang` writes it: parameters, calls and statuses in
        its spelling, code spans in its markup, one paragraph per blank line
        ("neutral": as written here)."""

        def span(m):
            word = m.group(1)
            if lang == "neutral":  # as calls.toml writes it
                return m.group(0)
            if word in STATUSES:
                return status_name(word, lang)
            if word in self.entries:
                word = self.name(word, lang)
            elif re.fullmatch(r"[a-z]+(_[a-z]+)*", word) and lang in ("go", "node", "java"):
                word = camel(word, go=lang == "go")
            if lang == "go":
                return word
            if lang == "java":
                return "{@code " + word + "}"
            return "`" + word + "`"

        if lang == "java":
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = re.sub(r"`([^`]+)`", span, text)
        return [" ".join(p.split()) for p in text.strip().split("\n\n")]

    def summary(self, call, lang):
        paragraphs = self.localize(self.entries[call]["summary"], lang)
        if lang == "go":
            first = paragraphs[0]
            paragraphs[0] = self.name(call, lang) + " " + first[:1].lower() + first[1:]
        return paragraphs

    def errors(self, call, lang):
        return ["Errors: " + p for p in self.localize(self.entries[call]["errors"], lang)]

    def example(self, call, lang, cls="Client"):
        """The example section's lines, or [] when `lang` has none (or, as
        in the Python module, has it elsewhere). `cls`: the Python class
        whose docstring it is."""
        if lang == "python":
            return []
        if lang == "pyi":
            return self.python_example(call, cls)
        code = self.entries[call].get("examples", {}).get(lang)
        if code is None:
            return []
        code = code.strip("\n").splitlines()
        if lang == "rust":
            setup = self.languages["rust"]
            code = (
                ["```"]
                + setup["prelude"].strip("\n").splitlines()
                + code
                + setup["epilogue"].strip("\n").splitlines()
                + ["```"]
            )
        elif lang == "go":
            code = ["\t" + line if line else "" for line in code]
        elif lang == "node":
            return [EXAMPLE_HEADING[lang]] + code
        elif lang == "c":
            return [EXAMPLE_HEADING[lang], "", "```c"] + code + ["```"]
        elif lang == "java":
            return [EXAMPLE_HEADING[lang], "<pre>{@code"] + code + ["}</pre>"]
        return [EXAMPLE_HEADING[lang], ""] + code

    def python_example(self, call, cls):
        """The example section of `call`'s docstring in Python class `cls`:
        an eiam.AsyncClient awaits the same calls."""
        code = self.entries[call]["examples"]["python"].strip("\n")
        heading = EXAMPLE_HEADING["python"]
        if cls == "AsyncClient":
            code, heading = awaited(code), EXAMPLE_HEADING["python-async"]
        return [heading, ""] + ["    " + line if line else "" for line in code.splitlines()]

    def python_examples(self):
        """python/src/examples.rs: the example section of each call's
        docstring, for `#[doc = python_example!(Client, name)]`. The two
        classes share the Rust of their calls (python/src/calls.rs), so a
        macro picks each one's text."""
        arms = []
        for call in dispatch_calls():
            for cls in ("Client", "AsyncClient"):
                text = "\n".join(self.python_example(call, cls))
                if '"#' in text:
                    sys.exit(f"docs/calls.toml: the Python example of {call} has '\"#', which ends a Rust raw string")
                # The leading newline makes the blank line before the heading.
                arms.append(f"    ({cls}, {self.name(call, 'python')}) => {{\n        r#\"\n{text}\"#\n    }};\n")
        return (
            "//! Generated by scripts/call-docs.py from docs/calls.toml. Do not edit.\n"
            "//! The example section of each call's docstring, as `eiam.Client`\n"
            "//! and as `eiam.AsyncClient` write it.\n\n"
            "/// `python_example!(Client | AsyncClient, call)`: the docstring's example.\n"
            "macro_rules! python_example {\n" + "".join(arms) + "}\n\n"
            "pub(crate) use python_example;\n"
        )

    def c_examples(self):
        """tests/c/call_examples.c: each C example as a function, which
        main runs on a client of a freshly reset mock (scripts/c-tests.sh
        runs it shared, static, under ASan and under valgrind)."""
        functions, names = [], []
        for call in dispatch_calls():
            code = self.entries[call].get("examples", {}).get("c")
            if code is None:
                continue
            body = ["    " + line if line else "" for line in code.strip("\n").splitlines()]
            names.append(f"example_{call}")
            functions.append(f"static void example_{call}(const struct eiam_client *client) {{\n" + "\n".join(body) + "\n}\n")
        table = "".join(f"    {{\"{self.name(n.removeprefix('example_'), 'c')}\", {n}}},\n" for n in names)
        return (
            "/* Generated by scripts/call-docs.py from docs/calls.toml. Do not edit.\n"
            " * The examples of the calls' doc comments in include/eiam.h, each run\n"
            " * on a client of a freshly reset mock. */\n"
            "#include <assert.h>\n#include <stddef.h>\n#include <string.h>\n\n"
            '#include "check.h"\n#include "eiam.h"\n\n' + "\n".join(functions) + "\n"
            "static const struct {\n    const char *name;\n    void (*run)(const struct eiam_client *client);\n"
            "} examples[] = {\n" + table + "};\n\n"
            "int main(void) {\n"
            "    read_mock_env();\n"
            "    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {\n"
            "        reset_mock();\n"
            "        eiam_config *cfg = eiam_config_new();\n"
            "        CHECK(eiam_config_set_base_url(cfg, mock_url, NULL) == EIAM_STATUS_OK);\n"
            "        CHECK(eiam_config_set_client_credentials(cfg, client_id, client_secret, NULL) == EIAM_STATUS_OK);\n"
            "        eiam_client *client = NULL;\n"
            "        CHECK(eiam_client_new(cfg, &client, NULL) == EIAM_STATUS_OK);\n"
            "        eiam_config_free(cfg);\n"
            "        examples[i].run(client); /* an assert that fails aborts */\n"
            "        eiam_client_free(client);\n"
            '        printf("example of %s: ok\\n", examples[i].name);\n'
            "        check_passed++;\n"
            "    }\n"
            "    return check_exit_status();\n"
            "}\n"
        )

    def java_examples(self):
        """CallExamplesTest.java: each Java example as a JUnit test on a
        fresh mock (MockTest resets it and makes `client`)."""
        tests = []
        for call in dispatch_calls():
            code = self.entries[call].get("examples", {}).get("java")
            if code is None:
                continue
            body = ["        " + line if line else "" for line in code.strip("\n").splitlines()]
            tests.append(f"    @Test\n    void {self.name(call, 'java')}() {{\n" + "\n".join(body) + "\n    }\n")
        return (
            "// Generated by scripts/call-docs.py from docs/calls.toml. Do not edit.\n"
            "package io.github.eiam;\n\n"
            "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
            "import static org.junit.jupiter.api.Assertions.assertThrows;\n"
            "import static org.junit.jupiter.api.Assertions.assertTrue;\n\n"
            "import java.util.List;\n"
            "import java.util.stream.Stream;\n"
            "import org.junit.jupiter.api.Test;\n\n"
            "/** The examples of the calls' javadoc, each on a fresh mock. */\n"
            "class CallExamplesTest extends MockTest {\n" + "\n".join(tests) + "}\n"
        )

    def go_examples(self):
        """bindings/go/example_calls_test.go: each Go example as an Example
        function, which go test runs and checks against its Output."""
        functions = []
        for call in dispatch_calls():
            code = self.entries[call].get("examples", {}).get("go")
            if code is None:
                continue
            body = ["\t" + line if line else "" for line in code.strip("\n").splitlines()]
            functions.append(
                f"func ExampleClient_{self.name(call, 'go')}() {{\n"
                "\tclient, ctx, done := eiam.MockedClient()\n"
                "\tdefer done()\n" + "\n".join(body) + "\n}\n"
            )
        text = "\n".join(functions)
        imports = [f'\t"{name}"' for name in ("encoding/json", "errors", "fmt") if name.split("/")[-1] + "." in text]
        return (
            "// Code generated by scripts/call-docs.py from docs/calls.toml. DO NOT EDIT.\n\n"
            "// The examples of the calls' doc comments, each run by go test on a\n"
            "// fresh mock and checked against its Output.\n"
            "package eiam_test\n\n"
            "import (\n" + "\n".join(imports) + "\n\n"
            '\teiam "example.invalid/eiam/bindings/go"\n)\n\n' + text
        )


def normalized(text):
    return " ".join(text.split())


def awaited(code):
    """A Client example as an AsyncClient runs it: every call awaited (in
    parentheses when its result is used further) and every walk read with
    `async for`."""
    code = re.sub(r"\bfor (\w+) in client\.iter_", r"async for \1 in client.iter_", code)
    out, at = [], 0
    for m in re.finditer(r"\bclient\.(\w+)\(", code):
        if m.group(1).startswith("iter_"):
            continue
        depth, end = 0, m.end() - 1
        for end in range(m.end() - 1, len(code)):
            depth += {"(": 1, ")": -1}.get(code[end], 0)
            if depth == 0:
                break
        call = code[m.start() : end + 1]
        used = code[end + 1 : end + 2] in (".", "[")
        out += [code[at : m.start()], f"(await {call})" if used else f"await {call}"]
        at = end + 1
    return "".join(out + [code[at:]])


# --------------------------------------------------------------- doc comments


class Doc:
    """A doc comment found in a file: its lines [start, end) (empty when
    there is none yet: start == end is where it goes), its text (markers
    stripped) and the indent of what it documents."""

    def __init__(self, path, start, end, text_lines, indent, decl=None):
        self.path, self.start, self.end = path, start, end
        self.text_lines, self.indent = text_lines, indent
        self.decl = decl

    @property
    def text(self):
        return "\n".join(self.text_lines)


def is_attribute_line(line):
    s = line.strip()
    return bool(s) and not s.startswith("//") and not s.endswith(("{", "}", ";", "*/")) or s == ")]"


def slash_doc(path, lines, decl, marker):
    """The `marker` comment (`///`, `//`) above line `decl`, over any
    attributes (`#[no_mangle]`, a multi-line `#[pyo3(...)]`)."""
    i = decl
    while i > 0 and is_attribute_line(lines[i - 1]) and not lines[i - 1].lstrip().startswith(marker):
        i -= 1
    end = i
    pattern = re.compile(r"^\s*" + re.escape(marker) + r"(?!/)( ?)(.*)$")
    while i > 0 and pattern.match(lines[i - 1]):
        i -= 1
    text = [pattern.match(line).group(2).rstrip() for line in lines[i:end]]
    indent = re.match(r"\s*", lines[decl]).group(0)
    return Doc(path, i, end, text, indent, decl)


def block_doc(path, lines, decl):
    """The `/** ... */` comment right above line `decl` (over annotations)."""
    i = decl
    while i > 0 and lines[i - 1].strip().startswith("@"):
        i -= 1
    end = i
    indent = re.match(r"\s*", lines[decl]).group(0)
    if i == 0 or not lines[i - 1].rstrip().endswith("*/"):
        return Doc(path, end, end, [], indent)
    while "/**" not in lines[i - 1]:
        i -= 1
    i -= 1
    text = []
    for line in lines[i:end]:
        s = line.strip()
        s = s.removeprefix("/**").removesuffix("*/").strip() if s.startswith("/**") else s.removesuffix("*/")
        s = re.sub(r"^\* ?", "", s.strip()) if not line.strip().startswith("/**") else s
        text.append(s.rstrip())
    while text and not text[0]:
        text.pop(0)
    while text and not text[-1]:
        text.pop()
    return Doc(path, i, end, text, indent)


def docstring_doc(path, lines, decl):
    """The docstring of the stub `def` at line `decl`, or where it goes."""
    depth, i = 0, decl
    while True:
        for ch in lines[i]:
            depth += ch in "([{"
            depth -= ch in ")]}"
        if depth == 0 and re.search(r":\s*(\.\.\.)?\s*$", lines[i]):
            break
        i += 1
    indent = re.match(r"\s*", lines[decl]).group(0)
    sig_end = i + 1
    if lines[i].rstrip().endswith("..."):
        return Doc(path, sig_end, sig_end, [], indent), i
    body = lines[sig_end].strip()
    if not body.startswith('"""'):
        return Doc(path, sig_end, sig_end, [], indent), i
    j = sig_end
    if body.count('"""') < 2:
        j += 1
        while '"""' not in lines[j]:
            j += 1
    raw = "\n".join(lines[sig_end : j + 1]).strip()[3:-3]
    text = textwrap.dedent("\n".join(raw.splitlines()[1:]))
    text_lines = [raw.splitlines()[0].strip()] + text.splitlines() if raw else []
    return Doc(path, sig_end, j + 1, [t.rstrip() for t in text_lines], indent), i


# ------------------------------------------------------------------ bindings


class Binding:
    """Where one binding documents its calls, and how it writes a comment."""

    def __init__(self, lang, label, files, decl, style, check_files=None, decl_check=None, examples_after=None):
        self.lang, self.label, self.files, self.decl, self.style = lang, label, files, decl, style
        self.check_files, self.decl_check = check_files, decl_check
        # Examples go only in the docs below the first line matching this.
        self.examples_after = examples_after

    def has_example(self, doc):
        if self.examples_after is None:
            return True
        lines = doc.path.read_text().split("\n")
        start = next(i for i, line in enumerate(lines) if re.match(self.examples_after, line))
        return doc.start > start

    def sources(self, checking):
        pattern = self.check_files if checking and self.check_files else self.files
        return sorted(p for g in pattern for p in ROOT.glob(g) if not p.name.endswith("_test.go"))

    def find(self, name, checking=False):
        """Every doc comment of `name` (one per class that has the call)."""
        style = "header" if checking and self.check_files else self.style
        regex = re.compile((self.decl_check if style == "header" else self.decl).format(re.escape(name)))
        found = []
        for path in self.sources(checking):
            lines = path.read_text().split("\n")
            decls = [i for i, line in enumerate(lines) if regex.search(line)]
            if self.lang == "java" and decls:
                # The overload with the most parameters holds the doc; the
                # others point to it.
                decls = [max(decls, key=lambda i: lines[i].count(",") + ("()" not in lines[i]))]
            for i in decls:
                if style in ("///", "//"):
                    found.append(slash_doc(path, lines, i, style))
                elif style in ("block", "header"):
                    found.append(block_doc(path, lines, i))
                elif style == "docstring":
                    found.append(docstring_doc(path, lines, i)[0])
        return found

    def render(self, doc_lines, indent):
        """The comment's source lines for text `doc_lines`."""
        if self.style in ("///", "//"):
            # A Go code block is tab-indented right after the `//`.
            return [(indent + self.style + ("" if t.startswith("\t") else " ") + t).rstrip() for t in doc_lines]
        if self.style == "block":
            if len(doc_lines) == 1 and len(indent) + len(doc_lines[0]) + 7 <= WIDTH + 40:
                return [indent + "/** " + doc_lines[0] + " */"]
            return [indent + "/**"] + [(indent + " * " + t).rstrip() for t in doc_lines] + [indent + " */"]
        inner = indent + "    "
        body = [(inner + t).rstrip() for t in doc_lines]
        body[0] = inner + '"""' + doc_lines[0]
        return body + [inner + '"""']

    def prefix_len(self, indent):
        return len(indent) + {"///": 4, "//": 3, "block": 3, "docstring": 4}[self.style]


BINDINGS = [
    Binding("rust", "Rust (src/)", ["src/*.rs"], r"^\s*pub fn {}\b", "///"),
    Binding(
        "c",
        "C header",
        ["src/ffi/*.rs"],
        r'^pub (unsafe )?extern "C" fn {}\(',
        "///",
        check_files=["include/eiam.h"],
        decl_check=r"^\S.*\b{}\(",
    ),
    Binding("python", "Python module", ["python/src/*.rs"], r"^\s*(pub )?fn {}\b", "///"),
    Binding("pyi", "Python stubs", ["python/eiam/__init__.pyi"], r"^\s*(async )?def {}\(", "docstring"),
    Binding("go", "Go", ["bindings/go/*.go"], r"^func \(c \*Client\) {}\(", "//"),
    # The blocking forms (SyncCalls) share the description; the examples,
    # which await, are the Client's.
    Binding(
        "node", "Node types", ["bindings/node/index.d.ts"], r"^  {}\(", "block", examples_after=r"export declare class Client\b"
    ),
    Binding("java", "Java", ["bindings/java/src/main/java/io/github/eiam/Client.java"], r"^    public .*\b{}\(", "block"),
]


def sections(text_lines, lang):
    """A doc's text split into (summary, errors, extras, example)."""
    headings = [EXAMPLE_HEADING[lang]] if lang in EXAMPLE_HEADING else []
    if lang in ("python", "pyi"):
        headings.append(EXAMPLE_HEADING["python-async"])
    example = []
    at = next((i for i, line in enumerate(text_lines) if line in headings), None)
    if at is not None:
        text_lines, example = text_lines[:at], text_lines[at:]
    paragraphs, current = [], []
    in_fence = False
    for line in text_lines + [""]:
        if line.strip().startswith("```"):
            in_fence = not in_fence
        if not line.strip() and not in_fence:
            if current:
                paragraphs.append(current)
            current = []
        else:
            current.append(line)
    summary = paragraphs[0] if paragraphs else []
    rest = paragraphs[1:]
    errors = [p for p in rest if p[0].removeprefix("<p>").startswith("Errors:")]
    extras = [p for p in rest if p not in errors]
    return summary, errors, extras, example


def wrap(paragraph, width):
    return textwrap.wrap(paragraph, width=width, break_long_words=False, break_on_hyphens=False)


def rewrite(binding, home, call, doc):
    _, _, extras, _ = sections(doc.text_lines, binding.lang)
    width = max(40, WIDTH - binding.prefix_len(doc.indent))
    out = []
    paragraphs = [wrap(p, width) for p in home.summary(call, binding.lang) + home.errors(call, binding.lang)]
    for n, paragraph in enumerate(paragraphs + extras):
        if binding.lang == "java" and n and not paragraph[0].startswith(("<p>", "@")):
            # Javadoc runs paragraphs together without a tag.
            paragraph = ["<p>" + paragraph[0]] + paragraph[1:]
        out += paragraph + [""]
    example = home.example(call, binding.lang, python_class(doc)) if binding.has_example(doc) else []
    out = out + example if example else out[:-1]
    new = binding.render(out, doc.indent)
    if binding.lang == "python" and not has_example_attribute(home, call, doc):
        new.append(example_attribute(home, call, doc))
    return new


def python_class(doc):
    """The Python class whose method `doc` documents: `Client`,
    `AsyncClient`, or `$class` in the macro both share."""
    lines = doc.path.read_text().split("\n")[: doc.start]
    for line in reversed(lines):
        m = re.match(r"^(?:class |client_methods!\(|impl |macro_rules! )(\w+)", line)
        if m:
            return "$class" if m.group(1) == "client_methods" else m.group(1)
    return "Client"


def example_attribute(home, call, doc):
    """The Python module's example: python/src/examples.rs's text for the class."""
    name = home.name(call, "python")
    return f"{doc.indent}#[doc = crate::examples::python_example!({python_class(doc)}, {name})]"


def has_example_attribute(home, call, doc):
    lines = doc.path.read_text().split("\n")
    return example_attribute(home, call, doc) in lines[doc.end : doc.decl]


def problems_of(binding, home, call, doc):
    have = normalized(doc.text)
    wanted = [("summary", p) for p in home.summary(call, binding.lang)]
    wanted += [("errors line", p) for p in home.errors(call, binding.lang)]
    example = home.example(call, binding.lang, python_class(doc)) if binding.has_example(doc) else []
    if example:
        wanted.append(("example", "\n".join(example)))
    where = f"{doc.path.relative_to(ROOT)}:{doc.end + 1}"
    problems = [
        f"{where}: {binding.label} doc of {home.name(call, binding.lang)} lacks its {what}: {normalized(text)!r}"
        for what, text in wanted
        if normalized(text) not in have
    ]
    if binding.lang == "python" and not has_example_attribute(home, call, doc):
        problems.append(f"{where}: {binding.label} doc of {home.name(call, 'python')} lacks {example_attribute(home, call, doc).strip()}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    args = parser.parse_args()

    home = Home()
    calls = dispatch_calls()
    problems = [f"docs/calls.toml: no entry for call {c}" for c in calls if c not in home.entries]
    problems += [f"docs/calls.toml: {c} is not a call of src/dispatch.rs" for c in home.entries if c not in calls]
    for call in (c for c in calls if c in home.entries):
        for field in ("summary", "errors", "http"):
            if field not in home.entries[call]:
                problems.append(f"docs/calls.toml: {call} has no {field}")
        c_example = home.entries[call].get("examples", {}).get("c", "")
        if "*/" in c_example or "/*" in c_example:
            # In the header's /** */ comment, */ would end it and /* is a
            # -Wcomment warning.
            problems.append(f"docs/calls.toml: the C example of {call} has a C comment, which the header's cannot hold")
    # C++ has no per-call doc comments (eiam.hpp documents its wrappers
    # once), but the reference's table names its methods: they must exist.
    cpp = CPP_HEADER.read_text()
    for call in (c for c in calls if c in home.entries):
        if not re.search(r"^\s+\S.* " + re.escape(home.name(call, "cpp")) + r"\(", cpp, re.M):
            problems.append(f"{CPP_HEADER.relative_to(ROOT)}: no method {home.name(call, 'cpp')} (call {call})")
    if problems:
        sys.exit("\n".join(problems))

    for binding in BINDINGS:
        for call in calls:
            name = home.name(call, binding.lang)
            docs = binding.find(name, checking=args.check)
            if not docs:
                problems.append(f"{binding.label}: no declaration of {name} (call {call})")
                continue
            if args.check:
                for doc in docs:
                    problems += problems_of(binding, home, call, doc)
                continue
            # Later edits first, so earlier line numbers stay right.
            for doc in sorted(docs, key=lambda d: (str(d.path), -d.start)):
                lines = doc.path.read_text().split("\n")
                new = rewrite(binding, home, call, doc)
                if binding.style == "docstring" and doc.start == doc.end:
                    sig = doc.start - 1
                    lines[sig] = re.sub(r":\s*\.\.\.\s*$", ":", lines[sig])
                lines[doc.start : doc.end] = new
                doc.path.write_text("\n".join(lines))
    generated = [
        (GO_EXAMPLES, home.go_examples()),
        (JAVA_EXAMPLES, home.java_examples()),
        (C_EXAMPLES, home.c_examples()),
        (PYTHON_EXAMPLES, home.python_examples()),
    ]
    for path, text in generated:
        if args.write:
            path.write_text(text)
        elif not path.exists() or path.read_text() != text:
            problems.append(f"{path.relative_to(ROOT)} is stale")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"\n{len(problems)} problem(s): edit docs/calls.toml and run scripts/call-docs.py --write", file=sys.stderr)
        sys.exit(1)
    print(f"call docs: {len(calls)} calls, {len(BINDINGS)} bindings: " + ("in sync" if args.check else "written"))


if __name__ == "__main__":
    main()
