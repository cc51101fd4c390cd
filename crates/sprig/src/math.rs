//! Math: sprig's int64 arithmetic (`add`, `sub`, …: every operand through
//! cast.ToInt64, so floats truncate and results are int64), the float
//! functions (`addf`, … through shopspring/decimal), `round`, `floor`,
//! `ceil`, and the integer sequences `until`, `untilStep`, `seq`.

use gotmpl::{FuncError, FuncMap, FuncResult, Type, Value};
use num_bigint::BigInt;

use crate::util::{
    err, f, i, reg, reg_var, str_val, t_int, to_float64, to_int64, IFACE, MAX_LIST_LEN,
};

pub(crate) fn register(m: &mut FuncMap) {
    let i64v = Value::int64;
    reg(m, "add1", vec![IFACE], move |a| {
        Ok(i64v(to_int64(&a[0]).wrapping_add(1)))
    });
    reg_var(m, "add", vec![], IFACE, move |a| {
        Ok(i64v(
            a.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v))),
        ))
    });
    reg(m, "sub", vec![IFACE, IFACE], move |a| {
        Ok(i64v(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
    });
    reg(m, "div", vec![IFACE, IFACE], move |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(divide_by_zero());
        }
        Ok(i64v(to_int64(&a[0]).wrapping_div(d)))
    });
    reg(m, "mod", vec![IFACE, IFACE], move |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(divide_by_zero());
        }
        Ok(i64v(to_int64(&a[0]).wrapping_rem(d)))
    });
    reg_var(m, "mul", vec![IFACE], IFACE, move |a| {
        Ok(i64v(a[1..].iter().fold(to_int64(&a[0]), |acc, v| {
            acc.wrapping_mul(to_int64(v))
        })))
    });
    for name in ["max", "biggest"] {
        reg_var(m, name, vec![IFACE], IFACE, move |a| {
            Ok(i64v(a.iter().map(to_int64).max().unwrap_or(0)))
        });
    }
    reg_var(m, "min", vec![IFACE], IFACE, move |a| {
        Ok(i64v(a.iter().map(to_int64).min().unwrap_or(0)))
    });
    reg_var(m, "maxf", vec![IFACE], IFACE, |a| {
        Ok(Value::Float(
            a[1..]
                .iter()
                .fold(to_float64(&a[0]), |acc, v| go_max(acc, to_float64(v))),
        ))
    });
    reg_var(m, "minf", vec![IFACE], IFACE, |a| {
        Ok(Value::Float(
            a[1..]
                .iter()
                .fold(to_float64(&a[0]), |acc, v| go_min(acc, to_float64(v))),
        ))
    });
    reg(m, "floor", vec![IFACE], |a| {
        Ok(Value::Float(to_float64(&a[0]).floor()))
    });
    reg(m, "ceil", vec![IFACE], |a| {
        Ok(Value::Float(to_float64(&a[0]).ceil()))
    });
    reg_var(m, "round", vec![IFACE, t_int()], Type::Float64, |a| {
        let round_on = a.get(2).map(f).unwrap_or(0.5);
        Ok(Value::Float(round(to_float64(&a[0]), i(&a[1]), round_on)))
    });
    reg(m, "add1f", vec![IFACE], |a| {
        decimal_op(&a[0], &[Value::int(1)], Dec::add)
    });
    reg_var(m, "addf", vec![], IFACE, |a| {
        decimal_op(&Value::Float(0.0), a, Dec::add)
    });
    reg_var(m, "subf", vec![IFACE], IFACE, |a| {
        decimal_op(&a[0], &a[1..], Dec::sub)
    });
    reg_var(m, "mulf", vec![IFACE], IFACE, |a| {
        decimal_op(&a[0], &a[1..], Dec::mul)
    });
    reg_var(m, "divf", vec![IFACE], IFACE, |a| {
        decimal_op(&a[0], &a[1..], Dec::div)
    });
    reg(m, "until", vec![t_int()], |a| {
        let n = i(&a[0]);
        until_step(0, n, if n < 0 { -1 } else { 1 }).map(int_list)
    });
    reg(m, "untilStep", vec![t_int(), t_int(), t_int()], |a| {
        until_step(i(&a[0]), i(&a[1]), i(&a[2])).map(int_list)
    });
    reg_var(m, "seq", vec![], t_int(), |a| {
        seq(&a.iter().map(i).collect::<Vec<_>>())
    });
}

fn divide_by_zero() -> FuncError {
    err("runtime error: integer divide by zero")
}

/// `untilStep`'s `[]int`, appended to one by one from `[]int{}`.
fn int_list(v: Vec<i64>) -> Value {
    let cap = gotmpl::goslice::grown_cap(v.len(), gotmpl::goslice::Elem::INT);
    Value::typed_list_with_cap(t_int(), v.into_iter().map(Value::int).collect(), cap)
}

