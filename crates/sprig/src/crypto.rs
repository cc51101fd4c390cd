//! Sprig's crypto functions: `genPrivateKey`, `derivePassword`,
//! `buildCustomCert`, `genCA`, `genCAWithKey`, `genSelfSignedCert`,
//! `genSelfSignedCertWithKey`, `genSignedCert`, `genSignedCertWithKey`,
//! `htpasswd`, `bcrypt`, `encryptAES`, `decryptAES` and `randBytes`.
//!
//! Keys and certificates are generated afresh (they cannot equal helm's),
//! but their PEM/DER structure, the key re-encoding and every error text
//! follow Go; `derivePassword` and `decryptAES` are deterministic and exact.

mod der;
mod keys;
mod pem;
mod x509;

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine as _;
use gotmpl::{FuncError, FuncMap, Function, IntKind, Kind, Object, Str, Type, UintKind, Value};
use hmac::Mac;
use rand::RngCore;

use crate::context::{self, ContextOf, Entropy};
use crate::dates::gotime::Time;
use keys::PrivateKey;

pub(crate) fn register(m: &mut FuncMap, of: ContextOf) {
    let s = || Type::String;
    let int = || Type::Int(IntKind::Int);
    let list = || Type::slice_of(Type::Interface);

    m.insert(
        "bcrypt",
        Function::new(vec![s()], move |c, a| {
            let hash = context::with(of, c, |ctx| bcrypt(ctx.rng(), str_arg(&a[0])));
            Ok(Value::from(hash))
        }),
    );
    m.insert(
        "htpasswd",
        Function::new(vec![s(), s()], move |c, a| {
            let user = str_arg(&a[0]);
            if user.contains(':') {
                return Ok(Value::from(format!("invalid username: {user}")));
            }
            let hash = context::with(of, c, |ctx| bcrypt(ctx.rng(), str_arg(&a[1])));
            Ok(Value::from(format!("{user}:{hash}")))
        }),
    );
    m.insert(
        "randBytes",
        Function::new(vec![int()], move |c, a| {
            let n = int_arg(&a[0]);
            if !(0..=MAX_ALLOC).contains(&n) {
                return Err(MAKESLICE_PANIC.into());
            }
            let mut buf = vec![0u8; n as usize];
            context::with(of, c, |ctx| ctx.rng().fill_bytes(&mut buf));
            Ok(Value::from(
                base64::engine::general_purpose::STANDARD.encode(buf),
            ))
        }),
    );
    m.insert(
        "derivePassword",
        Function::new(
            vec![Type::Uint(UintKind::Uint32), s(), s(), s(), s()],
            |_, a| {
                let counter = match a[0] {
                    Value::Uint(c, _) => c as u32,
                    _ => 0,
                };
                Ok(Value::from(derive_password(
                    counter,
                    str_arg(&a[1]),
                    str_arg(&a[2]),
                    str_arg(&a[3]),
                    str_arg(&a[4]),
                )))
            },
        ),
    );
    m.insert(
        "genPrivateKey",
        Function::new(vec![s()], move |c, a| {
            let pem = context::with(of, c, |ctx| keys::generate(ctx.rng(), str_arg(&a[0])));
            Ok(Value::from(pem))
        }),
    );
    m.insert(
        "buildCustomCert",
        Function::new(vec![s(), s()], |_, a| {
            build_custom_cert(str_arg(&a[0]), str_arg(&a[1])).map_err(FuncError::from)
        }),
    );
    m.insert(
        "genCA",
        Function::new(vec![s(), int()], move |c, a| {
            context::with(of, c, |ctx| {
                let key = keys::generate_rsa_2048(ctx.rng())?;
                gen_ca(ctx, str_arg(&a[0]), int_arg(&a[1]), key)
            })
        }),
    );
    m.insert(
        "genCAWithKey",
        Function::new(vec![s(), int(), s()], move |c, a| {
            let key = keys::parse_private_key_pem(str_arg(&a[2]))
                .map_err(|e| format!("parsing private key: {e}"))?;
            context::with(of, c, |ctx| {
                gen_ca(ctx, str_arg(&a[0]), int_arg(&a[1]), key)
            })
        }),
    );
    m.insert(
        "genSelfSignedCert",
        Function::new(vec![s(), list(), list(), int()], move |c, a| {
            let tmpl = base_template(&a[0], &a[1], &a[2], &a[3])?;
            context::with(of, c, |ctx| {
                let key = keys::generate_rsa_2048(ctx.rng())?;
                cert_and_key(ctx, &tmpl, key, None, None)
            })
        }),
    );
    m.insert(
        "genSelfSignedCertWithKey",
        Function::new(vec![s(), list(), list(), int(), s()], move |c, a| {
            let key = keys::parse_private_key_pem(str_arg(&a[4]))
                .map_err(|e| format!("parsing private key: {e}"))?;
            let tmpl = base_template(&a[0], &a[1], &a[2], &a[3])?;
            context::with(of, c, |ctx| cert_and_key(ctx, &tmpl, key, None, None))
        }),
    );
    m.insert(
        "genSignedCert",
        Function::new(
            vec![s(), list(), list(), int(), cert_type()],
            move |c, a| {
                context::with(of, c, |ctx| {
                    let key = keys::generate_rsa_2048(ctx.rng())?;
                    signed_cert(ctx, a, key)
                })
            },
        ),
    );
    m.insert(
        "genSignedCertWithKey",
        Function::new(
            vec![s(), list(), list(), int(), cert_type(), s()],
            move |c, a| {
                let key = keys::parse_private_key_pem(str_arg(&a[5]))
                    .map_err(|e| format!("parsing private key: {e}"))?;
                context::with(of, c, |ctx| signed_cert(ctx, a, key))
            },
        ),
    );
    m.insert(
        "encryptAES",
        Function::new(vec![s(), s()], move |c, a| {
            context::with(of, c, |ctx| {
                encrypt_aes(ctx.rng(), str_arg(&a[0]), str_arg(&a[1])).map(Value::from)
            })
        }),
    );
    m.insert(
        "decryptAES",
        Function::new(vec![s(), s()], |_, a| {
            decrypt_aes(str_arg(&a[0]), str_arg(&a[1])).map(Value::from)
        }),
    );
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(n, _) => *n,
        _ => 0,
    }
}

