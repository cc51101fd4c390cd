use gotmpl::{FuncMap, Function, IntKind, Type, Value};
use rand::{Rng, RngCore};

use crate::context::{self, ContextOf, Entropy};

pub(crate) fn register(m: &mut FuncMap, of: ContextOf) {
    let int = || Type::Int(IntKind::Int);
    for (name, alphabet) in [
        ("randAlphaNum", Alphabet::AlphaNum),
        ("randAlpha", Alphabet::Alpha),
        ("randNumeric", Alphabet::Numeric),
        ("randAscii", Alphabet::Ascii),
    ] {
        m.insert(
            name,
            Function::new(vec![int()], move |c, a| {
                let s = context::with(of, c, |ctx| {
                    crypto_random(ctx.rng(), int_arg(&a[0]), alphabet)
                })?;
                Ok(Value::from(s))
            }),
        );
    }
    m.insert(
        "randInt",
        Function::new(vec![int(), int()], move |c, a| {
            let (min, max) = (int_arg(&a[0]), int_arg(&a[1]));
            let n = max.wrapping_sub(min);
            if n <= 0 {
                // math/rand panics; text/template reports the panic value.
                return Err("invalid argument to Intn".into());
            }
            let r = context::with(of, c, |ctx| ctx.rng().gen_range(0..n));
            Ok(Value::int(r.wrapping_add(min)))
        }),
    );
    m.insert(
        "uuidv4",
        Function::new(vec![], move |c, _| {
            Ok(Value::from(context::with(of, c, |ctx| uuid_v4(ctx.rng()))))
        }),
    );
    m.insert(
        "shuffle",
        Function::new(vec![Type::String], move |c, a| {
            let s = a[0].as_str().unwrap_or_default();
            let mut runes: Vec<char> = s.chars().collect();
            context::with(of, c, |ctx| {
                let rng = ctx.rng();
                for i in (1..runes.len()).rev() {
                    let j = rng.gen_range(0..=i);
                    runes.swap(i, j);
                }
            });
            Ok(Value::from(runes.into_iter().collect::<String>()))
        }),
    );
}

fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(n, _) => *n,
        _ => 0,
    }
}

#[derive(Clone, Copy)]
enum Alphabet {
    AlphaNum,
    Alpha,
    Numeric,
    Ascii,
}

/// Go refuses `make([]rune, n)` beyond its allocation limit with this panic.
const MAKESLICE_PANIC: &str = "runtime error: makeslice: len out of range";

/// The largest string built before reporting Go's allocation failure; Go
/// would try (and die) well before its own hard limit.
const MAX_RANDOM_LEN: i64 = 1 << 30;

/// goutils' `CryptoRandom` for the four alphabets sprig uses: characters are
/// drawn uniformly from `[32, 123)` (letters/digits kept) or `[32, 127)`.
fn crypto_random(
    rng: &mut Entropy,
    count: i64,
    alphabet: Alphabet,
) -> Result<String, gotmpl::FuncError> {
    if count <= 0 {
        // Zero is "", a negative count an error that sprig discards.
        return Ok(String::new());
    }
    if count > MAX_RANDOM_LEN {
        return Err(MAKESLICE_PANIC.into());
    }
    let (start, end) = match alphabet {
        Alphabet::Ascii => (32u8, 127u8),
        _ => (32u8, b'z' + 1),
    };
    let keep = |c: u8| match alphabet {
        Alphabet::AlphaNum => c.is_ascii_alphanumeric(),
        Alphabet::Alpha => c.is_ascii_alphabetic(),
        Alphabet::Numeric => c.is_ascii_digit(),
        Alphabet::Ascii => true,
    };
    let mut out = String::with_capacity(count as usize);
    while (out.len() as i64) < count {
        let c = rng.gen_range(start..end);
        if keep(c) {
            out.push(c as char);
        }
    }
    Ok(out)
}

/// google/uuid's `New().String()`: 16 random bytes, version 4, RFC 4122 variant.
fn uuid_v4(rng: &mut Entropy) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
