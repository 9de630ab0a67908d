//! A bulk job's memory stays flat whatever the number of rows: the CLI
//! reads its input as it goes and writes each result out at once. (Its own
//! test binary: the peak is read from `wait4` for the one child it runs at
//! a time.)

#![cfg(target_os = "linux")]

use std::process::Stdio;

use eiam_mock::MockServer;

mod common;
use common::eiam;

/// Rows of the small and the large run.
const SMALL: usize = 5_000;
const LARGE: usize = 50_000;
/// The most the peak may grow from the small run to the large one. Keeping
/// anything per row would break it: 45,000 more rows at even 94 bytes each
/// (less than the `String` headers of one report row, 8 x 24 bytes) is
/// 4 MiB, while a streaming run grows by allocator noise only.
const MAX_GROWTH_KIB: i64 = 4 * 1024;

/// Runs `owner bind-many` on `rows` rows (concurrency 8, a CSV report)
/// and returns the child's peak resident set (VmHWM), in KiB.
// The child is reaped by `wait4`, which also hands over its peak.
#[allow(clippy::zombie_processes)]
fn peak_rss_kib(rows: usize) -> i64 {
    let mock = MockServer::start().unwrap();
    let dir = std::env::temp_dir().join(format!("eiam-bulk-memory-{}-{rows}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("rows.csv");
    let report = dir.join("report.csv");
    let mut csv = String::with_capacity(30 * rows);
    csv.push_str("app_id,app_user_id,user_name\n");
    for _ in 0..rows {
        csv.push_str("demo-app,pub-1,zhangsan\n");
    }
    std::fs::write(&input, csv).unwrap();
    let child = eiam(&mock)
        .args([
            "owner",
            "bind-many",
            input.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--concurrency",
            "8",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value to be filled in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into the two locals above.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    let lines = std::fs::read_to_string(&report).unwrap().lines().count();
    assert_eq!(lines, rows + 1, "one report row per input row");
    let _ = std::fs::remove_dir_all(&dir);
    // ru_maxrss is in KiB on Linux: the peak resident set, as VmHWM.
    usage.ru_maxrss
}

#[test]
fn peak_memory_does_not_grow_with_the_number_of_rows() {
    let small = peak_rss_kib(SMALL);
    let large = peak_rss_kib(LARGE);
    eprintln!("peak RSS: {small} KiB for {SMALL} rows, {large} KiB for {LARGE} rows");
    assert!(
        large - small < MAX_GROWTH_KIB,
        "peak RSS grew from {small} KiB ({SMALL} rows) to {large} KiB ({LARGE} rows)"
    );
}
