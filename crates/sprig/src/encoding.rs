//! Encodings and hashes: `b64enc`/`b64dec`, `b32enc`/`b32dec` (Go's
//! `StdEncoding`s; a decoding error is returned *as the string*, as sprig
//! does), `sha1sum`, `sha256sum`, `sha512sum`, `adler32sum`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;

use base64::Engine as _;
use gotmpl::{FuncMap, Str, Type, Value};
use sha1::Digest as _;

use crate::util::{b, bytes_val, reg, str_val};

pub(crate) fn register(m: &mut FuncMap) {
    let st = || vec![Type::String];
    reg(m, "b64enc", st(), |a| {
        Ok(str_val(
            base64::engine::general_purpose::STANDARD.encode(b(&a[0])),
        ))
    });
    reg(m, "b64dec", st(), |a| {
        Ok(match b64_decode(b(&a[0])) {
            Ok(d) => bytes_val(d),
            Err(n) => str_val(format!("illegal base64 data at input byte {n}")),
        })
    });
    reg(m, "b32enc", st(), |a| Ok(str_val(b32_encode(b(&a[0])))));
    reg(m, "b32dec", st(), |a| {
        Ok(match b32_decode(b(&a[0])) {
            Ok(d) => bytes_val(d),
            Err(n) => str_val(format!("illegal base32 data at input byte {n}")),
        })
    });
    reg(m, "sha1sum", st(), |a| {
        Ok(str_val(hex(&sha1::Sha1::digest(b(&a[0])))))
    });
    reg(m, "sha256sum", st(), |a| Ok(sha256sum(&a[0])));
    reg(m, "sha512sum", st(), |a| {
        Ok(str_val(hex(&sha2::Sha512::digest(b(&a[0])))))
    });
    reg(m, "adler32sum", st(), |a| {
        Ok(str_val(adler32(b(&a[0])).to_string()))
    });
}

/// `sha256sum`. Charts hash the same rendered text again for every pod's
/// checksum annotation, and a reused `include` result is the very same
/// string: the last few long strings' digests are kept, by identity.
fn sha256sum(arg: &Value) -> Value {
    const REMEMBERED: usize = 8;
    const LONG: usize = 1024;
    thread_local! {
        static RECENT: RefCell<VecDeque<(Str, Value)>> = const { RefCell::new(VecDeque::new()) };
    }
    let digest = || str_val(hex(&sha2::Sha256::digest(b(arg))));
    let Value::String(text) = arg else {
        return digest();
    };
    if text.len() < LONG {
        return digest();
    }
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let Some((_, sum)) = recent.iter().find(|(t, _)| Arc::ptr_eq(t, text)) {
            return sum.clone();
        }
        let sum = digest();
        if recent.len() == REMEMBERED {
            recent.pop_front();
        }
        // Holding the string keeps its address from being reused.
        recent.push_back((text.clone(), sum.clone()));
        sum
    })
}

fn hex(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(b.len() * 2);
    for x in b {
        out.push(DIGITS[(x >> 4) as usize] as char);
        out.push(DIGITS[(x & 15) as usize] as char);
    }
    out
}

/// Go's `hash/adler32.Checksum`.
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += x as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn decode_map(alphabet: &[u8]) -> [u8; 256] {
    let mut m = [0xFFu8; 256];
    for (i, &c) in alphabet.iter().enumerate() {
        m[c as usize] = i as u8;
    }
    m
}

/// Go's `base64.StdEncoding.DecodeString`; `Err(offset)` is its
/// `CorruptInputError`.
pub fn b64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let map = decode_map(B64);
    let mut out = Vec::with_capacity(src.len() / 4 * 3 + 3);
    let mut si = 0usize;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut err = None;
        let mut j = 0usize;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            let v = map[c as usize];
            if v != 0xFF {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                err = Some(si);
            }
            dlen = j;
            break;
        }
        let val = (dbuf[0] as u32) << 18
            | (dbuf[1] as u32) << 12
            | (dbuf[2] as u32) << 6
            | dbuf[3] as u32;
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(e) = err {
            return Err(e);
        }
    }
    Ok(out)
}

/// Go's `base32.StdEncoding.EncodeToString`.
pub fn b32_encode(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len().div_ceil(5) * 8);
    for chunk in src.chunks(5) {
        let mut b = [0u8; 5];
        b[..chunk.len()].copy_from_slice(chunk);
        let v = (b[0] as u64) << 32
            | (b[1] as u64) << 24
            | (b[2] as u64) << 16
            | (b[3] as u64) << 8
            | b[4] as u64;
        let n = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for k in 0..8 {
            if k < n {
                out.push(B32[((v >> (35 - 5 * k)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString`; `Err(offset)` is its
/// `CorruptInputError`.
pub fn b32_decode(input: &[u8]) -> Result<Vec<u8>, usize> {
    let map = decode_map(B32);
    let src: Vec<u8> = input
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::with_capacity(olen / 8 * 5 + 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0usize;
        while j < 8 {
            if rest.is_empty() {
                return Err(olen - rest.len() - j);
            }
            let c = rest[0];
            rest = &rest[1..];
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(olen);
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if dlen == 1 || dlen == 3 || dlen == 6 {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            dbuf[j] = map[c as usize];
            if dbuf[j] == 0xFF {
                return Err(olen - rest.len() - 1);
            }
            j += 1;
        }
        let d = dbuf;
        let all = [
            d[0] << 3 | d[1] >> 2,
            d[1] << 6 | d[2] << 1 | d[3] >> 4,
            d[3] << 4 | d[4] >> 1,
            d[4] << 7 | d[5] << 2 | d[6] >> 3,
            d[6] << 5 | d[7],
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&all[..n]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codecs_round_trip() {
        assert_eq!(b32_encode(b"hello"), "NBSWY3DP");
        assert_eq!(b32_encode(b"hi"), "NBUQ====");
        assert_eq!(b32_decode(b"NBUQ====").unwrap(), b"hi");
        assert_eq!(b64_decode(b"aGk=").unwrap(), b"hi");
        assert_eq!(b64_decode(b"aGk"), Err(0));
        assert_eq!(b64_decode(b"a!"), Err(1));
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }
}

#[cfg(test)]
mod digest_tests {
    use super::*;

    #[test]
    fn remembered_digests_are_the_strings_own() {
        let texts: Vec<Str> = (0..12)
            .map(|i| Str::from(format!("{i}").repeat(1500 + i)))
            .collect();
        // Revisit strings in and out of the remembered window, and an equal
        // string that is another allocation.
        let order = [0, 1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 0, 10, 11, 1, 11, 0];
        for &i in &order {
            let want = hex(&sha2::Sha256::digest(texts[i].as_bytes()));
            let got = sha256sum(&Value::String(texts[i].clone()));
            assert_eq!(got.as_str(), Some(want.as_str()), "text {i}");
            let copy = Value::String(Str::from(&*texts[i]));
            assert_eq!(sha256sum(&copy).as_str(), Some(want.as_str()));
        }
        assert_eq!(
            sha256sum(&Value::from("abc")).as_str(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
    }
}
