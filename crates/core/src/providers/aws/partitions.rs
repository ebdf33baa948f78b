//! Which AWS partition a region belongs to, and so its STS host and whether it is a region
//! at all, read from the SDKs' own partition data rather than from a prefix rule.
//!
//! `PARTITIONS` is trimmed from botocore 1.44.5 `botocore/data/partitions.json` (the same
//! file the Rust SDK embeds as `aws-sdk-rust` `sdk/aws-config` … `partitions.json`): each
//! partition's `id`, `regionRegex` (verbatim), `outputs.dnsSuffix` and its explicit
//! `regions` (the `*-global` pseudo-regions left out: nothing signs for them). Lookup
//! follows the SDKs' `aws.partition` rule: an explicit region first, then the first
//! partition whose regex matches.

pub(crate) struct Partition {
    pub id: &'static str,
    pub dns_suffix: &'static str,
    region_regex: &'static str,
    regions: &'static [&'static str],
}

pub(crate) const PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        dns_suffix: "amazonaws.com",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "me-west-1",
            "mx-central-1",
            "sa-east-1",
            "sa-west-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    },
    Partition {
        id: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &["cn-north-1", "cn-northwest-1"],
    },
    Partition {
        id: "aws-eusc",
        dns_suffix: "amazonaws.eu",
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &["eusc-de-east-1"],
    },
    Partition {
        id: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &["us-iso-east-1", "us-iso-west-1"],
    },
    Partition {
        id: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &["us-isob-east-1", "us-isob-west-1"],
    },
    Partition {
        id: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &["eu-isoe-west-1"],
    },
    Partition {
        id: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &["us-isof-east-1", "us-isof-south-1"],
    },
    Partition {
        id: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &["us-gov-east-1", "us-gov-west-1"],
    },
];

/// Regions every commercial account can use without enabling them: those launched before
/// 20 March 2019. Every later `aws` region is opt-in and disabled until the account
/// enables it ("Enable or disable AWS Regions in your account",
/// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
const DEFAULT_ENABLED: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "sa-east-1",
];

/// The partition `region` belongs to, if it is a region of any partition.
pub(crate) fn partition_of(region: &str) -> Option<&'static Partition> {
    PARTITIONS
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| {
            PARTITIONS
                .iter()
                .find(|p| regex_matches(p.region_regex, region))
        })
}

pub(crate) fn is_region(region: &str) -> bool {
    partition_of(region).is_some()
}

/// True for a commercial region an account must enable before using it.
pub(crate) fn is_opt_in(region: &str) -> bool {
    partition_of(region).is_some_and(|p| p.id == "aws") && !DEFAULT_ENABLED.contains(&region)
}

/// The regional STS endpoint, `https://sts.{region}.{dnsSuffix}` (the SDKs' STS endpoint
/// rule); an unknown region falls back to the `aws` partition as the SDKs do.
pub(crate) fn sts_endpoint(region: &str) -> String {
    let suffix = partition_of(region).map_or("amazonaws.com", |p| p.dns_suffix);
    format!("https://sts.{region}.{suffix}")
}

/// The region an STS host serves, when its name says: `sts.{region}.…`,
/// `sts-fips.{region}.…`, a VPC endpoint `vpce-….sts.{region}.vpce.amazonaws.com`, or the
/// global `sts.amazonaws.com` (which signs as us-east-1).
pub(crate) fn region_of_sts_host(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "sts.amazonaws.com" {
        return Some("us-east-1".into());
    }
    let labels: Vec<&str> = host.split('.').collect();
    labels
        .windows(2)
        .find(|w| (w[0] == "sts" || w[0] == "sts-fips") && is_region(w[1]))
        .map(|w| w[1].to_string())
}

/// Matches the small regex dialect partitions.json uses: `^`, `$`, literal characters,
/// `\-`, one-level `(a|b)` groups, and `\w+` / `\d+`.
fn regex_matches(pattern: &str, text: &str) -> bool {
    let Some(body) = pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$')) else {
        return false;
    };
    match_here(body, text)
}

