//! `helm template`'s command line as cobra and pflag parse it: the same flag
//! set (template's own flags, the install flags and helm's global flags),
//! flags interspersed with arguments, `--` ending flags, `-abc` shorthand
//! groups, `--flag=value`, `-fvalue`, `-f=value`, string slices split as CSV,
//! and pflag's and cobra's error texts (`unknown flag: --x`,
//! `flag needs an argument: 'f' in -f`, `invalid argument "x" for "--timeout"
//! flag: …`, mutually exclusive flag groups, deprecation notices).

use std::collections::{BTreeMap, BTreeSet};

/// How a flag's values are read (pflag's value types that `helm template` uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Text,
    /// pflag `stringSlice`: each occurrence is read as one CSV record.
    StringSlice,
    /// pflag `stringArray`: each occurrence is one value.
    StringArray,
    Duration,
    Int,
    Float32,
    /// pflag `stringToString` (`--labels`).
    StringToString,
    /// `--dry-run`: a string whose bare form means `unset`.
    DryRun,
    /// `--wait`: helm's wait strategy, bare form `watcher`.
    Wait,
    /// `--post-renderer`: a plugin name (chartgen has no plugins).
    PostRenderer,
    /// `--post-renderer-args`.
    PostRendererArgs,
}

/// One flag of `helm template`.
#[derive(Clone, Copy, Debug)]
pub struct FlagDef {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    pub help: &'static str,
    /// pflag's deprecation notice (printed on stderr when the flag is used).
    pub deprecated: Option<&'static str>,
    /// Shown as `(default …)` in the help.
    pub default: Option<&'static str>,
}

pub const fn flag(
    long: &'static str,
    short: Option<char>,
    kind: Kind,
    help: &'static str,
) -> FlagDef {
    FlagDef {
        long,
        short,
        kind,
        help,
        deprecated: None,
        default: None,
    }
}

const fn deprecated(long: &'static str, note: &'static str) -> FlagDef {
    FlagDef {
        long,
        short: None,
        kind: Kind::Bool,
        help: "deprecated",
        deprecated: Some(note),
        default: None,
    }
}

const fn with_default(mut f: FlagDef, default: &'static str) -> FlagDef {
    f.default = Some(default);
    f
}

use Kind::*;

