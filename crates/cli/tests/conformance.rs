//! Every case in tests/conformance/cases must print exactly what real Node 20 printed
//! (the .out files are written by scripts/regen-conformance.sh, which runs `node`), and exit
//! with the same status.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn conformance_cases_match_real_node() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cases folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 40,
        "expected the whole suite, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let expected =
            std::fs::read_to_string(case.with_extension("out")).expect("expected stdout");
        let status: i32 = std::fs::read_to_string(case.with_extension("status"))
            .expect("expected status")
            .trim()
            .parse()
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_looplab"))
            .arg("run")
            .arg(case)
            .current_dir(&dir)
            .output()
            .expect("run looplab");
        let got = String::from_utf8_lossy(&out.stdout);
        let code = out.status.code().unwrap_or(-1);
        if got != expected || code != status {
            let first_diff = got
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(expected.lines().count()));
            failures.push(format!(
                "{}: status {code} (node {status}); first difference at line {}:\n  looplab: {:?}\n  node:    {:?}\n  stderr: {}",
                case.file_name().unwrap().to_string_lossy(),
                first_diff + 1,
                got.lines().nth(first_diff),
                expected.lines().nth(first_diff),
                String::from_utf8_lossy(&out.stderr).lines().take(6).collect::<Vec<_>>().join("\n          ")
            ));
        }
    }
    println!(
        "conformance: {} of {} cases match real Node",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} case(s) differ from real Node:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