fn match_here(pattern: &str, text: &str) -> bool {
    if pattern.is_empty() {
        return text.is_empty();
    }
    if let Some(rest) = pattern.strip_prefix('(') {
        let Some(close) = rest.find(')') else {
            return false;
        };
        let after = &rest[close + 1..];
        return rest[..close].split('|').any(|alt| {
            text.strip_prefix(alt)
                .is_some_and(|tail| match_here(after, tail))
        });
    }
    for (token, class) in [
        (
            r"\w+",
            (|c: char| c.is_ascii_alphanumeric() || c == '_') as fn(char) -> bool,
        ),
        (r"\d+", |c: char| c.is_ascii_digit()),
    ] {
        if let Some(after) = pattern.strip_prefix(token) {
            let run = text.chars().take_while(|&c| class(c)).count();
            // Greedy with backtracking, at least one character.
            return (1..=run).rev().any(|n| match_here(after, &text[n..]));
        }
    }
    let (literal, after) = match pattern.strip_prefix('\\') {
        Some(escaped) => escaped.split_at(escaped.chars().next().map_or(0, char::len_utf8)),
        None => pattern.split_at(pattern.chars().next().map_or(0, char::len_utf8)),
    };
    text.strip_prefix(literal)
        .is_some_and(|tail| match_here(after, tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_partition_resolves_to_its_own_dns_suffix() {
        for (region, partition, endpoint) in [
            ("us-east-1", "aws", "https://sts.us-east-1.amazonaws.com"),
            ("ap-east-1", "aws", "https://sts.ap-east-1.amazonaws.com"),
            (
                "cn-north-1",
                "aws-cn",
                "https://sts.cn-north-1.amazonaws.com.cn",
            ),
            (
                "us-gov-west-1",
                "aws-us-gov",
                "https://sts.us-gov-west-1.amazonaws.com",
            ),
            (
                "us-iso-east-1",
                "aws-iso",
                "https://sts.us-iso-east-1.c2s.ic.gov",
            ),
            (
                "us-isob-east-1",
                "aws-iso-b",
                "https://sts.us-isob-east-1.sc2s.sgov.gov",
            ),
            (
                "eu-isoe-west-1",
                "aws-iso-e",
                "https://sts.eu-isoe-west-1.cloud.adc-e.uk",
            ),
            (
                "us-isof-south-1",
                "aws-iso-f",
                "https://sts.us-isof-south-1.csp.hci.ic.gov",
            ),
            (
                "eusc-de-east-1",
                "aws-eusc",
                "https://sts.eusc-de-east-1.amazonaws.eu",
            ),
            // Not yet listed by name: the regexes still place them.
            (
                "us-iso-north-9",
                "aws-iso",
                "https://sts.us-iso-north-9.c2s.ic.gov",
            ),
            (
                "eusc-de-west-2",
                "aws-eusc",
                "https://sts.eusc-de-west-2.amazonaws.eu",
            ),
            ("ap-north-7", "aws", "https://sts.ap-north-7.amazonaws.com"),
        ] {
            assert_eq!(
                partition_of(region).map(|p| p.id),
                Some(partition),
                "{region}"
            );
            assert_eq!(sts_endpoint(region), endpoint);
        }
    }

    #[test]
    fn regions_are_what_some_partition_accepts() {
        for r in [
            "useast1",
            "US-EAST-1",
            "eu-west",
            "https://x",
            "xx-east-1",
            "eusc-fr-east-1",
            "us-east-1a",
            "",
        ] {
            assert!(!is_region(r), "{r}");
        }
    }

    #[test]
    fn opt_in_regions_follow_the_2019_rule() {
        for r in [
            "ap-east-1",
            "eu-south-1",
            "me-south-1",
            "af-south-1",
            "il-central-1",
            "mx-central-1",
        ] {
            assert!(is_opt_in(r), "{r}");
        }
        for r in [
            "us-east-1",
            "eu-west-1",
            "ap-northeast-3",
            "cn-north-1",
            "us-gov-west-1",
            "eusc-de-east-1",
        ] {
            assert!(!is_opt_in(r), "{r}");
        }
    }

    #[test]
    fn the_region_an_sts_host_serves() {
        for (host, region) in [
            ("sts.eu-west-1.amazonaws.com", Some("eu-west-1")),
            ("STS.cn-north-1.amazonaws.com.cn", Some("cn-north-1")),
            (
                "sts-fips.us-gov-west-1.amazonaws.com",
                Some("us-gov-west-1"),
            ),
            (
                "vpce-0a1b.sts.ap-east-1.vpce.amazonaws.com",
                Some("ap-east-1"),
            ),
            ("sts.eusc-de-east-1.amazonaws.eu", Some("eusc-de-east-1")),
            ("sts.amazonaws.com", Some("us-east-1")),
            ("127.0.0.1", None),
            ("sts.example.com", None),
            ("proxy.corp.local", None),
        ] {
            assert_eq!(region_of_sts_host(host).as_deref(), region, "{host}");
        }
    }
}
