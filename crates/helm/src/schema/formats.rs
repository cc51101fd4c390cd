//! The `format` checks of helm's schema validator (santhosh-tekuri
//! jsonschema v6), with the reasons it adds to its messages
//! (`'1.2.3.256' is not valid ipv4: decimal must be between 0 and 255`).
//! They decide validity too: the `jsonschema` crate is given these checks in
//! place of its own, so a value passes exactly when it passes in helm.
//! Helm asserts formats on drafts 4 to 7 only (later drafts treat them as
//! annotations unless the meta-schema asks for them); its meta-schemas
//! assert theirs (`uri`, `uri-reference`, `regex`) on every draft.
//!
//! Parts of the reasons come from Go's standard library (`strconv.Atoi`,
//! `net/netip.ParseAddr`, `time.Parse`, `net/url.Parse`), worded as it
//! words them.

use gotmpl::strconv::quote;

/// The formats v6 knows (others are ignored, by v6 and by the crate).
pub(crate) const NAMES: [&str; 18] = [
    "json-pointer",
    "relative-json-pointer",
    "uuid",
    "duration",
    "period",
    "ipv4",
    "ipv6",
    "hostname",
    "email",
    "date",
    "time",
    "date-time",
    "uri",
    "iri",
    "uri-reference",
    "iri-reference",
    "uri-template",
    "semver",
];

/// v6's check of format `name` on string `s`: `None` for a format v6 does
/// not know (not `regex`, which the caller checks with Go's regexp rules),
/// else the reason `s` fails, if it does.
pub(crate) fn check(name: &str, s: &str) -> Option<Result<(), String>> {
    let r = match name {
        "json-pointer" => json_pointer(s),
        "relative-json-pointer" => relative_json_pointer(s),
        "uuid" => uuid(s),
        "duration" => duration(s),
        "period" => period(s),
        "ipv4" => ipv4(s),
        "ipv6" => ipv6(s),
        "hostname" => hostname(s),
        "email" => email(s),
        "date" => date(s),
        "time" => time(s),
        "date-time" => date_time(s),
        "uri" | "iri" => uri(s),
        "uri-reference" | "iri-reference" => uri_reference(s),
        "uri-template" => uri_template(s),
        "semver" => semver(s),
        _ => return None,
    };
    Some(r)
}

type R = Result<(), String>;

fn fail<T>(reason: impl Into<String>) -> Result<T, String> {
    Err(reason.into())
}

/// Go's `%q` of a rune: `'x'`.
fn quote_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '"' => "'\"'".to_string(),
        _ => {
            let q = quote(&c.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

fn json_pointer(s: &str) -> R {
    if s.is_empty() {
        return Ok(());
    }
    if !s.starts_with('/') {
        return fail("not starting with /");
    }
    for tok in s.split('/').skip(1) {
        let mut escape = false;
        for ch in tok.chars() {
            if escape {
                escape = false;
                if ch != '0' && ch != '1' {
                    return fail("~ must be followed by 0 or 1");
                }
                continue;
            }
            if ch == '~' {
                escape = true;
            }
        }
        if escape {
            return fail("~ must be followed by 0 or 1");
        }
    }
    Ok(())
}

fn relative_json_pointer(s: &str) -> R {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return fail("must start with non-negative integer");
    }
    if digits > 1 && s.starts_with('0') {
        return fail("starts with zero");
    }
    let rest = &s[digits..];
    if rest == "#" {
        return Ok(());
    }
    json_pointer(rest)
}

fn uuid(s: &str) -> R {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = s.split('-').collect();
    if groups.len() != GROUPS.len() {
        return fail(format!("must have {} elements", GROUPS.len()));
    }
    for (i, g) in groups.iter().enumerate() {
        if g.len() != GROUPS[i] {
            return fail(format!(
                "element {} must be {} characters long",
                i + 1,
                GROUPS[i]
            ));
        }
        if let Some(c) = g.chars().find(|c| !c.is_ascii_hexdigit()) {
            return fail(format!("non-hex character {}", quote_rune(c)));
        }
    }
    Ok(())
}

fn duration(s: &str) -> R {
    let Some(s) = s.strip_prefix('P') else {
        return fail("must start with P");
    };
    if s.is_empty() {
        return fail("nothing after P");
    }
    if let Some(w) = s.strip_suffix('W') {
        if w.is_empty() {
            return fail("no number in week");
        }
        if !w.bytes().all(|c| c.is_ascii_digit()) {
            return fail("invalid week");
        }
        return Ok(());
    }
    const ALL: [&str; 2] = ["YMD", "HMS"];
    for (i, part) in s.split('T').enumerate() {
        if i != 0 && part.is_empty() {
            return fail("no time elements");
        }
        if i >= ALL.len() {
            return fail("more than one T");
        }
        let mut units = ALL[i];
        let mut rest = part;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return fail("missing number");
            }
            rest = &rest[digits..];
            let Some(&unit) = rest.as_bytes().first() else {
                return fail("missing unit");
            };
            match units.bytes().position(|u| u == unit) {
                Some(j) => units = &units[j + 1..],
                None if ALL[i].as_bytes().contains(&unit) => {
                    return fail(format!("unit {} out of order", quote_rune(unit as char)))
                }
                None => return fail(format!("invalid unit {}", quote_rune(unit as char))),
            }
            // A multi-byte unit is invalid above; this one is ASCII.
            rest = &rest[1..];
        }
    }
    Ok(())
}

