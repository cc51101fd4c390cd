//! DER encoding and decoding as Go's crypto stack does it: a writer for the
//! structures sprig emits, a schema-driven port of `encoding/asn1`'s
//! `Unmarshal` (for its exact error texts), and a strict reader in the style
//! of `cryptobyte` (used by Go's certificate parser).

// ---------------------------------------------------------------------------
// Writing

pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_NULL: u8 = 0x05;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;
pub(crate) const TAG_SET: u8 = 0x31;

pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = (n as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (8 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(TAG_SEQUENCE, &parts.concat())
}

/// An INTEGER from big-endian unsigned magnitude bytes.
pub(crate) fn uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|&&b| b == 0).count();
    let mut body = be[skip..].to_vec();
    if body.is_empty() || body[0] & 0x80 != 0 {
        body.insert(0, 0);
    }
    tlv(TAG_INTEGER, &body)
}

pub(crate) fn small_int(v: i64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut i = 0;
    while i < 7
        && ((bytes[i] == 0 && bytes[i + 1] & 0x80 == 0)
            || (bytes[i] == 0xff && bytes[i + 1] & 0x80 != 0))
    {
        i += 1;
    }
    tlv(TAG_INTEGER, &bytes[i..])
}

pub(crate) fn oid(arcs: &[u64]) -> Vec<u8> {
    tlv(TAG_OID, &oid_body(arcs))
}

pub(crate) fn oid_body(arcs: &[u64]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut push = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        body.extend_from_slice(&tmp);
    };
    push(arcs[0] * 40 + arcs[1]);
    for &a in &arcs[2..] {
        push(a);
    }
    body
}

pub(crate) fn octets(b: &[u8]) -> Vec<u8> {
    tlv(TAG_OCTET_STRING, b)
}

/// A BIT STRING of whole bytes.
pub(crate) fn bits(b: &[u8]) -> Vec<u8> {
    let mut body = vec![0u8];
    body.extend_from_slice(b);
    tlv(TAG_BIT_STRING, &body)
}

pub(crate) fn null() -> Vec<u8> {
    vec![TAG_NULL, 0]
}

/// `[n]` EXPLICIT (constructed, context-specific).
pub(crate) fn explicit(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, content)
}

// ---------------------------------------------------------------------------
// encoding/asn1 Unmarshal

/// A Go field type as `encoding/asn1` sees it.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// Go `int` (INTEGER, at most 64 bits).
    Int,
    /// `*big.Int`.
    BigInt,
    /// `[]byte` (OCTET STRING).
    Bytes,
    /// `asn1.ObjectIdentifier`.
    Oid,
    /// `asn1.BitString`.
    BitString,
    /// `asn1.RawValue`.
    Raw,
    /// A struct (SEQUENCE).
    Struct(&'static Schema),
    /// A slice of structs (SEQUENCE OF).
    SliceOf(&'static Schema),
}

#[derive(Clone, Copy)]
pub(crate) struct Field {
    pub kind: Kind,
    pub optional: bool,
    pub explicit: Option<u8>,
    pub omit_empty: bool,
}

impl Field {
    pub const fn new(kind: Kind) -> Field {
        Field {
            kind,
            optional: false,
            explicit: None,
            omit_empty: false,
        }
    }
    pub const fn optional(kind: Kind) -> Field {
        Field {
            kind,
            optional: true,
            explicit: None,
            omit_empty: false,
        }
    }
    pub const fn explicit_optional(kind: Kind, tag: u8) -> Field {
        Field {
            kind,
            optional: true,
            explicit: Some(tag),
            omit_empty: false,
        }
    }
    pub const fn optional_omit_empty(kind: Kind) -> Field {
        Field {
            kind,
            optional: true,
            explicit: None,
            omit_empty: true,
        }
    }

    /// `reflect.Type.Name()` of the Go field type.
    fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Int => "int",
            Kind::BigInt | Kind::Bytes | Kind::SliceOf(_) => "",
            Kind::Oid => "ObjectIdentifier",
            Kind::BitString => "BitString",
            Kind::Raw => "RawValue",
            Kind::Struct(s) => s.name,
        }
    }
}

