//! The client's address behind proxies. Each proxy appends the address it received the request from to
//! `X-Forwarded-For`, so only the right-most entries were written by proxies we run; everything to their left was
//! sent by the client and may be anything. The client is therefore found from the right: skip a configured number
//! of trusted hops, or skip addresses that are our configured proxies.
use std::net::IpAddr;

use crate::platform::config::Config;

/// How far forwarding headers are believed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyTrust {
    /// The peer of the TCP connection is the client.
    None,
    /// This many proxies sit in front of the server; the peer is the last of them.
    Hops(usize),
    /// These addresses are our proxies.
    Proxies(Vec<IpAddr>),
}

impl ProxyTrust {
    pub fn from_config(config: &Config) -> Self {
        if !config.trust_proxy {
            return ProxyTrust::None;
        }
        let proxies: Vec<IpAddr> = config
            .trusted_proxies
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        if proxies.is_empty() {
            ProxyTrust::Hops(config.trusted_proxy_hops.max(1))
        } else {
            ProxyTrust::Proxies(proxies)
        }
    }
}

/// The client address from the connection's peer and the `X-Forwarded-For` header(s), joined in order.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded: &[&str],
    trust: &ProxyTrust,
) -> Option<IpAddr> {
    // Right to left: the header's entries as the proxies appended them, nearest proxy last.
    let chain: Vec<&str> = forwarded
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    match trust {
        ProxyTrust::None => peer,
        ProxyTrust::Hops(hops) => {
            // The peer is hop 1; each further trusted hop is one entry from the right. With fewer entries than
            // hops the request passed fewer proxies, and the left-most entry is the best address there is.
            let from_right = hops.saturating_sub(1);
            let entry = chain
                .len()
                .checked_sub(from_right + 1)
                .or_else(|| (!chain.is_empty()).then_some(0))
                .and_then(|i| chain.get(i));
            match entry {
                Some(e) => parse(e).or(peer),
                None => peer,
            }
        }
        ProxyTrust::Proxies(proxies) => {
            let mut current = peer?;
            for entry in chain.iter().rev() {
                if !proxies.contains(&current) {
                    break;
                }
                match parse(entry) {
                    Some(next) => current = next,
                    // A malformed entry from a proxy of ours: stop at the last address we could read.
                    None => break,
                }
            }
            Some(current)
        }
    }
}

/// An address entry, with an optional port (`1.2.3.4:5678`, `[::1]:80`).
fn parse(entry: &str) -> Option<IpAddr> {
    let e = entry.trim();
    if let Ok(ip) = e.parse() {
        return Some(ip);
    }
    if let Ok(sock) = e.parse::<std::net::SocketAddr>() {
        return Some(sock.ip());
    }
    e.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn without_trust_the_header_is_ignored() {
        let got = client_address(Some(ip("10.0.0.9")), &["1.2.3.4"], &ProxyTrust::None);
        assert_eq!(got, Some(ip("10.0.0.9")));
    }

    #[test]
    fn one_hop_takes_the_right_most_entry_not_the_client_set_left_most() {
        let trust = ProxyTrust::Hops(1);
        // The client sent "6.6.6.6"; our proxy appended the real client 203.0.113.7.
        let got = client_address(Some(ip("10.0.0.2")), &["6.6.6.6, 203.0.113.7"], &trust);
        assert_eq!(got, Some(ip("203.0.113.7")));
        // Several header lines are one list.
        let got = client_address(Some(ip("10.0.0.2")), &["6.6.6.6", "203.0.113.7"], &trust);
        assert_eq!(got, Some(ip("203.0.113.7")));
        // No header: the peer.
        assert_eq!(
            client_address(Some(ip("10.0.0.2")), &[], &trust),
            Some(ip("10.0.0.2"))
        );
    }

    #[test]
    fn two_hops_skip_one_more_entry() {
        let trust = ProxyTrust::Hops(2);
        let got = client_address(
            Some(ip("10.0.0.2")),
            &["6.6.6.6, 203.0.113.7, 10.0.0.1"],
            &trust,
        );
        assert_eq!(got, Some(ip("203.0.113.7")));
        // Fewer entries than hops: the left-most there is.
        let got = client_address(Some(ip("10.0.0.2")), &["203.0.113.7"], &trust);
        assert_eq!(got, Some(ip("203.0.113.7")));
    }

    #[test]
    fn a_garbage_entry_falls_back_to_the_peer() {
        let got = client_address(
            Some(ip("10.0.0.2")),
            &["1.1.1.1, not-an-ip"],
            &ProxyTrust::Hops(1),
        );
        assert_eq!(got, Some(ip("10.0.0.2")));
        let got = client_address(
            Some(ip("10.0.0.2")),
            &["203.0.113.7:4711"],
            &ProxyTrust::Hops(1),
        );
        assert_eq!(got, Some(ip("203.0.113.7")));
    }

    #[test]
    fn listed_proxies_are_skipped_from_the_right() {
        let trust = ProxyTrust::Proxies(vec![ip("10.0.0.1"), ip("10.0.0.2")]);
        let got = client_address(
            Some(ip("10.0.0.2")),
            &["6.6.6.6, 203.0.113.7, 10.0.0.1"],
            &trust,
        );
        assert_eq!(got, Some(ip("203.0.113.7")));
        // A peer that is not our proxy is the client, whatever it claims.
        let got = client_address(Some(ip("198.51.100.5")), &["6.6.6.6"], &trust);
        assert_eq!(got, Some(ip("198.51.100.5")));
        // A client pretending to be our proxy only moves one step further left in its own claims.
        let got = client_address(Some(ip("10.0.0.2")), &["10.0.0.1"], &trust);
        assert_eq!(got, Some(ip("10.0.0.1")));
    }

    #[test]
    fn config_picks_the_mode() {
        let mut c = Config::default();
        assert_eq!(ProxyTrust::from_config(&c), ProxyTrust::None);
        c.trust_proxy = true;
        assert_eq!(ProxyTrust::from_config(&c), ProxyTrust::Hops(1));
        c.trusted_proxy_hops = 0;
        assert_eq!(ProxyTrust::from_config(&c), ProxyTrust::Hops(1));
        c.trusted_proxies = Some("10.0.0.1, bogus, 10.0.0.2".into());
        assert_eq!(
            ProxyTrust::from_config(&c),
            ProxyTrust::Proxies(vec![ip("10.0.0.1"), ip("10.0.0.2")])
        );
    }
}
