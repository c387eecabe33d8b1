#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that minivmm's module graph has no cycles (issue 12); run by `make check-modules`,
the first step of `make test`.

    tests/tools/modgraph.py [--root DIR] [--calls] [--verbose]

It reads the project's C files under src/ (with every subfolder, such as src/arm64/),
include/, devices/ and gdbstub/; guests/ and tests/ are not part of the VMM, and unit
tests (*_test.c) and fuzz harnesses (*_fuzz.c) are not modules. With no cycle it prints
one line, "modgraph: N modules, M edges, no cycles", and exits 0. Otherwise it prints
every elementary cycle, one a line as "a -> b -> c -> a" (each starting at its
alphabetically first module), then the #include lines that make each edge of them, and
exits 1. --root checks another tree (the tests use it), --verbose lists the modules with
their files and every edge, --calls checks the call graph too (below).

Modules. A module is a header's name together with its implementation files:
  - A header is named by its path without ".h", leaving out a leading include/, src/ or
    devices/ (they share one namespace: the build searches include/ and the tree's top):
    include/vcpu.h is "vcpu", src/arm64/ptw.h is "arm64/ptw", src/monitor_parse.h is
    "monitor_parse". A private header NAME_internal.h belongs to module NAME
    (src/monitor_internal.h is part of "monitor").
  - A folder holding an internal.h is one library, hence one module named by the folder:
    all of gdbstub/ (rsp.c, cmds.c, target.h, ...) is "gdbstub", and src/debugger/ with
    include/debugger.h is "debugger". Its headers are its API;
    splitting it would report its internal layering, which its own tests cover.
  - A .c file belongs, in this order, to the module of its own name (src/vcpu.c and
    devices/gic.c go with include/vcpu.h and include/gic.h); to the module its name
    starts with, followed by "_" (src/monitor_cmds.c is part of "monitor"); to the
    module whose private header it includes (a file that includes monitor_internal.h
    is "monitor"); else it is a module of its own (src/main.c is "main").
Edges. A -> B when a file of A has `#include "..."` naming a file of B. A quoted include
is looked up as the compiler does with our -Iinclude -I.: beside the including file, then
in include/, then from the tree's top; one that names no file of the project (a system
header in quotes, a test's header) makes no edge. Angle-bracket includes are libraries.
An #include inside a comment does not count; one under #if does (it is a dependency on
some build).