pub(crate) struct Schema {
    pub name: &'static str,
    pub fields: &'static [Field],
}

#[derive(Clone, Debug)]
pub(crate) enum Val {
    Absent,
    Int(i64),
    /// Two's-complement content bytes of a valid INTEGER.
    Big(Vec<u8>),
    Bytes(Vec<u8>),
    Oid(Vec<i64>),
    Bits(Vec<u8>),
    /// An `asn1.RawValue`: the whole element.
    Raw {
        full: Vec<u8>,
    },
    Seq(Vec<Val>),
}

impl Val {
    pub fn int(&self) -> i64 {
        match self {
            Val::Int(i) => *i,
            _ => 0,
        }
    }
    pub fn big(&self) -> &[u8] {
        match self {
            Val::Big(b) => b,
            _ => &[],
        }
    }
    pub fn bytes(&self) -> &[u8] {
        match self {
            Val::Bytes(b) => b,
            Val::Bits(b) => b,
            _ => &[],
        }
    }
    pub fn oid(&self) -> &[i64] {
        match self {
            Val::Oid(o) => o,
            _ => &[],
        }
    }
    pub fn seq(&self) -> &[Val] {
        match self {
            Val::Seq(v) => v,
            _ => &[],
        }
    }
    pub fn is_absent(&self) -> bool {
        matches!(self, Val::Absent)
    }
}

/// Whether a `Val::Big` is negative.
pub(crate) fn big_is_negative(b: &[u8]) -> bool {
    b.first().is_some_and(|&x| x & 0x80 != 0)
}

/// Whether a `Val::Big` is zero or negative (`Sign() <= 0`).
pub(crate) fn big_not_positive(b: &[u8]) -> bool {
    big_is_negative(b) || b.iter().all(|&x| x == 0)
}

/// The magnitude of a non-negative `Val::Big`, without leading zeros.
pub(crate) fn big_magnitude(b: &[u8]) -> &[u8] {
    let skip = b.iter().take_while(|&&x| x == 0).count();
    &b[skip..]
}

fn structural(msg: impl std::fmt::Display) -> String {
    format!("asn1: structure error: {msg}")
}

fn syntax(msg: impl std::fmt::Display) -> String {
    format!("asn1: syntax error: {msg}")
}

struct TagLen {
    class: u8,
    tag: i64,
    length: usize,
    compound: bool,
}

fn parse_base128(bytes: &[u8], mut offset: usize) -> Result<(i64, usize), String> {
    let mut ret: i64 = 0;
    let mut shifted = 0;
    while offset < bytes.len() {
        if shifted == 5 {
            return Err(structural("base 128 integer too large"));
        }
        ret <<= 7;
        let b = bytes[offset];
        if shifted == 0 && b == 0x80 {
            return Err(syntax("integer is not minimally encoded"));
        }
        ret |= (b & 0x7f) as i64;
        offset += 1;
        if b & 0x80 == 0 {
            if ret > i32::MAX as i64 {
                return Err(structural("base 128 integer too large"));
            }
            return Ok((ret, offset));
        }
        shifted += 1;
    }
    Err(syntax("truncated base 128 integer"))
}

fn parse_tag_and_length(bytes: &[u8], mut offset: usize) -> Result<(TagLen, usize), String> {
    let b = bytes[offset];
    offset += 1;
    let mut t = TagLen {
        class: b >> 6,
        compound: b & 0x20 == 0x20,
        tag: (b & 0x1f) as i64,
        length: 0,
    };
    if t.tag == 0x1f {
        let (tag, o) = parse_base128(bytes, offset)?;
        offset = o;
        t.tag = tag;
        if t.tag < 0x1f {
            return Err(syntax("non-minimal tag"));
        }
    }
    if offset >= bytes.len() {
        return Err(syntax("truncated tag or length"));
    }
    let b = bytes[offset];
    offset += 1;
    if b & 0x80 == 0 {
        t.length = (b & 0x7f) as usize;
    } else {
        let num = (b & 0x7f) as usize;
        if num == 0 {
            return Err(syntax("indefinite length found (not DER)"));
        }
        let mut length: usize = 0;
        for _ in 0..num {
            if offset >= bytes.len() {
                return Err(syntax("truncated tag or length"));
            }
            let b = bytes[offset];
            offset += 1;
            if length >= 1 << 23 {
                return Err(structural("length too large"));
            }
            length = (length << 8) | b as usize;
            if length == 0 {
                return Err(structural("superfluous leading zeros in length"));
            }
        }
        if length < 0x80 {
            return Err(structural("non-minimal length"));
        }
        t.length = length;
    }
    Ok((t, offset))
}

