//! A real HTTP proxy: Debian's tinyproxy, started here on a free loopback
//! port with its own configuration and log (`scripts/test.sh` installs it).
//! One test, because part of it sets proxy environment variables, which
//! are process-wide.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use eiam::ErrorKind;

struct Tinyproxy {
    child: Child,
    url: String,
    log: PathBuf,
    dir: PathBuf,
}

impl Tinyproxy {
    fn start() -> Tinyproxy {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("eiam-tinyproxy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("tinyproxy.log");
        let conf = dir.join("tinyproxy.conf");
        // As root, tinyproxy drops to an unprivileged user, which must be
        // able to write its log.
        std::fs::write(&log, "").unwrap();
        let _ = Command::new("chmod").args(["0777"]).arg(&dir).status();
        let _ = Command::new("chmod").args(["0666"]).arg(&log).status();
        let user = if is_root() {
            "User nobody\nGroup nogroup\n"
        } else {
            ""
        };
        std::fs::write(
            &conf,
            format!(
                "{user}Port {port}\nListen 127.0.0.1\nTimeout 30\nLogFile \"{}\"\n\
                 LogLevel Info\nMaxClients 50\nAllow 127.0.0.1\nDisableViaHeader Yes\n",
                log.display()
            ),
        )
        .unwrap();
        let child = Command::new("tinyproxy")
            .arg("-d")
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tinyproxy is installed (apt-get install tinyproxy; scripts/test.sh does)");
        let proxy = Tinyproxy {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
            dir,
        };
        // Ready once it accepts connections.
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tinyproxy did not start listening"
            );
            std::thread::yield_now();
        }
        proxy
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

/// The owner of pub-1 through a client built from `config`.
fn query(config: eiam::ConfigBuilder) -> eiam::Result<String> {
    client(config)
        .get_public_account_owner("demo-app", "pub-1")
        .map(|o| o.user_name)
}

#[test]
fn calls_go_through_the_proxy_they_are_given_and_never_around_it() {
    let proxy = Tinyproxy::start();
    let mock = mock();
    // ureq tunnels every request through the proxy with CONNECT, so each
    // new client (one connection each) logs one tunnel to the mock.
    let tunnel = format!("CONNECT {}", mock.addr());
    let tunnels = |log: &str| log.matches(&tunnel).count();

    // An explicit proxy: the call succeeds and the proxy logged it.
    assert_eq!(
        query(config_for(&mock).proxy(&proxy.url)).unwrap(),
        "zhangsan"
    );
    let log = proxy.log();
    assert_eq!(tunnels(&log), 1, "tinyproxy's log:\n{log}");

    // HTTPS through it: TLS inside the tunnel (tls.rs, chained after the
    // CONNECT), the certificate verified as without a proxy.
    let (https, ca_pem) =
        eiam_mock::MockServer::start_https_with_new_ca(Default::default()).unwrap();
    let ca_file = std::env::temp_dir().join(format!("eiam-proxy-ca-{}.pem", std::process::id()));
    std::fs::write(&ca_file, ca_pem).unwrap();
    let over_tls = eiam::Config::builder(https.base_url())
        .client_credentials(https.client_id(), https.client_secret())
        .use_platform_roots(false)
        .ca_file(&ca_file)
        .proxy(&proxy.url);
    let owner = query(over_tls);
    let _ = std::fs::remove_file(&ca_file);
    assert_eq!(owner.unwrap(), "zhangsan");
    let log = proxy.log();
    assert_eq!(
        log.matches(&format!("CONNECT {}", https.addr())).count(),
        1,
        "{log}"
    );

    // A proxy from the environment never carries calls to a loopback base
    // URL: the hop would be clear text, and a proxy elsewhere could not
    // reach the service anyway.
    std::env::set_var("HTTP_PROXY", &proxy.url);
    std::env::remove_var("NO_PROXY");
    assert_eq!(query(config_for(&mock)).unwrap(), "zhangsan");
    let log = proxy.log();
    assert_eq!(tunnels(&log), 1, "{log}");
    assert_eq!(mock.stats().api_requests, 2);

    // For any other host it is used: a dead one on loopback shows it in
    // the error, and nothing leaves this machine (an HTTP proxy resolves
    // the target itself).
    let dead_port = free_port();
    std::env::set_var("HTTP_PROXY", format!("http://127.0.0.1:{dead_port}"));
    let remote = || {
        eiam::Config::builder("https://tenant.example.com")
            .client_credentials("id", "secret")
            .timeout(Duration::from_secs(2))
    };
    let err = query(remote()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(
        err.to_string()
            .contains(&format!("through proxy http://127.0.0.1:{dead_port}")),
        "{err}"
    );

    // A SOCKS proxy from the environment is refused, never bypassed.
    std::env::remove_var("HTTP_PROXY");
    std::env::set_var("ALL_PROXY", "socks5://ops:socks-pw@127.0.0.1:1080");
    let err = eiam::Client::new(remote().build().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.message().contains("SOCKS"), "{err}");
    assert!(!err.message().contains("socks-pw"), "{err}");
    std::env::set_var("NO_PROXY", "tenant.example.com");
    assert!(eiam::Client::new(remote().build().unwrap()).is_ok());
    std::env::remove_var("ALL_PROXY");
    std::env::remove_var("NO_PROXY");

    // A proxy that is not there: a transport error, and nothing reached the
    // service.
    let port = free_port();
    let dead = format!("http://ops:proxy-pw-81c2@127.0.0.1:{port}");
    let before = mock.stats().requests;
    let started = Instant::now();
    let err = query(config_for(&mock).proxy(&dead)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    let message = err.to_string();
    assert!(message.contains("through proxy http://ops:"), "{message}");
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(!message.contains("proxy-pw-81c2"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(mock.stats().requests, before);

    // Without a scheme the password is hidden too, in the error and in
    // the client's and the configuration's Debug.
    let bare = format!("ops:proxy-pw-81c2@127.0.0.1:{port}");
    let config = config_for(&mock).proxy(&bare);
    let shown = format!("{config:?}");
    assert!(!shown.contains("proxy-pw-81c2"), "{shown}");
    let config = config.build().unwrap();
    let shown = format!("{config:?}");
    assert!(!shown.contains("proxy-pw-81c2"), "{shown}");
    let err = client(config_for(&mock).proxy(&bare))
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap_err();
    assert!(!err.to_string().contains("proxy-pw-81c2"), "{err}");
    assert!(err.to_string().contains("ops:[redacted]@"), "{err}");
}
