//! Buffer's encodings (Node's `lib/buffer.js` over `src/string_bytes.cc`): bytes to and from
//! a JavaScript string in utf8, latin1, ascii, hex, base64, base64url and utf16le.
//!
//! HOW: `js/buffer.js` names the encoding (Node's `normalizeEncoding`) and checks the range;
//! the host calls [`encode`] and [`decode`] here, which know nothing of boa. Strings arrive
//! and leave as UTF-16 code units (what a JavaScript string is), so a lone surrogate reaches
//! these functions as it is.
//!
//! WHY in Rust: the HTTP layer reads every request's head as latin1 and writes every
//! response's head the same way, one character at a time in JavaScript; that loop was nearly half
//! of the instructions boa ran for a request (the `opcount` profile, crates/engine/README.md).
//!
//! Node's rules, each checked against real Node by `tests/conformance/cases/857-buffer-encodings.js`:
//! - utf8: a lone surrogate encodes as U+FFFD; invalid bytes decode as the WHATWG decoder does
//!   (each maximal invalid subpart is one U+FFFD), which is Rust's lossy decoding.
//! - latin1 (`binary`): each code unit's low byte; decoding maps a byte to the same code point.
//!   ascii encodes as latin1 and decodes with each byte's high bit cleared.
//! - hex: pairs of hex digits, either case, up to the first pair that is not one (the rest is
//!   dropped, as is an odd last digit). Like base64, it reads each code unit's low byte.
//! - base64 and base64url decode alike: both alphabets, characters outside them skipped, the
//!   first `=` ends the input; 2, 3 or 4 digits make 1, 2 or 3 bytes. base64 encodes with `=`
//!   padding, base64url with `-`, `_` and no padding.
//! - utf16le: two bytes per code unit, little-endian; an odd last byte is dropped.

/// An encoding Node's Buffer knows, by its normalized name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Latin1,
    Ascii,
    Hex,
    Base64,
    Base64Url,
    Utf16Le,
}

impl Encoding {
    /// The encoding `js/buffer.js` names (it has already normalized case and aliases).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "utf8" => Self::Utf8,
            "latin1" => Self::Latin1,
            "ascii" => Self::Ascii,
            "hex" => Self::Hex,
            "base64" => Self::Base64,
            "base64url" => Self::Base64Url,
            "utf16le" => Self::Utf16Le,
            _ => return None,
        })
    }
}

/// A JavaScript string as the engine stores it: one byte per code unit when every unit is
/// below 256, else UTF-16 code units.
#[derive(Clone, Copy)]
pub enum Text<'a> {
    Latin1(&'a [u8]),
    Utf16(&'a [u16]),
}

impl Text<'_> {
    fn widened(bytes: &[u8]) -> Vec<u16> {
        bytes.iter().map(|&b| u16::from(b)).collect()
    }
}

/// A string as bytes in `enc` (a one-byte string is copied as it is where that is the answer).
pub fn encode(text: Text, enc: Encoding) -> Vec<u8> {
    match (text, enc) {
        (Text::Latin1(b), Encoding::Latin1 | Encoding::Ascii) => b.to_vec(),
        (Text::Latin1(b), Encoding::Utf8) if b.is_ascii() => b.to_vec(),
        (Text::Latin1(b), _) => encode_units(&Text::widened(b), enc),
        (Text::Utf16(u), _) => encode_units(u, enc),
    }
}

fn encode_units(units: &[u16], enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => String::from_utf16_lossy(units).into_bytes(),
        Encoding::Latin1 | Encoding::Ascii => units.iter().map(|&u| u as u8).collect(),
        Encoding::Hex => {
            let mut out = Vec::with_capacity(units.len() / 2);
            for pair in units.chunks_exact(2) {
                match (hex_digit(pair[0]), hex_digit(pair[1])) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => break,
                }
            }
            out
        }
        Encoding::Base64 | Encoding::Base64Url => base64_decode(units),
        Encoding::Utf16Le => units.iter().flat_map(|u| u.to_le_bytes()).collect(),
    }
}

/// Bytes in `enc` as a string: latin1 and ascii as one byte per code point (the engine stores
/// them compactly), everything else as UTF-16 code units.
pub enum Decoded {
    Latin1(Vec<u8>),
    Utf16(Vec<u16>),
    Utf8(String),
}

/// Bytes in `enc` as a string.
pub fn decode(bytes: &[u8], enc: Encoding) -> Decoded {
    match enc {
        Encoding::Utf8 => Decoded::Utf8(String::from_utf8_lossy(bytes).into_owned()),
        Encoding::Latin1 => Decoded::Latin1(bytes.to_vec()),
        Encoding::Ascii => Decoded::Latin1(bytes.iter().map(|b| b & 0x7f).collect()),
        Encoding::Hex => {
            const DIGITS: &[u8; 16] = b"0123456789abcdef";
            let mut out = Vec::with_capacity(bytes.len() * 2);
            for b in bytes {
                out.push(DIGITS[(b >> 4) as usize]);
                out.push(DIGITS[(b & 15) as usize]);
            }
            Decoded::Latin1(out)
        }
        Encoding::Base64 => Decoded::Latin1(base64_encode(bytes, STANDARD, true)),
        Encoding::Base64Url => Decoded::Latin1(base64_encode(bytes, URL, false)),
        Encoding::Utf16Le => Decoded::Utf16(
            bytes
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect(),
        ),
    }
}