const MAKESLICE_PANIC: &str = "runtime error: makeslice: len out of range";
/// Beyond this Go's allocation would fail (or exhaust memory) too.
const MAX_ALLOC: i64 = 1 << 30;

// ---------------------------------------------------------------------------
// bcrypt, derivePassword

/// sprig's `bcrypt`: `$2a$10$…`, or its failure message.
fn bcrypt(rng: &mut Entropy, input: &str) -> String {
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    match bcrypt::hash_with_salt(input, 10, salt) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_characters(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// The Master Password algorithm as sprig implements it.
fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = match scrypt::Params::new(15, 8, 2, 64) {
        Ok(p) => p,
        Err(e) => return format!("failed to derive password: {e}"),
    };
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut msg = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let mut mac =
        <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let temp = templates[seed[0] as usize % templates.len()];
    temp.bytes()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_characters(c);
            chars[seed[i + 1] as usize % chars.len()] as char
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Certificates

/// sprig's `certificate` struct (`.Cert`, `.Key`).
#[derive(Debug, Clone)]
pub(crate) struct Certificate {
    cert: String,
    key: String,
}

fn cert_type() -> Type {
    Type::Other {
        name: "sprig.certificate".into(),
        kind: Kind::Struct,
    }
}

impl Object for Certificate {
    fn go_type(&self) -> Type {
        cert_type()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::from(self.cert.as_str())),
            "Key" => Some(Value::from(self.key.as_str())),
            _ => None,
        }
    }
    fn struct_fields(&self) -> Vec<(Str, Value)> {
        vec![
            ("Cert".into(), Value::from(self.cert.as_str())),
            ("Key".into(), Value::from(self.key.as_str())),
        ]
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn cert_value(cert: String, key: String) -> Value {
    Value::object(Certificate { cert, key })
}

fn build_custom_cert(b64cert: &str, b64key: &str) -> Result<Value, String> {
    let cert =
        pem::std_decode(b64cert.as_bytes()).map_err(|_| "unable to decode base64 certificate")?;
    let key =
        pem::std_decode(b64key.as_bytes()).map_err(|_| "unable to decode base64 private key")?;
    let block = pem::decode(&cert).ok_or("unable to decode certificate")?;
    x509::parse_certificate(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    let key_text = String::from_utf8_lossy(&key).into_owned();
    keys::parse_private_key_pem(&key_text)
        .map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(cert_value(
        String::from_utf8_lossy(&cert).into_owned(),
        key_text,
    ))
}

/// `getNetIPs` and `getAlternateDNSStrs`, then the rest of `getBaseCertTemplate`.
fn base_template(
    cn: &Value,
    ips: &Value,
    dns: &Value,
    days: &Value,
) -> Result<x509::Template, String> {
    let mut ip_bytes = Vec::new();
    for ip in ips.as_list().unwrap_or_default() {
        let Some(s) = ip.as_str() else {
            return Err(format!(
                "error parsing ip: {} is not a string",
                gotmpl::gofmt::sprint(std::slice::from_ref(ip))
            ));
        };
        let parsed: std::net::IpAddr = s.parse().map_err(|_| format!("error parsing ip: {s}"))?;
        ip_bytes.push(match parsed {
            std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
            std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.octets().to_vec(),
                None => v6.octets().to_vec(),
            },
        });
    }
    let mut names = Vec::new();
    for d in dns.as_list().unwrap_or_default() {
        let Some(s) = d.as_str() else {
            return Err(format!(
                "error processing alternate dns name: {} is not a string",
                gotmpl::gofmt::sprint(std::slice::from_ref(d))
            ));
        };
        names.push(s.to_string());
    }
    Ok(x509::Template {
        cn: str_arg(cn).to_string(),
        ips: ip_bytes,
        dns: names,
        days_valid: int_arg(days),
        is_ca: false,
    })
}

/// `getCertAndKey`: the PEM certificate and the signee's PEM key.
fn cert_and_key(
    ctx: &mut context::Context,
    tmpl: &x509::Template,
    signee: PrivateKey,
    parent: Option<&x509::Parent>,
    signer: Option<&PrivateKey>,
) -> Result<Value, FuncError> {
    let public = signee.public();
    let now: Time = ctx.now();
    let der = x509::create_certificate(
        ctx.rng(),
        now,
        tmpl,
        &public,
        parent,
        signer.unwrap_or(&signee),
    )
    .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(cert_value(
        pem::encode("CERTIFICATE", &der),
        signee.to_pem(),
    ))
}

fn gen_ca(
    ctx: &mut context::Context,
    cn: &str,
    days: i64,
    key: PrivateKey,
) -> Result<Value, FuncError> {
    let tmpl = x509::Template {
        cn: cn.to_string(),
        ips: Vec::new(),
        dns: Vec::new(),
        days_valid: days,
        is_ca: true,
    };
    cert_and_key(ctx, &tmpl, key, None, None)
}

fn signed_cert(
    ctx: &mut context::Context,
    a: &[Value],
    key: PrivateKey,
) -> Result<Value, FuncError> {
    let ca = a[4]
        .downcast_ref::<Certificate>()
        .cloned()
        .unwrap_or(Certificate {
            cert: String::new(),
            key: String::new(),
        });
    let block = pem::decode(ca.cert.as_bytes()).ok_or("unable to decode certificate")?;
    let parent = x509::parse_certificate(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let signer = keys::parse_private_key_pem(&ca.key)
        .map_err(|e| format!("error parsing private key: {e}"))?;
    let tmpl = base_template(&a[0], &a[1], &a[2], &a[3])?;
    cert_and_key(ctx, &tmpl, key, Some(&parent), Some(&signer))
}

// ---------------------------------------------------------------------------
// AES

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let p = password.as_bytes();
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    key
}

fn encrypt_aes(rng: &mut Entropy, password: &str, plaintext: &str) -> Result<String, FuncError> {
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let key = aes_key(password);
    let mut content = plaintext.as_bytes().to_vec();
    let padding = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(padding as u8, padding));
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut iv);
    let mut enc = Aes256CbcEnc::new(&key.into(), &iv.into());
    for block in content.chunks_exact_mut(16) {
        enc.encrypt_block_mut(block.into());
    }
    let mut out = iv.to_vec();
    out.extend_from_slice(&content);
    Ok(base64::engine::general_purpose::STANDARD.encode(out))
}

