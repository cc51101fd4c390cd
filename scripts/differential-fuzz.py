#!/usr/bin/env python3
"""Differential fuzzing of chartgen against real helm.

Generates random inputs, renders each with `helm template` and with
`chartgen template`, and keeps every input whose outcome differs (exit code,
stdout, and the `Error:` line; full stderr for the chart-level modes) as a
reproducer under --out. A difference is a chartgen bug unless helm itself is
not deterministic there (Go's random map order decides which of two YAML keys
that convert to the same JSON key wins, or which null key is reported), so
look at each one before turning it into a conformance case.

Modes:
  expr      random function calls and pipelines (sprig and helm functions)
  control   random if/with/range/define/block/break programs over the values
  values    random values.yaml documents printed with toYaml/toJson/printf
  set       random --set/--set-string/--set-json/--set-literal flags
  charts    random parent/sub-chart trees: conditions, tags, aliases,
            import-values, globals, null deletion
  manifests random documents, separators, kinds, hooks and output flags
  chart     random --set changes to a real chart's values (--chart DIR, and
            any helm flags after `--`): flipped booleans, other numbers and
            strings, emptied lists and maps, nulls, and sub-features switched
            on; lines that differ between two helm runs (random passwords,
            certificates) are not compared
  errors    programs that fail at a random depth inside nested define/include/
            template/tpl/range/with/if (fail, required, missing templates, bad
            index, wrong argument types, nil pointers, fields of non-maps, tpl
            parse errors, parse errors); exit code and full stderr compared
  files     charts with random extra files (nested dirs, .helmignore, binary,
            empty, with and without a final newline) read through .Files.Get,
            GetBytes, Glob (*, **, {a,b}, [ab], ?), Lines, AsConfig, AsSecrets
  flags     template-command flags: --show-only, --skip-tests, --include-crds,
            --skip-crds, --no-hooks, --is-upgrade, --namespace, --name-template,
            --generate-name, --release-name, --set-file, -f files and -,
            --kube-version, --api-versions, --output-dir (written tree compared),
            --skip-schema-validation, --dependency-update; full outcome compared
  yamlsyntax YAML syntax corners as values.yaml and through fromYaml,
            fromYamlArray, fromJson, fromJsonArray, toYaml, toJson, toToml:
            anchors, aliases and merge keys, explicit and custom tags, block
            scalars with indentation and chomping indicators, flow collections,
            multi-line plain and quoted scalars, odd plain scalars (0o17, 1_000,
            .NaN, yes/on, timestamps, sexagesimal), escapes, duplicate and
            `? ` keys, directives and document markers, odd JSON texts
  numbers   numbers of every origin (values.yaml, --set, --set-json, fromJson,
            fromYaml, literals, strings, conversion and math results) through
            printf verbs with random flags, widths and precisions, toString,
            toJson, toYaml, quote, comparisons, round/ceil/floor, int/int64/
            float64/atoi/toDecimal and the math functions
  strings   string functions (trunc, abbrev, substr, wrap, indent, replace,
            regex* with RE2 syntax and replacement templates, b64/b32, quote,
            case conversions, plural, split*, join, trim*) on unicode, invalid
            UTF-8, empty and multi-line strings, with negative and out-of-range
            counts
  schemas   random values.schema.json documents (drafts 4, 7, 2019-09, 2020-12:
            composition, $ref/$defs, conditionals, arrays, objects, numbers,
            strings, unevaluated*, sometimes keywords of the wrong type or
            value) against random values; full stderr compared. Where helm
            lists several failures of one object in random order (Go map
            order), its runs disagree and the case is skipped
  collections dict and list functions (merge/mergeOverwrite with nil and empty
            values, deepCopy, pick/omit, dig, pluck, get/set/unset, keys/values
            sorted, append/prepend/concat/uniq/without/compact/slice/first/rest/
            last/initial/reverse/chunk/until/untilStep/seq) on typed and untyped
            lists, and programs that mutate shared dicts and print every variable

Usage:
  scripts/differential-fuzz.py MODE [--seed N] [--rounds N] [--chartgen BIN]
                               [--out DIR] [--chart DIR] [-- HELM_FLAGS...]

helm is $HELM, else `helm` on PATH; it must be v4.1.4 (scripts/fetch-helm.sh).
Standard library only.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Go prints pointers as addresses, which differ from run to run.
POINTER = re.compile(rb"0xc[0-9a-f]{9}")

VALUES = """\
i: 3
f: 2.5
s: hello
b: true
n: null
l: [1, "two", 3.5, true, null]
ls: [c, a, b, a]
m: {a: 1, b: two, c: [1, 2], d: {x: y}}
big: 12345678901234567890
neg: -42
fs: [1.5, 2, -3.25]
nested: {inner: {deep: 1}, list: [{k: v}]}
empty: ""
emptyl: []
emptym: {}
zero: 0
fint: 4.0
e: 1e6
sci: 6.02e23
str_num: "007"
unicode: "héllo wörld"
multiline: |
  line1
  line2
