//! What the client accepts from a hostile or broken peer, against loopback servers started
//! here: a response-size cap before and after decompression (a gzip bomb, a 50 MB body, an
//! endless body), an operation deadline across attempts (a hung server), no password
//! repeated from an endpoint URL, a size cap on credential files, and a credential chain
//! that fails at `from_env` naming every provider.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::time::Duration;

use common::{ListWidgets, Reply, TestServer, client, serve};
use gaap_client::credentials::{CvmRoleProvider, DefaultChain, Env, ProfileFileProvider};
use gaap_client::{
    ClientBuilder, ProvideCredentials, ResponseErrorKind, RetryConfig, SdkError, TransportErrorKind,
};
use tokio::time::Instant;

/// A gzip stream that inflates to `mib` MiB of zeros (about 1 KB per MiB): compressed
/// 1 MiB blocks repeated, with a valid trailer.
fn gzip_bomb(mib: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, Crc, FlushCompress};
    let zeros = vec![0u8; 1 << 20];
    let mut deflate = Compress::new(Compression::best(), false);
    let mut block = Vec::with_capacity(4096);
    deflate
        .compress_vec(&zeros, &mut block, FlushCompress::Sync)
        .unwrap();
    let mut crc = Crc::new();
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    for _ in 0..mib {
        out.extend_from_slice(&block);
        crc.update(&zeros);
    }
    let mut end = Vec::with_capacity(64);
    deflate
        .compress_vec(&[], &mut end, FlushCompress::Finish)
        .unwrap();
    out.extend_from_slice(&end);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(crc.amount()).to_le_bytes());
    out
}

fn head(extra: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{extra}Connection: close\r\n\r\n")
        .into_bytes()
}