/// Every flag `helm template` v4.1.4 accepts, with helm's help texts.
pub const FLAGS: &[FlagDef] = &[
    flag("api-versions", Some('a'), StringSlice, "Kubernetes api versions used for Capabilities.APIVersions (multiple can be specified)"),
    deprecated("atomic", "use --rollback-on-failure instead"),
    flag("ca-file", None, Text, "verify certificates of HTTPS-enabled servers using this CA bundle"),
    flag("cert-file", None, Text, "identify HTTPS client using this SSL certificate file"),
    flag("create-namespace", None, Bool, "create the release namespace if not present"),
    flag("dependency-update", None, Bool, "update dependencies if they are missing before installing the chart (file:// repositories and charts/ only: chartgen works offline)"),
    flag("description", None, Text, "add a custom description"),
    flag("devel", None, Bool, "use development versions, too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored"),
    flag("disable-openapi-validation", None, Bool, "if set, the installation process will not validate rendered templates against the Kubernetes OpenAPI Schema"),
    with_default(flag("dry-run", None, DryRun, "simulates the operation either client-side or server-side. Must be either: \"client\", or \"server\" (chartgen: client only)"), "client"),
    flag("enable-dns", None, Bool, "enable DNS lookups when rendering templates (chartgen: accepted, getHostByName still returns \"\")"),
    deprecated("force", "use --force-replace instead"),
    flag("force-conflicts", None, Bool, "if set server-side apply will force changes against conflicts"),
    flag("force-replace", None, Bool, "force resource updates by replacement"),
    flag("generate-name", Some('g'), Bool, "generate the name (and omit the NAME parameter)"),
    flag("help", Some('h'), Bool, "help for template"),
    flag("hide-notes", None, Bool, "if set, do not show notes in install output. Does not affect presence in chart metadata"),
    flag("include-crds", None, Bool, "include CRDs in the templated output"),
    flag("insecure-skip-tls-verify", None, Bool, "skip tls certificate checks for the chart download"),
    flag("is-upgrade", None, Bool, "set .Release.IsUpgrade instead of .Release.IsInstall"),
    flag("key-file", None, Text, "identify HTTPS client using this SSL key file"),
    flag("keyring", None, Text, "location of public keys used for verification"),
    flag("kube-version", None, Text, "Kubernetes version used for Capabilities.KubeVersion"),
    flag("labels", Some('l'), StringToString, "Labels that would be added to release metadata. Should be divided by comma."),
    flag("name-template", None, Text, "specify template used to name the release"),
    flag("no-hooks", None, Bool, "prevent hooks from running during install"),
    flag("output-dir", None, Text, "writes the executed templates to files in output-dir instead of stdout"),
    flag("pass-credentials", None, Bool, "pass credentials to all domains"),
    flag("password", None, Text, "chart repository password where to locate the requested chart"),
    flag("plain-http", None, Bool, "use insecure HTTP connections for the chart download"),
    flag("post-renderer", None, PostRenderer, "the name of a postrenderer type plugin to be used for post rendering (chartgen: not supported)"),
    flag("post-renderer-args", None, PostRendererArgs, "an argument to the post-renderer (can specify multiple)"),
    flag("release-name", None, Bool, "use release name in the output-dir path."),
    flag("render-subchart-notes", None, Bool, "if set, render subchart notes along with the parent"),
    flag("replace", None, Bool, "reuse the given name, only if that name is a deleted release which remains in the history. This is unsafe in production"),
    flag("repo", None, Text, "chart repository url where to locate the requested chart (chartgen: not supported, it works offline)"),
    flag("rollback-on-failure", None, Bool, "if set, Helm will rollback (uninstall) the installation upon failure"),
    with_default(flag("server-side", None, Bool, "object updates run in the server instead of the client"), "true"),
    flag("set", None, StringArray, "set values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)"),
    flag("set-file", None, StringArray, "set values from respective files specified via the command line (can specify multiple or separate values with commas: key1=path1,key2=path2)"),
    flag("set-json", None, StringArray, "set JSON values on the command line (can specify multiple or separate values with commas: key1=jsonval1,key2=jsonval2 or using json format: {\"key1\": jsonval1, \"key2\": \"jsonval2\"})"),
    flag("set-literal", None, StringArray, "set a literal STRING value on the command line"),
    flag("set-string", None, StringArray, "set STRING values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)"),
    flag("show-only", Some('s'), StringArray, "only show manifests rendered from the given templates"),
    flag("skip-crds", None, Bool, "if set, no CRDs will be installed. By default, CRDs are installed if not already present"),
    flag("skip-schema-validation", None, Bool, "if set, disables JSON schema validation"),
    flag("skip-tests", None, Bool, "skip tests from templated output"),
    flag("take-ownership", None, Bool, "if set, install will ignore the check for helm annotations and take ownership of the existing resources"),
    with_default(flag("timeout", None, Duration, "time to wait for any individual Kubernetes operation (like Jobs for hooks)"), "5m0s"),
    flag("username", None, Text, "chart repository username where to locate the requested chart"),
    FlagDef {
        deprecated: Some("use '--dry-run=server' instead"),
        ..flag("validate", None, Bool, "deprecated")
    },
    flag("values", Some('f'), StringSlice, "specify values in a YAML file (can specify multiple; - reads stdin)"),
    flag("verify", None, Bool, "verify the package before using it (chartgen: not supported)"),
    flag("version", None, Text, "specify a version constraint for the chart version to use (ignored for local charts, as in helm)"),
    with_default(flag("wait", None, Wait, "if specified, wait until resources are ready (up to --timeout). Values: 'watcher', 'hookOnly', and 'legacy'."), "hookOnly"),
    flag("wait-for-jobs", None, Bool, "if set and --wait enabled, will wait until all Jobs have been completed before marking the release as successful"),
    // helm's global flags.
    with_default(flag("burst-limit", None, Int, "client-side default throttling limit"), "100"),
    with_default(flag("color", None, Text, "use colored output (never, auto, always)"), "auto"),
    with_default(flag("colour", None, Text, "use colored output (never, auto, always)"), "auto"),
    flag("content-cache", None, Text, "path to the directory containing cached content (e.g. charts)"),
    flag("debug", None, Bool, "enable verbose output (prints the rendered files even when they are not valid YAML)"),
    flag("kube-apiserver", None, Text, "the address and the port for the Kubernetes API server"),
    flag("kube-as-group", None, StringArray, "group to impersonate for the operation, this flag can be repeated to specify multiple groups."),
    flag("kube-as-user", None, Text, "username to impersonate for the operation"),
    flag("kube-ca-file", None, Text, "the certificate authority file for the Kubernetes API server connection"),
    flag("kube-context", None, Text, "name of the kubeconfig context to use"),
    flag("kube-insecure-skip-tls-verify", None, Bool, "if true, the Kubernetes API server's certificate will not be checked for validity"),
    flag("kube-tls-server-name", None, Text, "server name to use for Kubernetes API server certificate validation"),
    flag("kube-token", None, Text, "bearer token used for authentication"),
    flag("kubeconfig", None, Text, "path to the kubeconfig file"),
    flag("namespace", Some('n'), Text, "namespace scope for this request"),
    flag("qps", None, Float32, "queries per second used when communicating with the Kubernetes API, not including bursting"),
    flag("registry-config", None, Text, "path to the registry config file"),
    flag("repository-cache", None, Text, "path to the directory containing cached repository indexes"),
    flag("repository-config", None, Text, "path to the file containing repository names and URLs"),
    // chartgen's own (also read from $CHARTGEN_SEED and $CHARTGEN_NOW).
    flag("seed", None, Text, "chartgen: seed sprig's random functions (randAlphaNum, uuidv4, genCA, bcrypt, ...) for reproducible output (env CHARTGEN_SEED)"),
    flag("now", None, Text, "chartgen: freeze the clock (now, date, ago, certificate validity) at this RFC 3339 time (env CHARTGEN_NOW)"),
];