fn check_integer(b: &[u8]) -> Result<(), String> {
    if b.is_empty() {
        return Err(structural("empty integer"));
    }
    if b.len() > 1 && ((b[0] == 0 && b[1] & 0x80 == 0) || (b[0] == 0xff && b[1] & 0x80 == 0x80)) {
        return Err(structural("integer not minimally-encoded"));
    }
    Ok(())
}

fn parse_int64(b: &[u8]) -> Result<i64, String> {
    check_integer(b)?;
    if b.len() > 8 {
        return Err(structural("integer too large"));
    }
    let mut ret: i64 = 0;
    for &x in b {
        ret = (ret << 8) | x as i64;
    }
    let shift = 64 - 8 * b.len() as u32;
    Ok(if shift == 64 {
        ret
    } else {
        (ret << shift) >> shift
    })
}

fn parse_oid(b: &[u8]) -> Result<Vec<i64>, String> {
    if b.is_empty() {
        return Err(syntax("zero length OBJECT IDENTIFIER"));
    }
    let (v, mut offset) = parse_base128(b, 0)?;
    let mut s = if v < 80 {
        vec![v / 40, v % 40]
    } else {
        vec![2, v - 80]
    };
    while offset < b.len() {
        let (v, o) = parse_base128(b, offset)?;
        offset = o;
        s.push(v);
    }
    Ok(s)
}

fn parse_bit_string(b: &[u8]) -> Result<(Vec<u8>, usize), String> {
    if b.is_empty() {
        return Err(syntax("zero length BIT STRING"));
    }
    let pad = b[0] as usize;
    if pad > 7 || b.len() == 1 && pad > 0 || b[b.len() - 1] & ((1u16 << pad) - 1) as u8 != 0 {
        return Err(syntax("invalid padding bits in BIT STRING"));
    }
    Ok((b[1..].to_vec(), (b.len() - 1) * 8 - pad))
}

fn invalid_length(offset: usize, length: usize, len: usize) -> bool {
    offset.checked_add(length).is_none_or(|end| end > len)
}

