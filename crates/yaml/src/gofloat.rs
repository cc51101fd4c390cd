//! Go's `strconv.FormatFloat` shortest forms ('g', 'e', 'f' with precision -1)
//! and encoding/json's float format.

/// Shortest decimal digits and decimal-point position of a finite float:
/// value = 0.d1d2...dn × 10^dp. Zero gives no digits.
fn digits(sci: &str) -> (bool, Vec<u8>, i32) {
    let (neg, rest) = match sci.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, sci),
    };
    let (mant, exp) = rest.split_once('e').unwrap_or((rest, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(|c| c.is_ascii_digit()).collect();
    while d.len() > 1 && d.last() == Some(&b'0') {
        d.pop();
    }
    if d == [b'0'] {
        return (neg, Vec::new(), 0);
    }
    (neg, d, exp + 1)
}

fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f == f64::INFINITY {
        Some("+Inf".into())
    } else if f == f64::NEG_INFINITY {
        Some("-Inf".into())
    } else {
        None
    }
}

fn fmt_e(neg: bool, d: &[u8], dp: i32, out_e: char) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    let first = d.first().copied().unwrap_or(b'0');
    s.push(first as char);
    if d.len() > 1 {
        s.push('.');
        for &c in &d[1..] {
            s.push(c as char);
        }
    }
    s.push(out_e);
    let exp = if d.is_empty() { 0 } else { dp - 1 };
    if exp < 0 {
        s.push('-');
    } else {
        s.push('+');
    }
    let a = exp.unsigned_abs();
    if a < 10 {
        s.push('0');
    }
    s.push_str(&a.to_string());
    s
}

fn fmt_f(neg: bool, d: &[u8], dp: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if dp > 0 {
        for i in 0..dp as usize {
            s.push(d.get(i).copied().unwrap_or(b'0') as char);
        }
    } else {
        s.push('0');
    }
    let prec = (d.len() as i32 - dp).max(0);
    if prec > 0 {
        s.push('.');
        for i in 0..prec {
            let j = dp + i;
            let c = if j < 0 {
                b'0'
            } else {
                d.get(j as usize).copied().unwrap_or(b'0')
            };
            s.push(c as char);
        }
    }
    s
}

fn g_from(neg: bool, d: &[u8], dp: i32) -> String {
    let exp = dp - 1;
    if !d.is_empty() && !(-4..6).contains(&exp) {
        return fmt_e(neg, d, dp, 'e');
    }
    if d.is_empty() {
        return if neg { "-0".into() } else { "0".into() };
    }
    fmt_f(neg, d, dp)
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` (also Go's `%v` for float64).
pub fn format_g(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (neg, d, dp) = digits(&format!("{f:e}"));
    g_from(neg, &d, dp)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`.
pub fn format_g32(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let (neg, d, dp) = digits(&format!("{x:e}"));
    g_from(neg, &d, dp)
}

/// encoding/json's float64 text; `None` for NaN and infinities.
pub fn format_json(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let (neg, d, dp) = digits(&format!("{f:e}"));
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = fmt_e(neg, &d, dp, 'e');
        // e-07 → e-7
        let b = s.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        return Some(s);
    }
    if d.is_empty() {
        return Some(if neg { "-0".into() } else { "0".into() });
    }
    Some(fmt_f(neg, &d, dp))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn go_floats() {
        assert_eq!(format_g(1e6), "1e+06");
        assert_eq!(format_g(100000.0), "100000");
        assert_eq!(format_g(123456789.0), "1.23456789e+08");
        assert_eq!(format_g(0.000001), "1e-06");
        assert_eq!(format_g(0.0001), "0.0001");
        assert_eq!(format_g(1e21), "1e+21");
        assert_eq!(format_g(1.5), "1.5");
        assert_eq!(format_g(0.0), "0");
        assert_eq!(format_g(-0.0), "-0");
        assert_eq!(format_g(1.2345678901234568e29), "1.2345678901234568e+29");
        assert_eq!(format_json(0.000001).unwrap(), "0.000001");
        assert_eq!(format_json(1e21).unwrap(), "1e+21");
        assert_eq!(format_json(1e-7).unwrap(), "1e-7");
        assert_eq!(format_json(1e20).unwrap(), "100000000000000000000");
        assert_eq!(format_json(12345678901.0).unwrap(), "12345678901");
        assert_eq!(format_json(-0.0).unwrap(), "-0");
        assert_eq!(format_g32(2.5), "2.5");
        assert_eq!(format_g32(0.1), "0.1");
        assert_eq!(format_g32(123456789.0), "1.2345679e+08");
    }
}