/// Flags cobra rejects together (`MarkFlagsMutuallyExclusive`), in the
/// order cobra checks them (sorted group names).
const EXCLUSIVE: &[&[&str]] = &[
    &["force", "force-conflicts"],
    &["force-replace", "force-conflicts"],
    &["validate", "dry-run"],
];

/// Global flags that take a value (to find the subcommand in `chartgen
/// --namespace x template …`).
pub fn takes_value(arg: &str) -> bool {
    let def = if let Some(long) = arg.strip_prefix("--") {
        if long.contains('=') {
            return false;
        }
        lookup_long(long)
    } else if let Some(short) = arg.strip_prefix('-') {
        let mut chars = short.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => lookup_short(c),
            _ => None,
        }
    } else {
        None
    };
    def.is_some_and(|d| no_opt_default(d.kind).is_none())
}

fn lookup_long(name: &str) -> Option<&'static FlagDef> {
    FLAGS.iter().find(|f| f.long == name)
}

fn lookup_short(c: char) -> Option<&'static FlagDef> {
    FLAGS.iter().find(|f| f.short == Some(c))
}

/// pflag's `NoOptDefVal`: what a flag means without a value.
fn no_opt_default(kind: Kind) -> Option<&'static str> {
    match kind {
        Bool => Some("true"),
        DryRun => Some("unset"),
        Wait => Some("watcher"),
        _ => None,
    }
}

/// The parsed command line.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// Positional arguments, in order.
    pub args: Vec<String>,
    /// Each flag's values as given (after CSV splitting), by long name.
    values: BTreeMap<&'static str, Vec<String>>,
    /// Lines printed on stderr while parsing (deprecation notices, warnings).
    pub notices: Vec<String>,
}

