//! Which network addresses a tenant-supplied URL (an outgoing webhook, an AI provider's base URL)
//! may reach. Server-side request forgery is refused by address, after name resolution:
//! loopback, private, shared (CGNAT), link-local (which holds the cloud metadata services),
//! unspecified, multicast, broadcast, documentation and other reserved ranges, in IPv4 and IPv6,
//! including IPv4 addresses wrapped in IPv6 (mapped, compatible, NAT64). The operator may allow
//! ranges in configuration (a local Ollama, a webhook receiver on the LAN).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address range: `10.0.0.0/8`, `fd00::/8`, or one address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (s.trim().parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { net: addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, unwrap_v4(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 { 0 } else { u32::MAX << (32 - self.prefix) };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - self.prefix) };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address carried inside IPv6 (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64
/// `64:ff9b::a.b.c.d`, 6to4 `2002:aabb:ccdd::`) is judged as the IPv4 address it reaches.
fn unwrap_v4(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let s = v6.segments();
            let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
            if s[..6] == [0, 0, 0, 0, 0, 0] && u32::from(tail) > 1 {
                return IpAddr::V4(tail);
            }
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return IpAddr::V4(tail);
            }
            if s[0] == 0x2002 {
                // 6to4: the relay forwards to the IPv4 address in the next 32 bits.
                return IpAddr::V4(Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8));
            }
            ip
        }
        v4 => v4,
    }
}

/// Why an address may not be reached from the server, or `None` for a public address.
pub fn blocked_reason(ip: IpAddr) -> Option<&'static str> {
    match unwrap_v4(ip) {
        IpAddr::V4(a) => {
            let o = a.octets();
            if a.is_loopback() {
                Some("loopback")
            } else if a.is_unspecified() || o[0] == 0 {
                Some("unspecified")
            } else if a.is_private() {
                Some("private")
            } else if a.is_link_local() {
                // 169.254.169.254 and friends: the cloud metadata services live here.
                Some("link_local")
            } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
                // 100.64.0.0/10, shared address space (also Alibaba's metadata at 100.100.100.200).
                Some("shared")
            } else if a.is_multicast()
                || a.is_broadcast()
                || o[0] >= 240
                || (o[0] == 192 && o[1] == 0 && (o[2] == 0 || o[2] == 2))
                || (o[0] == 198 && (o[1] & 0xfe) == 18)
                || (o[0] == 198 && o[1] == 51 && o[2] == 100)
                || (o[0] == 203 && o[1] == 0 && o[2] == 113)
            {
                Some("reserved")
            } else {
                None
            }
        }
        IpAddr::V6(a) => {
            let s0 = a.segments()[0];
            if a == Ipv6Addr::LOCALHOST {
                Some("loopback")
            } else if a.is_unspecified() {
                Some("unspecified")
            } else if (s0 & 0xfe00) == 0xfc00 {
                Some("private")
            } else if (s0 & 0xffc0) == 0xfe80 || (s0 & 0xffc0) == 0xfec0 {
                Some("link_local")
            } else if (s0 & 0xff00) == 0xff00
                || (s0 == 0x2001 && a.segments()[1] == 0x0db8)
                // Teredo tunnels to an IPv4 address of the client's choosing.
                || (s0 == 0x2001 && a.segments()[1] == 0)
                // Only global unicast (2000::/3) is on the public internet.
                || (s0 & 0xe000) != 0x2000
            {
                Some("reserved")
            } else {
                None
            }
        }
    }
}

/// `Ok` when `ip` may be reached: a public address, or one inside a range the operator allowed.
pub fn check(ip: IpAddr, allowed: &[Cidr]) -> Result<(), &'static str> {
    match blocked_reason(ip) {
        Some(_) if allowed.iter().any(|c| c.contains(ip)) => Ok(()),
        Some(r) => Err(r),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn internal_addresses_are_refused_with_a_reason() {
        for (a, why) in [
            ("127.0.0.1", "loopback"),
            ("127.8.9.10", "loopback"),
            ("::1", "loopback"),
            ("0.0.0.0", "unspecified"),
            ("::", "unspecified"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("fd00:ec2::254", "private"),
            ("169.254.169.254", "link_local"),
            ("fe80::1", "link_local"),
            ("100.100.100.200", "shared"),
            ("224.0.0.1", "reserved"),
            ("255.255.255.255", "reserved"),
            ("240.0.0.1", "reserved"),
            ("192.0.2.7", "reserved"),
            ("2001:db8::1", "reserved"),
            ("ff02::1", "reserved"),
            // IPv4 in IPv6 disguises.
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:169.254.169.254", "link_local"),
            ("::10.0.0.1", "private"),
            ("64:ff9b::192.168.0.1", "private"),
            ("2002:7f00:1::", "loopback"),
            ("2002:a9fe:a9fe::1", "link_local"),
            ("2002:c0a8:0101::", "private"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"),
        ] {
            assert_eq!(blocked_reason(ip(a)), Some(why), "{a}");
            assert_eq!(check(ip(a), &[]), Err(why), "{a}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for a in [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "2002:0808:0808::",
        ] {
            assert_eq!(check(ip(a), &[]), Ok(()), "{a}");
        }
    }

    #[test]
    fn the_operator_can_allow_a_range() {
        let allowed = [Cidr::parse("10.0.0.0/8").unwrap(), Cidr::parse("::1").unwrap()];
        assert_eq!(check(ip("10.20.30.40"), &allowed), Ok(()));
        assert_eq!(check(ip("::ffff:10.20.30.40"), &allowed), Ok(()));
        assert_eq!(check(ip("::1"), &allowed), Ok(()));
        assert_eq!(check(ip("127.0.0.1"), &allowed), Err("loopback"), "only what was allowed");
        assert_eq!(check(ip("192.168.0.1"), &allowed), Err("private"));
    }

    #[test]
    fn ranges_parse_strictly() {
        assert_eq!(Cidr::parse("192.168.0.0/16").map(|c| c.contains(ip("192.168.4.4"))), Some(true));
        assert_eq!(Cidr::parse("0.0.0.0/0").map(|c| c.contains(ip("8.8.8.8"))), Some(true));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("fd00::/129").is_none());
        assert!(Cidr::parse("example.com").is_none());
        assert!(Cidr::parse("10.0.0.0/x").is_none());
    }
}
