//! Random values: `randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii`
//! (goutils' crypto-random strings), `randInt` (math/rand), `uuidv4`
//! (a random version-4 UUID) and `shuffle` (xstrings' rune shuffle).
//!
//! Outputs cannot equal helm's; their alphabets, lengths and edge cases
//! (negative counts give "", `randInt` with an empty range fails) do.

use gotmpl::{FuncMap, Function, IntKind, Type, Value};
use rand::rngs::OsRng;
use rand::{Rng, RngCore};

pub(crate) fn register(m: &mut FuncMap) {
    let int = || Type::Int(IntKind::Int);
    m.insert(
        "randAlphaNum",
        Function::new(vec![int()], |_, a| {
            Ok(Value::from(crypto_random(
                int_arg(&a[0]),
                Alphabet::AlphaNum,
            )?))
        }),
    );
    m.insert(
        "randAlpha",
        Function::new(vec![int()], |_, a| {
            Ok(Value::from(crypto_random(int_arg(&a[0]), Alphabet::Alpha)?))
        }),
    );
    m.insert(
        "randNumeric",
        Function::new(vec![int()], |_, a| {
            Ok(Value::from(crypto_random(
                int_arg(&a[0]),
                Alphabet::Numeric,
            )?))
        }),
    );
    m.insert(
        "randAscii",
        Function::new(vec![int()], |_, a| {
            Ok(Value::from(crypto_random(int_arg(&a[0]), Alphabet::Ascii)?))
        }),
    );
    m.insert(
        "randInt",
        Function::new(vec![int(), int()], |_, a| {
            let (min, max) = (int_arg(&a[0]), int_arg(&a[1]));
            let n = max.wrapping_sub(min);
            if n <= 0 {
                // math/rand panics; text/template reports the panic value.
                return Err("invalid argument to Intn".into());
            }
            Ok(Value::int(
                rand::thread_rng().gen_range(0..n).wrapping_add(min),
            ))
        }),
    );
    m.insert(
        "uuidv4",
        Function::new(vec![], |_, _| Ok(Value::from(uuid_v4()))),
    );
    m.insert(
        "shuffle",
        Function::new(vec![Type::String], |_, a| {
            let s = a[0].as_str().unwrap_or_default();
            let mut runes: Vec<char> = s.chars().collect();
            let mut rng = rand::thread_rng();
            for i in (1..runes.len()).rev() {
                let j = rng.gen_range(0..=i);
                runes.swap(i, j);
            }
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
fn crypto_random(count: i64, alphabet: Alphabet) -> Result<String, gotmpl::FuncError> {
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
    let mut rng = OsRng;
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
pub(crate) fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
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