impl Parsed {
    pub fn is_set(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// A bool flag's value (its last setting).
    pub fn bool(&self, long: &str) -> bool {
        match self.values.get(long).and_then(|v| v.last()) {
            Some(v) => parse_bool(v).unwrap_or(false),
            None => lookup_long(long).and_then(|f| f.default) == Some("true"),
        }
    }

    /// A string flag's last value.
    pub fn string(&self, long: &str) -> Option<String> {
        self.values.get(long).and_then(|v| v.last()).cloned()
    }

    /// Every value of a slice or array flag.
    pub fn list(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
}

/// A command-line error, in cobra's words (printed as `Error: …`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagError {
    pub message: String,
    /// Lines printed on stderr before the error.
    pub notices: Vec<String>,
}

/// Parses `helm template`'s arguments (everything after `template`).
pub fn parse(argv: &[String]) -> Result<Parsed, FlagError> {
    parse_with(argv, &[])
}

/// [`parse`] for a command that takes `template`'s flags plus `extra` ones.
pub fn parse_with(argv: &[String], extra: &'static [FlagDef]) -> Result<Parsed, FlagError> {
    let lookup_long =
        |name: &str| lookup_long(name).or_else(|| extra.iter().find(|f| f.long == name));
    let lookup_short =
        |c: char| lookup_short(c).or_else(|| extra.iter().find(|f| f.short == Some(c)));
    let mut p = Parsed::default();
    let mut i = 0;
    let fail = |p: &Parsed, message: String| FlagError {
        message,
        notices: p.notices.clone(),
    };
    while i < argv.len() {
        let s = &argv[i];
        i += 1;
        if s.len() < 2 || !s.starts_with('-') {
            p.args.push(s.clone());
            continue;
        }
        if let Some(name) = s.strip_prefix("--") {
            if name.is_empty() {
                p.args.extend(argv[i..].iter().cloned());
                break;
            }
            if name.starts_with('-') || name.starts_with('=') {
                return Err(fail(&p, format!("bad flag syntax: {s}")));
            }
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            let Some(def) = lookup_long(name) else {
                return Err(fail(&p, format!("unknown flag: --{name}")));
            };
            let value = if let Some(v) = inline {
                v
            } else if let Some(d) = no_opt_default(def.kind) {
                d.to_string()
            } else if i < argv.len() {
                i += 1;
                argv[i - 1].clone()
            } else {
                return Err(fail(&p, format!("flag needs an argument: {s}")));
            };
            set(&mut p, def, &value).map_err(|m| fail(&p, m))?;
        } else {
            // A group of shorthands: `-gn ns`, `-fvalues.yaml`, `-f=x`.
            let mut shorthands: &str = &s[1..];
            while !shorthands.is_empty() {
                let c = shorthands.chars().next().unwrap_or_default();
                let Some(def) = lookup_short(c) else {
                    return Err(fail(
                        &p,
                        format!(
                            "unknown shorthand flag: {} in -{shorthands}",
                            go_quote_rune(c)
                        ),
                    ));
                };
                let rest = &shorthands[c.len_utf8()..];
                let value;
                if let Some(v) = rest.strip_prefix('=').filter(|v| !v.is_empty()) {
                    value = v.to_string();
                    shorthands = "";
                } else if let Some(d) = no_opt_default(def.kind) {
                    value = d.to_string();
                    shorthands = rest;
                } else if !rest.is_empty() {
                    value = rest.to_string();
                    shorthands = "";
                } else if i < argv.len() {
                    value = argv[i].clone();
                    i += 1;
                    shorthands = "";
                } else {
                    return Err(fail(
                        &p,
                        format!(
                            "flag needs an argument: {} in -{shorthands}",
                            go_quote_rune(c)
                        ),
                    ));
                }
                set(&mut p, def, &value).map_err(|m| fail(&p, m))?;
            }
        }
    }
    for group in EXCLUSIVE {
        let set: Vec<&str> = group.iter().copied().filter(|f| p.is_set(f)).collect();
        if set.len() > 1 {
            let mut sorted = set.clone();
            sorted.sort_unstable();
            return Err(fail(
                &p,
                format!(
                    "if any flags in the group [{}] are set none of the others can be; [{}] were all set",
                    group.join(" "),
                    sorted.join(" ")
                ),
            ));
        }
    }
    Ok(p)
}

/// Go's `%q` of a rune.
fn go_quote_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '\\' => "'\\\\'".to_string(),
        c if (c as u32) < 0x20 || c == '\u{7f}' => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

/// The flag's name as pflag prints it in `invalid argument` errors.
fn display_name(def: &FlagDef) -> String {
    match def.short {
        Some(c) => format!("-{c}, --{}", def.long),
        None => format!("--{}", def.long),
    }
}

fn set(p: &mut Parsed, def: &'static FlagDef, value: &str) -> Result<(), String> {
    let invalid = |err: String| {
        format!(
            "invalid argument {} for {} flag: {err}",
            gotmpl::strconv::quote(value),
            gotmpl::strconv::quote(&display_name(def))
        )
    };
    let mut values = vec![value.to_string()];
    match def.kind {
        Bool => {
            parse_bool(value).ok_or_else(|| {
                invalid(format!(
                    "strconv.ParseBool: parsing {}: invalid syntax",
                    gotmpl::strconv::quote(value)
                ))
            })?;
        }
        Text | StringArray | DryRun => {}
        StringSlice | PostRendererArgs => {
            values = if value.is_empty() {
                Vec::new()
            } else {
                read_csv(value).map_err(invalid)?
            };
        }
        Duration => {
            parse_duration(value).map_err(invalid)?;
        }
        Int => {
            parse_go_int(value).map_err(invalid)?;
        }
        Float32 => {
            parse_go_float(value).map_err(invalid)?;
        }
        StringToString => {
            let pairs = match value.matches('=').count() {
                0 => return Err(invalid(format!("{value} must be formatted as key=value"))),
                1 => vec![value.trim_matches('"').to_string()],
                _ => read_csv(value).map_err(invalid)?,
            };
            for pair in &pairs {
                if !pair.contains('=') {
                    return Err(invalid(format!("{pair} must be formatted as key=value")));
                }
            }
            values = pairs;
        }
        Wait => match value {
            "watcher" | "legacy" | "hookOnly" => {}
            "true" => p.notices.push(
                "level=WARN msg=\"--wait=true is deprecated (boolean value) and can be replaced with --wait=watcher\""
                    .to_string(),
            ),
            "false" => p.notices.push(
                "level=WARN msg=\"--wait=false is deprecated (boolean value) and can be replaced with --wait=hookOnly\""
                    .to_string(),
            ),
            _ => {
                return Err(invalid(format!(
                    "invalid wait input {}. Valid inputs are watcher, hookOnly, and legacy",
                    gotmpl::strconv::quote(value)
                )))
            }
        },
        PostRenderer => {
            if !value.is_empty() {
                if p.is_set(def.long) {
                    return Err(invalid(
                        "cannot specify --post-renderer flag more than once".to_string(),
                    ));
                }
                // helm looks the name up among its plugins; chartgen has none.
                return Err(invalid(format!(
                    "plugin: {{Name:{value} Type:postrenderer/v1}} not found"
                )));
            }
        }
    }
    if let Some(note) = def.deprecated {
        p.notices
            .push(format!("Flag --{} has been deprecated, {note}", def.long));
    }
    p.values.entry(def.long).or_default().extend(values);
    Ok(())
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// One record of Go's `encoding/csv` reader (how pflag splits string slices).
fn read_csv(s: &str) -> Result<Vec<String>, String> {
    // pflag reads a single line; a newline ends the record.
    let line = s.split('\n').next().unwrap_or_default();
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut fields = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    // Go counts columns in bytes, 1-based.
    let col = |i: usize| chars[..i].iter().map(|c| c.len_utf8()).sum::<usize>() + 1;
    loop {
        let mut field = String::new();
        if i < chars.len() && chars[i] == '"' {
            i += 1;
            loop {
                if i >= chars.len() {
                    return Err(format!(
                        "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                        col(chars.len())
                    ));
                }
                if chars[i] == '"' {
                    if i + 1 < chars.len() && chars[i + 1] == '"' {
                        field.push('"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if i < chars.len() && chars[i] != ',' {
                        return Err(format!(
                            "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                            col(i)
                        ));
                    }
                    break;
                }
                field.push(chars[i]);
                i += 1;
            }
        } else {
            while i < chars.len() && chars[i] != ',' {
                if chars[i] == '"' {
                    return Err(format!(
                        "parse error on line 1, column {}: bare \" in non-quoted-field",
                        col(i)
                    ));
                }
                field.push(chars[i]);
                i += 1;
            }
        }
        fields.push(field);
        if i >= chars.len() {
            break;
        }
        i += 1; // the comma
    }
    Ok(fields)
}

/// Go's `time.ParseDuration`, for validation only.
fn parse_duration(s: &str) -> Result<(), String> {
    let quoted = gotmpl::strconv::quote(s);
    let invalid = || format!("time: invalid duration {quoted}");
    let mut rest = s.strip_prefix(['-', '+']).unwrap_or(s);
    if rest == "0" {
        return Ok(());
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (int, after) = rest.split_at(digits);
        let mut after = after;
        let mut frac = "";
        if let Some(a) = after.strip_prefix('.') {
            let n = a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len());
            frac = &a[..n];
            after = &a[n..];
        }
        if int.is_empty() && frac.is_empty() {
            return Err(invalid());
        }
        let unit_len = after
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(after.len());
        let unit = &after[..unit_len];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {quoted}"));
        }
        if !matches!(unit, "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h") {
            return Err(format!(
                "time: unknown unit {} in duration {quoted}",
                gotmpl::strconv::quote(unit)
            ));
        }
        rest = &after[unit_len..];
    }
    Ok(())
}

/// Go's `strconv.ParseInt(s, 0, 64)`, for validation only.
fn parse_go_int(s: &str) -> Result<i64, String> {
    let syntax = || {
        format!(
            "strconv.ParseInt: parsing {}: invalid syntax",
            gotmpl::strconv::quote(s)
        )
    };
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    let digits = if radix != 10 {
        digits.replace('_', "")
    } else {
        digits.to_string()
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return Err(syntax());
    }
    match i128::from_str_radix(&digits, radix) {
        Ok(v) => {
            let v = if neg { -v } else { v };
            i64::try_from(v).map_err(|_| {
                format!(
                    "strconv.ParseInt: parsing {}: value out of range",
                    gotmpl::strconv::quote(s)
                )
            })
        }
        Err(_) => Err(syntax()),
    }
}

/// Go's `strconv.ParseFloat(s, 32)`, for validation only.
fn parse_go_float(s: &str) -> Result<f64, String> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return Ok(0.0);
    }
    let ok = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-' | '_'))
        && !body.starts_with('e');
    match s.replace('_', "").parse::<f64>() {
        Ok(v) if ok => {
            if v.is_finite() && v.abs() > f32::MAX as f64 {
                return Err(format!(
                    "strconv.ParseFloat: parsing {}: value out of range",
                    gotmpl::strconv::quote(s)
                ));
            }
            Ok(v)
        }
        _ => Err(format!(
            "strconv.ParseFloat: parsing {}: invalid syntax",
            gotmpl::strconv::quote(s)
        )),
    }
}