fn decrypt_aes(password: &str, crypt64: &str) -> Result<String, FuncError> {
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let key = aes_key(password);
    let crypt = pem::std_decode(crypt64.as_bytes())
        .map_err(|n| format!("illegal base64 data at input byte {n}"))?;
    // The Go code slices and indexes without checks; text/template turns the
    // runtime panics into these errors.
    if crypt.len() < 16 {
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt.len()
        )
        .into());
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    let mut decrypted = body.to_vec();
    let iv: [u8; 16] = iv.try_into().unwrap_or([0; 16]);
    let mut dec = Aes256CbcDec::new(&key.into(), &iv.into());
    for block in decrypted.chunks_exact_mut(16) {
        dec.decrypt_block_mut(block.into());
    }
    let Some(&last) = decrypted.last() else {
        return Err("runtime error: index out of range [-1]".into());
    };
    let end = decrypted.len() as i64 - last as i64;
    if end < 0 {
        return Err(format!("runtime error: slice bounds out of range [:{end}]").into());
    }
    decrypted.truncate(end as usize);
    Ok(String::from_utf8_lossy(&decrypted).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator for robustness tests.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn bytes(&mut self, max: usize) -> Vec<u8> {
            let n = (self.next() % (max as u64 + 1)) as usize;
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    const KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIH62TtWCPS+o++847cL+2M3hrLwzKQW2fhf9D9nxke7HoAoGCCqGSM49\nAwEHoUQDQgAEAsml2jJVNItYR4cpCSqMdyzPZb7ryTgqApfj9FZO65TE7sZ3xpza\npuIdKO2LF2wpnAYshZPLsOR/zpj+R9BMQw==\n-----END EC PRIVATE KEY-----\n";

    #[test]
    fn hostile_keys_and_certificates_never_panic() {
        let mut rng = Rng(0x9e3779b97f4a7c15);
        let key_der = pem::decode(KEY.as_bytes()).unwrap().bytes;
        let ca = gen_ca(
            &mut context::Context::default(),
            "x",
            1,
            keys::parse_private_key_pem(KEY).unwrap(),
        )
        .unwrap();
        let ca = ca.downcast_ref::<Certificate>().unwrap().clone();
        let cert_der = pem::decode(ca.cert.as_bytes()).unwrap().bytes;
        for i in 0..4000 {
            // Random bytes, and valid DER with a few bytes flipped or cut.
            let mut der = match i % 3 {
                0 => rng.bytes(200),
                1 => key_der.clone(),
                _ => cert_der.clone(),
            };
            if i % 3 != 0 && !der.is_empty() {
                for _ in 0..1 + rng.next() % 3 {
                    let at = (rng.next() as usize) % der.len();
                    der[at] = rng.next() as u8;
                }
                if rng.next() & 3 == 0 {
                    let cut = (rng.next() as usize) % der.len();
                    der.truncate(cut);
                }
            }
            for kind in [
                "RSA PRIVATE KEY",
                "EC PRIVATE KEY",
                "PRIVATE KEY",
                "DSA PRIVATE KEY",
            ] {
                let _ = keys::parse_private_key_pem(&pem::encode(kind, &der));
            }
            let _ = x509::parse_certificate(&der);
            let text = String::from_utf8_lossy(&der).into_owned();
            let _ = pem::decode(&der);
            let _ = pem::std_decode(&der);
            let _ = decrypt_aes("k", &text);
            let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
            let _ = decrypt_aes("k", &b64);
            let _ = build_custom_cert(&b64, &b64);
        }
    }

    #[test]
    fn aes_round_trip() {
        let c = encrypt_aes(
            &mut Entropy::default(),
            "secret",
            "hello world, a longer text!",
        )
        .unwrap();
        assert_eq!(
            decrypt_aes("secret", &c).unwrap(),
            "hello world, a longer text!"
        );
        assert_eq!(encrypt_aes(&mut Entropy::default(), "k", "").unwrap(), "");
    }
}