/// `Buffer.byteLength(string, enc)`: what Node computes without encoding (for base64, from
/// the length and the `=` at the end, as Node does, not from the bytes a decode would make).
pub fn byte_length(text: Text, enc: Encoding) -> usize {
    match (text, enc) {
        (Text::Latin1(b), Encoding::Utf8) => b.iter().map(|&b| 1 + usize::from(b >= 0x80)).sum(),
        (Text::Latin1(b), _) => units_byte_length(&Text::widened(b), enc),
        (Text::Utf16(u), _) => units_byte_length(u, enc),
    }
}

fn units_byte_length(units: &[u16], enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => units_utf8_len(units),
        Encoding::Latin1 | Encoding::Ascii => units.len(),
        Encoding::Hex => units.len() / 2,
        Encoding::Utf16Le => units.len() * 2,
        Encoding::Base64 | Encoding::Base64Url => {
            let mut n = units.len();
            for _ in 0..2 {
                if n > 0 && units[n - 1] == u16::from(b'=') {
                    n -= 1;
                }
            }
            n * 3 / 4
        }
    }
}

fn units_utf8_len(units: &[u16]) -> usize {
    char::decode_utf16(units.iter().copied())
        .map(|c| c.map_or(3, char::len_utf8))
        .sum()
}

// (Node reads a string as latin1 before it decodes hex or base64: each code unit's low byte.)
fn hex_digit(u: u16) -> Option<u8> {
    char::from(u as u8).to_digit(16).map(|d| d as u8)
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64_encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = u32::from(chunk[0]) << 16
            | u32::from(*chunk.get(1).unwrap_or(&0)) << 8
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let digits = chunk.len() + 1;
        for i in 0..4 {
            if i < digits {
                out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize]);
            } else if pad {
                out.push(b'=');
            }
        }
    }
    out
}

fn base64_value(u: u16) -> Option<u32> {
    let c = u as u8;
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    } as u32)
}

fn base64_decode(units: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(units.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &u in units {
        if u as u8 == b'=' {
            break;
        }
        let Some(v) = base64_value(u) else { continue };
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }
    fn enc(s: &str, e: Encoding) -> Vec<u8> {
        encode(Text::Utf16(&units(s)), e)
    }
    fn len(s: &str, e: Encoding) -> usize {
        byte_length(Text::Utf16(&units(s)), e)
    }
    fn text(d: Decoded) -> String {
        match d {
            Decoded::Latin1(b) => b.iter().map(|&b| char::from(b)).collect(),
            Decoded::Utf16(u) => String::from_utf16_lossy(&u),
            Decoded::Utf8(s) => s,
        }
    }

    #[test]
    fn hex_stops_at_the_first_pair_that_is_not_hex() {
        assert_eq!(enc("AbCd", Encoding::Hex), [0xab, 0xcd]);
        assert_eq!(enc("11zz22", Encoding::Hex), [0x11]);
        assert_eq!(enc("abc", Encoding::Hex), [0xab]);
        assert!(enc("1g", Encoding::Hex).is_empty());
        assert_eq!(text(decode(&[0, 0x7f, 0xff], Encoding::Hex)), "007fff");
    }

    #[test]
    fn base64_round_trips_every_length_and_both_alphabets() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 251) as u8).collect();
            for enc in [Encoding::Base64, Encoding::Base64Url] {
                let s = text(decode(&bytes, enc));
                assert_eq!(encode(Text::Utf16(&units(&s)), enc), bytes, "{enc:?} {len}");
                assert_eq!(s.len() % 4 == 0, enc == Encoding::Base64 || len % 3 == 0);
            }
        }
        assert_eq!(enc("!!YW!Jj", Encoding::Base64), b"abc");
        assert_eq!(enc("YW=Jj", Encoding::Base64), b"a");
        assert_eq!(enc("-_8", Encoding::Base64), [0xfb, 0xff]);
    }

    #[test]
    fn latin1_keeps_the_low_byte_and_ascii_clears_the_high_bit() {
        assert_eq!(enc("é€", Encoding::Latin1), [0xe9, 0xac]);
        assert_eq!(text(decode(&[0x41, 0xe9], Encoding::Ascii)), "Ai");
        assert_eq!(text(decode(&[0x41, 0xe9], Encoding::Latin1)), "Aé");
    }

    #[test]
    fn byte_lengths_are_what_node_computes() {
        assert_eq!(len("héllo😀", Encoding::Utf8), 10);
        assert_eq!(byte_length(Text::Utf16(&[0xd800]), Encoding::Utf8), 3);
        assert_eq!(len("YQ==", Encoding::Base64), 1);
        assert_eq!(len("abc", Encoding::Hex), 1);
    }

    #[test]
    fn a_one_byte_string_encodes_and_measures_as_its_utf16_form_does() {
        let samples: [&[u8]; 4] = [
            b"",
            b"GET / HTTP/1.1\r\n",
            b"YQ==",
            &[0x41, 0xe9, 0xff, 0x80, 0x7f, 0x3d],
        ];
        let every = [
            Encoding::Utf8,
            Encoding::Latin1,
            Encoding::Ascii,
            Encoding::Hex,
            Encoding::Base64,
            Encoding::Base64Url,
            Encoding::Utf16Le,
        ];
        for bytes in samples {
            let wide = Text::widened(bytes);
            for e in every {
                assert_eq!(
                    encode(Text::Latin1(bytes), e),
                    encode(Text::Utf16(&wide), e),
                    "{e:?}"
                );
                assert_eq!(
                    byte_length(Text::Latin1(bytes), e),
                    byte_length(Text::Utf16(&wide), e),
                    "{e:?}"
                );
            }
        }
    }
}