/// The flags as a clap command, for `--help` and shell completion.
pub fn clap_command() -> clap::Command {
    use clap::{Arg, ArgAction};
    let mut cmd = clap::Command::new("template")
        .about("Render a chart exactly as `helm template` does (no CHART: the built-in chart)")
        .override_usage("chartgen template [NAME] [CHART] [flags]")
        .disable_help_flag(true)
        .arg(
            Arg::new("args")
                .value_name("NAME|CHART")
                .num_args(0..)
                .action(ArgAction::Append),
        );
    let mut seen = BTreeSet::new();
    for f in FLAGS {
        if f.deprecated.is_some() || !seen.insert(f.long) {
            continue;
        }
        let mut help = f.help.to_string();
        if let Some(d) = f.default {
            help.push_str(&format!(" (default {d})"));
        }
        let mut arg = Arg::new(f.long).long(f.long).help(help);
        if let Some(c) = f.short {
            arg = arg.short(c);
        }
        arg = match f.kind {
            Bool => arg.action(ArgAction::SetTrue),
            DryRun | Wait => arg
                .num_args(0..=1)
                .require_equals(true)
                .action(ArgAction::Set),
            StringSlice | StringArray | StringToString | PostRendererArgs => {
                arg.action(ArgAction::Append)
            }
            _ => arg.action(ArgAction::Set),
        };
        if matches!(f.long, "values" | "output-dir" | "kubeconfig" | "set-file") {
            arg = arg.value_hint(clap::ValueHint::AnyPath);
        }
        cmd = cmd.arg(arg);
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn interspersed_and_grouped() {
        let p = parse(&args(&[
            "c",
            "-gn",
            "ns",
            "--set",
            "a=1",
            "-fa.yaml,b.yaml",
            "x",
        ]))
        .unwrap();
        assert_eq!(p.args, vec!["c", "x"]);
        assert!(p.bool("generate-name"));
        assert_eq!(p.string("namespace").as_deref(), Some("ns"));
        assert_eq!(p.list("values"), vec!["a.yaml", "b.yaml"]);
    }

    #[test]
    fn errors_are_pflags() {
        let e = |a: &[&str]| parse(&args(a)).unwrap_err().message;
        assert_eq!(e(&["--foo"]), "unknown flag: --foo");
        assert_eq!(e(&["-x"]), "unknown shorthand flag: 'x' in -x");
        assert_eq!(e(&["-f"]), "flag needs an argument: 'f' in -f");
        assert_eq!(e(&["--set"]), "flag needs an argument: --set");
        assert_eq!(
            e(&["--include-crds=x"]),
            "invalid argument \"x\" for \"--include-crds\" flag: strconv.ParseBool: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            e(&["-l", "a"]),
            "invalid argument \"a\" for \"-l, --labels\" flag: a must be formatted as key=value"
        );
    }

    #[test]
    fn csv_and_durations() {
        assert_eq!(read_csv("a,\"b,c\",d").unwrap(), vec!["a", "b,c", "d"]);
        assert!(parse_duration("5m0s").is_ok());
        assert!(parse_duration("1.5h").is_ok());
        assert_eq!(
            parse_duration("1").unwrap_err(),
            "time: missing unit in duration \"1\""
        );
    }
}
