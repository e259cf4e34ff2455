//! Devices the operator runs (a phone over TCP, an emulator, redroid), reached through an ADB
//! server's host protocol: each request is its length in four hex digits and the request; the
//! server answers `OKAY` (then data) or `FAIL` + a hex length + a message. `host:devices` lists
//! serials and states; `host:transport:<serial>` switches the connection to one device, after
//! which `shell:`/`exec:`/`reboot:` run there and stream until the device closes.
//!
//! Our own small client (no libusb, no adb binary): the five requests we need.
//!
//! On an ADB device our lifecycle is a billed session: start checks the device is reachable,
//! stop turns its screen off (the device stays powered), restart reboots it, and reset removes
//! every app the user installed and empties shared storage, which is what "a device is reset
//! before it moves to another workspace" means here.

use crate::provider::{CallError, Caps, Each, Op, PhoneProvider, Refusal, Seen, Spec, Why};
use frontdesk_platform::ports::Fut;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The shell line a reset runs.
pub const RESET: &str =
    "for p in $(pm list packages -3 | cut -d: -f2); do pm uninstall --user 0 $p; done; rm -rf /sdcard/*";
/// The shell line a stop runs (KEYCODE_SLEEP).
pub const SLEEP: &str = "input keyevent 223";

pub struct Adb {
    host: String,
    timeout: Duration,
}

/// Output larger than this is cut (a screenshot is well below it).
const MAX_OUTPUT: usize = 16 * 1024 * 1024;

fn unavailable(e: impl std::fmt::Display) -> CallError {
    CallError::Unavailable(e.to_string())
}

impl Adb {
    pub fn new(host: &str, timeout: Duration) -> Self {
        Self { host: host.to_string(), timeout }
    }

