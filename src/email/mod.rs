//! The Friday status email (週次ステータスメール) and its monthly variant: the report view the
//! site's page shows, laid out for mail clients (a 600 px table, inline styles, PNG charts referenced by `cid:`),
//! with a text part that reads on its own, as one RFC 5322 message built by lettre. Nothing here
//! reads files or sends anything: `cmd::email` does both ends.

pub mod closing;
pub mod folders;
pub mod images;
pub mod send;
pub mod text;

use std::time::{Duration, SystemTime};

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use serde::Serialize;

use crate::config::email::EmailConfig;
use crate::kpi::period::PeriodKind;
use crate::render::Templates;
use crate::reports::views::{ReportPageView, Words};

/// Gmail clips a message whose HTML is larger.
pub const HTML_LIMIT: usize = 100 * 1024;
/// Images together stay under this.
pub const IMAGES_LIMIT: usize = 500 * 1024;
/// Chart images are drawn at twice the width they are shown at (sharp on high-density screens).
const SHOWN_WIDTH: u32 = 560;

/// One chart as an inline image.
#[derive(Debug, Clone, Serialize)]
pub struct InlineImage {
    pub cid: String,
    /// File name beside the preview HTML.
    pub file: String,
    pub title: String,
    pub description: String,
    pub width: u32,
    #[serde(skip)]
    pub png: Vec<u8>,
}

/// Mail readers show far fewer; past this a subject is cut.
const SUBJECT_CHARS: usize = 200;

/// Everything `opsite email` writes.
pub struct Composed {
    pub subject: String,
    pub message_id: String,
    pub html: String,
    pub text: String,
    pub images: Vec<InlineImage>,
    pub eml: Vec<u8>,
    /// The attached PDF's file name (`--attach-pdf`), for `--dry-run` to say.
    pub attachment: Option<String>,
}

impl Composed {
    /// What mail readers would cut or refuse of this message, said by `--dry-run` and by the
    /// run that writes it alike.
    pub fn size_warnings(&self) -> Vec<String> {
        let images: usize = self.images.iter().map(|i| i.png.len()).sum();
        let mut out = Vec::new();
        if self.html.len() > HTML_LIMIT {
            out.push(format!(
                "the HTML part is {} KB; Gmail clips messages over 100 KB",
                self.html.len() / 1024
            ));
        }
        if images > IMAGES_LIMIT {
            out.push(format!(
                "the images total {} KB (limit 500 KB)",
                images / 1024
            ));
        }
        out
    }
}

/// What a message needs besides the report view.
pub struct Envelope<'a> {
    pub config: &'a EmailConfig,
    /// Where the recipients are set in site.yaml (`email`, `email.customers.北斗会`): mistakes
    /// name `<key>.to`.
    pub key: &'a str,
    /// Recipients (the site's, or one customer's). Bcc is checked here but never written into
    /// the message: only the relay is told.
    pub to: &'a [String],
    pub cc: &'a [String],
    pub bcc: &'a [String],
    pub site_title: &'a str,
    /// The customer a per-customer mail is for (subject variable `customer`; empty otherwise).
    pub customer: Option<&'a str>,
    /// Absolute URL of the report page.
    pub report_url: &'a str,
    /// UTC seconds: the `Date` header.
    pub as_of: i64,
    /// RFC 3339 of `as_of` (subject variable).
    pub as_of_text: &'a str,
    pub words: &'a Words,
    /// Added to the Message-ID (a customer's slug).
    pub tag: &'a str,
    /// The greeting and signature as (where from, Markdown), when the site has them.
    pub greeting: Option<(&'a str, &'a str)>,
    pub signature: Option<(&'a str, &'a str)>,
    /// A PDF attached to the message: its file name and bytes (`--attach-pdf`).
    pub attachment: Option<(&'a str, &'a [u8])>,
}

