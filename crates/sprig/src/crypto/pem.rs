//! Go's `encoding/pem` (Decode and EncodeToMemory for header-less blocks)
//! and `base64.StdEncoding`'s lenient-on-newlines, strict-on-padding decoder.

pub(crate) struct Block {
    pub kind: String,
    pub bytes: Vec<u8>,
}

/// `pem.EncodeToMemory` for a block without headers.
pub(crate) fn encode(kind: &str, bytes: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = format!("-----BEGIN {kind}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {kind}-----\n"));
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn trim_right_space_tab(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rev()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    &s[..s.len() - n]
}

fn trim_space(s: &[u8]) -> &[u8] {
    let is_space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = s.iter().position(|c| !is_space(c)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|c| !is_space(c))
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// `getLine`: (line without trailing `\r`, spaces and tabs; rest; consumed).
fn get_line(data: &[u8]) -> (&[u8], &[u8], usize) {
    match data.iter().position(|&c| c == b'\n') {
        None => (trim_right_space_tab(data), &[], data.len()),
        Some(i) => {
            let j = i + 1;
            let mut e = i;
            if e > 0 && data[e - 1] == b'\r' {
                e -= 1;
            }
            (trim_right_space_tab(&data[..e]), &data[j..], j)
        }
    }
}

/// `pem.Decode`: the first valid block, if any.
pub(crate) fn decode(data: &[u8]) -> Option<Block> {
    const PEM_START: &[u8] = b"\n-----BEGIN ";
    const PEM_END: &[u8] = b"\n-----END ";
    const EOL: &[u8] = b"-----";
    let mut rest = data;
    let mut end_trailer_index: isize = 0;
    loop {
        if end_trailer_index < 0 || end_trailer_index as usize > rest.len() {
            return None;
        }
        rest = &rest[end_trailer_index as usize..];
        let end_index = find(rest, PEM_END)?;
        let mut end_index = end_index as isize;
        end_trailer_index = end_index + PEM_END.len() as isize;
        let begin_index = match rfind(&rest[..end_index as usize], &PEM_START[1..]) {
            Some(b) if b == 0 || rest[b - 1] == b'\n' => b,
            _ => continue,
        };
        let skip = begin_index + PEM_START.len() - 1;
        rest = &rest[skip..];
        end_index -= skip as isize;
        end_trailer_index -= skip as isize;

        let (type_line, r, consumed) = get_line(rest);
        rest = r;
        end_index -= consumed as isize;
        end_trailer_index -= consumed as isize;
        let Some(type_line) = type_line.strip_suffix(EOL) else {
            continue;
        };

        let mut headers = 0usize;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next, consumed) = get_line(rest);
            let Some(colon) = line.iter().position(|&c| c == b':') else {
                break;
            };
            let _key = trim_space(&line[..colon]);
            let _val = trim_space(&line[colon + 1..]);
            headers += 1;
            rest = next;
            end_index -= consumed as isize;
            end_trailer_index -= consumed as isize;
        }
        if headers > 0 && end_index < 0 {
            continue;
        }
        if end_trailer_index < 0 || end_trailer_index as usize > rest.len() {
            continue;
        }
        let end_trailer = &rest[end_trailer_index as usize..];
        let end_trailer_len = type_line.len() + EOL.len();
        if end_trailer.len() < end_trailer_len {
            continue;
        }
        let rest_of_end_line = &end_trailer[end_trailer_len..];
        let end_trailer = &end_trailer[..end_trailer_len];
        if !end_trailer.starts_with(type_line) || !end_trailer.ends_with(EOL) {
            continue;
        }
        let (s, _, _) = get_line(rest_of_end_line);
        if !s.is_empty() {
            continue;
        }
        let mut bytes = Vec::new();
        if end_index > 0 {
            let b64: Vec<u8> = rest[..end_index as usize]
                .iter()
                .copied()
                .filter(|&c| c != b' ' && c != b'\t')
                .collect();
            match std_decode(&b64) {
                Ok(b) => bytes = b,
                Err(_) => continue,
            }
        }
        return Some(Block {
            kind: String::from_utf8_lossy(type_line).into_owned(),
            bytes,
        });
    }
}

fn b64_value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// `base64.StdEncoding.DecodeString`: `\r` and `\n` are skipped anywhere,
/// padding is required, trailing bits are ignored. An error carries Go's
/// `CorruptInputError` offset.
pub(crate) fn std_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0usize;
    loop {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
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
                return Err(si);
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
        if dlen < 4 {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_like_go() {
        assert_eq!(std_decode(b"aGk="), Ok(b"hi".to_vec()));
        assert_eq!(std_decode(b"aG\nk=\n"), Ok(b"hi".to_vec()));
        assert_eq!(std_decode(b"aGk"), Err(0));
        assert_eq!(std_decode(b"aGk=x"), Err(4));
        assert_eq!(std_decode(b"aGl="), Ok(b"hi".to_vec()));
        assert_eq!(std_decode(b""), Ok(vec![]));
        assert_eq!(std_decode(b"a==="), Err(1));
        assert_eq!(std_decode(b"aGk*"), Err(3));
    }

    #[test]
    fn pem_round_trip() {
        let text = encode("TEST", &[1, 2, 3]);
        assert_eq!(text, "-----BEGIN TEST-----\nAQID\n-----END TEST-----\n");
        let b = decode(format!("junk\n{text}").as_bytes()).unwrap();
        assert_eq!(b.kind, "TEST");
        assert_eq!(b.bytes, vec![1, 2, 3]);
        assert!(decode(b"-----BEGIN X-----\nAQID\n-----END Y-----\n").is_none());
    }
}