    async fn connect(&self) -> Result<TcpStream, CallError> {
        match tokio::time::timeout(self.timeout, TcpStream::connect(&self.host)).await {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(e)) => Err(unavailable(format!("ADB server {}: {e}", self.host))),
            Err(_) => Err(unavailable(format!("ADB server {}: timed out", self.host))),
        }
    }

    async fn send(s: &mut TcpStream, req: &str) -> Result<(), CallError> {
        let framed = format!("{:04x}{req}", req.len());
        s.write_all(framed.as_bytes()).await.map_err(unavailable)
    }

    /// `OKAY`, or the server's `FAIL` message as a refusal.
    async fn status(s: &mut TcpStream) -> Result<Result<(), String>, CallError> {
        let mut st = [0u8; 4];
        s.read_exact(&mut st).await.map_err(unavailable)?;
        match &st {
            b"OKAY" => Ok(Ok(())),
            b"FAIL" => Ok(Err(Self::framed(s).await?)),
            other => Err(unavailable(format!("not an ADB answer: {:?}", String::from_utf8_lossy(other)))),
        }
    }

    async fn framed(s: &mut TcpStream) -> Result<String, CallError> {
        let mut len = [0u8; 4];
        s.read_exact(&mut len).await.map_err(unavailable)?;
        let n = usize::from_str_radix(std::str::from_utf8(&len).unwrap_or("zz"), 16)
            .map_err(|_| unavailable("a bad length in an ADB answer"))?;
        let mut buf = vec![0u8; n];
        s.read_exact(&mut buf).await.map_err(unavailable)?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    async fn timed<T>(&self, f: impl std::future::Future<Output = Result<T, CallError>>) -> Result<T, CallError> {
        tokio::time::timeout(self.timeout, f).await.unwrap_or_else(|_| Err(unavailable("ADB timed out")))
    }

    /// `host:devices`: every serial and its state (`device`, `offline`, `unauthorized` …).
    pub async fn devices(&self) -> Result<Vec<(String, String)>, CallError> {
        self.timed(async {
            let mut s = self.connect().await?;
            Self::send(&mut s, "host:devices").await?;
            Self::status(&mut s).await?.map_err(CallError::Refused)?;
            let text = Self::framed(&mut s).await?;
            Ok(text
                .lines()
                .filter_map(|l| {
                    let mut it = l.split_whitespace();
                    Some((it.next()?.to_string(), it.next()?.to_string()))
                })
                .collect())
        })
        .await
    }

    /// Runs a device service (`shell:…`, `exec:…`, `reboot:`) and reads what it writes until it
    /// closes. `Ok(Err(message))`: the server refused (no such device).
    pub async fn run(&self, serial: &str, service: &str) -> Result<Result<Vec<u8>, String>, CallError> {
        self.timed(async {
            let mut s = self.connect().await?;
            Self::send(&mut s, &format!("host:transport:{serial}")).await?;
            if let Err(m) = Self::status(&mut s).await? {
                return Ok(Err(m));
            }
            Self::send(&mut s, service).await?;
            if let Err(m) = Self::status(&mut s).await? {
                return Ok(Err(m));
            }
            let mut out = Vec::new();
            (&mut s).take(MAX_OUTPUT as u64).read_to_end(&mut out).await.map_err(unavailable)?;
            Ok(Ok(out))
        })
        .await
    }

    /// A shell command's output.
    pub async fn shell(&self, serial: &str, cmd: &str) -> Result<Result<String, String>, CallError> {
        Ok(self.run(serial, &format!("shell:{cmd}")).await?.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// The screen as PNG (`screencap -p`, unmangled by a terminal through `exec:`).
    pub async fn screenshot(&self, serial: &str) -> Result<Result<Vec<u8>, String>, CallError> {
        self.run(serial, "exec:screencap -p").await
    }

    async fn state_of(&self, serial: &str) -> Result<Option<String>, CallError> {
        Ok(self.devices().await?.into_iter().find(|(s, _)| s == serial).map(|(_, st)| st))
    }
}

/// An ADB state as ours: `device` is a reachable device.
pub fn seen(state: &str) -> Seen {
    match state {
        "device" => Seen::Running,
        "offline" => Seen::Offline,
        other => Seen::Unknown(format!("adb:{other}")),
    }
}

fn refused(code: &str, message: String) -> Refusal {
    let why = if message.contains("not found") { Why::Gone } else { Why::Other };
    Refusal { code: code.into(), message, why }
}

impl PhoneProvider for Adb {
    fn caps(&self) -> Caps {
        Caps { creates: false, reset: true, batch: 20 }
    }

    fn create<'a>(&'a self, _: &'a Spec) -> Fut<'a, Result<Result<String, Refusal>, CallError>> {
        Box::pin(async { Err(CallError::Refused("ADB devices come from the operator's pool".into())) })
    }

    fn find_tagged<'a>(&'a self, _: &'a str) -> Fut<'a, Result<Option<String>, CallError>> {
        Box::pin(async { Ok(None) })
    }

    fn act<'a>(&'a self, op: Op, refs: &'a [String]) -> Fut<'a, Result<Vec<Each>, CallError>> {
        Box::pin(async move {
            let mut out = Vec::new();
            for serial in refs {
                let r = match op {
                    Op::Start => match self.state_of(serial).await?.as_deref() {
                        Some("device") => Ok(None),
                        Some(st) => Err(refused(st, format!("the device is {st}"))),
                        None => Err(refused("missing", "device not found on the ADB server".into())),
                    },
                    Op::Stop => self.shell(serial, SLEEP).await?.map(|_| None).map_err(|m| refused("fail", m)),
                    Op::Restart => self.run(serial, "reboot:").await?.map(|_| None).map_err(|m| refused("fail", m)),
                    Op::Reset | Op::Delete => {
                        self.shell(serial, RESET).await?.map(|_| None).map_err(|m| refused("fail", m))
                    }
                };
                out.push((serial.clone(), r));
            }
            Ok(out)
        })
    }

    fn status<'a>(&'a self, refs: &'a [String]) -> Fut<'a, Result<Vec<(String, Seen)>, CallError>> {
        Box::pin(async move {
            let all = self.devices().await?;
            Ok(refs
                .iter()
                .map(|r| {
                    let st = all.iter().find(|(s, _)| s == r).map(|(_, st)| seen(st)).unwrap_or(Seen::Gone);
                    (r.clone(), st)
                })
                .collect())
        })
    }

    fn list<'a>(&'a self) -> Fut<'a, Result<Vec<(String, Seen)>, CallError>> {
        Box::pin(async move { Ok(self.devices().await?.into_iter().map(|(s, st)| (s, seen(&st))).collect()) })
    }
}