#[derive(Serialize)]
struct HtmlView<'a> {
    report: &'a ReportPageView,
    /// The customer a mail is for; none in the internal mail (API alerts are its alone).
    customer: Option<&'a str>,
    t: &'a Words,
    site_title: &'a str,
    report_url: &'a str,
    images: &'a [InlineImage],
    greeting: Option<&'a str>,
    signature: Option<&'a str>,
    /// What the mail says when no indicator missed its target (`text::none_unmet`).
    none_unmet: String,
}

/// Render the email of `view` (a weekly or monthly report page's view). Errors are messages
/// naming what to fix.
pub fn compose(
    view: &ReportPageView,
    env: &Envelope,
    templates: &Templates,
) -> Result<Composed, Vec<String>> {
    let mut errors = Vec::new();
    let missing = env.config.missing();
    if !missing.is_empty() {
        return Err(vec![format!(
            "site.yaml needs {} for the email (e.g. email: {{from: \"Ops team <ops@example.jp>\", to: [\"ops-team@example.jp\"], subject: \"Weekly status {{{{ period_label }}}}\"}})",
            missing.join(", ")
        )]);
    }
    let subject = render_subject(env, view).unwrap_or_else(|e| {
        errors.push(without_customer(env, e));
        String::new()
    });
    let images = chart_images(view).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    let ctx = variables(env, view);
    let mut closing = |part: Option<(&str, &str)>| {
        let (origin, markdown) = part?;
        closing::render(origin, markdown, &ctx)
            .map_err(|e| errors.push(without_customer(env, e)))
            .ok()
    };
    // A customer's mail opens with the default greeting when the site has none of its own.
    let default = (env.customer.is_some() && env.greeting.is_none())
        .then_some(("the default greeting", env.words.mail_greeting));
    let (greeting, signature) = (closing(env.greeting.or(default)), closing(env.signature));
    // A theme may lay out one kind its own way (`email/monthly.html`); `email/report.html` does both.
    let own = format!("email/{}.html", view.kind);
    let template = if templates.has(&own) {
        own
    } else {
        "email/report.html".to_string()
    };
    let html = tera::Context::from_serialize(HtmlView {
        report: view,
        customer: env.customer,
        t: env.words,
        site_title: env.site_title,
        report_url: env.report_url,
        images: &images,
        greeting: greeting.as_ref().map(|c| c.html.as_str()),
        signature: signature.as_ref().map(|c| c.html.as_str()),
        none_unmet: text::none_unmet(view, env.words),
    })
    .and_then(|c| templates.render(&template, &c))
    .unwrap_or_else(|e| {
        errors.push(format!(
            "template {template}: {}",
            crate::render::tera_message(&e)
        ));
        String::new()
    });
    let mut text = text::report(
        view,
        env.words,
        env.site_title,
        env.report_url,
        env.customer.is_none(),
    );
    if let Some(g) = &greeting {
        text = format!("{}\n\n{text}", g.text);
    }
    if let Some(s) = &signature {
        text = format!("{}\n\n{}\n", text.trim_end(), s.text);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (eml, message_id) = message(env, &subject, &view.period, &html, &text, &images)?;
    Ok(Composed {
        subject,
        message_id,
        html,
        text,
        images,
        eml,
        attachment: env.attachment.map(|(name, _)| name.to_string()),
    })
}

/// A template's error, saying how to guard `customer` when the internal mail lacks it.
fn without_customer(env: &Envelope, message: String) -> String {
    if env.customer.is_some() || !message.contains("`customer`") {
        return message;
    }
    format!(
        "{message}; the internal mail (to email.to: the team, every customer's figures) has no `customer`: write it inside {{% if customer %}}…{{% endif %}}"
    )
}

fn render_subject(env: &Envelope, view: &ReportPageView) -> Result<String, String> {
    // A monthly mail never borrows the weekly subject: without `monthly_subject`, it is named
    // after the review itself.
    let template = match (view.period_kind, &env.config.monthly_subject) {
        (PeriodKind::Month, Some(s)) => s.as_str(),
        (PeriodKind::Month, None) => "{{ site }} {{ title }}",
        _ => env.config.subject.as_deref().unwrap_or_default(),
    };
    let ctx = variables(env, view);
    // Named without `.html`, so nothing is escaped; rendered with the limits of every template.
    let source = crate::render::TemplateSource {
        name: "email.subject".into(),
        text: template.to_string(),
        origin: crate::config::CONFIG_FILE.into(),
    };
    // A header line: no bidirectional override or other hiding character from a page's or a
    // commentary's title can make a mail list show `…exe.pdf` for `fdp.exe…`.
    crate::render::guard::render_one_off(&source, &ctx)
        .map(|s| crate::display_text::one_line(&s))
        .map(|s| shortened(&s.split_whitespace().collect::<Vec<_>>().join(" ")))
        .map_err(|e| format!("email.subject: {}", crate::render::tera_message(&e)))
}

/// A subject cut after `SUBJECT_CHARS` characters, with `…`: a header line must stay
/// under RFC 5322's 998 bytes, and a customer's name may be of any length.
fn shortened(subject: &str) -> String {
    match subject.char_indices().nth(SUBJECT_CHARS) {
        Some((cut, _)) => format!("{}…", &subject[..cut]),
        None => subject.to_string(),
    }
}

/// The variables of the subject, the greeting and the signature.
fn variables(env: &Envelope, view: &ReportPageView) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("kind", view.kind);
    ctx.insert("document", env.words.document(view.period_kind));
    ctx.insert("title", &view.title);
    ctx.insert("period", &view.period);
    ctx.insert("period_label", &view.period_label);
    // False while the period is not over at the clock: a subject can say the figures are early.
    ctx.insert("complete", &view.complete);
    // The internal mail (to the team, with every customer's figures) has no customer: a
    // template naming one unguarded is an error, not a subject addressed to nobody.
    if let Some(customer) = env.customer {
        ctx.insert("customer", customer);
    }
    ctx.insert("site_title", env.site_title);
    let (start, end) = (view.days.0.to_string(), view.days.1.to_string());
    ctx.insert("start", &start);
    ctx.insert("end", &end);
    ctx.insert("as_of", env.as_of_text);
    ctx.insert("site", env.site_title);
    ctx
}