date: 2024-01-02
"""

INTS = ["0", "1", "-1", "2", "3", "7", "10", "42", "-17", "255", "1000",
        "9223372036854775807", "-9223372036854775808", "0x1F", "017", "1_000"]
FLOATS = ["1.5", "0.5", "-2.25", "3.0", "1e3", "1e21", "1e-7", "3.14159", "2.5",
          "-0.0", "100.0", "0.1"]
STRINGS = ['""', '"a"', '"abc"', '"Hello World"', '"a,b,c"', '"  pad  "', '"1"', '"1.5"',
           '"-3"', '"true"', '"null"', '"é ñ"', '"{}"', '"[1,2]"', '"a: b"', '"\\t tab"',
           '"x\\ny"', '"0x10"', '"1e3"', '"foo-bar_baz"', '"FooBar"', '"{\\"k\\": 1}"',
           '"- a\\n- b"', '"k: v\\nn: 2"', '"v1.2.3"', '">=1.0.0"', '"1.2.3-alpha"', '"a.b.c"',
           '"%d items"', '"%s=%v"', '"abc123"', '"ABC"', '"αβγ"', '"x"', '"b"', '"c"',
           '"9999999999999999999"', '"01"', '"+5"', '" 7"']
PATHS = [".Values.i", ".Values.f", ".Values.s", ".Values.b", ".Values.n", ".Values.l",
         ".Values.m", ".Values.big", ".Values.neg", ".Values.fs", ".Values.ls",
         ".Values.nested", ".Values.nested.inner", ".Values.empty", ".Values.emptyl",
         ".Values.emptym", ".Values.zero", ".Values.fint", ".Values.e", ".Values.missing",
         ".Values.m.a", ".Release.Name", ".Chart.Name", ".Chart.Version",
         ".Chart.Annotations", ".Capabilities.KubeVersion", ".Capabilities.KubeVersion.Version",
         ".Template.Name", ".Values.sci", ".Values.str_num", ".Values.unicode",
         ".Values.multiline", ".Values.date"]

# Function -> the argument counts to try. Functions whose output is random,
# time-dependent or needs a cluster are left out.
FUNCTIONS = {
    "toYaml": [1], "toYamlPretty": [1], "toJson": [1], "toPrettyJson": [1],
    "toRawJson": [1], "fromYaml": [1], "fromJson": [1], "fromYamlArray": [1],
    "fromJsonArray": [1], "toToml": [1], "toString": [1], "toStrings": [1], "int": [1],
    "int64": [1], "float64": [1], "atoi": [1], "toDecimal": [1], "add": [2, 3],
    "sub": [2], "mul": [2, 3], "div": [2], "mod": [2], "max": [1, 2, 3], "min": [1, 2, 3],
    "add1": [1], "addf": [2], "subf": [2], "mulf": [2], "divf": [2], "maxf": [2],
    "minf": [2], "round": [2], "floor": [1], "ceil": [1], "len": [1], "default": [2],
    "empty": [1], "coalesce": [2, 3], "ternary": [3], "required": [2], "quote": [1, 2],
    "squote": [1, 2], "upper": [1], "lower": [1], "title": [1], "untitle": [1],
    "trim": [1], "trimAll": [2], "trimSuffix": [2], "trimPrefix": [2], "replace": [3],
    "split": [2], "splitList": [2], "splitn": [3], "join": [2], "sortAlpha": [1],
    "uniq": [1], "keys": [1], "values": [1], "pick": [2, 3], "omit": [2, 3],
    "dict": [0, 2, 4], "list": [0, 1, 2, 3], "append": [2], "prepend": [2], "first": [1],
    "last": [1], "rest": [1], "initial": [1], "reverse": [1], "has": [2], "hasKey": [2],
    "get": [2], "merge": [2], "mergeOverwrite": [2], "deepCopy": [1], "b64enc": [1],
    "b64dec": [1], "b32enc": [1], "b32dec": [1], "sha256sum": [1], "sha1sum": [1],
    "adler32sum": [1], "indent": [2], "nindent": [2], "print": [1, 2, 3],
    "println": [1, 2], "contains": [2], "hasPrefix": [2], "hasSuffix": [2],
    "repeat": [2], "substr": [3], "trunc": [2], "abbrev": [2], "wrap": [2],
    "regexMatch": [2], "regexFind": [2], "regexFindAll": [3], "regexReplaceAll": [3],
    "regexReplaceAllLiteral": [3], "regexSplit": [3], "regexQuoteMeta": [1],
    "semver": [1], "semverCompare": [2], "kindOf": [1], "kindIs": [2], "typeOf": [1],
    "typeIs": [2], "typeIsLike": [2], "deepEqual": [2], "eq": [2, 3], "ne": [2],
    "lt": [2], "gt": [2], "le": [2], "ge": [2], "and": [2, 3], "or": [2, 3], "not": [1],
    "index": [1, 2, 3], "slice": [1, 2, 3], "compact": [1], "until": [1],
    "untilStep": [3], "seq": [1, 2, 3], "cat": [1, 2, 3], "nospace": [1],
    "plural": [3], "snakecase": [1], "camelcase": [1], "kebabcase": [1],
    "swapcase": [1], "initials": [1], "dig": [3, 4], "set": [3], "unset": [2],
    "without": [2, 3], "chunk": [2], "concat": [2], "pluck": [2, 3], "all": [1, 2],
    "any": [1, 2], "html": [1], "js": [1], "urlquery": [1], "urlParse": [1],
    "urlJoin": [1], "base": [1], "dir": [1], "ext": [1], "clean": [1], "isAbs": [1],
    "toDate": [2], "durationRound": [1], "duration": [1], "printf": [1, 2, 3],
    "include": [2], "tpl": [2],
}
# Huge counts make helm itself run out of time or memory.
SIZED = {"until", "untilStep", "seq", "repeat", "indent", "nindent", "wrap", "trunc",
         "abbrev", "substr", "chunk", "splitn", "regexFindAll", "regexSplit", "round"}
HUGE = ("922337", "1e21", ".Values.big", "1e3", ".Values.e", ".Values.sci")
VERBS = ['"%d"', '"%s"', '"%v"', '"%q"', '"%x"', '"%5.2f"', '"%T"', '"%v-%v"', '"%03d"',
         '"%e"', '"%g"', '"%+v"', '"%#v"', '"%t"', '"%c"', '"%U"', '"%b"', '"%o"',
         '"%8s|"', '"%-6v|"', '"%%"', '"%!"']
HELPER = '{{- define "h" -}}h:{{ . }}|{{ typeOf . }}{{- end -}}\n'


class Fuzzer:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.helm = os.environ.get("HELM") or shutil.which("helm") or "helm"
        self.chartgen = args.chartgen
        self.out = args.out
        self.seed = args.seed
        self.found = 0
        self.work = tempfile.mkdtemp(prefix="chartgen-fuzz-")

    # -- running ---------------------------------------------------------

    def render(self, binary, chart, flags):
        try:
            p = subprocess.run([binary, "template", "rel", chart] + flags,
                               capture_output=True, timeout=20)
        except subprocess.TimeoutExpired:
            return None
        return p.returncode, POINTER.sub(b"0xPTR", p.stdout), POINTER.sub(b"0xPTR", p.stderr)

    @staticmethod
    def error_line(stderr):
        lines = [l for l in stderr.decode("utf-8", "replace").splitlines()
                 if l.startswith("Error")]
        return lines[-1] if lines else ""

    def differs(self, chart, flags=(), full_stderr=False):
        """(differs, helm, chartgen); helm timing out counts as no difference."""
        h = self.render(self.helm, chart, list(flags))
        if h is None:
            return False, None, None
        c = self.render(self.chartgen, chart, list(flags)) or (-1, b"TIMEOUT", b"")
        if full_stderr:
            same = h == c
        else:
            same = h[:2] == c[:2] and (h[0] == 0 or self.error_line(h[2]) == self.error_line(c[2]))
        return not same, h, c

    def keep(self, name, chart, flags, h, c):
        self.found += 1
        dst = os.path.join(self.out, "%s-seed%d-%d" % (name, self.seed, self.found))
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(chart, dst)
        show = lambda r: {"exit": r[0], "stdout": r[1].decode("utf-8", "replace"),
                          "stderr": r[2].decode("utf-8", "replace")}
        with open(os.path.join(dst, "RESULT.json"), "w") as f:
            json.dump({"flags": list(flags), "helm": show(h), "chartgen": show(c)}, f,
                      indent=1, ensure_ascii=False)
        print("difference kept in", dst, flush=True)

    def chart(self, name, templates, values=VALUES, chart_yaml=None):
        d = os.path.join(self.work, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, "templates"))
        with open(os.path.join(d, "Chart.yaml"), "w") as f:
            f.write(chart_yaml or "apiVersion: v2\nname: fz\nversion: 1.2.3\n")
        with open(os.path.join(d, "values.yaml"), "w") as f:
            f.write(values)
        for path, text in templates:
            full = os.path.join(d, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        return d

    def batch(self, name, bodies, values=VALUES, files=(), flags=()):
        """Renders many templates in one chart; on a failure, each alone."""
        fixed = [("templates/_h.tpl", HELPER)] + list(files)
        templates = [("templates/t%03d.yaml" % i, body) for i, body in enumerate(bodies)]
        d = self.chart(name, fixed + templates, values=values)
        diff, h, _ = self.differs(d, flags)
        if not diff and h is not None and h[0] == 0:
            return
        for t in templates:
            d = self.chart(name, fixed + [t], values=values)
            diff, h, c = self.differs(d, flags)
            if diff:
                self.keep(name, d, flags, h, c)

    # -- generators ------------------------------------------------------

    def literal(self):
        r, k = self.rng, self.rng.random()
        if k < 0.22:
            return r.choice(INTS)
        if k < 0.34:
            return r.choice(FLOATS)
        if k < 0.62:
            return r.choice(STRINGS)
        if k < 0.68:
            return r.choice(["true", "false"])
        if k < 0.71:
            return "nil"
        return r.choice(PATHS)

    def arg(self, depth):
        if depth < 3 and self.rng.random() < 0.35:
            return "(" + self.call(depth + 1) + ")"
        return self.literal()

    def call(self, depth):
        r = self.rng
        f = r.choice(sorted(FUNCTIONS))
        n = r.choice(FUNCTIONS[f])
        if f == "include":
            return 'include "h" ' + self.arg(depth)
        if f == "tpl":
            text = r.choice(['"{{ .Values.s }}"', '"{{ 1 }} x"', '"{{ . }}"',
                             "(toString %s)" % self.arg(depth)])
            return "tpl %s %s" % (text, r.choice([".", "$", ".Values"]))
        if f == "printf":
            return "printf " + r.choice(VERBS) + "".join(" " + self.arg(depth) for _ in range(n - 1))
        args = " ".join(self.arg(depth) for _ in range(n))
        if f in SIZED and any(h in args for h in HUGE):
            return "len " + self.literal()
        return (f + " " + args).strip()

    def expression(self):
        e = self.call(0)
        tail = self.rng.choice(["", "", "", " | toYaml", " | toJson", " | quote", " | typeOf"])
        return "# expr\nv: {{ %s%s }}\n" % (e, tail)

    def operand(self):
        return self.rng.choice(PATHS + [".", "$", "$x", "$y", "$i", "$v", "$k",
                                        "(list 1 2 3)", '(dict "a" 1 "b" (list 2))', '""',
                                        "0", "1", '"s"', "nil", "true", "3.5"])

    def pipeline(self):
        r, k = self.rng, self.rng.random()
        if k < 0.3:
            return self.operand()
        if k < 0.5:
            return r.choice(["not", "len", "toString", "typeOf", "kindOf", "empty", "toYaml",
                             "toJson", "quote", "print", "html", "js"]) + " " + self.operand()
        if k < 0.65:
            return "%s %s %s" % (r.choice(["eq", "ne", "lt", "le", "gt", "ge", "and", "or",
                                           "index", "default", "add", 'printf "%v %T"']),
                                 self.operand(), self.operand())
        if k < 0.8:
            return self.operand() + " | " + r.choice(["toString", "quote", "len", "toYaml",
                                                      'printf "%q"', "print", "typeOf", "not",
                                                      'default "d"', "nindent 2", "indent 1"])
        return 'include "h" ' + self.operand()

    def action(self, text):
        trim = lambda: self.rng.choice(["", "", "-"])
        return "{{" + trim() + " " + text + " " + trim() + "}}"

    def program(self, depth=0):
        r, out = self.rng, ""
        for _ in range(r.randint(1, 3)):
            k = r.random()
            if depth > 2 or k < 0.3:
                out += r.choice(["x", " ", "\n", "a: ", "-"]) + self.action(self.pipeline()) + r.choice(["", "\n", " "])
            elif k < 0.42:
                out += self.action("$x = " + self.pipeline()) + "|" + self.action("$x")
            elif k < 0.55:
                out += self.action("if " + self.pipeline()) + self.program(depth + 1)
                if r.random() < 0.3:
                    out += self.action("else if " + self.pipeline()) + self.program(depth + 1)
                if r.random() < 0.5:
                    out += self.action("else") + self.program(depth + 1)
                out += self.action("end")
            elif k < 0.72:
                over = r.choice([".Values.l", ".Values.m", ".Values.ls", ".Values.emptyl",
                                 ".Values.i", ".Values.s", "(until 3)", ".Values.nested", "nil",
                                 ".Values.missing"])
                out += self.action("range " + r.choice(["$i, $v := ", "$v := ", "", "$k, $v := "]) + over)
                out += self.program(depth + 1)
                if r.random() < 0.2:
                    out += self.action(r.choice(["break", "continue"]))
                if r.random() < 0.3:
                    out += self.action("else") + "E"
                out += self.action("end")
            elif k < 0.85:
                out += self.action("with " + self.pipeline()) + self.program(depth + 1)
                if r.random() < 0.4:
                    out += self.action("else") + self.program(depth + 1)
                out += self.action("end")
            elif k < 0.93:
                out += self.action('template "h" ' + self.operand())
            else:
                out += self.action('block "b%d" %s' % (r.randint(0, 2), self.operand())) + "B" + self.action("end")
        return out

    def control(self):
        prelude = '{{- $x := 1 }}{{- $y := "s" }}{{- $i := 0 }}{{- $v := .Values.m }}{{- $k := "a" }}\n'
        return "# control\n" + prelude + self.program() + "\n"

    # values: block-style YAML with every scalar form; keys chosen so that no
    # two convert to the same JSON key (helm's choice between those is random).
    SCALARS = ["1", "-1", "0", "007", "0o17", "0x1f", "1_000", "1e3", "1.0", "-0.0", ".5",
               "5.", ".inf", "-.Inf", ".nan", "1e400", "12345678901234567890",
               "-9223372036854775809", "9223372036854775807", "3.14", "6.02e+23",
               "4.9e-324", "true", "false", "yes", "no", "on", "off", "y", "n", "True",
               "null", "~", "", "2024-01-02", "2024-01-02T03:04:05Z", "12:30", "1:20:30",
               "0b101", "+12", '"quoted"', "'single'", '"a\\tb"', '"\\u00e9"', "plain text",
               '"with: colon"', "a#b", "a #c", '"#x"', "@at", "`tick`", '"yes"', '"1.0"',
               "<<", '"multi\\nline"', "é", "'it''s'", "|-\n  block\n  text",
               ">\n  folded\n  text\n\n  more", "|\n  keep\n\n", "!!str 123", '!!int "42"',
               "!!float 1", "[]", "{}", "[1, a, \"b\"]", "{a: 1, b: [x]}", '"  lead"',
               "0.1", "100000000000000000000.0", "1e-10", "123456789.123456789", "1e21",
               "0xFF", "+0", "00", "08", "0."]
    KEYS = ["a", "b", "key", "Key", "k1", "1", "2", "true", '"quoted key"', "'sq'", "x.y",
            "with space", "é", '"~"', "1.5", "off", "-3"]

    def yaml_node(self, indent, depth):
        r, k = self.rng, self.rng.random()
        if depth > 3 or k < 0.55:
            s = r.choice(self.SCALARS)
            return " " + s.replace("\n", "\n" + " " * (indent + 2))
        if k < 0.78:
            return "".join("\n" + " " * indent + "-" + self.yaml_node(indent + 2, depth + 1)
                           for _ in range(r.randint(1, 4)))
        keys = r.sample(self.KEYS, r.randint(1, 4))
        return "".join("\n" + " " * indent + key + ":" + self.yaml_node(indent + 2, depth + 1)
                       for key in keys)

    def values_doc(self):
        return "".join("v%d:%s\n" % (i, self.yaml_node(2, 1)) for i in range(self.rng.randint(1, 6)))

    # -- modes -----------------------------------------------------------

    def run_expr(self, rounds):
        for _ in range(rounds):
            self.batch("expr", [self.expression() for _ in range(40)])

    def run_control(self, rounds):
        for _ in range(rounds):
            self.batch("control", [self.control() for _ in range(30)])

    def run_values(self, rounds):
        templates = [
            "{{ toYaml .Values }}\n",
            "j: {{ toJson .Values }}\n",
            "{{- range $k, $v := .Values }}\n# {{ $k }}={{ $v }} {{ typeOf $v }} {{ kindOf $v }}\n{{- end }}\n",
            "rt: {{ .Values | toYaml | fromYaml | toJson }}\n",
            '{{- range $k, $v := .Values }}\n# {{ $k }} {{ printf "%v|%s|%d" $v $v $v }} {{ toString $v }} {{ quote $v }}\n{{- end }}\n',
        ]
        for _ in range(rounds):
            values = self.values_doc()
            for t in templates:
                d = self.chart("values", [("templates/v.yaml", t)], values=values)
                diff, h, c = self.differs(d)
                if diff:
                    self.keep("values", d, [], h, c)
                    break

    def run_set(self, rounds):
        r = self.rng
        keys = ["a", "b", "a.b", "a.b.c", "list[0]", "list[1]", "list[2].x", "a\\.b", "m[0]",
                "x", "a.list[0]", "a.list[3]", "big[10]", "a..b", ".a", "a.", "a[", "a]",
                "a[0][1]", "a.b[0].c", "k-1", "1", "a\\,b", "é", "a b", "list[-1]",
                "list[x]", "nested.deep.er.key", "image.tag"]
        vals = ["1", "0", "-1", "1.5", "true", "false", "null", "nil", "", "abc", "a,b",
                "a\\,b", "{a,b}", "{1,2,3}", '"q"', "'s'", "1e3", "007", "0x10",
                "9223372036854775807", "9223372036854775808", "a=b", "a\\=b", "[1,2]",
                '{"a":1}', "\\", "x\\\\y", "üñí", " sp ", "TRUE", "yes", "~", ".5", "+1"]
        jsons = ["1", '"s"', "[1,2]", '{"a":{"b":null}}', "null", "true", "1.5e3",
                 '{"x":[{"y":1}]}', "[]", "{}", "bad", '{"a":', "12345678901234567890"]
        values = ("a: {b: {c: 0}, list: [1]}\nlist: [{x: 1}, 2]\nm: {k: v}\nx: 1\n"
                  "nested: {deep: {er: {key: old}}}\nimage: {tag: latest}\n")
        t = ('{{ toYaml .Values }}\n---\nj: {{ toJson .Values }}\n---\n{{- range $k, $v := .Values }}\n'
             '# {{ $k }} {{ typeOf $v }} {{ printf "%v" $v }}\n{{- end }}\n')
        d = self.chart("set", [("templates/v.yaml", t)], values=values)
        for _ in range(rounds):
            flags = []
            for _ in range(r.randint(1, 4)):
                kind = r.choice(["--set", "--set", "--set", "--set-string", "--set-json", "--set-literal"])
                if kind == "--set-json":
                    flags += [kind, r.choice(keys) + "=" + r.choice(jsons)]
                elif kind == "--set" and r.random() < 0.3:
                    flags += [kind, ",".join(r.choice(keys) + "=" + r.choice(vals)
                                             for _ in range(r.randint(2, 3)))]
                else:
                    flags += [kind, r.choice(keys) + "=" + r.choice(vals)]
            diff, h, c = self.differs(d, flags)
            if diff:
                self.keep("set", d, flags, h, c)

    def run_charts(self, rounds):
        r = self.rng
        keys = ["a", "b", "c", "enabled", "name", "image", "tag", "list", "m", "x", "data",
                "exports", "port"]

        def scalar():
            return r.choice(["1", "0", "true", "false", "null", "~", '"s"', "str", "1.5", '""',
                             "[]", "{}", "[1, 2]", "{k: v}", "12345678901234567890", "yes"])

        def value(depth):
            if depth > 2 or r.random() < 0.5:
                return scalar()
            return "{" + ", ".join("%s: %s" % (k, value(depth + 1))
                                   for k in r.sample(keys, r.randint(1, 3))) + "}"

        def table():
            return "{" + ", ".join("%s: %s" % (k, value(1)) for k in r.sample(keys, r.randint(1, 3))) + "}"

        def values(extra=""):
            return "".join("%s: %s\n" % (k, value(0)) for k in r.sample(keys, r.randint(1, 5))) + extra

        t = "{{ toYaml .Values }}\n---\n# {{ .Chart.Name }} {{ toJson .Values.global }} {{ .Values.enabled }}\n"
        for _ in range(rounds):
            subs = r.sample(["s1", "s2", "s3"], r.randint(1, 3))
            deps, files = "", [("templates/v.yaml", t)]
            for s in subs:
                deps += "- name: %s\n  version: 0.1.0\n" % s
                if r.random() < 0.4:
                    deps += "  condition: %s\n" % r.choice([s + ".enabled", "flags." + s,
                                                            s + ".enabled,other.x", "global.on"])
                if r.random() < 0.3:
                    deps += "  tags: [%s]\n" % r.choice(["t1", "t2", "t1, t2"])
                if r.random() < 0.25:
                    deps += "  alias: %s\n" % r.choice(["al" + s, s + "b"])
                if r.random() < 0.3:
                    deps += "  import-values:\n" + r.choice([
                        "  - data\n", "  - child: m\n    parent: imported\n",
                        "  - child: exports.data\n    parent: x\n", "  - exports\n"])
                files += [
                    ("charts/%s/Chart.yaml" % s, "apiVersion: v2\nname: %s\nversion: 0.1.0\n" % s),
                    ("charts/%s/values.yaml" % s, values(r.choice(
                        ["", "exports:\n  data: {e: 1}\n", "global: {g: sub, h: [1]}\n"]))),
                    ("charts/%s/templates/v.yaml" % s, t),
                ]
            parent = values(r.choice(["", "global: {g: top, on: false}\n", "tags: {t1: false}\n",
                                      "tags: {t2: true}\n"]))
            for s in subs:
                if r.random() < 0.6:
                    parent += "%s: %s\n" % (r.choice([s, "al" + s]),
                                            scalar() if r.random() < 0.1 else table())
            if r.random() < 0.3:
                parent += "flags: {%s: %s}\n" % (r.choice(subs), r.choice(["true", "false", "null", '"x"']))
            d = self.chart("charts", files, values=parent,
                           chart_yaml="apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n" + deps)
            flags = []
            if r.random() < 0.4:
                flags = ["--set", r.choice(["a=1", "global.g=set", "s1.a=null", "s2.enabled=false",
                                            "tags.t1=true", "s1.m.k=1", "global=null"])]
            diff, h, c = self.differs(d, flags, full_stderr=True)
            if diff:
                self.keep("charts", d, flags, h, c)

    def run_manifests(self, rounds):
        r = self.rng
        kinds = ["Namespace", "ConfigMap", "Secret", "Service", "Deployment", "StatefulSet", "Job",
                 "CronJob", "Pod", "ServiceAccount", "Role", "RoleBinding", "ClusterRole",
                 "CustomResourceDefinition", "Ingress", "NetworkPolicy", "PodDisruptionBudget",
                 "HorizontalPodAutoscaler", "MyKind", "APIService", "PriorityClass",
                 "ResourceQuota", "LimitRange", "PersistentVolumeClaim", "StorageClass",
                 "DaemonSet", "ReplicaSet", "IngressClass", "ValidatingWebhookConfiguration", ""]
        hooks = ["pre-install", "post-install", "pre-upgrade", "post-upgrade", "pre-delete", "test",
                 "test-success", "pre-install,post-install", "PRE-INSTALL", "crd-install",
                 "pre-rollback", "bogus"]

        def doc():
            kind, name = r.choice(kinds), r.choice(["a", "b", "c", "z", "m", "a1", "B", ""])
            out = "# comment\n" if r.random() < 0.1 else ""
            out += "apiVersion: %s\n" % r.choice(["v1", "apps/v1", "batch/v1", "x.io/v1"])
            out += "kind: %s\n" % kind if kind else ""
            out += "metadata:\n" + ("  name: %s\n" % name if name else "")
            if r.random() < 0.35:
                out += '  annotations:\n    "helm.sh/hook": %s\n' % r.choice(hooks)
                if r.random() < 0.6:
                    out += '    "helm.sh/hook-weight": "%s"\n' % r.choice(["0", "1", "-5", "10", "2", "x", "", "+3", "007"])
            return out + 'data: {x: "%d"}\n' % r.randint(0, 9)

        def separator():
            return r.choice(["---\n", "---\n", "\n---\n", "--- \n", "---\n\n", "---  # c\n", "----\n", "---x\n"])

        for _ in range(rounds):
            files, names = [], []
            for i in range(r.randint(1, 6)):
                name = r.choice(["a", "b", "z", "x/y", "sub/a", "0", "m"]) + str(i) + \
                    r.choice([".yaml", ".yaml", ".yml", ".tpl", ".txt", ".json", ""])
                names.append(name)
                body = r.choice(["", "---\n"]) + separator().join(doc() for _ in range(r.randint(1, 4)))
                files.append(("templates/" + name, body))
            if r.random() < 0.3:
                files.append(("templates/NOTES.txt", "notes {{ .Release.Name }}\n"))
            if r.random() < 0.3:
                files.append(("crds/c.yaml", "apiVersion: apiextensions.k8s.io/v1\n"
                              "kind: CustomResourceDefinition\nmetadata: {name: c}\n"))
            flags = [f for f, p in (("--include-crds", 0.2), ("--no-hooks", 0.2),
                                    ("--skip-tests", 0.2), ("--is-upgrade", 0.1)) if r.random() < p]
            if r.random() < 0.15:
                flags += ["--show-only", "templates/" + r.choice(names)]
            d = self.chart("manifests", files, chart_yaml="apiVersion: v2\nname: k\nversion: 1.0.0\n")
            diff, h, c = self.differs(d, flags, full_stderr=True)
            if diff:
                self.keep("manifests", d, flags, h, c)

    def chart_values(self, chart, extra):
        """The chart's values as JSON, rendered by a copy with one more template."""
        copy = os.path.join(self.work, "dump")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(chart, copy, symlinks=True)
        with open(os.path.join(copy, "templates", "zz-values-dump.yaml"), "w") as f:
            f.write("v: {{ toJson .Values | b64enc }}\n")
        p = subprocess.run([self.chartgen, "template", "rel", copy, "--show-only",
                            "templates/zz-values-dump.yaml"] + extra, capture_output=True)
        lines = [l[3:] for l in p.stdout.decode().splitlines() if l.startswith("v: ")]
        if p.returncode != 0 or not lines:
            sys.exit("cannot read the chart's values: " + p.stderr.decode()[-500:])
        import base64
        return json.loads(base64.b64decode(lines[0]))

    def run_chart(self, rounds, chart, extra):
        r = self.rng
        leaves = []

        def walk(v, path):
            if isinstance(v, dict):
                for k, x in v.items():
                    if re.fullmatch(r"[A-Za-z0-9_-]+", k):
                        walk(x, path + [k])
            if path:
                leaves.append((".".join(path), v))

        walk(self.chart_values(chart, extra), [])
        switches = [k for k, v in leaves if k.endswith("enabled") and isinstance(v, bool)]

        def change():
            key, v = r.choice(leaves)
            if isinstance(v, bool):
                return ["--set", "%s=%s" % (key, str(not v).lower())]
            if isinstance(v, (int, float)):
                return ["--set", "%s=%s" % (key, r.choice(["0", "1", "3", "-1", "65536", "2.5", '"x"']))]
            if isinstance(v, str):
                if r.random() < 0.3:
                    return ["--set", key + "=null"]
                return ["--set-string", "%s=%s" % (key, r.choice(["", "x", "true", "1", "a-b", "Always", "v1.2.3", "10Gi"]))]
            if isinstance(v, list):
                return ["--set-json", "%s=%s" % (key, r.choice(["[]", '["a"]', '[{"name":"x","value":"y"}]', "[1,2]", "null"]))]
            if isinstance(v, dict):
                return ["--set-json", "%s=%s" % (key, r.choice(["{}", "null", '{"a":"b"}', '{"enabled":true}']))]
            return ["--set", "%s=%s" % (key, r.choice(["x", "1", "true"]))]

        for _ in range(rounds):
            flags = list(extra)
            for _ in range(r.randint(1, 5)):
                flags += change()
            for _ in range(r.randint(0, 3) if switches else 0):
                flags += ["--set", r.choice(switches) + "=true"]
            h = self.render(self.helm, chart, flags)
            if h is None:
                continue
            c = self.render(self.chartgen, chart, flags) or (-1, b"TIMEOUT", b"")
            if h != c and h[0] == c[0] and h[2] == c[2]:
                again = self.render(self.helm, chart, flags)
                if again is not None and again[1] != h[1]:
                    a, b, z = (x[1].split(b"\n") for x in (h, again, c))
                    if len(a) == len(b) == len(z) and all(x != y or x == w for x, y, w in zip(a, b, z)):
                        continue
            if h != c:
                self.keep("chart-" + os.path.basename(os.path.normpath(chart)), chart, flags, h, c)

    # -- errors, files, flags ------------------------------------------------

    def run_args(self, binary, args, cwd=None, stdin=None):
        """(exit, stdout, stderr) of `BINARY ARGS`, pointers masked; None on timeout."""
        try:
            p = subprocess.run([binary] + args, capture_output=True, timeout=20, cwd=cwd,
                               input=stdin if stdin is not None else b"")
        except subprocess.TimeoutExpired:
            return None
        return p.returncode, POINTER.sub(b"0xPTR", p.stdout), POINTER.sub(b"0xPTR", p.stderr)

    def keep_full(self, name, tree, args, stdin, h, c):
        """Keeps a whole case directory (charts, values files) and both outcomes."""
        self.found += 1
        dst = os.path.join(self.out, "%s-seed%d-%d" % (name, self.seed, self.found))
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(tree, dst, symlinks=True)
        show = lambda r: {"exit": r[0], "stdout": r[1].decode("utf-8", "replace"),
                          "stderr": r[2].decode("utf-8", "replace"), "files": r[3] if len(r) > 3 else {}}
        with open(os.path.join(dst, "RESULT.json"), "w") as f:
            json.dump({"args": args, "stdin": (stdin or b"").decode("utf-8", "replace"),
                       "helm": show(h), "chartgen": show(c)}, f, indent=1, ensure_ascii=False)
        print("difference kept in", dst, flush=True)

    def write_tree(self, root, files):
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        for path, data in files:
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

    # errors: a chain of layers l0 -> l1 -> … where the last one fails.
    ERROR_LEAVES = [
        'fail "boom"', 'fail (printf "x%d-%s" 1 .Values.s)', 'required "need missing" .Values.missing',
        'required "need n" .Values.n', 'include "nope" .', 'template "nope" .', 'index .Values.l 10',
        'index .Values.m 1', 'index .Values.m "a" "b"', 'index .Values.s 99', '.Values.missing.x',
        '.Values.missing.x.y', '$.Values.missing.z', '.Values.s.Foo', '.Values.l.x', '.Values.i.x',
        '.Values.m.a.b', '.Release.Name.x', '.Chart.Foo', '.Capabilities.Foo', '.Files.Get 1',
        '.Files.Glob', '.Capabilities.APIVersions.Has', '.Release.Bogus', '.Template.Foo',
        'len .Values.i', 'upper 1', 'nindent "x" "y"', 'call .Values.s', 'div 1 0', 'mod 3 0',
        'mustFromJson "{"', 'mustRegexMatch "(" "x"', 'semver "bad"', 'get .Values.l "a"',
        'slice .Values.l 3 1', 'eq .Values.i 1', 'lt "a" 1', 'not', 'toYaml', 'printf',
        'tpl "{{ .x " .', 'tpl "{{ nofunc 1 }}" $', 'tpl "{{ fail \\"in tpl\\" }}" $',
        'tpl "{{ .Values.missing.x }}" $', 'tpl "x\\n{{ include \\"nope\\" . }}" $',
        'tpl "{{ required \\"req in tpl\\" .Values.missing }}" $', 'tpl 1 $', 'tpl "{{ . }}" 1',
        'include "l0" (list 1)', 'include 1 .', 'mustMerge .Values.m 1', 'first 1', 'mustFirst 1',
        'mustToJson .Values.m | fromYaml | required "rq"', 'dict "a" | toYaml | fail',
        'index (list 1 2) -1', 'index nil 0', 'index .Values.n 0', '(index .Values.l 0).x',
        'keys .Values.l', 'mustAppend .Values.m 1', 'toDate "2006" "x" | date', 'b64dec "%%%"',
        'fromJson "[" | required "from"', 'include "l0" .Values.missing.q',
        '(lookup "v1" "Secret" "ns" "n").data.x', '.Capabilities.KubeVersion.Major.x',
        '(index .Chart.Dependencies 0).Name', '.Subcharts.nope.Values', 'fail 1', 'fail ""',
        'required "ws" " "', 'regexReplaceAll "(" "a" "b"', 'semverCompare "bad" "1.0.0"',
        'merge 1 2', 'set .Values.l "a" 1', 'unset nil "a"', 'dig "a" "b" .Values.l',
        '$.Files.Get (index .Values.l 0)', 'keys nil', 'list | first | upper',
        'printf "%d" (include "nope" .)', 'include "self" .', 'template "tself" .',
        '.Values.m | include', 'default (include "nope" .) .Values.s',
        'dict "k" (required "in dict" .Values.n) | toYaml', 'index .Values.nested.list 0 "k" "z"',
        'range', 'tpl "{{ define \\"x\\" }}{{ fail \\"dx\\" }}{{ end }}{{ include \\"x\\" . }}" $',
        'tpl "{{ template \\"nope\\" }}" $', 'toYaml .Values | fromYaml | required "rq2" | .x',
        'with $x := .Values.missing.x', 'if .Values.missing.x }}{{ end', 'fromYamlArray "a: 1" | first',
    ]
    PARSE_BREAKS = ['{{ .Values.x ', '{{ end }}', '{{ if }}', '{{ nofunc 1 }}', '{{ $u }}',
                    '{{ range }}', '{{ else }}', '{{ template }}', '{{ "unterminated }}',
                    '{{ .Values.x | }}', '{{ (1 }}', '{{/* unclosed', '{{ break }}',
                    '{{ if true }}', '{{ define "dd" }}x', '{{ .Values..x }}', '{{ 1 2 }}',
                    '{{ $x := }}', '{{ with }}{{ end }}', '{{ continue }}', '{{ else if }}',
                    '{{ .Values.x 1 }}', '{{ 3 | . }}', '{{ $x = 1 }}', '{{ block }}']

    def error_case(self):
        """[(path, text)] of a chart whose rendering fails somewhere."""
        r = self.rng
        depth = r.randint(0, 4)
        pad = lambda: r.choice(["", "", "x ", "  ", "a: b\\n", "\\n\\n", "key: ", "\\t"]).replace("\\n", "\n").replace("\\t", "\t")
        leaf_kind = r.random()
        if leaf_kind < 0.12:
            leaf = r.choice(self.PARSE_BREAKS)
        else:
            leaf = self.action(r.choice(self.ERROR_LEAVES))
        body = pad() + leaf + r.choice(["", "\n", " tail"])
        defines = []   # (name, text)
        for k in range(depth, 0, -1):
            # layer k-1 calls layer k (whose body is `body`)
            name = "l%d" % k
            defines.append((name, body))
            arg = r.choice([".", ".", "$", '(dict "Values" $.Values)', ".Values", "$.Values", "(list 1 2)"])
            call = r.choice([
                '{{ include "%s" %s }}' % (name, arg),
                '{{- include "%s" %s | nindent 2 }}' % (name, arg),
                '{{ template "%s" %s }}' % (name, arg),
                '{{ tpl "{{ include \\"%s\\" . }}" $ }}' % name,
                '{{ tpl "a\\n{{ template \\"%s\\" . }}" $ }}' % name,
                '{{ range .Values.l }}{{ include "%s" $ }}{{ end }}' % name,
                '{{ range $i, $e := .Values.ls }}{{ if eq $i 2 }}{{ include "%s" $ }}{{ end }}{{ end }}' % name,
                '{{ with .Values.m }}{{ include "%s" $ }}{{ end }}' % name,
                '{{ with .Values.missing }}no{{ else }}{{ include "%s" $ }}{{ end }}' % name,
                '{{ if true }}\n  {{ include "%s" %s }}{{ end }}' % (name, arg),
                '{{ $x := include "%s" %s }}{{ $x }}' % (name, arg),
                '{{ $y := list (include "%s" %s) }}{{ $y }}' % (name, arg),
                '{{ include "%s" %s | upper | quote }}' % (name, arg),
                '{{ tpl (include "%s" %s) $ }}' % (name, arg),
                '{{ block "blk%d" %s }}{{ include "%s" $ }}{{ end }}' % (k, arg, name),
                '{{ range $k, $v := .Values.m }}{{ if eq $k "d" }}{{ include "%s" $ }}{{ end }}{{ end }}' % name,
                '{{ with $x := .Values.m }}{{ include "%s" $ }}{{ end }}' % name,
                '{{ if and true (include "%s" %s) }}y{{ end }}' % (name, arg),
                '{{ default (include "%s" %s) .Values.s }}' % (name, arg),
                '{{ dict "k" (include "%s" %s) | toYaml }}' % (name, arg),
                '{{ with .Values.missing }}{{ else with .Values.m }}{{ include "%s" $ }}{{ end }}' % name,
                '{{ range until 2 }}{{ continue }}{{ end }}{{ include "%s" %s }}' % (name, arg),
                '{{ $r := "" }}{{ range list 1 }}{{ $r = include "%s" $ }}{{ end }}{{ $r }}' % name,
            ])
            body = pad() + call + r.choice(["", "\n", " t"])
        top = body
        files = [("Chart.yaml", "apiVersion: v2\nname: fz\nversion: 1.2.3\n"), ("values.yaml", VALUES)]
        sub = r.random() < 0.2
        if sub:
            files += [("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
                      ("charts/sub/values.yaml", VALUES)]
        spots = ["templates/_a.tpl", "templates/_b.tpl", "templates/t.yaml"] + (
            ["charts/sub/templates/_s.tpl"] if sub else [])
        where = {}
        for name, text in defines:
            spot = r.choice(spots)
            where.setdefault(spot, "")
            where[spot] += r.choice(["", "\n", "# c\n"]) + '{{- define "%s" -}}\n' % name + text + "\n{{- end }}\n" \
                if r.random() < 0.5 else '{{ define "%s" }}%s{{ end }}' % (name, text)
        topfile = r.choice(["templates/t.yaml", "templates/t.yaml", "templates/NOTES.txt",
                            "templates/sub/deep.yaml"] + (["charts/sub/templates/s.yaml"] if sub else []))
        where[topfile] = where.get(topfile, "") + "# top\nv: " + top + "\n"
        if r.random() < 0.2:
            where["templates/a-ok.yaml"] = "ok: {{ .Values.s }}\n"
        if r.random() < 0.1:
            where["templates/z-second.yaml"] = "z: {{ fail \"second\" }}\n"
        where["templates/_self.tpl"] = ('{{ define "self" }}{{ include "self" . }}{{ end }}'
                                        '{{ define "tself" }}{{ template "tself" . }}{{ end }}')
        files += sorted(where.items())
        return files

    def run_errors(self, rounds):
        for _ in range(rounds):
            files = self.error_case()
            d = os.path.join(self.work, "errors")
            self.write_tree(d, files)
            args = ["template", "rel", d]
            if self.rng.random() < 0.1:
                args.append("--debug")
            h = self.run_args(self.helm, args)
            if h is None:
                continue
            c = self.run_args(self.chartgen, args) or (-1, b"TIMEOUT", b"")
            if "--debug" in args and h[0] != 0:
                # helm --debug prints more than one file's output in Go's map order
                h, c = (h[0], b"", h[2]), (c[0], b"", c[2])
            if h != c:
                again = self.run_args(self.helm, args)
                if again is None or (again[0], again[2]) != (h[0], h[2]):
                    continue
            if h != c:
                self.keep_full("errors", d, args, None, h, c)

    # files: random extra files read through .Files.
    FILE_NAMES = ["a.txt", "b.txt", "c.yaml", "d.json", "e.properties", "x", ".hidden", "f.md",
                  "a.conf", "ab.txt", "ac.txt", "b1.txt", "README", "UP.TXT", "sp ace.txt",
                  "é.txt", "bin.dat", "empty.txt", "k.key", "a.b.c"]
    FILE_DIRS = ["", "", "conf/", "conf/sub/", "data/", "data/deep/er/", "files/", "a/", "a/b/",
                 ".dot/", "templates2/"]

    def file_content(self):
        r = self.rng
        k = r.random()
        if k < 0.1:
            return b""
        if k < 0.18:
            return bytes(r.randrange(256) for _ in range(r.randint(1, 12)))
        if k < 0.24:
            return b"\x00\x01ok\xff\n"
        lines = [r.choice(["hello", "a: 1", "k=v", "  indented", "", "#comment", "é ñ", "x y z",
                           "{{ .Values.s }}", "- item", "tab\there", "line\r", "key: value",
                           "'q'", '"dq"', "a: [1, 2]"]) for _ in range(r.randint(1, 4))]
        text = "\n".join(lines)
        if r.random() < 0.6:
            text += "\n"
        if r.random() < 0.1:
            text = text.replace("\n", "\r\n")
        return text.encode("utf-8")

    GLOBS = ["*", "*.txt", "**", "**.txt", "**/*.txt", "conf/*", "conf/**", "{a,b}.txt",
             "*.{yaml,json}", "[ab].txt", "[ab]*", "a?.txt", "?.txt", "data/**", "data/*/*",
             "conf/*.yaml", "*/*", "**/*", ".*", "a/**/x", "nomatch*", "", "[!a]*.txt",
             "{conf,data}/**", "a/b/*", "**/", "conf", "*.TXT", "\\*", "files/**/*.md",
             "[a-c].txt", "**/b*"]
    IGNORES = ["*.txt", "conf/", "!a.txt", "**/x", "/b.txt", "a?.txt", "[ab].txt", "# c",
               "", "data/deep", "*.dat", "sub/", "/conf/sub", ".hidden", "files/*.md",
               "templates2/", "e.properties", "*.key", "UP.*", "!conf/sub/"]

    def files_template(self):
        r = self.rng
        g = lambda: '"' + r.choice(self.GLOBS) + '"'
        name = lambda: '"' + r.choice(self.FILE_DIRS) + r.choice(self.FILE_NAMES) + '"'
        exprs = [
            lambda: ".Files.Get %s | toJson" % name(),
            lambda: ".Files.Get %s | quote" % name(),
            lambda: "(.Files.Get %s) | b64enc" % name(),
            lambda: ".Files.GetBytes %s | toJson" % name(),
            lambda: 'printf "%%v" (.Files.GetBytes %s)' % name(),
            lambda: 'printf "%%s" (.Files.GetBytes %s) | toJson' % name(),
            lambda: ".Files.Lines %s | toJson" % name(),
            lambda: "len (.Files.Lines %s)" % name(),
            lambda: "(.Files.Glob %s) | keys | sortAlpha | toJson" % g(),
            lambda: "len (.Files.Glob %s)" % g(),
            lambda: "(.Files.Glob %s).AsConfig | toJson" % g(),
            lambda: "(.Files.Glob %s).AsSecrets | toJson" % g(),
            lambda: "(.Files.Glob %s).AsConfig | fromYaml | toJson" % g(),
            lambda: "((.Files.Glob %s).Glob %s) | keys | sortAlpha | toJson" % (g(), g()),
            lambda: "(.Files.Glob %s).Get %s | toJson" % (g(), name()),
            lambda: ".Files.AsConfig | toJson",
            lambda: ".Files.AsSecrets | toJson",
            lambda: ".Files | keys | sortAlpha | toJson",
            lambda: "typeOf .Files",
            lambda: "typeOf (.Files.Glob %s)" % g(),
            lambda: "(.Files.Glob %s) | toYaml | toJson" % g(),
            lambda: "toYaml (.Files.Lines %s) | toJson" % name(),
            lambda: 'printf "%%v" (.Files.Glob %s) | toJson' % g(),
            lambda: '.Files.Get %s | tpl $ | toJson' % name(),
            lambda: 'hasKey .Files %s' % name(),
            lambda: 'index .Files %s | toJson' % name(),
            lambda: '.Files.Get %s | sha256sum' % name(),
            lambda: '(.Files.Glob %s) | len' % g(),
        ]
        out = ""
        for i in range(r.randint(1, 6)):
            k = r.random()
            if k < 0.15:
                out += "r%d: x{{ range $path, $b := .Files.Glob %s }} {{ $path }}={{ len $b }}{{ end }}\n" % (i, g())
            elif k < 0.22:
                out += "r%d: x{{ range .Files.Lines %s }}[{{ . }}]{{ end }}\n" % (i, name())
            elif k < 0.3:
                out += "r%d:\n{{ (.Files.Glob %s).AsConfig | indent 2 }}\n" % (i, g())
            elif k < 0.35:
                out += "r%d:\n{{ (.Files.Glob %s).AsSecrets | nindent 2 }}\n" % (i, g())
            else:
                out += "e%d: {{ %s }}\n" % (i, r.choice(exprs)())
        return out

    def run_files(self, rounds):
        r = self.rng
        for _ in range(rounds):
            files = [("Chart.yaml", "apiVersion: v2\nname: fz\nversion: 1.2.3\n"), ("values.yaml", VALUES)]
            seen = set()
            for _ in range(r.randint(1, 12)):
                path = r.choice(self.FILE_DIRS) + r.choice(self.FILE_NAMES)
                if path not in seen:
                    seen.add(path)
                    files.append((path, self.file_content()))
            if r.random() < 0.5:
                files.append((".helmignore", "\n".join(r.sample(self.IGNORES, r.randint(1, 4))) + "\n"))
            nt = r.randint(1, 3)
            for i in range(nt):
                files.append(("templates/f%d.yaml" % i, self.files_template()))
            if r.random() < 0.2:
                files += [("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
                          ("charts/sub/data/a.txt", "sub-a\n"), ("charts/sub/b.txt", "sub-b"),
                          ("charts/sub/templates/s.yaml", self.files_template())]
            d = os.path.join(self.work, "files")
            self.write_tree(d, files)
            args = ["template", "rel", d]
            h = self.run_args(self.helm, args)
            if h is None:
                continue
            c = self.run_args(self.chartgen, args) or (-1, b"TIMEOUT", b"")
            if h != c and any(self.run_args(self.helm, args) != h for _ in range(3)):
                # AsConfig/AsSecrets key files by base name: which of two files
                # with the same base name wins follows Go's map order.
                continue
            bases = [os.path.basename(p) for p, _ in files]
            if h != c and len(set(bases)) < len(bases) and any(
                    "AsConfig" in t or "AsSecrets" in t for p, t in files if p.startswith("templates/")):
                continue  # two files with one base name: Go's map order picks the winner
            if h != c and any(not p.isascii() for p, _ in files) and any(
                    ("?" in t or "[" in t) for p, t in files if p.startswith("templates/")):
                continue  # known difference: gobwas/glob rows cut non-ASCII names by bytes
            if h != c:
                self.keep_full("files", d, args, None, h, c)

    # flags: one random chart with sub-charts, hooks, tests, CRDs and notes,
    # rendered with random template flags.
    def flags_chart(self):
        r = self.rng
        chart_yaml = "apiVersion: v2\nname: fz\nversion: 1.2.3\n"
        if r.random() < 0.2:
            chart_yaml += "kubeVersion: %s\n" % r.choice(['">=1.20.0"', '"<1.20.0"', '"~1.28.0"', '">= 1.30.0-0"', '"bad"'])
        if r.random() < 0.15:
            chart_yaml += "appVersion: %s\n" % r.choice(['"1.0"', "2.0.0", "3"])
        deps = []
        if r.random() < 0.5:
            deps.append("sub")
        if r.random() < 0.15:
            deps.append("absent")
        if deps:
            chart_yaml += "dependencies:\n" + "".join(
                "- name: %s\n  version: 0.1.0\n%s" % (n, r.choice(["", '  repository: "file://charts/%s"\n' % n,
                                                                   "  repository: https://example.invalid/charts\n"]))
                for n in deps)
        files = [("c/Chart.yaml", chart_yaml),
                 ("c/values.yaml", "a: 1\nname: base\nlist: [1, 2]\nm: {k: v}\nsub: {x: fromparent}\n")]
        info = ("n: {{ .Release.Name }}\nns: {{ .Release.Namespace }}\nup: {{ .Release.IsUpgrade }}\n"
                "in: {{ .Release.IsInstall }}\nkv: {{ .Capabilities.KubeVersion }}\n"
                "kvm: {{ .Capabilities.KubeVersion.Minor }}\nhas: {{ .Capabilities.APIVersions.Has \"x.io/v1\" }}\n"
                "hasK: {{ .Capabilities.APIVersions.Has \"x.io/v1/Thing\" }}\nv: {{ toJson .Values }}\n")
        files.append(("c/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  info: |\n"
                      + "".join("    " + l + "\n" for l in info.splitlines())))
        if r.random() < 0.6:
            files.append(("c/templates/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n"))
        if r.random() < 0.5:
            files.append(("c/templates/tests/t.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: %s\n" % r.choice(["test", "test-success", "test,pre-install"])))
        if r.random() < 0.5:
            files.append(("c/templates/hook.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: %s\n" % r.choice(["pre-install", "post-upgrade", "pre-install,pre-upgrade"])))
        if r.random() < 0.5:
            files.append(("c/templates/NOTES.txt", "Notes for {{ .Release.Name }} in {{ .Release.Namespace }}\n"))
        if r.random() < 0.3:
            files.append(("c/templates/empty.yaml", r.choice(["", "# only a comment\n", "{{/* nothing */}}\n"])))
        if r.random() < 0.4:
            files.append(("c/crds/crd.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.x.io\n"))
            if r.random() < 0.5:
                files.append(("c/crds/more/two.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: b.x.io\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: c.x.io\n"))
            if r.random() < 0.2:
                files.append(("c/crds/notyaml.txt", "text\n"))
        if r.random() < 0.15:
            files.append(("c/templates/%s" % r.choice(["bad.yaml", "0bad.yaml", "sub/zz.yaml"]), r.choice([
                '{{ fail "boom" }}\n', "a: {{ .Values.missing.x }}\n", "a: [\n", "a: 1\n---\nb: {\n",
                "{{ if .Values.a }}a: 1{{ end\n", '{{ required "need z" .Values.z }}\n',
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n\tbad: tab\n"])))
        if r.random() < 0.25:
            files.append(("c/values.schema.json", '{"type": "object", "properties": {"a": {"type": "%s"}}}' % r.choice(["integer", "string"])))
        if "sub" in deps or r.random() < 0.3:
            files += [("c/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
                      ("c/charts/sub/values.yaml", "x: subdefault\n"),
                      ("c/charts/sub/templates/s.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub-{{ .Release.Name }}\ndata:\n  x: {{ .Values.x | quote }}\n")]
            if r.random() < 0.4:
                files.append(("c/charts/sub/templates/NOTES.txt", "sub notes\n"))
            if r.random() < 0.4:
                files.append(("c/charts/sub/crds/s.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: sub.x.io\n"))
        files += [("v1.yaml", "a: 2\nname: one\n"), ("v2.yaml", "name: two\nlist: [9]\nsub: {x: v2}\n"),
                  ("v3.yaml", r.choice(["a: bad\n", "m: null\n", "[1]\n", "a: {b: 1}\n", "", "list: null\n", "m: {k2: w}\n"])),
                  ("sf.txt", r.choice(["file-content\n", "", "multi\nline", "a: 1\n"]))]
        return files

    def flags_args(self, files):
        r = self.rng
        paths = [p[2:] for p, _ in files if p.startswith("c/templates/") or p.startswith("c/charts/")]
        names = []
        args = []
        # the name
        k = r.random()
        if k < 0.6:
            names = [r.choice(["rel", "rel", "rel", "my-release", "a", "x" * 53, "rel.1"] +
                              ([] if r.random() < 0.7 else ["Bad_Name", "x" * 54, "-lead"]))]
        elif k < 0.75:
            args += ["--generate-name"]
        elif k < 0.9:
            args += ["--name-template", r.choice(["{{ \"tmpl\" | upper | lower }}", "fixed", "{{ .Bad }}",
                                                  "{{ nofunc }}", "a-{{ \"b\" }}"])]
        if r.random() < 0.1 and names:
            args += ["--generate-name"]
        stdin = None
        for _ in range(r.randint(0, 6)):
            k = r.random()
            if k < 0.12:
                args += ["--show-only", r.choice(paths + ["templates/missing.yaml", "charts/sub/templates/s.yaml",
                                                           "fz/templates/cm.yaml", "templates/", "templates/*.yaml",
                                                           "templates/tests/t.yaml", "templates/NOTES.txt"])]
            elif k < 0.2:
                args.append(r.choice(["--skip-tests", "--no-hooks", "--is-upgrade", "--include-crds",
                                      "--skip-crds", "--skip-schema-validation", "--render-subchart-notes"]))
            elif k < 0.3:
                args += [r.choice(["-n", "--namespace"]), r.choice(["ns1", "kube-system", "", "Bad_NS"])]
            elif k < 0.42:
                v = r.choice(["v1.yaml", "v2.yaml", "v1.yaml", "v2.yaml", "v3.yaml", "-", "missing.yaml"])
                if v == "-":
                    stdin = r.choice([b"a: 3\nname: stdin\n", b"", b"{bad", b"sub: {x: stdin}\n"])
                args += [r.choice(["-f", "--values"]), v]
            elif k < 0.5:
                args += ["--set-file", r.choice(["sf=sf.txt", "sub.x=sf.txt", "m.k=sf.txt", "sf=sf.txt,x=sf.txt", "a=missing.txt", "bad"])]
            elif k < 0.58:
                args += ["--set", r.choice(["a=5", "sub.x=set", "name=setname", "list[0]=z"])]
            elif k < 0.68:
                args += ["--kube-version", r.choice(["1.20", "v1.28.3", "1.19.0", "1.31", "v1.33.0", "bad", "1", "v2.0.0-beta.1", "1.30+", ""])]
            elif k < 0.78:
                args += [r.choice(["-a", "--api-versions"]), r.choice(["x.io/v1", "x.io/v1/Thing", "v1,apps/v1", "", "a/b/c/d"])]
            elif k < 0.85:
                args += ["--output-dir", "out"]
            elif k < 0.9:
                args += ["--release-name"]
            elif k < 0.93:
                args += ["--dependency-update"]
            elif k < 0.97:
                args += r.choice([["--version", "1.2.3"], ["--version", "bad"], ["--devel"], ["--wait"],
                                  ["--timeout", "5m"], ["--timeout", "bad"], ["--hide-notes"], ["--replace"],
                                  ["--labels", "a=b"], ["--labels", "bad"], ["--create-namespace"],
                                  ["--dry-run=client"], ["--dry-run=bogus"], ["--description", "d"],
                                  ["--disable-openapi-validation"], ["--take-ownership"], ["--enable-dns"],
                                  ["--set-string", "noequals"], ["--values", ""], ["-s", "templates/cm.yaml"],
                                  ["--set-file", "a=-"], ["--skip-crds", "--include-crds"],
                                  ["--post-renderer-args", "x"], ["--kube-apiserver", "x"], ["--burst-limit", "x"],
                                  ["--rollback-on-failure"], ["--atomic"], ["--no-such-flag"], ["--force-replace"]])
            else:
                args += [r.choice(["--debug", "--set-string", "--set-json"])] + (
                    [] if r.random() < 0.5 else [r.choice(["a=7", 'sub={"x":1}', "name=[1]"])])
        return ["template"] + names + ["c"] + args, stdin

    def snapshot_tree(self, root, skip):
        """{relpath: content} of every file under root except the inputs."""
        out = {}
        for dirpath, _, fnames in os.walk(root):
            for fn in fnames:
                full = os.path.join(dirpath, fn)
                rel = os.path.relpath(full, root)
                if rel in skip or rel.startswith(".helm"):
                    continue
                text = open(full, "rb").read().decode("utf-8", "replace")
                out[rel] = re.sub(r"(?m)^generated: .*$", "generated: TIME", text)
        return out

    GENERATED = re.compile(rb"fz-\d{10}")

    def run_flags(self, rounds):
        for _ in range(rounds):
            files = self.flags_chart()
            args, stdin = self.flags_args(files)
            if "--dependency-update" in args and any("https://" in t for _, t in files):
                continue  # chartgen never downloads
            results = []
            for binary in (self.helm, self.chartgen):
                d = os.path.join(self.work, "flags-" + ("h" if binary == self.helm else "c"))
                self.write_tree(d, files)
                before = set(self.snapshot_tree(d, set()))
                env = dict(os.environ, HELM_CACHE_HOME=os.path.join(d, ".helm-cache"),
                           HELM_CONFIG_HOME=os.path.join(d, ".helm-config"),
                           HELM_DATA_HOME=os.path.join(d, ".helm-data"))
                try:
                    p = subprocess.run([binary] + args, capture_output=True, timeout=20, cwd=d,
                                       input=stdin or b"", env=env)
                except subprocess.TimeoutExpired:
                    results.append(None)
                    continue
                clean = lambda b: self.GENERATED.sub(b"fz-TIME", POINTER.sub(b"0xPTR", b.replace(d.encode(), b"$TMP")))
                tree = self.snapshot_tree(d, before)
                tree = {self.GENERATED.sub(b"fz-TIME", k.encode()).decode(): v for k, v in tree.items()}
                results.append((p.returncode, clean(p.stdout), clean(p.stderr), tree))
            h, c = results
            if h is None:
                continue
            c = c or (-1, b"TIMEOUT", b"", {})
            if h != c:
                self.keep_full("flags", os.path.join(self.work, "flags-h"), args, stdin, h, c)

    # -- yamlsyntax: YAML corners in values files and through from*/to* ----

    YS_PLAIN = ["0o17", "0x1F", "0X1f", "1_000", "+.inf", ".NaN", ".NAN", "-.INF", ".Inf", "~",
                "null", "Null", "NULL", "nULL", "yes", "Yes", "YES", "no", "on", "off", "On", "OFF",
                "y", "Y", "n", "N", "True", "FALSE", "tRue", "2001-12-14",
                "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14T01:02:03Z",
                "1e3", "1E3", "1e+3", "-0", "+0", "0.", "-.5", "+12.5e-3", "1_0.5", "0b1010",
                "0b1_0", "-0b11", "017", "08", "09.5", "-017", "190:20:30", "1:2", "-1:30",
                "123_456_789_012_345_678_901", "0x7FFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFF", "-0x10",
                "9007199254740993", "1.7976931348623157e308", "2.2250738585072014e-308", "5e-324",
                "1e-400", "=", "<<", "0x", "0o", "1__0", "_1", "1_", "+", "-", ".", "1.2.3",
                "18446744073709551616", "-9223372036854775808", "9223372036854775808", "0.0",
                "1.0e+2", "1.e2", ".1e2", "6.8523015e+5", "685.230_15e+03", "685_230.15",
                "+685_230", "02472256", "0x_0A_74_AE", "0b1010_0111_0100_1010_1110",
                "1_230.5e-3", "3.14e", "e3", "0e0", "-0.0e0", "1e310", "Infinity", "NaN", "inf"]
    YS_QUOTED = ['"\\u263A"', '"\\x41\\t\\x7f"', '"\\U0001F600"', '"\\N\\_\\L\\P"',
                 '"\\0\\a\\b\\e\\f\\v"', '"\\/"', '"\\ x"', "'it''s'", '"line1\\\n  line2"',
                 '"a\n  b\n\n  c"', "'a\n  b\n\n  c'", '"\\xff"', '"\\ud83d\\ude00"', '"\\ud800"',
                 '"bad \\q escape"', '"tab\there"', "' lead and trail '", '""', "''",
                 '"a # not comment"', "'#'", '"\\""', "'\\n'", '"\\r\\n"', '"é\\u00e9"',
                 '"  \n  spaced  \n  "', "'x\n\n\n  y'"]
    YS_TAGGED = ["!!str 1", "!!str", "!!int '7'", "!!int 0x10", "!!int 1.5", "!!float 3",
                 "!!float '1e2'", "!!float abc", "!!bool yes", "!!bool 'true'", "!!null ''",
                 "!!null x", "!!binary aGVsbG8=", "!!binary |\n  aGVs\n  bG8=", "!!binary ///",
                 "!!binary gA==", "!!timestamp 2001-12-14", "!!timestamp '2001-12-14T21:59:43Z'",
                 "!!timestamp nope", "!custom x", "!local {a: 1}", "!!map {a: 1}", "!!seq [1, 2]",
                 "!!set {a, b}", "!!omap [{a: 1}, {b: 2}]", "!!pairs [{a: 1}]",
                 "!<tag:yaml.org,2002:str> 5", "!!str [1]", "!!map [1]", "!! x", "!e!x y",
                 "!!str\n  multi\n  line", "!!int -0b11", "!!float .inf", "!!str ~", "!!str null"]
    YS_FLOW = ["[a, b, ]", "[]", "{}", "{a: 1, b}", "{a, b: }", "[a: 1, b]", "{? a : b}",
               "[a\n  , b]", "{a: [1, {b: c}]}", '{"a":1,"b":[true,null]}', "[a, [b, [c]]]",
               "{a: 1, a: 2}", "[1, 2.5, '3', \"4\", ~, yes]", "{ x : y }", "{a: }", "[,]",
               "[a, b", "{a: b", '{"k":"v" , "n":-1e3}', "[ {a: 1} , {b: 2} ]", "{1: one, 2.5: two}",
               "{true: t, null: n}", "[!!str 1, !!int '2']", "{'q': 'v', \"d\": \"w\"}",
               "[a, ? b : c]", "{a: {b: {c: {d: e}}}}", "[\n]", "{\n  a: 1,\n  b: 2\n}"]
    YS_KEYS = ["a", "b", "c", "1", "2.5", "true", "null", "é", "key with space", '"q"', "'s q'",
               "0x10", "-1", "x.y", "a/b", "A"]

    def ys_block_scalar(self, indent):
        r = self.rng
        header = r.choice(["|", "|-", "|+", ">", ">-", ">+", "|2", "|1-", ">2+", "|+2", ">1",
                           "|  # comment", ">-\t"])
        lines = [r.choice(["text", "  more indented", "", "last line", "  \ttab", "# not a comment",
                           "a: b", "- x", "   deep", "trailing  ", "é ü"])
                 for _ in range(r.randint(1, 5))]
        if r.random() < 0.3:
            lines.append("")
        pad = " " * (indent + r.choice([0, 0, 1, 2]))
        return " " + header + "".join("\n" + (pad + l if l else "") for l in lines)

    def ys_plain_multiline(self, indent):
        r = self.rng
        words = [r.choice(["word", "two words", "x:y", "a -b", "c#d", "é", "1", "yes"])
                 for _ in range(r.randint(2, 4))]
        sep = lambda: "\n" + r.choice(["", "\n", "\n\n"]) + " " * (indent + r.choice([0, 1, 3]))
        return " " + words[0] + "".join(sep() + w for w in words[1:])

    def ys_scalar(self, indent):
        r, k = self.rng, self.rng.random()
        if k < 0.35:
            s = r.choice(self.YS_PLAIN)
        elif k < 0.55:
            s = r.choice(self.YS_QUOTED)
        elif k < 0.7:
            s = r.choice(self.YS_TAGGED)
        elif k < 0.85:
            s = r.choice(self.YS_FLOW)
        elif k < 0.93:
            return self.ys_block_scalar(indent)
        else:
            return self.ys_plain_multiline(indent)
        return " " + s.replace("\n", "\n" + " " * indent)

    def ys_node(self, indent, depth, anchors):
        r, k = self.rng, self.rng.random()
        prefix = ""
        if r.random() < 0.15:
            self.anchor_count = getattr(self, "anchor_count", 0) + 1
            name = "a%d" % self.anchor_count
            prefix = " &" + name
        else:
            name = None
        if anchors and r.random() < 0.12:
            return " *" + r.choice(anchors)
        if depth > 3 or k < 0.5:
            node, kind = self.ys_scalar(indent), "scalar"
        elif k < 0.72:
            node = "".join("\n" + " " * indent + "-" + self.ys_node(indent + 2, depth + 1, anchors)
                           for _ in range(r.randint(1, 3)))
            if r.random() < 0.2:  # a sequence at the same indentation as its key
                node = node.replace("\n" + " " * indent + "-", "\n" + " " * (indent - 2) + "-") \
                    if indent >= 2 else node
        else:
            lines = []
            for key in r.sample(self.YS_KEYS, r.randint(1, 3)):
                if r.random() < 0.1:
                    lines.append("\n" + " " * indent + "? " + key + "\n" + " " * indent + ":" +
                                 self.ys_node(indent + 2, depth + 1, anchors))
                else:
                    lines.append("\n" + " " * indent + key + ":" +
                                 self.ys_node(indent + 2, depth + 1, anchors))
            if anchors and r.random() < 0.3:
                merge = r.choice(["*" + r.choice(anchors),
                                  "[%s]" % ", ".join("*" + a for a in r.sample(anchors, min(2, len(anchors))))])
                lines.insert(r.randint(0, len(lines)), "\n" + " " * indent + "<<: " + merge)
            if r.random() < 0.05:  # a duplicate key
                lines.append(lines[0])
            node = "".join(lines)
        if name:
            anchors.append(name)
        return prefix + node

    def ys_doc(self):
        r, anchors = self.rng, []
        body = ""
        for i in range(r.randint(1, 6)):
            key = "v%d" % i if r.random() < 0.9 else r.choice(["? v%d\n" % i, "'v%d'" % i, '"v%d"' % i])
            if key.startswith("?"):
                body += key + ":" + self.ys_node(2, 1, anchors) + "\n"
            else:
                body += key + ":" + self.ys_node(2, 1, anchors) + "\n"
            if r.random() < 0.1:
                body += r.choice(["# comment\n", "\n", "   \n", "  # indented comment\n"])
        head = r.choice(["", "", "", "", "", "", "---\n", "--- # c\n", "\ufeff", "# top\n"])
        if r.random() < 0.04:  # directives: go-yaml v2 takes none in values
            head = r.choice(["%YAML 1.1\n---\n", "%TAG !e! tag:example.com,2000:\n---\n"])
        tail = r.choice(["", "", "", "...\n", "---\nsecond: doc\n", "---\n", "\n\n", "...\n---\nz: 1\n"])
        if r.random() < 0.05:
            return head + "{" + ", ".join("k%d: %s" % (i, r.choice(self.YS_FLOW + self.YS_PLAIN))
                                          for i in range(r.randint(1, 3))) + "}\n" + tail
        return head + body + tail

    YS_JSON = ['{"a": 1, "a": 2}', '{"n": 12345678901234567890}', '{"n": 1e400}', '{"n": -0}',
               '{"n": 1.0}', '{"n": 1E2}', '{"s": "\\ud83d\\ude00"}', '{"s": "\\ud800"}',
               '{"s": "\\u0000"}', '{"s": "\\/"}', '{"a": 1} x', '{"a": 1}  ', ' [1, 2] ',
               '{"a": [1, {"b": null}]}', "{'a': 1}", '{"a": 01}', '{"a": .5}', '{"a": +1}',
               '{"a": true, "b": false, "c": null}', '{"a": "\\t\\n"}', '{}', '[]', 'null',
               '"str"', '1', '{"a":1,}', '{"\\u00e9": 1}', '{"big": 9007199254740993}',
               '{"f": 0.1}', '{"f": 100000000000000000000000}', '{"e": 1e-7}', '{"a": NaN}',
               '[1, "a", [], {}]', '{"a": {"b": {"c": {"d": [1]}}}}', '{"x": 1e21}',
               '{"x": 123456789.123456789}', '{"dup": {"a": 1}, "dup": [1]}']

    def run_yamlsyntax(self, rounds):
        via_values = [
            "{{ toYaml .Values }}\n",
            "j: {{ toJson .Values }}\n",
            "{{- range $k, $v := .Values }}\n# {{ $k }}={{ $v }} {{ typeOf $v }}\n{{- end }}\n",
            "t: {{ toToml .Values | b64enc }}\n",
        ]
        via_files = [
            'j: {{ .Files.Get "doc.yaml" | fromYaml | toJson }}\n',
            '{{ .Files.Get "doc.yaml" | fromYaml | toYaml }}\n',
            'a: {{ .Files.Get "doc.yaml" | fromYamlArray | toJson }}\n',
            'a: {{ .Files.Get "list.yaml" | fromYamlArray | toJson }}\n',
            '{{ .Files.Get "list.yaml" | fromYamlArray | toYaml }}\n',
            'r: {{ .Files.Get "doc.yaml" | fromYaml | toYaml | fromYaml | toJson }}\n',
            't: {{ .Files.Get "doc.yaml" | fromYaml | toToml | b64enc }}\n',
            '{{- range $k, $v := (.Files.Get "doc.yaml" | fromYaml) }}\n# {{ $k }} {{ printf "%v|%T" $v $v }}\n{{- end }}\n',
            'j: {{ .Files.Get "doc.json" | fromJson | toJson }}\n',
            'j: {{ .Files.Get "doc.json" | fromJsonArray | toJson }}\n',
            'y: {{ .Files.Get "doc.json" | fromJson | toYaml | b64enc }}\n',
            '{{- range $k, $v := (.Files.Get "doc.json" | fromJson) }}\n# {{ $k }} {{ printf "%v|%T" $v $v }}\n{{- end }}\n',
        ]
        r = self.rng
        for _ in range(rounds):
            doc = self.ys_doc()
            items = "".join("-" + self.ys_node(2, 1, []) + "\n" for _ in range(r.randint(1, 4)))
            files = [("doc.yaml", doc), ("list.yaml", items), ("doc.json", r.choice(self.YS_JSON))]
            for t in via_values:
                d = self.chart("yamlsyntax", [("templates/v.yaml", t)], values=doc)
                diff, h, c = self.differs(d)
                if diff:
                    self.keep("yamlsyntax", d, [], h, c)
                    break
            self.batch("yamlsyntax", via_files, values="{}\n", files=files)

    # -- numbers: number types, formatting and conversions ------------------

    NUM_VALUES = ("yv: {i: 3, neg: -42, z: 0, f: 2.5, whole: 4.0, big: 12345678901234567890, "
                  "max: 9223372036854775807, e: 1e6, sci: 6.02e23, tiny: 1.0e-7, hex: 0x1F, "
                  "oct: 0o17, s: '12', sf: '1.5', sh: '0x10', sneg: ' -3', sx: 'abc', b: true, "
                  "n: null, half: 0.5, mhalf: -2.5, pi: 3.14159265358979}\n")
    NUM_SET = ["--set", "s.i=3,s.neg=-42,s.z=0,s.f=2.5,s.big=12345678901234567890,"
               "s.max=9223372036854775807,s.e=1e6,s.lead=007,s.hex=0x10,s.whole=4.0",
               "--set-string", "s.str=12", "--set-json", 's.j={"i":3,"f":2.5,"big":12345678901234567890}']

    def num_source(self, depth=0):
        r, k = self.rng, self.rng.random()
        if k < 0.25:
            return ".Values.yv." + r.choice(["i", "neg", "z", "f", "whole", "big", "max", "e", "sci",
                                            "tiny", "hex", "oct", "s", "sf", "sh", "sneg", "sx",
                                            "b", "n", "half", "mhalf", "pi"])
        if k < 0.4:
            return ".Values.s." + r.choice(["i", "neg", "z", "f", "big", "max", "e", "lead", "hex",
                                            "whole", "str", "j.i", "j.f", "j.big"])
        if k < 0.55:
            return r.choice(["0", "1", "-1", "3", "42", "-7", "255", "1.5", "-2.5", "0.5", "2.0",
                             "1e3", "1e-3", "0x1F", "017", "0o17", "0b101", "1_000", "'a'",
                             "9223372036854775807", "-9223372036854775808", "1e100", "3.0e0",
                             "0.1", "100", "1e21", "1e20", "123456789.5", "-0.0", "0x1p-2"])
        if k < 0.65:
            return r.choice(['"12"', '"1.5"', '"-3"', '" 7"', '"0x10"', '"1e3"', '"abc"', '""',
                             '"007"', '"+5"', '"9223372036854775808"', '"1_000"', '"0777"',
                             '"3.0"', '"-0"', '"inf"', '"NaN"'])
        if k < 0.75:
            return r.choice(['(fromJson "{\\"a\\": 12}").a', '(fromJson "{\\"a\\": 1.5}").a',
                             '(fromJson "{\\"a\\": 12345678901234567890}").a',
                             '(fromYaml "a: 12").a', '(fromYaml "a: 0x10").a',
                             '(fromYaml "a: 1e3").a', '(fromJson "[1e2]" | first)',
                             '(len "abc")', '(len (list))', "nil", "true"])
        if depth > 1:
            return "3"
        f = r.choice(["int", "int64", "float64", "atoi", "toDecimal", "toString", "add1",
                      "ceil", "floor", "len"])
        if f in ("atoi", "toDecimal", "len"):
            return "(%s (toString %s))" % (f, self.num_source(depth + 1))
        if r.random() < 0.5:
            f2 = r.choice(["add", "sub", "mul", "div", "mod", "max", "min", "addf", "subf",
                           "mulf", "divf", "maxf", "minf", "round"])
            return "(%s %s %s)" % (f2, self.num_source(depth + 1), self.num_source(depth + 1))
        return "(%s %s)" % (f, self.num_source(depth + 1))

    def num_format(self):
        r = self.rng
        flags = "".join(r.sample("+- #0", r.randint(0, 2))) if r.random() < 0.5 else ""
        width = str(r.randint(1, 12)) if r.random() < 0.4 else ""
        prec = "." + str(r.randint(0, 8)) if r.random() < 0.35 else ""
        if r.random() < 0.05:
            prec = "."
        return "%" + flags + width + prec + r.choice("vdsqxXeEgGfFbotcUT")

    def num_expr(self):
        r, k = self.rng, self.rng.random()
        a = self.num_source()
        if k < 0.45:
            n = r.randint(1, 2)
            fmt = "|".join(self.num_format() for _ in range(n))
            if r.random() < 0.05:
                fmt = r.choice(["%[2]d %[1]v", "%d %d", "%*d", "%-*d", "%.*f", "%[3]v", "%v %!"])
            return 'printf "%s" %s' % (fmt, " ".join(self.num_source() for _ in range(n)))
        if k < 0.6:
            return r.choice(["toString", "toJson", "toYaml", "quote", "print", "typeOf", "kindOf",
                             "int", "int64", "float64", "toDecimal", "squote", "toPrettyJson",
                             "toRawJson", "b64enc", "empty", "not"]) + " " + a
        if k < 0.72:
            return "%s %s %s" % (r.choice(["eq", "ne", "lt", "le", "gt", "ge"]), a, self.num_source())
        if k < 0.8:
            return "round %s %s" % (a, r.choice(["0", "1", "2", "-1", "3", "10"]))
        if k < 0.88:
            return 'toJson (list %s %s)' % (a, self.num_source())
        if k < 0.94:
            return '(dict "k" %s) | toYaml' % a
        return "%s %s %s" % (r.choice(["until", "seq", "untilStep 0", "add", "mul", "div", "mod"]),
                             r.choice(["3", "1", "-2", "0"]), a if r.random() < 0.5 else "2")

    def run_numbers(self, rounds):
        for _ in range(rounds):
            bodies = ["# n\nv: {{ %s }}\n" % self.num_expr() for _ in range(40)]
            self.batch("numbers", bodies, values=self.NUM_VALUES, flags=self.NUM_SET)

    # -- strings: string functions on unicode and edge inputs ---------------

    STR_POOL = ['"héllo wörld"', '"日本語テキスト"', '"😀 emoji 😀"', '"e\\u0301"', '"ǅemo"', '"ßtraße"',
                '"ﬁne"', '"İstanbul ıi"', '"ΣΑΣ σας"', '"a\\tb\\nc"', '"x\\r\\ny"', '" lead"',
                '"trail "', '""', '"x"', '"HTTPServer"', '"fooBar_baz-qux"', '"foo  bar"',
                '"__init__"', '"already_snake"', '"ABC-def"', '"a1b2"', '"123abc"', '"über-cool"',
                '"ID"', '"o\'neil"', '"\\x00nul"', '"\\xff\\xfe bad"', '"a.b.c"', '"a,b,,c"',
                '"line1\\nline2\\n"', '"\\n\\n"', '"  "', '"The quick brown fox jumps"',
                '"camelCaseString"', '"snake_case_string"', '"kebab-case-string"',
                '"Title Case Words"', '"mIxEd CaSe"', '"x-y_z w"', '"dz DZ Dz"', '"1.5e3"',
                '"a\\\\b"', '"\\"q\\""', '"<tag>&amp;"', '"$1 ${x}"', '"aaa"', '"ab ab ab"',
                '"\\u2028sep"', '"tab\\there"', '"Ⅻ roman"', '"ǈj"', '"ﬀ"', '"Ω"', '"ÀÉÎ"',
                '"foo123Bar"', '"XMLHttpRequest"', '"a--b__c"', '"-lead"', '"trail_"',
                ".Values.s", ".Values.unicode", ".Values.multiline", ".Values.empty", ".Values.i",
                ".Values.f", ".Values.b", ".Values.n", ".Values.missing", "nil", "1", "-1",
                '(list "a" 1 nil)', ".Values.ls"]
    STR_INTS = ["0", "1", "-1", "2", "3", "5", "-3", "10", "100", "4", "7", "-10", ".Values.i",
                '"3"', "1.5", "nil"]
    STR_RE = ['"a"', '"^a"', '"b$"', '"(?i)H"', '"\\\\pL+"', '"[[:alpha:]]+"', '"\\\\b\\\\w"',
              '"(?m)^l"', '"a*?"', '"(?P<n>o)"', '"x*"', '""', '"."', '"(?s).+"', '"[^a-z]"',
              '"\\\\d+"', '"é|ö"', '"\\\\p{Greek}"', '"(a|b)+"', '"["', '"a{2,}"', '"\\\\x{1F600}"',
              '"\\\\s+"', '"(?U)a+"', '"\\\\Q.*\\\\E"', '"[\\\\p{Lu}]"', '"^$"', '"\\\\B"']
    STR_REPL = ['"X"', '"$1"', '"${n}"', '"$$"', '"[$0]"', '"${1}x"', '"$n"', '""', '"é"', '"$2"']

    def str_arg(self):
        r = self.rng
        if r.random() < 0.15:
            f = r.choice(["upper", "lower", "title", "trim", "nospace", "toString", "quote",
                          "b64enc", "snakecase", "camelcase", "kebabcase", "swapcase", "untitle"])
            return "(%s %s)" % (f, r.choice(self.STR_POOL))
        return r.choice(self.STR_POOL)

    def str_expr(self):
        r = self.rng
        s, n, m = self.str_arg(), r.choice(self.STR_INTS), r.choice(self.STR_INTS)
        forms = [
            "trunc %s %s" % (n, s), "abbrev %s %s" % (n, s), "abbrevboth %s %s %s" % (n, m, s),
            "substr %s %s %s" % (n, m, s), "wrap %s %s" % (n, s),
            'wrapWith %s "|" %s' % (n, s), "indent %s %s" % (n, s), "nindent %s %s" % (n, s),
            "replace %s %s %s" % (self.str_arg(), self.str_arg(), s),
            "regexMatch %s %s" % (r.choice(self.STR_RE), s),
            "regexFind %s %s" % (r.choice(self.STR_RE), s),
            "regexFindAll %s %s %s" % (r.choice(self.STR_RE), s, n),
            "regexReplaceAll %s %s %s" % (r.choice(self.STR_RE), s, r.choice(self.STR_REPL)),
            "regexReplaceAllLiteral %s %s %s" % (r.choice(self.STR_RE), s, r.choice(self.STR_REPL)),
            "regexSplit %s %s %s" % (r.choice(self.STR_RE), s, n),
            "regexQuoteMeta %s" % s, "b64enc %s" % s, "b64dec %s" % s, "b32enc %s" % s,
            "b32dec %s" % s, "quote %s %s" % (s, self.str_arg()), "squote %s" % s,
            "camelcase %s" % s, "snakecase %s" % s, "kebabcase %s" % s, "title %s" % s,
            "untitle %s" % s, "swapcase %s" % s, "initials %s" % s, "upper %s" % s,
            "lower %s" % s, "plural %s %s %s" % (self.str_arg(), self.str_arg(), n),
            "splitList %s %s" % (self.str_arg(), s), "splitn %s %s %s" % (self.str_arg(), n, s),
            "split %s %s" % (self.str_arg(), s), "join %s %s" % (self.str_arg(), r.choice(
                ['(list "a" 1 nil 2.5 true)', ".Values.l", ".Values.ls", '(splitList "," "a,b")',
                 ".Values.s", "nil", "(list)", ".Values.m", '(list (list 1) (dict "a" 1))'])),
            "trimAll %s %s" % (self.str_arg(), s), "trimPrefix %s %s" % (self.str_arg(), s),
            "trimSuffix %s %s" % (self.str_arg(), s), "trim %s" % s, "nospace %s" % s,
            "repeat %s %s" % (n, s), "cat %s %s" % (s, self.str_arg()),
            "contains %s %s" % (self.str_arg(), s), "hasPrefix %s %s" % (self.str_arg(), s),
            "hasSuffix %s %s" % (self.str_arg(), s), "len %s" % s, "sha1sum %s" % s,
            'printf "%%q|%%x|%%-8s|%%.2s|%%U" %s %s %s %s %s' % (s, s, s, s, "(len %s)" % s),
            "html %s" % s, "js %s" % s, "urlquery %s" % s, "toJson %s" % s, "toYaml %s" % s, "lower (upper %s)" % s,
            "mustRegexReplaceAll %s %s %s" % (r.choice(self.STR_RE), s, r.choice(self.STR_REPL)),
            "substr 0 %s %s" % (n, s), "ternary %s %s (empty %s)" % (s, self.str_arg(), s),
            "trimAll %s %s" % ('"é"', s), "sortAlpha (splitList %s %s)" % (self.str_arg(), s),
        ]
        return r.choice(forms)

    def run_strings(self, rounds):
        for _ in range(rounds):
            bodies = ["# s\nv: {{ %s | toJson }}\n" % self.str_expr() for _ in range(40)]
            self.batch("strings", bodies)

    # -- collections: dict and list functions, aliasing and mutation --------

    COLL_DICTS = ['(dict "a" 1 "b" (dict "c" 2 "d" nil))', '(dict "a" nil "x" "")',
                  '(dict "b" (dict "c" 3 "e" (list 1)) "z" 0)', "(dict)", ".Values.m",
                  ".Values.nested", ".Values.emptym", "nil", '(dict "a" (dict) "b" "")',
                  '(dict "a" (list) "k" false)', '(dict 1 "one" "two" 2)',
                  '(fromJson "{\\"a\\": {\\"b\\": null}, \\"c\\": [1]}")',
                  '(fromYaml "b: {c: 9, f: x}\\na: 2")', "(deepCopy .Values.m)",
                  '(dict "b" (dict "c" nil))', ".Values.n", ".Values.l", '"str"']
    COLL_LISTS = ['(list 1 "a" nil (list 2) 1)', ".Values.l", ".Values.ls", "(list)",
                  ".Values.emptyl", '(splitList "," "b,a,,b")', "(until 4)", "(untilStep 5 0 -2)",
                  '(list "b" "a" "c")', '(toStrings (list 1 2 2))', '(keys (dict "a" 1))',
                  '(regexFindAll "a" "aXa" -1)', "nil", '(list (dict "a" 1) (dict "a" 2))',
                  ".Values.fs", '(tuple 1 2)', '(list "" 0 false nil (list) (dict))', ".Values.s",
                  '(fromYamlArray "[1, b, ~]")', '(fromJsonArray "[2, 1, 2]")', ".Values.m"]
    COLL_KEYS = ['"a"', '"b"', '"c"', '"x"', '"missing"', '"1"', "1", '""', "nil", '"k"', '"z"']

    def coll_expr(self):
        r = self.rng
        d, d2, l, l2 = (r.choice(self.COLL_DICTS), r.choice(self.COLL_DICTS),
                        r.choice(self.COLL_LISTS), r.choice(self.COLL_LISTS))
        k, k2 = r.choice(self.COLL_KEYS), r.choice(self.COLL_KEYS)
        n = r.choice(["0", "1", "2", "-1", "5", "3"])
        lx = l if "regexFindAll" not in l else ".Values.l"
        forms = [
            "merge %s %s" % (d, d2), "mergeOverwrite %s %s" % (d, d2),
            "merge %s %s %s" % (d, d2, r.choice(self.COLL_DICTS)),
            "mergeOverwrite %s %s %s" % (d, d2, r.choice(self.COLL_DICTS)),
            "deepCopy %s" % r.choice([d, l]), "pick %s %s %s" % (d, k, k2), "omit %s %s %s" % (d, k, k2),
            "dig %s %s %s %s" % (k, k2, '"dflt"', d), 'dig "b" "c" "dflt" %s' % d,
            "pluck %s %s %s" % (k, d, d2), "get %s %s" % (d, k), "set %s %s %s" % (d, k, l),
            "unset %s %s" % (d, k), "hasKey %s %s" % (d, k), "keys %s | sortAlpha" % d,
            "keys %s %s | sortAlpha" % (d, d2), "values %s | sortAlpha" % d,
            "append %s %s" % (l, k), "prepend %s %s" % (l, k), "concat %s %s" % (l, l2),
            "uniq %s" % l, "without %s %s %s" % (l, k, k2), "has %s %s" % (k, l),
            # (Go's reflect Slice reads past a slice's length up to its
            # capacity, which chartgen does not model: only lists whose
            # capacity is their length here.)
            "compact %s" % lx, "slice %s %s" % (lx, n), "slice %s %s %s" % (lx, n, r.choice(["1", "2", "4", "0"])),
            "first %s" % l, "rest %s" % l, "last %s" % l, "initial %s" % l, "reverse %s" % l,
            "sortAlpha %s" % l, "until %s" % n, "untilStep %s %s %s" % (n, r.choice(["5", "-5", "0"]), r.choice(["1", "-1", "2", "0"])),
            "seq %s" % n, "seq %s %s" % (n, r.choice(["5", "-2", "1"])),
            "seq %s %s %s" % (n, r.choice(["2", "-1", "0"]), r.choice(["5", "-3", "1"])),
            "chunk %s %s" % (r.choice(["1", "2", "3"]), l), "index %s %s" % (l, n),
            "index %s %s" % (d, k), "len %s" % r.choice([d, l]), "empty %s" % r.choice([d, l]),
            "dict %s %s %s" % (k, l, k2), "list %s %s" % (d, l), "mustAppend %s %s" % (l, k),
            "mustCompact %s" % l, "mustUniq %s" % l, "mustReverse %s" % l, "mustInitial %s" % l,
            "mustFirst %s" % l, "mustSlice %s %s" % (lx, n), "mustWithout %s %s" % (l, k),
            "mustHas %s %s" % (k, l), "mustPrepend %s %s" % (l, k), "mustDeepCopy %s" % d,
            "mustMerge %s %s" % (d, d2), "mustMergeOverwrite %s %s" % (d, d2),
            "deepEqual %s %s" % (d, d2), "deepEqual %s %s" % (l, l2), "typeOf %s" % r.choice([d, l]),
        ]
        return r.choice(forms)

    def coll_program(self):
        """Variables bound to collections, a mutating call, then every variable printed.

        No variable holds a map nested in another's: merging them would build a
        map that contains itself, where helm dies of a stack overflow."""
        r = self.rng
        out = "{{- $a := %s }}{{- $b := %s }}{{- $l := %s }}\n" % (
            r.choice(self.COLL_DICTS), r.choice(self.COLL_DICTS + ["$a"]),
            r.choice(self.COLL_LISTS))
        for _ in range(r.randint(1, 3)):
            op = r.choice([
                "$_ := merge $a $b", "$_ := mergeOverwrite $a $b", "$_ := merge $b $a",
                '$_ := set $a "n" (list 1)', '$_ := set $b "b" (dict "c" 7)', '$_ := unset $a "b"',
                "$c := deepCopy $a", '$_ := set (get $a "b") "new" 1', "$l = append $l $a",
                '$_ := pick $a "a" "b"', "$_ := mergeOverwrite (dict) $a $b",
                '$_ := set $b "l" (list 1 (dict "q" 2))', '$x := dig "b" "c" 0 $a'])
            out += "{{- %s }}\n" % op
        out += "a: {{ toJson $a }}\nb: {{ toJson $b }}\nl: {{ toJson $l }}\n"
        out += "v: {{ toJson .Values.m }} {{ toJson .Values.nested }}\n"
        return out

    # -- schemas -----------------------------------------------------------

    SCHEMA_DRAFTS = [None, None, "http://json-schema.org/draft-07/schema#",
                     "https://json-schema.org/draft/2019-09/schema",
                     "http://json-schema.org/draft-04/schema#"]
    SCHEMA_KEYS = ["a", "b", "c"]
    SCHEMA_SCALARS = [0, 1, 2, 5, -3, 1.5, 0.3, 1000000, "x", "yy", "abc", "", True, False, None]
    BAD_KEYWORDS = [("type", 5), ("type", "int"), ("minLength", -1), ("minLength", 1.5),
                    ("required", "a"), ("enum", []), ("pattern", "(("), ("items", 3),
                    ("properties", []), ("allOf", []), ("anyOf", {}), ("not", "x"),
                    ("$ref", "#/$defs/%zz"), ("minimum", "1"), ("uniqueItems", 1),
                    ("multipleOf", 0), ("additionalProperties", 3), ("$defs", 1),
                    ("dependentRequired", {"a": [1]}), ("const", None), ("enum", [1, 1])]

    def schema_value(self, depth=0):
        r = self.rng
        k = r.random()
        if depth < 3 and k < 0.25:
            return {key: self.schema_value(depth + 1)
                    for key in r.sample(self.SCHEMA_KEYS, r.randint(1, 2))}
        if depth < 3 and k < 0.4:
            return [self.schema_value(depth + 1) for _ in range(r.randint(0, 3))]
        return r.choice(self.SCHEMA_SCALARS)

    def schema_node(self, draft, depth, defs):
        r = self.rng
        if depth > 2 or r.random() < 0.1:
            return r.choice([True, False, {}, {"type": r.choice(["string", "integer", "object"])}])
        n = {}
        modern = draft is None or "2019" in draft
        for _ in range(r.randint(1, 3)):
            k = r.random()
            if k < 0.12:
                ts = ["null", "boolean", "number", "integer", "string", "array", "object"]
                n["type"] = r.choice(ts) if r.random() < 0.7 else r.sample(ts, 2)
            elif k < 0.18:
                n["enum"] = r.sample(self.SCHEMA_SCALARS, r.randint(1, 3))
            elif k < 0.21 and draft != self.SCHEMA_DRAFTS[4]:
                n["const"] = r.choice(self.SCHEMA_SCALARS + [{"a": 1}])
            elif k < 0.28:
                kw = r.choice(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                               "multipleOf"])
                n[kw] = r.choice([0.1, 0.5, 2, 3, 10, -1, 1000])
                if kw.startswith("exclusive") and draft == self.SCHEMA_DRAFTS[4]:
                    n[kw] = True
                    n[kw.replace("exclusiveM", "m")] = 1
            elif k < 0.34:
                n[r.choice(["minLength", "maxLength"])] = r.randint(0, 3)
                if r.random() < 0.5:
                    n["pattern"] = r.choice(["^a", "b$", "^[a-z]+$", "\\d", "x|y"])
            elif k < 0.42:
                n[r.choice(["minItems", "maxItems"])] = r.randint(0, 2)
                if r.random() < 0.3:
                    n["uniqueItems"] = True
                if modern and draft is None and r.random() < 0.5:
                    n["prefixItems"] = [self.schema_node(draft, depth + 1, defs)]
                if r.random() < 0.6:
                    n["items"] = self.schema_node(draft, depth + 1, defs)
                elif draft and not modern:
                    n["items"] = [self.schema_node(draft, depth + 1, defs)]
                    n["additionalItems"] = r.choice([False, self.schema_node(draft, depth + 1, defs)])
                if r.random() < 0.3 and draft != self.SCHEMA_DRAFTS[4]:
                    n["contains"] = self.schema_node(draft, depth + 1, defs)
                    if modern and r.random() < 0.5:
                        n[r.choice(["minContains", "maxContains"])] = r.randint(0, 2)
            elif k < 0.55:
                keys = r.sample(self.SCHEMA_KEYS, r.randint(1, 2))
                n["properties"] = {key: self.schema_node(draft, depth + 1, defs) for key in keys}
                if r.random() < 0.3:
                    n["required"] = r.sample(self.SCHEMA_KEYS, r.randint(1, 2))
                if r.random() < 0.25:
                    n["additionalProperties"] = r.choice([False, self.schema_node(draft, depth + 1, defs)])
                elif r.random() < 0.2 and modern:
                    n["unevaluatedProperties"] = r.choice([False, {"type": "integer"}])
                if r.random() < 0.15:
                    n["patternProperties"] = {"^c": self.schema_node(draft, depth + 1, defs)}
                if r.random() < 0.15 and draft != self.SCHEMA_DRAFTS[4]:
                    n["propertyNames"] = {"maxLength": 1}
                if r.random() < 0.15:
                    if modern:
                        n["dependentRequired"] = {"a": ["b"]}
                    else:
                        n["dependencies"] = {"a": r.choice([["b"], {"required": ["c"]}])}
            elif k < 0.72:
                kw = r.choice(["anyOf", "oneOf", "allOf"])
                n[kw] = [self.schema_node(draft, depth + 1, defs) for _ in range(r.randint(1, 3))]
            elif k < 0.77:
                n["not"] = self.schema_node(draft, depth + 1, defs)
            elif k < 0.84 and draft != self.SCHEMA_DRAFTS[4]:
                n["if"] = self.schema_node(draft, depth + 1, defs)
                if r.random() < 0.8:
                    n["then"] = self.schema_node(draft, depth + 1, defs)
                if r.random() < 0.8:
                    n["else"] = self.schema_node(draft, depth + 1, defs)
            elif k < 0.95:
                name = "d%d" % r.randint(0, 2)
                if name not in defs:
                    defs[name] = None
                    defs[name] = self.schema_node(draft, depth + 1, defs)
                n["$ref"] = "#/%s/%s" % ("$defs" if modern else "definitions", name)
            else:
                kw, val = r.choice(self.BAD_KEYWORDS)
                n[kw] = val
        return n

    def run_schemas(self, rounds):
        r = self.rng
        for _ in range(rounds):
            for _ in range(10):
                draft = r.choice(self.SCHEMA_DRAFTS)
                defs = {}
                schema = self.schema_node(draft, 0, defs)
                if not isinstance(schema, dict):
                    schema = {"properties": {"a": schema}}
                where = ("$defs" if draft is None or "2019" in draft
                         else "definitions")
                for k, v in defs.items():
                    # A bad keyword may have put something else there.
                    if not isinstance(schema.get(where), dict):
                        schema[where] = {}
                    schema[where][k] = v if v is not None else {}
                if draft:
                    schema["$schema"] = draft
                values = {key: self.schema_value(1) for key in
                          r.sample(self.SCHEMA_KEYS, r.randint(1, 3))}
                d = self.chart("schemas", [("templates/t.yaml", "v: 1\n")],
                               values=json.dumps(values) + "\n")
                with open(os.path.join(d, "values.schema.json"), "w") as f:
                    json.dump(schema, f)
                diff, h, c = self.differs(d, full_stderr=True)
                if not diff:
                    continue
                # Several failures of one object come in Go's random map order.
                if any(self.render(self.helm, d, []) != h for _ in range(5)):
                    continue
                self.keep("schemas", d, [], h, c)

    def run_collections(self, rounds):
        for _ in range(rounds):
            bodies = ["# c\nv: {{ %s | toJson }}\n" % self.coll_expr() for _ in range(30)]
            bodies += ["# p\n" + self.coll_program() for _ in range(10)]
            self.batch("collections", bodies)


def main():
    modes = ["expr", "control", "values", "set", "charts", "manifests", "chart", "errors", "files",
             "flags", "yamlsyntax", "numbers", "strings", "collections", "schemas"]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=modes)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--chartgen", default=os.path.join(REPO, "target", "release", "chartgen"))
    ap.add_argument("--out", default="differential-fuzz-out")
    ap.add_argument("--chart", help="the chart of mode `chart`")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    args.extra = extra
    # Modes run chartgen from case directories.
    args.chartgen = os.path.abspath(args.chartgen)
    if (args.mode == "chart") != bool(args.chart):
        ap.error("--chart goes with mode `chart`, and only with it")
    os.makedirs(args.out, exist_ok=True)
    fuzzer = Fuzzer(args)
    try:
        if args.mode == "chart":
            fuzzer.run_chart(args.rounds, args.chart, args.extra)
        else:
            getattr(fuzzer, "run_" + args.mode)(args.rounds)
    finally:
        shutil.rmtree(fuzzer.work, ignore_errors=True)
    print("%s seed %d: %d difference(s)" % (args.mode, args.seed, fuzzer.found))
    sys.exit(1 if fuzzer.found else 0)


if __name__ == "__main__":
    main()