fn period(s: &str) -> R {
    let Some((start, end)) = s.split_once('/') else {
        return fail("missing slash");
    };
    if start.starts_with('P') {
        duration(start).map_err(|e| format!("invalid start duration: {e}"))?;
        date_time(end).map_err(|e| format!("invalid end date-time: {e}"))
    } else {
        date_time(start).map_err(|e| format!("invalid start date-time: {e}"))?;
        if end.starts_with('P') {
            duration(end).map_err(|e| format!("invalid end duration: {e}"))
        } else {
            date_time(end).map_err(|e| format!("invalid end date-time: {e}"))
        }
    }
}

/// Go's `strconv.Atoi`.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            quote(s)
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", quote(s)))
}

fn ipv4(s: &str) -> R {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return fail("expected four decimals");
    }
    for g in groups {
        if g.len() > 1 && g.starts_with('0') {
            return fail("leading zeros");
        }
        let n = atoi(g)?;
        if !(0..=255).contains(&n) {
            return fail("decimal must be between 0 and 255");
        }
    }
    Ok(())
}

fn ipv6(s: &str) -> R {
    if !s.contains(':') {
        return fail("missing colon");
    }
    let zone = parse_addr(s)?;
    if !zone.is_empty() {
        return fail("zone id is not a part of ipv6 address");
    }
    Ok(())
}

/// Go's `netip.ParseAddr` on text holding a colon: the IPv6 zone, or the
/// error.
fn parse_addr(input: &str) -> Result<String, String> {
    let err = |msg: &str, at: &str| addr_error(input, msg, at);
    let kind = input.bytes().find(|c| matches!(c, b'.' | b':' | b'%'));
    match kind {
        Some(b'.') => return parse_ipv4_fields(input, 0, input.len()).map(|_| String::new()),
        Some(b'%') => return Err(err("missing IPv6 address", "")),
        Some(_) => {}
        None => return Err(err("unable to parse IP", "")),
    }
    let (mut s, zone) = match input.split_once('%') {
        Some((_, "")) => return Err(err("zone must be a non-empty string", "")),
        Some((a, z)) => (a, z),
        None => (input, ""),
    };
    let mut ellipsis: i32 = -1;
    if s.starts_with("::") {
        ellipsis = 0;
        s = &s[2..];
        if s.is_empty() {
            return Ok(zone.to_string());
        }
    }
    let mut i = 0;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < b.len() {
            let d = match b[off] {
                c @ b'0'..=b'9' => c - b'0',
                c @ b'a'..=b'f' => c - b'a' + 10,
                c @ b'A'..=b'F' => c - b'A' + 10,
                _ => break,
            };
            acc = (acc << 4) + u32::from(d);
            if off > 3 {
                return Err(err("each group must have 4 or less digits", s));
            }
            if acc > 0xFFFF {
                return Err(err("IPv6 field has value >=2^16", s));
            }
            off += 1;
        }
        if off == 0 {
            return Err(err(
                "each colon-separated field must have at least one digit",
                s,
            ));
        }
        if b.get(off) == Some(&b'.') {
            if ellipsis < 0 && i != 12 {
                return Err(err(
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    s,
                ));
            }
            if i + 4 > 16 {
                return Err(err(
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    s,
                ));
            }
            let end = input.len() - if zone.is_empty() { 0 } else { zone.len() + 1 };
            parse_ipv4_fields(input, end - s.len(), end)?;
            s = "";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(err("unexpected character, want colon", s));
        }
        if s.len() == 1 {
            return Err(err("colon must be followed by more characters", s));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis >= 0 {
                return Err(err("multiple :: in address", s));
            }
            ellipsis = i;
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(err("trailing garbage after address", s));
    }
    if i < 16 {
        if ellipsis < 0 {
            return Err(err("address string too short", ""));
        }
    } else if ellipsis >= 0 {
        return Err(err("the :: must expand to at least one field of zeros", ""));
    }
    Ok(zone.to_string())
}