/// The report's charts as PNG (the font must be loaded first): the page's key charts, then (a
/// monthly review) its trends, as many as stay under the image budget.
fn chart_images(view: &ReportPageView) -> Result<Vec<InlineImage>, String> {
    let mut out: Vec<InlineImage> = Vec::new();
    let mut total = 0;
    // A chart with nothing to draw has no drawing: the mail's tables say 「データなし」.
    let drawn = (view.charts.iter().chain(&view.trend_charts)).filter(|c| !c.no_data);
    for c in drawn {
        let i = out.len() + 1;
        let png = images::png(&c.svg, SHOWN_WIDTH * 2)
            .map_err(|e| format!("chart `{}` as PNG: {e}", c.title))?;
        if total + png.len() > IMAGES_LIMIT * 9 / 10 {
            break;
        }
        total += png.len();
        out.push(InlineImage {
            cid: format!("chart{i}.{}@opsite", view.period),
            file: format!("{}-chart{i}.png", view.period),
            title: c.title.clone(),
            description: c.description.clone(),
            width: SHOWN_WIDTH,
            png,
        });
    }
    Ok(out)
}

pub(crate) fn mailbox(key: &str, text: &str) -> Result<Mailbox, String> {
    text.trim()
        .parse::<Mailbox>()
        .map_err(|e| format!("{key}: `{text}` is not an email address ({e})"))
}