/// Go's `math.Max`.
fn go_max(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x > 0.0 || y.is_infinite() && y > 0.0 {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`.
fn go_min(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x < 0.0 || y.is_infinite() && y < 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y {
        x
    } else {
        y
    }
}

/// `x * 2^e` with a single rounding where possible (Go's `math.Ldexp`).
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * 2f64.powi(e as i32)
}

/// Go's `math.Pow(10, y)` for the integer exponents `round` uses.
fn pow10(y: i64) -> f64 {
    if y == 0 {
        return 1.0;
    }
    if y == 1 {
        return 10.0;
    }
    let mut a1 = 1.0f64;
    let mut ae: i64 = 0;
    let (mut x1, mut xe) = (0.625f64, 4i64); // Frexp(10)
    let mut k = y.unsigned_abs();
    while k != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if k & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        k >>= 1;
    }
    if y < 0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

/// sprig's `round`.
fn round(val: f64, places: i64, round_on: f64) -> f64 {
    let pow = pow10(places);
    let digit = pow * val;
    let frac = if digit.is_infinite() {
        f64::NAN
    } else {
        digit - digit.trunc()
    };
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    r / pow
}

/// sprig's `untilStep`.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let count: u128 = if stop < start {
        if step >= 0 {
            return Ok(Vec::new());
        }
        ((start as i128 - stop as i128 - 1) / (-(step as i128)) + 1) as u128
    } else {
        if step <= 0 || stop == start {
            return Ok(Vec::new());
        }
        ((stop as i128 - start as i128 - 1) / step as i128 + 1) as u128
    };
    if count > MAX_LIST_LEN as u128 {
        return Err(err(format!(
            "a list of {count} integers exceeds chartgen's limit of {MAX_LIST_LEN}"
        )));
    }
    let mut v = Vec::with_capacity(count as usize);
    let mut x = start;
    for _ in 0..count {
        v.push(x);
        x = x.wrapping_add(step);
    }
    Ok(v)
}

/// sprig's `seq`.
fn seq(p: &[i64]) -> FuncResult {
    let v = match *p {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step(1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(str_val(""));
                }
            }
            until_step(start, end.wrapping_add(inc), step)?
        }
        _ => return Ok(str_val("")),
    };
    let parts: Vec<String> = v.iter().map(|n| n.to_string()).collect();
    Ok(str_val(parts.join(" ")))
}

// ---------------------------------------------------------------------------
// shopspring/decimal, as far as sprig's float functions use it

#[derive(Clone, Debug)]
struct Dec {
    m: BigInt,
    e: i64,
}

impl Dec {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    fn from_float(f: f64) -> Result<Dec, FuncError> {
        if f.is_nan() || f.is_infinite() {
            return Err(err(format!(
                "Cannot create a Decimal from {}",
                crate::util::sprint(&Value::Float(f))
            )));
        }
        if f == 0.0 {
            return Ok(Dec {
                m: BigInt::from(0),
                e: 0,
            });
        }
        let s = format!("{:e}", f);
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let (int_part, frac) = mant.split_once('.').unwrap_or((mant, ""));
        let digits = format!("{int_part}{frac}");
        let m: BigInt = digits.parse().unwrap_or_default();
        Ok(Dec {
            m,
            e: exp - frac.len() as i64,
        })
    }

    fn pow10(n: i64) -> BigInt {
        num_bigint::BigInt::from(10u32).pow(n as u32)
    }

    fn align(a: &Dec, b: &Dec) -> (BigInt, BigInt, i64) {
        let e = a.e.min(b.e);
        (&a.m * Dec::pow10(a.e - e), &b.m * Dec::pow10(b.e - e), e)
    }

    fn add(self, o: Dec) -> Result<Dec, FuncError> {
        let (a, b, e) = Dec::align(&self, &o);
        Ok(Dec { m: a + b, e })
    }

    fn sub(self, o: Dec) -> Result<Dec, FuncError> {
        let (a, b, e) = Dec::align(&self, &o);
        Ok(Dec { m: a - b, e })
    }

    fn mul(self, o: Dec) -> Result<Dec, FuncError> {
        Ok(Dec {
            m: self.m * o.m,
            e: self.e + o.e,
        })
    }

    /// `Div`: rounded half away from zero to 16 decimal places.
    fn div(self, o: Dec) -> Result<Dec, FuncError> {
        use num_bigint::Sign;
        if o.m.sign() == Sign::NoSign {
            return Err(err("decimal division by 0"));
        }
        const PREC: i64 = 16;
        let e = self.e - o.e + PREC;
        if e.unsigned_abs() > 100_000 {
            return Err(err("overflow in decimal QuoRem"));
        }
        let (aa, bb) = if e < 0 {
            (self.m.clone(), &o.m * Dec::pow10(-e))
        } else {
            (&self.m * Dec::pow10(e), o.m.clone())
        };
        let q = &aa / &bb;
        let r = &aa - &q * &bb;
        let r2: BigInt = r.magnitude().clone().into();
        let r2 = r2 * 2;
        let bbabs: BigInt = bb.magnitude().clone().into();
        let mut q = q;
        if r2 >= bbabs {
            let neg = (self.m.sign() == Sign::Minus) != (o.m.sign() == Sign::Minus)
                && self.m.sign() != Sign::NoSign;
            if neg {
                q -= 1;
            } else {
                q += 1;
            }
        }
        Ok(Dec { m: q, e: -PREC })
    }

    fn to_f64(&self) -> f64 {
        format!("{}e{}", self.m, self.e).parse().unwrap_or(0.0)
    }
}

fn decimal_op(
    first: &Value,
    rest: &[Value],
    op: fn(Dec, Dec) -> Result<Dec, FuncError>,
) -> FuncResult {
    let mut acc = Dec::from_float(to_float64(first))?;
    for v in rest {
        acc = op(acc, Dec::from_float(to_float64(v))?)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow10_is_exact_in_range() {
        for k in 0..=22 {
            assert_eq!(pow10(k), format!("1e{k}").parse::<f64>().unwrap());
        }
    }

    #[test]
    fn until_step_follows_sprig() {
        assert_eq!(until_step(0, 5, 2).unwrap(), [0, 2, 4]);
        assert_eq!(until_step(5, 0, -2).unwrap(), [5, 3, 1]);
        assert!(until_step(0, 5, 0).unwrap().is_empty());
        assert!(until_step(5, 0, 1).unwrap().is_empty());
        assert!(until_step(0, i64::MAX, 1).is_err());
    }
}