/// netip's `parseAddrError`: the input, the reason, where parsing stopped.
fn addr_error(input: &str, msg: &str, at: &str) -> String {
    if at.is_empty() {
        format!("ParseAddr({}): {msg}", quote(input))
    } else {
        format!("ParseAddr({}): {msg} (at {})", quote(input), quote(at))
    }
}

/// Go's `parseIPv4Fields` of `input[off..end]`.
fn parse_ipv4_fields(input: &str, off: usize, end: usize) -> Result<(), String> {
    let err = |msg: &str, at: &str| addr_error(input, msg, at);
    let s = &input.as_bytes()[off..end];
    let at = |i: usize| String::from_utf8_lossy(&s[i..]).into_owned();
    let (mut val, mut pos, mut digits) = (0u32, 0, 0);
    for i in 0..s.len() {
        match s[i] {
            c @ b'0'..=b'9' => {
                if digits == 1 && val == 0 {
                    return Err(err("IPv4 field has octet with leading zero", ""));
                }
                val = val * 10 + u32::from(c - b'0');
                digits += 1;
                if val > 255 {
                    return Err(err("IPv4 field has value >255", ""));
                }
            }
            b'.' => {
                if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' {
                    return Err(err("IPv4 field must have at least one digit", &at(i)));
                }
                if pos == 3 {
                    return Err(err("IPv4 address too long", ""));
                }
                pos += 1;
                val = 0;
                digits = 0;
            }
            _ => return Err(err("unexpected character", &at(i))),
        }
    }
    if pos < 3 {
        return Err(err("IPv4 address too short", ""));
    }
    Ok(())
}

fn hostname(s: &str) -> R {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return fail("more than 253 characters long");
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return fail("label must be 1 to 63 characters long");
        }
        if label.starts_with('-') {
            return fail("label starts with hyphen");
        }
        if label.ends_with('-') {
            return fail("label ends with hyphen");
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return fail(format!("invalid character {}", quote_rune(c)));
        }
    }
    Ok(())
}

fn email(s: &str) -> R {
    if s.len() > 254 {
        return fail("more than 255 characters long");
    }
    let Some(at) = s.rfind('@') else {
        return fail("missing @");
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return fail("local part more than 64 characters long");
    }
    // v6 tests the opening quote twice (not the closing one).
    if local.len() > 1 && local.starts_with('"') {
        let inner = local.get(1..local.len() - 1).unwrap_or("");
        if inner.contains(['\\', '"']) {
            return fail("backslash and quote are not allowed within quoted local part");
        }
    } else {
        if local.starts_with('.') {
            return fail("starts with dot");
        }
        if local.ends_with('.') {
            return fail("ends with dot");
        }
        if local.contains("..") {
            return fail("consecutive dots");
        }
        if let Some(c) = local
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || ".!#$%&'*+-/=?^_`{|}~".contains(*c)))
        {
            return fail(format!("invalid character {}", quote_rune(c)));
        }
    }
    if let Some(inner) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        if let Some(v6) = inner.strip_prefix("IPv6:") {
            return ipv6(v6).map_err(|e| format!("invalid ipv6 address: {e}"));
        }
        return ipv4(inner).map_err(|e| format!("invalid ipv4 address: {e}"));
    }
    hostname(domain).map_err(|e| format!("invalid domain: {e}"))
}

