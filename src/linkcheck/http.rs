//! Asking each external URL once: HEAD (then GET when HEAD is refused or answered with an error,
//! as many servers mishandle it), redirects followed by hand so a permanent one can be told
//! apart, a time-out per request, retries with back-off for time-outs, refused connections, 429
//! and 5xx, and at most `concurrency` requests at once and `per_host` per host. The tokio runtime
//! lives only inside `check`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use reqwest::{header::LOCATION, Client, Method, Url};
use tokio::sync::Semaphore;

use super::Outcome;

#[derive(Debug, Clone)]
pub struct Settings {
    pub timeout: Duration,
    pub concurrency: usize,
    pub per_host: usize,
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub retry_delay: Duration,
}

impl Settings {
    pub fn from_config(c: &crate::config::versions::CheckConfig) -> Settings {
        Settings {
            timeout: Duration::from_secs_f64(c.external_timeout.clamp(0.05, 600.0)),
            concurrency: c.external_concurrency.max(1),
            per_host: c.external_per_host.max(1),
            retries: c.external_retries.min(10),
            retry_delay: Duration::from_millis(500),
        }
    }
}

const MAX_REDIRECTS: usize = 10;
const USER_AGENT: &str = concat!("opsite-linkcheck/", env!("CARGO_PKG_VERSION"));

/// The outcome of every URL.
pub fn check(urls: &[String], settings: &Settings) -> BTreeMap<String, Outcome> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let reason = format!("cannot start the HTTP client: {e}");
            return urls
                .iter()
                .map(|u| {
                    (
                        u.clone(),
                        Outcome::Failed {
                            reason: reason.clone(),
                        },
                    )
                })
                .collect();
        }
    };
    runtime.block_on(check_all(urls, settings))
}

fn client(settings: &Settings, direct: bool) -> Result<Client, String> {
    let mut b = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout)
        .user_agent(USER_AGENT);
    // A proxy cannot reach this machine's own servers.
    if direct {
        b = b.no_proxy();
    }
    b.build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))
}

fn is_local(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("").trim_matches(['[', ']']);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn check_all(urls: &[String], settings: &Settings) -> BTreeMap<String, Outcome> {
    let mut out = BTreeMap::new();
    let clients = match (client(settings, false), client(settings, true)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(reason), _) | (_, Err(reason)) => {
            for u in urls {
                out.insert(
                    u.clone(),
                    Outcome::Failed {
                        reason: reason.clone(),
                    },
                );
            }
            return out;
        }
    };
    let global = Arc::new(Semaphore::new(settings.concurrency));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let mut tasks = tokio::task::JoinSet::new();
    for url in urls {
        let parsed = match Url::parse(url) {
            Ok(u) if u.host().is_some() => u,
            Ok(_) => {
                out.insert(url.clone(), invalid("it names no host"));
                continue;
            }
            Err(e) => {
                out.insert(url.clone(), invalid(&e.to_string()));
                continue;
            }
        };
        let host_key = format!(
            "{}:{}",
            parsed.host_str().unwrap_or(""),
            parsed.port_or_known_default().unwrap_or(0)
        );
        let host = hosts
            .entry(host_key)
            .or_insert_with(|| Arc::new(Semaphore::new(settings.per_host)))
            .clone();
        let global = global.clone();
        let client = if is_local(&parsed) {
            clients.1.clone()
        } else {
            clients.0.clone()
        };
        let settings = settings.clone();
        let url = url.clone();
        tasks.spawn(async move {
            let _host = host.acquire_owned().await;
            let _slot = global.acquire_owned().await;
            let outcome = ask(&client, parsed, &settings).await;
            (url, outcome)
        });
    }
    while let Some(done) = tasks.join_next().await {
        if let Ok((url, outcome)) = done {
            out.insert(url, outcome);
        }
    }
    out
}

fn invalid(reason: &str) -> Outcome {
    Outcome::Invalid {
        reason: format!("not a URL that can be checked ({reason})"),
    }
}

/// A step's result: final, or worth another attempt.
enum Answer {
    Final(Outcome),
    Retry(Outcome),
}

async fn ask(client: &Client, url: Url, settings: &Settings) -> Outcome {
    let mut last = Outcome::Limited;
    for attempt in 0..=settings.retries {
        if attempt > 0 {
            tokio::time::sleep(settings.retry_delay * 2u32.pow(attempt - 1)).await;
        }
        match follow(client, url.clone(), settings).await {
            Answer::Final(o) => return o,
            Answer::Retry(o) => last = o,
        }
    }
    match last {
        Outcome::Failed { reason } if settings.retries > 0 => Outcome::Failed {
            reason: format!("{reason} ({} attempts)", settings.retries + 1),
        },
        other => other,
    }
}

async fn send(
    client: &Client,
    method: Method,
    url: &Url,
) -> Result<reqwest::Response, reqwest::Error> {
    client.request(method, url.clone()).send().await
}

/// Follow the redirects from `url`. The link counts as moved when its first answers are
/// permanent redirects (301, 308); `to` is where those lead.
async fn follow(client: &Client, url: Url, settings: &Settings) -> Answer {
    let mut current = url;
    let mut moved: Option<(u16, Url)> = None;
    let mut all_permanent = true;
    for _ in 0..MAX_REDIRECTS {
        let mut response = match send(client, Method::HEAD, &current).await {
            Ok(r) => r,
            Err(e) => return Answer::Retry(failure(&e, settings)),
        };
        let mut status = response.status().as_u16();
        if !(200..400).contains(&status) {
            response = match send(client, Method::GET, &current).await {
                Ok(r) => r,
                Err(e) => return Answer::Retry(failure(&e, settings)),
            };
            status = response.status().as_u16();
        }
        if (300..400).contains(&status) && status != 304 {
            let Some(next) = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|loc| current.join(loc).ok())
            else {
                return Answer::Final(Outcome::Failed {
                    reason: format!("redirect ({status}) without a usable Location"),
                });
            };
            let permanent = status == 301 || status == 308;
            all_permanent &= permanent;
            if all_permanent {
                moved = Some((moved.map_or(status, |(s, _)| s), next.clone()));
            }
            current = next;
            continue;
        }
        return match status {
            200..=299 | 304 => Answer::Final(match moved {
                Some((status, to)) => Outcome::Moved {
                    to: to.to_string(),
                    status,
                },
                None => Outcome::Ok,
            }),
            401 | 403 => Answer::Final(Outcome::Denied { status }),
            429 => Answer::Retry(Outcome::Limited),
            500..=599 => Answer::Retry(Outcome::Failed {
                reason: format!("the server failed ({status})"),
            }),
            _ => Answer::Final(Outcome::Broken { status }),
        };
    }
    Answer::Final(Outcome::Failed {
        reason: format!("more than {MAX_REDIRECTS} redirects"),
    })
}

fn failure(e: &reqwest::Error, settings: &Settings) -> Outcome {
    // The innermost cause says what happened (reqwest's outer layers repeat the URL).
    let mut cause = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    let reason = if e.is_timeout() {
        format!("no answer within {} s", settings.timeout.as_secs_f64())
    } else if cause.contains("failed to lookup address")
        || cause.contains("Name or service not known")
    {
        "the host name does not resolve (DNS)".to_string()
    } else if cause.contains("certificate") {
        format!("TLS certificate rejected: {cause}")
    } else if e.is_connect() {
        format!("cannot connect: {cause}")
    } else {
        cause
    };
    Outcome::Failed { reason }
}
