//! The bytes behind `zlib.gzip`/`deflate` and their inverses: real DEFLATE (miniz_oxide, pure
//! Rust) with the zlib and gzip framings written out here (RFC 1950, RFC 1952). The *time* a
//! compression takes is the model's business (a pool job); this is only what it produces.

use miniz_oxide::deflate::{compress_to_vec, compress_to_vec_zlib};
use miniz_oxide::inflate::{decompress_to_vec, decompress_to_vec_zlib};

/// zlib's default compression level (`Z_DEFAULT_COMPRESSION`).
const LEVEL: u8 = 6;

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn gzip(data: &[u8]) -> Vec<u8> {
    // ID1 ID2 CM FLG MTIME(4) XFL OS: Node writes mtime 0 and OS 3 (Unix).
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    out.extend(compress_to_vec(data, LEVEL));
    out.extend(crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

fn gunzip(data: &[u8]) -> Result<Vec<u8>, String> {
    if data.len() < 18 || data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return Err("incorrect header check".into());
    }
    let flags = data[3];
    let mut pos = 10;
    if flags & 4 != 0 {
        let xlen = *data.get(pos).ok_or("unexpected end of file")? as usize
            | (*data.get(pos + 1).ok_or("unexpected end of file")? as usize) << 8;
        pos += 2 + xlen;
    }
    for bit in [8u8, 16] {
        if flags & bit != 0 {
            while *data.get(pos).ok_or("unexpected end of file")? != 0 {
                pos += 1;
            }
            pos += 1;
        }
    }
    if flags & 2 != 0 {
        pos += 2;
    }
    let body = data
        .get(pos..data.len() - 8)
        .ok_or("unexpected end of file")?;
    decompress_to_vec(body).map_err(|_| "invalid stored block lengths".to_string())
}

/// Run one zlib operation by its Node name.
pub fn run(op: &str, data: &[u8]) -> Result<Vec<u8>, String> {
    match op {
        "gzip" => Ok(gzip(data)),
        "gunzip" => gunzip(data),
        "deflate" => Ok(compress_to_vec_zlib(data, LEVEL)),
        "inflate" => decompress_to_vec_zlib(data).map_err(|_| "incorrect header check".to_string()),
        "deflateRaw" => Ok(compress_to_vec(data, LEVEL)),
        "inflateRaw" => {
            decompress_to_vec(data).map_err(|_| "invalid stored block lengths".to_string())
        }
        "unzip" => {
            if data.starts_with(&[0x1f, 0x8b]) {
                gunzip(data)
            } else {
                decompress_to_vec_zlib(data).map_err(|_| "incorrect header check".to_string())
            }
        }
        other => Err(format!("unknown zlib operation {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_crc() {
        assert_eq!(crc32(b"hello"), 0x3610_A686);
        let text = b"hello hello hello hello";
        for (a, b) in [
            ("gzip", "gunzip"),
            ("deflate", "inflate"),
            ("deflateRaw", "inflateRaw"),
            ("gzip", "unzip"),
        ] {
            let packed = run(a, text).unwrap();
            assert_eq!(run(b, &packed).unwrap(), text, "{a} -> {b}");
        }
        assert!(run("gunzip", b"not gzip at all, really").is_err());
    }
}