/// Go's `time.Parse("2006-01-02", s)`.
fn date(s: &str) -> R {
    const LAYOUT: &str = "2006-01-02";
    let cannot = |value: &[u8], elem: &str| {
        Err(format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(s),
            quote(LAYOUT),
            quote(&String::from_utf8_lossy(value)),
            quote(elem)
        ))
    };
    let digit = |v: &[u8], i: usize| v.get(i).is_some_and(u8::is_ascii_digit);
    let v = s.as_bytes();
    // 2006: four characters, the first a digit, all of them a number.
    if v.len() < 4 || !digit(v, 0) || !v[..4].iter().all(u8::is_ascii_digit) {
        return cannot(v, "2006");
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    let v = &v[4..];
    if v.first() != Some(&b'-') {
        return cannot(v, "-");
    }
    let v = &v[1..];
    // 01 and 02: two digits.
    if !(digit(v, 0) && digit(v, 1)) {
        return cannot(v, "01");
    }
    let month = i64::from((v[0] - b'0') * 10 + v[1] - b'0');
    let v = &v[2..];
    if !(1..=12).contains(&month) {
        return Err(format!("parsing time {}: month out of range", quote(s)));
    }
    if v.first() != Some(&b'-') {
        return cannot(v, "-");
    }
    let v = &v[1..];
    if !(digit(v, 0) && digit(v, 1)) {
        return cannot(v, "02");
    }
    let day = i64::from((v[0] - b'0') * 10 + v[1] - b'0');
    let v = &v[2..];
    if !v.is_empty() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            quote(s),
            quote(&String::from_utf8_lossy(v))
        ));
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > days {
        return Err(format!("parsing time {}: day out of range", quote(s)));
    }
    Ok(())
}

fn time(s: &str) -> R {
    let b = s.as_bytes();
    if b.len() < 9 {
        return fail("less than 9 characters long");
    }
    if b[2] != b':' || b[5] != b':' {
        return fail("missing colon in correct place");
    }
    let mut hms = [0i64; 3];
    for (k, tok) in b[..8].split(|&c| c == b':').enumerate() {
        let tok = std::str::from_utf8(tok).map_err(|_| "invalid hour/min/sec".to_string())?;
        let n = atoi(tok).map_err(|_| "invalid hour/min/sec".to_string())?;
        if n < 0 {
            return fail("non-positive hour/min/sec");
        }
        hms[k] = n;
    }
    let (mut h, mut m, sec) = (hms[0], hms[1], hms[2]);
    if h > 23 || m > 59 || sec > 60 {
        return fail("hour/min/sec out of range");
    }
    let mut rest = &b[8..];
    if let Some(r) = rest.strip_prefix(b".") {
        let digits = r.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return fail("no digits in second fraction");
        }
        rest = &r[digits..];
    }
    if rest != b"z" && rest != b"Z" {
        if rest.len() != 6 {
            return fail("offset must be 6 characters long");
        }
        let sign = match rest[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return fail("offset must begin with plus/minus"),
        };
        let r = &rest[1..];
        if r[2] != b':' {
            return fail("missing colon in offset in correct place");
        }
        let mut zhm = [0i64; 2];
        for (k, tok) in r.splitn(2, |&c| c == b':').enumerate() {
            let tok =
                std::str::from_utf8(tok).map_err(|_| "invalid hour/min in offset".to_string())?;
            let n = atoi(tok).map_err(|_| "invalid hour/min in offset".to_string())?;
            if n < 0 {
                return fail("non-positive hour/min in offset");
            }
            zhm[k] = n;
        }
        let (zh, zm) = (zhm[0], zhm[1]);
        if zh > 23 || zm > 59 {
            return fail("hour/min in offset out of range");
        }
        let mut hm = (h * 60 + m) + sign * (zh * 60 + zm);
        if hm < 0 {
            hm += 24 * 60;
        }
        h = hm / 60;
        m = hm % 60;
    }
    if sec >= 60 && (h != 23 || m != 59) {
        return fail("invalid leap second");
    }
    Ok(())
}