async fn too_large(server: &TestServer, cap: usize) -> (gaap_client::ResponseError, Duration) {
    let client = client(server)
        .retry(RetryConfig::disabled())
        .max_response_bytes(cap)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.call(ListWidgets::default()).await.unwrap_err();
    let elapsed = started.elapsed();
    println!("response error Display: {err}");
    match err {
        SdkError::Response(e) if e.kind() == ResponseErrorKind::TooLarge => (e, elapsed),
        other => panic!("expected a TooLarge response error, got {other}"),
    }
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_cap_after_decompression() {
    let bomb = gzip_bomb(512);
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let server = serve(move |_, _| {
        let mut reply = head(&format!(
            "Content-Encoding: gzip\r\nContent-Length: {}\r\n",
            bomb.len()
        ));
        reply.extend_from_slice(&bomb);
        Reply::Raw(reply)
    })
    .await;
    let (err, elapsed) = too_large(&server, 4 << 20).await;
    println!("gzip bomb ({} MiB inflated): {err} after {elapsed:?}", 512);
    assert!(err.to_string().contains("more than 4194304 bytes"), "{err}");
}

#[tokio::test]
async fn a_declared_50_mb_body_is_refused_before_it_is_read() {
    let server = serve(|_, _| Reply::Endless {
        head: head(&format!("Content-Length: {}\r\n", 50 << 20)),
        chunk: vec![b' '; 1 << 16],
        max_chunks: 800,
    })
    .await;
    let (err, _) = too_large(&server, 4 << 20).await;
    assert!(err.to_string().contains("read 0 before stopping"), "{err}");
}

#[tokio::test]
async fn an_endless_body_stops_at_the_cap() {
    // A chunked body of up to 1.6 GB (bounded so the test cannot run away).
    let mut chunk = format!("{:x}\r\n", 1 << 14).into_bytes();
    chunk.extend(std::iter::repeat_n(b' ', 1 << 14));
    chunk.extend_from_slice(b"\r\n");
    let server = serve(move |_, _| Reply::Endless {
        head: head("Transfer-Encoding: chunked\r\n"),
        chunk: chunk.clone(),
        max_chunks: 100_000,
    })
    .await;
    let (err, elapsed) = too_large(&server, 1 << 20).await;
    println!("endless body: {err} after {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn a_huge_service_message_is_cut_for_display() {
    let message = "x".repeat(2 << 20);
    let server =
        serve(move |n, _| common::error("FailedOperation", &message, &format!("r{n}"))).await;
    let client = client(&server).build().unwrap();
    let err = client.call(ListWidgets::default()).await.unwrap_err();
    let shown = err.to_string();
    // One short line for display; the kept message (4 KB) still says how long it was.
    assert!(shown.len() < 1024, "{} bytes", shown.len());
    assert!(shown.contains("bytes in all"), "{shown}");
    assert!(shown.ends_with("(RequestId: r0)"), "{shown}");
    let message = err.message().unwrap();
    assert!(message.len() < 4200, "{}", message.len());
    assert!(message.ends_with("(2097152 bytes in all)"), "{message}");
}

#[tokio::test(start_paused = true)]
async fn a_hung_server_fails_within_the_default_deadline() {
    let server = serve(|_, _| Reply::Hang).await;
    // Default timeouts and retries; only the endpoint and credentials are set.
    let client = gaap_client::Client::builder()
        .endpoint(server.url())
        .credentials(gaap_client::Credentials::new(
            common::SECRET_ID,
            common::SECRET_KEY,
        ))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.call(ListWidgets::default()).await.unwrap_err();
    let elapsed = Instant::now() - started;
    println!("hung server: {err} after {elapsed:?} (virtual time)");
    assert!(elapsed <= Duration::from_secs(31), "{elapsed:?}");
    let SdkError::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(
            t.kind(),
            TransportErrorKind::Deadline | TransportErrorKind::Timeout
        ),
        "{err}"
    );
    // A read is retried within the deadline, then the deadline stops it.
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn an_operation_deadline_bounds_every_attempt_and_backoff() {
    let server = serve(|_, _| Reply::Hang).await;
    let client = client(&server)
        .timeout(Some(Duration::from_millis(300)))
        .operation_timeout(Some(Duration::from_millis(700)))
        .retry(RetryConfig::new().max_attempts(10))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.call(ListWidgets::default()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(1200), "{elapsed:?}");
    assert!(server.count() <= 3, "{}", server.count());
    println!("deadline: {err}");
}

#[test]
fn a_password_in_the_endpoint_url_is_never_repeated() {
    let url = "http://admin:hunter2-secret@127.0.0.1:9";
    let builder = ClientBuilder::new().endpoint(url);
    let shown = format!("{builder:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let err = builder.build().unwrap_err().to_string();
    println!("config error: {err}");
    assert!(!err.contains("hunter2"), "{err}");
    assert!(!err.contains("admin"), "{err}");
    assert!(
        err.contains("credentials in the URL are not allowed"),
        "{err}"
    );
    // Without a scheme too.
    let err = ClientBuilder::new()
        .endpoint("admin:hunter2-secret@gaap.tencentcloudapi.com")
        .build()
        .unwrap_err()
        .to_string();
    assert!(!err.contains("hunter2"), "{err}");
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("gaap-client-limits-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_huge_credentials_file_is_refused_without_reading_it() {
    let dir = temp_dir("huge");
    let path = dir.join("credentials");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"[default]\nsecret_id = AKIDhuge\nsecret_key = k\n")
        .unwrap();
    // 48 MB (sparse: cheap to create, expensive to read whole).
    file.set_len(48 << 20).unwrap();
    let env = Env::from_vars([("TENCENTCLOUD_CREDENTIALS_FILE", path.to_str().unwrap())]);
    let err = ProfileFileProvider::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("larger than 65536 bytes"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn from_env_fails_naming_every_provider_it_tried() {
    let home = temp_dir("empty-home");
    let h = home.to_str().unwrap().to_owned();
    // A metadata URL where nothing listens.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = listener.local_addr().unwrap();
    drop(listener);
    let env = Env::from_vars([("HOME", h.as_str())]);
    let chain = DefaultChain::from_parts(
        env.clone(),
        CvmRoleProvider::new().base_url(format!("http://{closed}/latest/meta-data/")),
    );
    let err = ClientBuilder::from_env_vars(env)
        .default_chain(chain)
        .build()
        .unwrap_err()
        .to_string();
    println!("credentials error: {err}");
    for provider in ["environment", "profile file", "tccli", "cvm role"] {
        assert!(err.contains(&format!("{provider}: not found")), "{err}");
    }
    std::fs::remove_dir_all(&home).unwrap();
}
