//! Node's JavaScript layer (`js/`), without its comments and indentation, into `OUT_DIR/js/`:
//! what `src/prelude.rs` includes (see `src/strip_js.rs` for why and how).

#[path = "src/strip_js.rs"]
mod strip_js;

use std::path::Path;

fn copy_stripped(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("OUT_DIR is writable");
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .expect("js/ is readable")
        .map(|e| e.expect("a js/ entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().expect("a file name");
        if path.is_dir() {
            copy_stripped(&path, &to.join(name));
        } else if path.extension().is_some_and(|x| x == "js") {
            let source = std::fs::read_to_string(&path).expect("a js/ file is UTF-8");
            std::fs::write(to.join(name), strip_js::strip(&source)).expect("OUT_DIR is writable");
        }
    }
}

fn main() {
    // (Read when it runs, not when it was built: a build script binary may be reused by a
    // checkout elsewhere that shares the target directory.)
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let js = Path::new(&manifest).join("js");
    println!("cargo:rerun-if-changed=js");
    println!("cargo:rerun-if-changed=src/strip_js.rs");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    copy_stripped(&js, &Path::new(&out).join("js"));
}