fn parse_field(field: &Field, bytes: &[u8], init: usize) -> Result<(Val, usize), String> {
    if init == bytes.len() {
        if field.optional {
            return Ok((Val::Absent, init));
        }
        return Err(syntax("sequence truncated"));
    }
    let (mut t, mut offset) = parse_tag_and_length(bytes, init)?;
    if let Some(etag) = field.explicit {
        if offset == bytes.len() {
            return Err(structural("explicit tag has no child"));
        }
        if t.class == 2 && t.tag == etag as i64 && (t.length == 0 || t.compound) {
            if matches!(field.kind, Kind::Raw) {
                // The inner element is not parsed for RawValues.
            } else if t.length > 0 {
                let (t2, o) = parse_tag_and_length(bytes, offset)?;
                t = t2;
                offset = o;
            } else {
                return Err(structural("zero length explicit tag was not an asn1.Flag"));
            }
        } else if field.optional {
            return Ok((Val::Absent, init));
        } else {
            return Err(structural("explicitly tagged member didn't match"));
        }
    }
    let (match_any, expected, compound) = match field.kind {
        Kind::Raw => (true, -1, false),
        Kind::Int | Kind::BigInt => (false, 2, false),
        Kind::Bytes => (false, 4, false),
        Kind::Oid => (false, 6, false),
        Kind::BitString => (false, 3, false),
        Kind::Struct(_) | Kind::SliceOf(_) => (false, 16, true),
    };
    if !match_any && (t.class != 0 || t.tag != expected || t.compound != compound) {
        if field.optional {
            return Ok((Val::Absent, init));
        }
        return Err(structural(format!(
            "tags don't match ({expected} vs {{class:{} tag:{} length:{} isCompound:{}}}) {{optional:{} explicit:{} application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:{}}} {} @{offset}",
            t.class,
            t.tag,
            t.length,
            t.compound,
            field.optional,
            field.explicit.is_some(),
            field.omit_empty,
            field.type_name(),
        )));
    }
    if invalid_length(offset, t.length, bytes.len()) {
        return Err(syntax("data truncated"));
    }
    let inner = &bytes[offset..offset + t.length];
    offset += t.length;
    let v = match field.kind {
        Kind::Raw => Val::Raw {
            full: bytes[init..offset].to_vec(),
        },
        Kind::Int => Val::Int(parse_int64(inner)?),
        Kind::BigInt => {
            check_integer(inner)?;
            Val::Big(inner.to_vec())
        }
        Kind::Bytes => Val::Bytes(inner.to_vec()),
        Kind::Oid => Val::Oid(parse_oid(inner)?),
        Kind::BitString => {
            let (b, _) = parse_bit_string(inner)?;
            Val::Bits(b)
        }
        Kind::Struct(schema) => {
            let mut vals = Vec::with_capacity(schema.fields.len());
            let mut o = 0;
            for f in schema.fields {
                let (v, no) = parse_field(f, inner, o)?;
                vals.push(v);
                o = no;
            }
            Val::Seq(vals)
        }
        Kind::SliceOf(schema) => {
            let mut o = 0;
            let mut n = 0;
            while o < inner.len() {
                let (t, no) = parse_tag_and_length(inner, o)?;
                if t.class != 0 || !t.compound || t.tag != 16 {
                    return Err(structural("sequence tag mismatch"));
                }
                if invalid_length(no, t.length, inner.len()) {
                    return Err(syntax("truncated sequence"));
                }
                o = no + t.length;
                n += 1;
            }
            let elem = Field::new(Kind::Struct(schema));
            let mut items = Vec::with_capacity(n);
            let mut o = 0;
            for _ in 0..n {
                let (v, no) = parse_field(&elem, inner, o)?;
                items.push(v);
                o = no;
            }
            Val::Seq(items)
        }
    };
    Ok((v, offset))
}

/// `asn1.Unmarshal(der, &T{})`: the value and the number of trailing bytes.
pub(crate) fn unmarshal(schema: &'static Schema, der: &[u8]) -> Result<(Val, usize), String> {
    let (v, offset) = parse_field(&Field::new(Kind::Struct(schema)), der, 0)?;
    Ok((v, der.len() - offset))
}

/// `asn1.Unmarshal(der, &[]byte{})` (an OCTET STRING).
pub(crate) fn unmarshal_octets(der: &[u8]) -> Result<Vec<u8>, String> {
    match parse_field(&Field::new(Kind::Bytes), der, 0)? {
        (Val::Bytes(b), _) => Ok(b),
        _ => Ok(Vec::new()),
    }
}

/// `asn1.Unmarshal(der, &asn1.ObjectIdentifier{})`.
pub(crate) fn unmarshal_oid(der: &[u8]) -> Result<Vec<i64>, String> {
    match parse_field(&Field::new(Kind::Oid), der, 0)? {
        (Val::Oid(o), _) => Ok(o),
        _ => Ok(Vec::new()),
    }
}

