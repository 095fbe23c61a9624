//! `gateway-sandbox [--addr 127.0.0.1:PORT] [--token VALUE] [--www DIR] [--pkg DIR] [--no-cors]
//! [--callback-secret VALUE]`

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use gateway_sandbox::{new_token, Config};

fn usage() -> ! {
    eprintln!(
        "usage: gateway-sandbox [--addr 127.0.0.1:PORT] [--token VALUE] [--www DIR] [--pkg DIR] [--no-cors] [--callback-secret VALUE]"
    );
    std::process::exit(2)
}

fn main() {
    let mut addr: SocketAddr = "127.0.0.1:8080".parse().expect("default address");
    let mut config = Config::default();
    let mut token = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--addr" => {
                let v = value();
                addr = v.parse().unwrap_or_else(|_| {
                    eprintln!("--addr: not an IP:PORT address: {v}");
                    std::process::exit(2)
                })
            }
            "--token" => token = Some(value()),
            "--www" => config.www = Some(PathBuf::from(value())),
            "--pkg" => config.pkg = Some(PathBuf::from(value())),
            "--callback-secret" => config.callback_secret = value(),
            "--no-cors" => config.cors = false,
            "-h" | "--help" => usage(),
            _ => {
                eprintln!("unknown argument: {a}");
                usage()
            }
        }
    }
    if !addr.ip().is_loopback() {
        eprintln!("refusing to listen on {addr}: the sandbox binds loopback addresses only");
        std::process::exit(2);
    }
    let generated = token.is_none();
    config.token = token.unwrap_or_else(new_token);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot bind {addr}: {e}");
                std::process::exit(1)
            }
        };
        let bound = listener.local_addr().expect("local address");
        let mut out = std::io::stdout().lock();
        if generated {
            let _ = writeln!(out, "sandbox token: {}", config.token);
        }
        let _ = writeln!(out, "sandbox listening on http://{bound}");
        let _ = out.flush();
        drop(out);
        if let Err(e) = gateway_sandbox::serve(listener, config).await {
            eprintln!("sandbox stopped: {e}");
            std::process::exit(1);
        }
    });
}
