//! What the README and `looplab costs` promise works as written: every `looplab` command the
//! README shows runs, every cost `looplab costs` lists is accepted by `--cost`, and the
//! README's `cargo build` commands name a binary of the workspace's default members.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn looplab(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn readme_commands(prefix: &str) -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    readme
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn every_cost_looplab_costs_lists_is_accepted_by_cost() {
    let dir = std::env::temp_dir().join(format!("looplab-doc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p.js"), "console.log('ok');\n").unwrap();
    let o = looplab(&["costs"], &dir);
    assert!(o.status.success());
    let listed = String::from_utf8(o.stdout).unwrap();
    let names: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for name in ["callbackCost", "scriptCost", "dbLatency", "epochMs"] {
        assert!(names.contains(&name), "{name} is listed: {listed}");
    }
    for name in &names {
        let o = looplab(&["run", "--cost", &format!("{name}=7"), "p.js"], &dir);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "--cost {name}=7: {err}");
        assert_eq!(String::from_utf8_lossy(&o.stdout), "ok\n", "{name}");
    }
    let o = looplab(&["run", "--cost", "nope=1", "p.js"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown cost 'nope'"));
}

#[test]
fn every_looplab_command_in_the_readme_runs_as_written() {
    let dir = std::env::temp_dir().join(format!("looplab-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("program.js"),
        "setTimeout(() => console.log('timer'), 1);\nconsole.log('main');\n",
    )
    .unwrap();
    // The load test's example needs a server.
    std::fs::write(
        dir.join("server.js"),
        "const app = require('express')();\napp.get('/users/:id', (req, res) => res.json({ id: 1 }));\napp.listen(3000);\n",
    )
    .unwrap();
    let commands = readme_commands("target/release/looplab");
    assert!(commands.len() >= 4, "{commands:?}");
    for cmd in commands {
        let args: Vec<&str> = cmd[1..].iter().map(String::as_str).collect();
        let o = looplab(&args, &dir);
        assert!(
            o.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stdout.is_empty(), "{cmd:?} printed nothing");
    }
}

#[test]
fn the_readmes_cargo_build_commands_name_what_the_workspace_has() {
    let commands = readme_commands("cargo build");
    assert!(!commands.is_empty());
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success());
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let bins_of = |name: &str| -> Vec<String> {
        packages
            .iter()
            .filter(|p| p["name"] == name)
            .flat_map(|p| p["targets"].as_array().unwrap().iter())
            .filter(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "bin"))
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    for cmd in commands {
        let value = |flag: &str| {
            cmd.iter()
                .position(|a| a == flag)
                .and_then(|i| cmd.get(i + 1))
                .cloned()
        };
        // Without -p, cargo looks in the root package (the web app) only.
        let package = value("-p")
            .or_else(|| value("--package"))
            .unwrap_or_else(|| "looplab-web".to_owned());
        let bins = bins_of(&package);
        assert!(
            !bins.is_empty(),
            "`{}`: no package {package}",
            cmd.join(" ")
        );
        if let Some(bin) = value("--bin") {
            assert!(
                bins.contains(&bin),
                "`{}`: package {package} has no binary {bin} (it has {bins:?})",
                cmd.join(" ")
            );
        }
    }
}