--calls (not part of make check-modules). A -> B when a function defined in a file of A
calls, by name, a function defined in B (a non-static function in B's .c files, or a
static inline one in B's headers). Calls through pointers (ops structs, hooks) are not
edges: they are how a low layer reaches a high one without a cycle. It reads C with a
tokenizer, not a compiler: macros are not expanded, so a call inside a macro counts
where the macro is defined, not where it is used.
"""
import argparse
import os
import re
import sys

# Where the VMM's sources are; anything else under the root is not read.
ROOTS = ("src", "include", "devices", "gdbstub")
# Top folders whose headers share one namespace (the include path is -Iinclude -I.).
FLAT = ("include", "src", "devices")
NOT_MODULES = re.compile(r"(_test|_fuzz)\.c$")
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.M)
MAX_CYCLES = 1000  # stop enumerating there: the graph is small, a blow-up means a tangle
EVIDENCE = 8  # lines shown per edge of a cycle (the rest are counted)


def strip_comments(text):
    """Blank out comments, keeping line breaks, so that line numbers stay right."""
    def blank(m):
        s = m.group(0)
        if s.startswith(("/*", "//")):
            return re.sub(r"[^\n]", " ", s)
        return s
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                  blank, text, flags=re.S)


def project_files(root):
    """Relative paths (with /) of the C files that make up the VMM, sorted."""
    out = []
    for top in ROOTS:
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in filenames:
                if name.endswith((".c", ".h")) and not NOT_MODULES.search(name):
                    rel = os.path.relpath(os.path.join(dirpath, name), root)
                    out.append(rel.replace(os.sep, "/"))
    return sorted(out)


def module_name(folder, stem):
    parts = folder.split("/") if folder else []
    if parts and parts[0] in FLAT:
        parts = parts[1:]
    return "/".join(parts + [stem])


class Tree:
    def __init__(self, root):
        self.root = root
        self.files = project_files(root)
        self.fileset = set(self.files)
        self.text = {}
        for f in self.files:
            with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
                self.text[f] = strip_comments(fh.read())
        self.libraries = {os.path.dirname(f) for f in self.files
                          if os.path.basename(f) == "internal.h"}
        self.includes = {f: self._includes(f) for f in self.files}
        self.module = {}
        for f in self.files:
            if f.endswith(".h"):
                self.module[f] = self._header_module(f)
        for f in self.files:
            if f.endswith(".c"):
                self.module[f] = self._source_module(f)
        self.modules = sorted(set(self.module.values()))

    def _library(self, f):
        """The library folder f is in (the deepest one), or None."""
        d = os.path.dirname(f)
        while d:
            if d in self.libraries:
                return d
            d = os.path.dirname(d)
        return None

    def _resolve(self, f, name):
        """What `#include "name"` in f names, as the compiler searches: f's folder,
        include/, the top. None if that is no file of the project."""
        for base in (os.path.dirname(f), "include", ""):
            cand = os.path.normpath(os.path.join(base, name)).replace(os.sep, "/")
            if os.path.isfile(os.path.join(self.root, cand)):
                return cand if cand in self.fileset else None
        return None

    def _includes(self, f):
        """[(line number, header as written, project file it names or None)]"""
        text = self.text[f]
        out = []
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append((line, m.group(1), self._resolve(f, m.group(1))))
        return out

    def _header_module(self, f):
        lib = self._library(f)
        if lib:
            return module_name(os.path.dirname(lib), os.path.basename(lib))
        stem = os.path.basename(f)[:-2]
        if stem.endswith("_internal") and len(stem) > len("_internal"):
            stem = stem[:-len("_internal")]
        return module_name(os.path.dirname(f), stem)

    def _source_module(self, f):
        lib = self._library(f)
        if lib:
            return module_name(os.path.dirname(lib), os.path.basename(lib))
        folder, stem = os.path.dirname(f), os.path.basename(f)[:-2]
        own = module_name(folder, stem)
        headed = {m for h, m in self.module.items() if h.endswith(".h")}
        if own in headed:
            return own
        # the longest module name the file's name starts with, followed by "_"
        prefix = own
        while "_" in prefix:
            prefix = prefix.rsplit("_", 1)[0]
            if prefix in headed:
                return prefix
        for _, _, target in self.includes[f]:
            if target and re.search(r"(^|_)internal\.h$", os.path.basename(target)):
                return self.module[target]
        return own

    def files_of(self, mod):
        return [f for f in self.files if self.module[f] == mod]

    def include_graph(self):
        """{a: {b: [(file, line, header as written)]}} for a != b"""
        graph = {m: {} for m in self.modules}
        for f in self.files:
            a = self.module[f]
            for line, written, target in self.includes[f]:
                if target is None:
                    continue
                b = self.module[target]
                if b != a:
                    graph[a].setdefault(b, []).append((f, line, written))
        return graph

    # --calls: a small tokenizer over the comment-free text
    def call_graph(self):
        defs = {}      # function name -> {module}  (non-static in .c, static inline in .h)
        static = {}    # file -> names defined static there
        bodies = []    # (file, function, [(line, called name)])
        for f in self.files:
            static[f] = set()
            for name, is_static, line, calls in parse_functions(self.text[f]):
                if f.endswith(".c") and is_static:
                    static[f].add(name)
                elif f.endswith(".c") or is_static:
                    defs.setdefault(name, set()).add(self.module[f])
                bodies.append((f, name, calls))
        graph = {m: {} for m in self.modules}
        for f, func, calls in bodies:
            a = self.module[f]
            for line, callee in calls:
                if callee in static[f]:
                    continue
                for b in sorted(defs.get(callee, ())):
                    if b != a:
                        graph[a].setdefault(b, []).append((f, line, f"{func}() calls {callee}()"))
        return graph


TOKEN = re.compile(r"->|[A-Za-z_]\w*|\d[\w.]*|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\S")
NOT_CALLS = {"if", "for", "while", "switch", "return", "sizeof", "_Alignof", "alignof",
             "__typeof__", "typeof", "__attribute__", "_Static_assert", "defined",
             "_Generic", "__builtin_offsetof", "offsetof", "asm", "__asm__", "do", "case"}


def parse_functions(text):
    """[(name, is static, line, [(line, called name)])] for each function defined in text
    (comments already blanked): a name, a parenthesised list, then a { at file scope."""
    # preprocessor lines (with their continuations) are not C code here
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", lambda m: "\n" * m.group(0).count("\n"),
                  text, flags=re.M)
    toks = []
    line = 1
    pos = 0
    for m in TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        toks.append((m.group(0), line))
    out = []
    i, n = 0, len(toks)
    decl_start = 0  # first token of the current file-scope declaration
    while i < n:
        tok = toks[i][0]
        if tok in (";", "}"):
            decl_start = i + 1
            i += 1
            continue
        if tok == "{":
            # a body at file scope: a function if the declaration reads NAME ( ... ) {
            j = i - 1
            while j >= decl_start and toks[j][0] != ")":
                j -= 1
            end = skip_block(toks, i)
            name = function_name(toks, decl_start, j)
            if name and "=" not in [t for t, _ in toks[decl_start:i]]:
                is_static = "static" in [t for t, _ in toks[decl_start:i]]
                calls = [(toks[k][1], toks[k][0]) for k in range(i + 1, end - 1)
                         if toks[k + 1][0] == "(" and re.match(r"[A-Za-z_]", toks[k][0])
                         and toks[k][0] not in NOT_CALLS
                         and toks[k - 1][0] not in (".", "->")]
                out.append((name, is_static, toks[decl_start][1], calls))
            i = end
            decl_start = i
            if i < n and toks[i][0] == ";":  # struct/union/enum definition
                decl_start = i + 1
                i += 1
            continue
        i += 1
    return out


def skip_block(toks, i):
    """Index just past the } matching the { at i."""
    depth = 0
    for k in range(i, len(toks)):
        if toks[k][0] == "{":
            depth += 1
        elif toks[k][0] == "}":
            depth -= 1
            if depth == 0:
                return k + 1
    return len(toks)


def function_name(toks, start, close):
    """The name before the parameter list ending at close, or None if that is not one."""
    if close < start or toks[close][0] != ")":
        return None
    depth = 0
    for k in range(close, start - 1, -1):
        if toks[k][0] == ")":
            depth += 1
        elif toks[k][0] == "(":
            depth -= 1
            if depth == 0:
                if k - 1 >= start and re.match(r"[A-Za-z_]\w*$", toks[k - 1][0]) \
                        and toks[k - 1][0] not in NOT_CALLS:
                    return toks[k - 1][0]
                return None
    return None


def sccs(graph):
    """Strongly connected components (Tarjan), each a sorted list."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        # iterative, so that a long chain cannot reach Python's recursion limit
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def cycles(graph, limit=MAX_CYCLES):
    """Every elementary cycle as a list of modules, starting at its smallest; and whether
    the enumeration stopped at limit. A cycle is found from its smallest module s through
    modules greater than s only, so each is found once."""
    found = []
    for comp in sccs(graph):
        members = set(comp)
        if len(comp) == 1:
            continue  # no self edges in the graph: a lone module is no cycle
        for s in comp:
            path, on_path = [s], {s}
            work = [iter(sorted(w for w in graph[s] if w in members and w >= s))]
            while work:
                for w in work[-1]:
                    if w == s:
                        found.append(list(path))
                        if len(found) >= limit:
                            return sorted(found, key=lambda c: (len(c), c)), True
                    elif w not in on_path:
                        path.append(w)
                        on_path.add(w)
                        work.append(iter(sorted(x for x in graph[w]
                                                if x in members and x >= s)))
                        break
                else:
                    work.pop()
                    on_path.discard(path.pop())
    return sorted(found, key=lambda c: (len(c), c)), False


def report(kind, graph, verbose, out):
    """Print the graph's cycles; return how many there are."""
    nedges = sum(len(v) for v in graph.values())
    found, capped = cycles(graph)
    if verbose:
        for a in sorted(graph):
            for b in sorted(graph[a]):
                f, line, what = graph[a][b][0]
                print(f"  {kind} edge {a} -> {b}  ({f}:{line}: {what})", file=out)
    if not found:
        print(f"modgraph: {len(graph)} modules, {nedges} edges, no cycles"
              + ("" if kind == "include" else f" in the {kind} graph"), file=out)
        return 0
    more = f" (stopped after {MAX_CYCLES})" if capped else ""
    print(f"modgraph: {len(found)} cycles in the {kind} graph{more}:", file=out)
    for c in found:
        print(" -> ".join(c + [c[0]]), file=out)
    print("made by:", file=out)
    edges = sorted({(c[i], c[(i + 1) % len(c)]) for c in found for i in range(len(c))})
    for a, b in edges:
        why = sorted(set(graph[a][b]))
        for f, line, what in why[:EVIDENCE]:
            if kind == "include":
                what = f'#include "{what}"'
            print(f"  {a} -> {b}: {f}:{line}: {what}", file=out)
        if len(why) > EVIDENCE:
            print(f"  {a} -> {b}: ... and {len(why) - EVIDENCE} more", file=out)
    print(f"modgraph: {len(graph)} modules, {nedges} edges, {len(found)} cycles"
          + ("" if kind == "include" else f" in the {kind} graph"), file=out)
    return len(found)


def main(argv=None):
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=top, help="the tree to check (default: this checkout)")
    ap.add_argument("--calls", action="store_true", help="check the call graph too")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list the modules, their files and every edge")
    args = ap.parse_args(argv)
    tree = Tree(args.root)
    if args.verbose:
        for m in tree.modules:
            print(f"  module {m}: {' '.join(tree.files_of(m))}")
        for f in tree.files:
            for line, written, target in tree.includes[f]:
                if target is None:
                    print(f'  {f}:{line}: #include "{written}" names no project file')
    bad = report("include", tree.include_graph(), args.verbose, sys.stdout)
    if args.calls:
        bad += report("call", tree.call_graph(), args.verbose, sys.stdout)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
