//! The real `server` binary as a child process: started on a free port over a data
//! directory or a database URL, its log collected, stopped gently (SIGTERM) or killed
//! (SIGKILL).
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct ServerProcess {
    child: Child,
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

/// The `server` command over `data_dir`, or over `database_url` when given.
pub fn command(data_dir: &std::path::Path, database_url: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env("FC_DATA_DIR", data_dir).env_remove("DATABASE_URL").env_remove("RUST_LOG");
    if let Some(url) = database_url {
        cmd.env("DATABASE_URL", url);
    }
    cmd
}

impl ServerProcess {
    /// Starts `server serve` (small demo data on an empty database, no scheduled scan)
    /// with `env` set, and waits until it listens.
    pub fn start(
        data_dir: &std::path::Path,
        database_url: Option<&str>,
        env: &[(&str, &str)],
    ) -> ServerProcess {
        let mut cmd = command(data_dir, database_url);
        cmd.args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--demo-size",
            "small",
            "--integrity-scan-secs",
            "0",
            "--shutdown-grace-secs",
            "10",
        ]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the server binary");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let mut readers = Vec::new();
        let streams: [Box<dyn Read + Send>; 2] =
            [Box::new(child.stdout.take().unwrap()), Box::new(child.stderr.take().unwrap())];
        for stream in streams {
            let (tx, log) = (tx.clone(), log.clone());
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    log.lock().unwrap().push(line.clone());
                    let _ = tx.send(line);
                }
            }));
        }
        drop(tx);
        let base = loop {
            let line = rx.recv_timeout(Duration::from_secs(180)).unwrap_or_else(|_| {
                panic!("the server did not start:\n{}", log.lock().unwrap().join("\n"))
            });
            if let Some(addr) = line.split("listening on http://").nth(1) {
                break format!("http://{}", addr.trim());
            }
        };
        ServerProcess { child, base, log, readers }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `kill -9`: no chance to finish anything.
    pub fn kill(mut self) -> String {
        self.child.kill().unwrap();
        self.finish()
    }

    /// SIGTERM: the graceful shutdown; waits for the process to exit.
    pub fn terminate(self) -> String {
        Command::new("kill").args(["-TERM", &self.pid().to_string()]).status().unwrap();
        self.finish()
    }

    fn finish(mut self) -> String {
        let status = self.child.wait().unwrap();
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        let mut text = self.log.lock().unwrap().join("\n");
        text.push_str(&format!("\n[exit: {status}]"));
        text
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value a response's `Set-Cookie` gives the cookie `name` (the sign-in's session
/// and CSRF cookies).
pub fn set_cookie(response: &reqwest::Response, name: &str) -> String {
    let prefix = format!("{name}=");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| v.to_str().ok()?.strip_prefix(&prefix)?.split(';').next().map(str::to_string))
        .unwrap_or_else(|| panic!("the response sets {name}"))
}
