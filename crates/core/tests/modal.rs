//! Modal against `fake-clouds`' gRPC service (h2c on loopback): what a valid, an expiring
//! and a wrong token report, the server's refusals, fail-over along the server list, the
//! proxy tunnel for https, and the deadline. Nothing leaves 127.0.0.1.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::sync::mpsc;

use cloudcreds_core::{Env, ProviderId, Status};
use common::*;
use fake_clouds::{Fault, GrpcCode, Target};

fn modal(id: &str, secret: &str, server_url: Option<&str>) -> cloudcreds_core::Credentials {
    let mut fields = vec![("token_id", id), ("token_secret", secret)];
    fields.extend(server_url.map(|u| ("server_url", u)));
    creds(ProviderId::MODAL, &fields)
}

fn identity<'a>(r: &'a cloudcreds_core::CheckReport, key: &str) -> Option<&'a str> {
    r.identity
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.value.as_str())
}

#[tokio::test]
async fn a_valid_token_reports_its_workspace_user_and_token() {
    let f = fixture().await;
    let c = f.fake.creds();
    let r = f
        .check(&modal(&c.modal_token_id, &c.modal_token_secret, None))
        .await;
    assert_eq!(r.status, Status::Ok, "{r:?}");
    let workspace = identity(&r, "workspace").unwrap();
    assert!(workspace.contains(&c.modal_workspace_name), "{workspace}");
    assert!(identity(&r, "user").unwrap().contains(&c.modal_username));
    assert!(identity(&r, "created").is_some());
    assert_eq!(r.hint, None, "{r:?}");
    let req = &r.requests[0];
    assert!(
        req.url.ends_with("/modal.client.ModalClient/TokenInfoGet"),
        "{req:?}"
    );
    assert_eq!(req.grpc_status.as_deref(), Some("OK"));
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(&c.modal_token_secret));
}

#[tokio::test]
async fn an_expiring_service_user_token_warns_with_the_date() {
    let f = fixture().await;
    let c = f.fake.creds();
    let r = f
        .check(&modal(
            &c.modal_expiring_token_id,
            &c.modal_expiring_token_secret,
            None,
        ))
        .await;
    assert_eq!(r.status, Status::Ok, "{r:?}");
    assert!(identity(&r, "service user")
        .unwrap()
        .contains(&c.modal_service_user_name));
    assert!(
        identity(&r, "expires").unwrap().contains("(in 2 days)"),
        "{r:?}"
    );
    let hint = r.hint.unwrap();
    assert!(
        hint.contains("expires in 2 days") && hint.contains("modal token new"),
        "{hint}"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_invalid_credentials_with_modal_token_new() {
    let f = fixture().await;
    let c = f.fake.creds();
    let wrong = format!("as-{}", "x".repeat(22));
    let r = f.check(&modal(&c.modal_token_id, &wrong, None)).await;
    assert_eq!(r.status, Status::InvalidCredentials, "{r:?}");
    assert_eq!(r.provider_code.as_deref(), Some("UNAUTHENTICATED"));
    assert!(
        r.hint.as_deref().unwrap().contains("modal token new"),
        "{r:?}"
    );
    assert_eq!(
        r.requests[0].grpc_status.as_deref(),
        Some("UNAUTHENTICATED")
    );
    // One answer, no retry: a refusal is not transient.
    assert_eq!(r.requests.len(), 1);
}

#[tokio::test]
async fn server_refusals_get_their_own_status() {
    let f = fixture().await;
    let c = f.fake.creds();
    let token = modal(&c.modal_token_id, &c.modal_token_secret, None);
    for (code, status) in [
        (GrpcCode::PermissionDenied, Status::PermissionDenied),
        (GrpcCode::ResourceExhausted, Status::RateLimited),
        (GrpcCode::Internal, Status::ServerError),
        (GrpcCode::Unavailable, Status::Unreachable),
    ] {
        f.fake.clear_faults();
        f.fake.set_fault(
            Target::Modal,
            Fault::GrpcStatus {
                code,
                message: "injected".into(),
            },
            None,
        );
        let r = f.check(&token).await;
        assert_eq!(r.status, status, "{code:?}: {r:?}");
        assert!(r.summary.contains("injected"), "{r:?}");
    }
    // UNAVAILABLE is transient: tried again, within the deadline, before giving up.
    let r = f.check(&token).await;
    assert!(r.requests.len() > 1, "{r:?}");
}

#[tokio::test]
async fn a_transient_unavailable_is_retried_and_then_answers() {
    let f = fixture().await;
    let c = f.fake.creds();
    f.fake.set_fault(
        Target::Modal,
        Fault::GrpcStatus {
            code: GrpcCode::Unavailable,
            message: "try again".into(),
        },
        Some(1),
    );
    let r = f
        .check(&modal(&c.modal_token_id, &c.modal_token_secret, None))
        .await;
    assert_eq!(r.status, Status::Ok, "{r:?}");
    let attempts: Vec<u32> = r.requests.iter().map(|q| q.attempt).collect();
    assert_eq!(attempts, [1, 2]);
}

#[tokio::test]
async fn the_next_server_of_the_list_is_tried_when_the_first_refuses_connections() {
    let f = fixture().await;
    let c = f.fake.creds();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let list = format!("http://127.0.0.1:{closed},{}", f.fake.modal_server_url());
    let r = f
        .check(&modal(
            &c.modal_token_id,
            &c.modal_token_secret,
            Some(&list),
        ))
        .await;
    assert_eq!(r.status, Status::Ok, "{r:?}");
    assert_eq!(r.requests.len(), 2, "{r:?}");
    assert_eq!(r.requests[0].grpc_status, None);
    assert!(r.requests[0].url.contains(&closed.to_string()));
}

#[tokio::test]
async fn https_goes_through_the_proxy_as_a_connect_tunnel() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut line = String::new();
        BufReader::new(stream.try_clone().unwrap())
            .read_line(&mut line)
            .unwrap();
        tx.send(line).unwrap();
        let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    });
    let env = Env::from_pairs([("HTTPS_PROXY", format!("http://127.0.0.1:{port}"))]);
    let ctx = context(env, 3);
    let token = modal(
        "ak-abcdefghijklmnopqrstuv",
        "as-abcdefghijklmnopqrstuv",
        None,
    );
    let r = cloudcreds_core::check(&token, &ctx).await;
    let line = rx.recv().unwrap();
    assert_eq!(line.trim_end(), "CONNECT api.modal.com:443 HTTP/1.1");
    assert_eq!(r.status, Status::Unreachable, "{r:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_ends_at_the_deadline() {
    let f = fixture_with_deadline(2).await;
    let c = f.fake.creds();
    f.fake.set_fault(Target::Modal, Fault::Hang, None);
    let r = f
        .check(&modal(&c.modal_token_id, &c.modal_token_secret, None))
        .await;
    assert_eq!(r.status, Status::Timeout, "{r:?}");
}

#[tokio::test]
async fn plain_http_to_another_machine_is_refused_before_sending() {
    let f = fixture().await;
    let r = f
        .check(&modal(
            "ak-abcdefghijklmnopqrstuv",
            "as-abcdefghijklmnopqrstuv",
            Some("http://api.modal.com"),
        ))
        .await;
    assert_eq!(r.status, Status::InvalidInput, "{r:?}");
    assert!(r.requests.is_empty());
}
