//! The `eiam` commands the API reference names (docs/calls.toml's `cli`
//! lines, rendered by scripts/docs-reference.py) are commands of this binary.

use std::process::Command;

/// Each `cli = "..."` value of docs/calls.toml.
fn documented_commands() -> Vec<String> {
    let home = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/calls.toml");
    let text = std::fs::read_to_string(home).unwrap();
    text.lines()
        .filter_map(|line| line.strip_prefix("cli = \"")?.strip_suffix('"'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_command_of_the_reference_exists_with_its_options() {
    let commands = documented_commands();
    assert!(commands.len() > 10, "calls.toml's cli lines: {commands:?}");
    for command in commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        let subcommand: Vec<&str> = words
            .iter()
            .copied()
            .take_while(|w| !w.starts_with('-'))
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_eiam"))
            .args(&subcommand)
            .arg("--help")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`eiam {command}`: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let help = String::from_utf8_lossy(&out.stdout);
        for option in words.iter().filter(|w| w.starts_with("--")) {
            assert!(
                help.contains(&format!("{option} ")),
                "`eiam {command}`: the help has no {option}:\n{help}"
            );
        }
    }
}