/// The RFC 5322 message: multipart/alternative of the text and a multipart/related holding the
/// HTML and its images. Boundaries, Date and Message-ID are derived from the period and
/// `as_of`, so the same inputs give the same bytes.
fn message(
    env: &Envelope,
    subject: &str,
    period: &str,
    html: &str,
    text: &str,
    images: &[InlineImage],
) -> Result<(Vec<u8>, String), Vec<String>> {
    let mut errors = Vec::new();
    let c = env.config;
    let mut b = Message::builder().subject(subject);
    let from = c.from.as_deref().unwrap_or_default();
    match mailbox("email.from", from) {
        Ok(m) => b = b.from(m),
        Err(e) => errors.push(e),
    }
    for to in env.to {
        match mailbox(&format!("{}.to", env.key), to) {
            Ok(m) => b = b.to(m),
            Err(e) => errors.push(e),
        }
    }
    for cc in env.cc {
        match mailbox(&format!("{}.cc", env.key), cc) {
            Ok(m) => b = b.cc(m),
            Err(e) => errors.push(e),
        }
    }
    for bcc in env.bcc {
        if let Err(e) = mailbox(&format!("{}.bcc", env.key), bcc) {
            errors.push(e);
        }
    }
    if let Some(r) = &c.reply_to {
        match mailbox("email.reply_to", r) {
            Ok(m) => b = b.reply_to(m),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').trim())
        .unwrap_or("opsite.invalid");
    // A Message-ID is ASCII: a customer's folder name in Japanese is given as a digest.
    let tag = if env.tag.is_empty() {
        String::new()
    } else if (env.tag.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        format!(".{}", env.tag)
    } else {
        format!(".c{}", crate::digest::sha256_hex(&[env.tag.as_bytes()], 6))
    };
    // The content's digest too: a mail re-sent with other figures (--resend after the data
    // changed) is a new message, which a mail client must not drop as a duplicate.
    let parts = [subject.as_bytes(), html.as_bytes(), text.as_bytes()];
    let content = crate::digest::sha256_hex(&parts, 4);
    let message_id = format!("<{period}{tag}.{}.{content}.opsite@{domain}>", env.as_of);
    b = b
        .date(SystemTime::UNIX_EPOCH + Duration::from_secs(env.as_of.max(0) as u64))
        .message_id(Some(message_id.clone()));
    // A boundary no part contains: from the content's digest (a title cannot carry the digest
    // of the text it is part of), lengthened in the unlikely case a part holds it anyway.
    // One guessable from the period alone let a ticket title close the HTML part and add its own.
    let boundary = |part: &str| {
        let mut b = format!("opsite-{part}-{period}-{}-{content}", env.as_of);
        while html.contains(&b) || text.contains(&b) {
            b.push('x');
        }
        b
    };
    // RFC 2387: a multipart/related names the type of its root part.
    let related_type = ContentType::parse(&format!(
        "multipart/related; type=\"text/html\"; boundary=\"{}\"",
        boundary("related")
    ))
    .map_err(|e| vec![format!("content type: {e}")])?;
    let mut related = MultiPart::builder()
        .header(related_type)
        .singlepart(SinglePart::html(html.to_string()));
    for img in images {
        related = related.singlepart(
            Attachment::new_inline_with_name(img.cid.clone(), img.file.clone()).body(
                img.png.clone(),
                ContentType::parse("image/png").expect("a MIME type"),
            ),
        );
    }
    let body = MultiPart::alternative()
        .boundary(boundary("alternative"))
        .singlepart(SinglePart::plain(text.to_string()))
        .multipart(related);
    // With a PDF: multipart/mixed of the message and the file.
    let body = match env.attachment {
        None => body,
        Some((name, bytes)) => MultiPart::mixed()
            .boundary(boundary("mixed"))
            .multipart(body)
            .singlepart(Attachment::new(name.to_string()).body(
                bytes.to_vec(),
                ContentType::parse("application/pdf").expect("a MIME type"),
            )),
    };
    b.multipart(body)
        .map(|m| (m.formatted(), message_id))
        .map_err(|e| vec![format!("the message cannot be built: {e}")])
}