fn date_time(s: &str) -> R {
    let b = s.as_bytes();
    if b.len() < 20 {
        return fail("less than 20 characters long");
    }
    if b[10] != b't' && b[10] != b'T' {
        return fail("11th character must be t or T");
    }
    // Byte positions 10 and 11 hold ASCII, so both halves are text.
    date(&s[..10]).map_err(|e| format!("invalid date element: {e}"))?;
    time(&s[11..]).map_err(|e| format!("invalid time element: {e}"))
}

fn uri(s: &str) -> R {
    let u = parse_url(s)?;
    if !u.absolute {
        return fail("relative url");
    }
    Ok(())
}

fn uri_reference(s: &str) -> R {
    if s.contains('\\') {
        return fail("contains \\");
    }
    parse_url(s).map(|_| ())
}

fn uri_template(s: &str) -> R {
    let u = parse_url(s)?;
    // Go keeps a raw path only where the text differs from the path's
    // default escaping: for braces, always.
    if !u.path.contains(['{', '}']) {
        return Ok(());
    }
    for tok in u.path.split('/') {
        let tok = percent_decode(tok).map_err(|e| format!("percent decode failed: {e}"))?;
        let mut want = true;
        for ch in tok.chars() {
            let got = match ch {
                '{' => true,
                '}' => false,
                _ => continue,
            };
            if got != want {
                return fail("nested curly braces");
            }
            want = !want;
        }
        if !want {
            return fail("no matching closing brace");
        }
    }
    Ok(())
}

fn percent_decode(s: &str) -> Result<String, String> {
    if let Some(bad) = bad_escape(s) {
        return Err(bad);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(0));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn semver(s: &str) -> R {
    let mut s = s;
    if let Some(i) = s.find('+') {
        let build = &s[i + 1..];
        if build.is_empty() {
            return fail("build is empty");
        }
        for id in build.split('.') {
            if id.is_empty() {
                return fail("build identifier is empty");
            }
            if let Some(c) = id
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                return fail(format!(
                    "invalid character {} in build identifier",
                    quote_rune(c)
                ));
            }
        }
        s = &s[..i];
    }
    if let Some(i) = s.find('-') {
        for id in s[i + 1..].split('.') {
            if id.is_empty() {
                return fail("pre-release identifier is empty");
            }
            if let Some(c) = id
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                return fail(format!(
                    "invalid character {} in pre-release identifier",
                    quote_rune(c)
                ));
            }
            let all_digits = id.bytes().all(|c| c.is_ascii_digit());
            if all_digits && id.len() > 1 && id.starts_with('0') {
                return fail("pre-release numeric identifier starts with zero");
            }
        }
        s = &s[..i];
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 3 {
        return fail("versionCore must have 3 numbers separated by dot");
    }
    for (name, v) in ["major", "minor", "patch"].iter().zip(parts) {
        if v.is_empty() {
            return fail(format!("{name} is empty"));
        }
        if v.len() > 1 && v.starts_with('0') {
            return fail(format!("{name} starts with zero"));
        }
        if !v.bytes().all(|c| c.is_ascii_digit()) {
            return fail(format!("{name} contains non-digit"));
        }
    }
    Ok(())
}

/// What v6 reads of a URL: whether it has a scheme, and its path.
struct Url<'a> {
    absolute: bool,
    path: &'a str,
}