pub(crate) fn oid_string(o: &[i64]) -> String {
    o.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

// ---------------------------------------------------------------------------
// cryptobyte-style strict reading

/// A cursor over DER bytes with `cryptobyte.String` semantics.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    pub s: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(s: &'a [u8]) -> Reader<'a> {
        Reader { s }
    }

    pub fn is_empty(&self) -> bool {
        self.s.is_empty()
    }

    /// `readASN1`: (tag, full element, content).
    fn read_any(&mut self) -> Option<(u8, &'a [u8], &'a [u8])> {
        let s = self.s;
        if s.len() < 2 {
            return None;
        }
        let tag = s[0];
        if tag & 0x1f == 0x1f {
            return None;
        }
        let len_byte = s[1];
        let (length, header) = if len_byte & 0x80 == 0 {
            (len_byte as usize, 2)
        } else {
            let len_len = (len_byte & 0x7f) as usize;
            if len_len == 0 || len_len > 4 || s.len() < 2 + len_len {
                return None;
            }
            let mut l: u32 = 0;
            for &b in &s[2..2 + len_len] {
                l = (l << 8) | b as u32;
            }
            if l < 128 || l >> ((len_len - 1) * 8) == 0 {
                return None;
            }
            (l as usize, 2 + len_len)
        };
        let end = header.checked_add(length)?;
        if end > s.len() {
            return None;
        }
        self.s = &s[end..];
        Some((tag, &s[..end], &s[header..end]))
    }

    pub fn peek_tag(&self) -> Option<u8> {
        self.s.first().copied()
    }

    pub fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        let save = *self;
        match self.read_any() {
            Some((t, _, c)) if t == tag => Some(c),
            _ => {
                *self = save;
                None
            }
        }
    }

    pub fn read_element(&mut self, tag: u8) -> Option<&'a [u8]> {
        let save = *self;
        match self.read_any() {
            Some((t, full, _)) if t == tag => Some(full),
            _ => {
                *self = save;
                None
            }
        }
    }

    /// `ReadOptionalASN1`: Ok(None) when absent, Err(()) when malformed.
    pub fn read_optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, ()> {
        if self.peek_tag() != Some(tag) {
            return Ok(None);
        }
        self.read(tag).map(Some).ok_or(())
    }

    /// `ReadASN1Integer` into a big integer: the content bytes, minimally encoded.
    pub fn read_integer(&mut self) -> Option<&'a [u8]> {
        let save = *self;
        let c = self.read(TAG_INTEGER)?;
        if c.is_empty()
            || c.len() > 1 && (c[0] == 0 && c[1] & 0x80 == 0 || c[0] == 0xff && c[1] & 0x80 == 0x80)
        {
            *self = save;
            return None;
        }
        Some(c)
    }

    /// `ReadASN1BitString`: the bytes of a valid BIT STRING.
    pub fn read_bit_string(&mut self) -> Option<(&'a [u8], usize)> {
        let save = *self;
        let c = self.read(TAG_BIT_STRING)?;
        if c.is_empty() {
            *self = save;
            return None;
        }
        let pad = c[0] as usize;
        if pad > 7 || c.len() == 1 && pad > 0 || c[c.len() - 1] & ((1u16 << pad) - 1) as u8 != 0 {
            *self = save;
            return None;
        }
        Some((&c[1..], (c.len() - 1) * 8 - pad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_minimal_integers() {
        assert_eq!(uint(&[0, 0, 0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(uint(&[]), vec![2, 1, 0]);
        assert_eq!(small_int(2), vec![2, 1, 2]);
        assert_eq!(small_int(-1), vec![2, 1, 0xff]);
        assert_eq!(small_int(128), vec![2, 2, 0, 128]);
        assert_eq!(
            oid(&[1, 2, 840, 113549]),
            vec![6, 6, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]
        );
    }

    #[test]
    fn reports_go_asn1_errors() {
        static S: Schema = Schema {
            name: "pkcs1PrivateKey",
            fields: &[Field::new(Kind::Int)],
        };
        assert_eq!(
            unmarshal(&S, &[0, 0, 0]).unwrap_err(),
            "asn1: structure error: tags don't match (16 vs {class:0 tag:0 length:0 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs1PrivateKey @2"
        );
        assert_eq!(
            unmarshal(&S, &[0x30, 0]).unwrap_err(),
            "asn1: syntax error: sequence truncated"
        );
    }
}
