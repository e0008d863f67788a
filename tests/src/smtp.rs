//! A tiny real SMTP receiver on 127.0.0.1: EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT.
//! Every message is kept so a test can read it.
use std::{sync::Arc, time::Duration};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::{Mutex, Notify},
    task::JoinHandle,
};

#[derive(Debug, Clone, Default)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA section as received (headers and body, dot-unstuffed).
    pub data: String,
}

pub struct SmtpServer {
    pub port: u16,
    messages: Arc<Mutex<Vec<ReceivedMail>>>,
    notify: Arc<Notify>,
    task: JoinHandle<()>,
}

impl SmtpServer {
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// A receiver on a chosen port: a test can point the mailer at a port where nothing listens yet (SMTP down)
    /// and bring the receiver up there later.
    pub async fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let notify = Arc::new(Notify::new());
        let (m, n) = (messages.clone(), notify.clone());
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (m, n) = (m.clone(), n.clone());
                tokio::spawn(async move {
                    let _ = session(socket, m, n).await;
                });
            }
        });
        Self {
            port,
            messages,
            notify,
            task,
        }
    }

    /// `smtp://127.0.0.1:<port>` (plain, no TLS, no auth).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn messages(&self) -> Vec<ReceivedMail> {
        self.messages.lock().await.clone()
    }

    /// Waits until at least `n` messages arrived; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.notify.notified();
            {
                let msgs = self.messages.lock().await;
                if msgs.len() >= n {
                    return msgs.clone();
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let got = self.messages.lock().await.len();
                panic!("SMTP: expected {n} message(s) within {timeout:?}, got {got}");
            }
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    messages: Arc<Mutex<Vec<ReceivedMail>>>,
    notify: Arc<Notify>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 localhost test ESMTP\r\n").await?;
    let mut current = ReceivedMail::default();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-localhost greets you\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("HELO") {
            write.write_all(b"250 localhost\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            current = ReceivedMail {
                from: address(&cmd["MAIL FROM:".len()..]),
                ..Default::default()
            };
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            current.to.push(address(&cmd["RCPT TO:".len()..]));
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Dot-unstuffing.
                let l = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(l);
            }
            current.data = data;
            messages.lock().await.push(std::mem::take(&mut current));
            notify.notify_waiters();
            write.write_all(b"250 OK: queued\r\n").await?;
        } else if upper == "RSET" {
            current = ReceivedMail::default();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "NOOP" {
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"502 Command not implemented\r\n").await?;
        }
    }
}

/// `<a@b>` (maybe with parameters after it) → `a@b`.
fn address(s: &str) -> String {
    let s = s.trim();
    match (s.find('<'), s.find('>')) {
        (Some(a), Some(b)) if a < b => s[a + 1..b].to_string(),
        _ => s.split_whitespace().next().unwrap_or_default().to_string(),
    }
}