/// Go's `url.Parse` for the failures schemas meet (bad escapes, control
/// characters, a missing or malformed scheme, a colon in the first path
/// segment, bad ports), with v6's check that a host with colons is a
/// bracketed IPv6 address. Go reports a failure before the `#` with that
/// part, one in the fragment with the whole text.
fn parse_url(s: &str) -> Result<Url<'_>, String> {
    let (main, fragment) = s.split_once('#').unwrap_or((s, ""));
    let parse_err = |text: &str, reason: String| Err(format!("parse {}: {reason}", quote(text)));
    if main.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return parse_err(main, "net/url: invalid control character in URL".into());
    }
    // The scheme: letters first, then letters, digits, `+`, `-`, `.`.
    let mut scheme = "";
    let mut rest = main;
    for (i, c) in main.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return parse_err(main, "missing protocol scheme".into()),
            b':' => {
                scheme = &main[..i];
                rest = &main[i + 1..];
                break;
            }
            _ => break,
        }
    }
    // The query is kept as written; the rest is unescaped.
    let (before_query, _) = rest.split_once('?').unwrap_or((rest, ""));
    if let Some(bad) = bad_escape(before_query) {
        return parse_err(main, bad);
    }
    let mut path = before_query;
    if scheme.is_empty() {
        if let Some(c) = before_query.find(':') {
            if c < before_query.find('/').unwrap_or(before_query.len()) {
                return parse_err(
                    main,
                    "first path segment in URL cannot contain colon".into(),
                );
            }
        }
    }
    if let Some(after) = before_query.strip_prefix("//") {
        let (authority, p) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        path = p;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if let Some(bracketed) = host.strip_prefix('[') {
            match bracketed.split_once(']') {
                Some((addr, port)) => {
                    if !port.is_empty() && !valid_port(port.strip_prefix(':').unwrap_or("x")) {
                        return parse_err(main, format!("invalid port {} after host", quote(port)));
                    }
                    // Go checks the address (without its `%25` zone) ...
                    let (plain, zone) = addr.split_once("%25").unwrap_or((addr, ""));
                    if let Err(e) = parse_addr(plain) {
                        return parse_err(main, format!("invalid host: {e}"));
                    }
                    // ... and v6 the host name, which must be a bare IPv6.
                    let name = if zone.is_empty() {
                        plain.to_string()
                    } else {
                        format!("{plain}%{zone}")
                    };
                    if name.contains(':') {
                        ipv6(&name).map_err(|e| format!("invalid ipv6 address: {e}"))?;
                    }
                }
                None => return parse_err(main, "missing ']' in host".into()),
            }
        } else if let Some((name, port)) = host.rsplit_once(':') {
            if !valid_port(port) {
                return parse_err(
                    main,
                    format!("invalid port {} after host", quote(&format!(":{port}"))),
                );
            }
            if name.contains(':') {
                return fail("ipv6 address not enclosed in brackets");
            }
        }
    }
    if let Some(bad) = bad_escape(fragment) {
        return parse_err(s, bad);
    }
    Ok(Url {
        absolute: !scheme.is_empty(),
        path,
    })
}

fn valid_port(p: &str) -> bool {
    p.bytes().all(|c| c.is_ascii_digit())
}

/// Go's `invalid URL escape "%zz"` for the first bad `%` escape in `s`.
pub(super) fn bad_escape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let i = (0..b.len()).find(|&i| {
        b[i] == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })?;
    let end = (i + 3).min(s.len());
    let cut = s.get(i..end).unwrap_or(&s[i..]);
    Some(format!("invalid URL escape {}", quote(cut)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_errors_name_the_part_go_parsed() {
        assert_eq!(
            uri_reference("#/$defs/%zz"),
            Err(r##"parse "#/$defs/%zz": invalid URL escape "%zz""##.to_string())
        );
        assert_eq!(
            uri_reference("a%2#x"),
            Err(r#"parse "a%2": invalid URL escape "%2""#.to_string())
        );
        assert_eq!(uri_reference("x?q=%zz"), Ok(()), "the query is kept raw");
        assert_eq!(uri("rel"), Err("relative url".to_string()));
        assert_eq!(uri("a:b/c"), Ok(()));
        assert_eq!(
            uri_reference("1a:b"),
            Err(r#"parse "1a:b": first path segment in URL cannot contain colon"#.to_string())
        );
    }

    #[test]
    fn unknown_formats_are_not_checked() {
        assert_eq!(check("no-such-format", "x"), None);
        assert_eq!(check("regex", "(("), None, "regex is the caller's");
        assert!(NAMES.iter().all(|n| check(n, "").is_some()));
    }

    #[test]
    fn runes_quote_as_go_quotes_them() {
        assert_eq!(quote_rune('a'), "'a'");
        assert_eq!(quote_rune('\''), "'\\''");
        assert_eq!(quote_rune('"'), "'\"'");
        assert_eq!(quote_rune('\n'), "'\\n'");
        assert_eq!(quote_rune('é'), "'é'");
    }
}
