//! The clock offset, measured from the providers' `Date` headers against fake-clouds with
//! its clock shifted: a refused check blames the clock, a passed one warns.

mod common;

use cloudcreds_core::Status;
use common::*;

const TWENTY_MINUTES_MS: i64 = 20 * 60 * 1000;

#[tokio::test]
async fn a_clock_in_step_reads_near_zero() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f.check(&hf(&c.hf_token)).await;
    assert_named(&r, Status::Ok, None);
    let offset = r.clock_offset_ms.expect("the fake sends Date");
    assert!(offset.abs() < 2_000, "{r:#?}");
    assert_eq!(r.hint, None, "{r:#?}");
}

#[tokio::test]
async fn aws_refuses_a_clock_twenty_minutes_behind_and_the_summary_says_so() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    f.fake.set_clock_skew(20 * 60);
    let r = f
        .check(&aws(&c.aws_access_key_id, &c.aws_secret_access_key, None))
        .await;
    assert_named(
        &r,
        Status::ExpiredCredentials,
        Some("SignatureDoesNotMatch"),
    );
    let offset = r.clock_offset_ms.unwrap();
    assert!((offset + TWENTY_MINUTES_MS).abs() < 2_000, "{r:#?}");
    assert!(
        r.summary
            .contains("this computer's clock is 20 minutes behind AWS's clock"),
        "{r:#?}"
    );
    assert!(r.summary.contains("more than 15 minutes off"), "{r:#?}");
    assert!(r.hint.as_deref().unwrap().contains("synchronise"), "{r:#?}");
    // AWS's own sentence, quoted in the hint, reads the same measured offset.
    assert!(
        r.hint
            .as_deref()
            .unwrap()
            .contains("about 20 minutes behind AWS"),
        "{r:#?}"
    );
}

#[tokio::test]
async fn huggingface_passes_with_the_clock_twenty_minutes_off_but_warns() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    f.fake.set_clock_skew(20 * 60);
    let r = f.check(&hf(&c.hf_token)).await;
    assert_named(&r, Status::Ok, None);
    let offset = r.clock_offset_ms.unwrap();
    assert!((offset + TWENTY_MINUTES_MS).abs() < 2_000, "{r:#?}");
    let hint = r.hint.as_deref().unwrap();
    assert!(
        hint.contains("20 minutes behind HuggingFace's clock"),
        "{r:#?}"
    );

    // And the other way round: this computer 20 minutes ahead.
    f.fake.set_clock_skew(-20 * 60);
    let r = f.check(&hf(&c.hf_token)).await;
    assert_named(&r, Status::Ok, None);
    assert!(r
        .hint
        .as_deref()
        .unwrap()
        .contains("20 minutes ahead of HuggingFace's clock"));
}

#[tokio::test]
async fn no_answer_means_no_offset() {
    let f = fixture().await;
    let r = f
        .check(&hf("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\n"))
        .await;
    assert_named(&r, Status::InvalidInput, None);
    assert_eq!(r.clock_offset_ms, None);
}
