//! Shared command context: language, data directory, logging.

use std::path::PathBuf;

use tenken_core::Lang;

/// What every subcommand gets: the chosen language and data directory.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Output language.
    pub lang: Lang,
    /// Data directory override (`--data-dir` / `TENKEN_DATA_DIR`), if given.
    pub data_dir: Option<PathBuf>,
}

impl Ctx {
    /// Builds the context.
    pub fn new(lang: Lang, data_dir: Option<PathBuf>) -> Self {
        Self { lang, data_dir }
    }

    /// The data directory to use: the override, else the OS app-data directory.
    pub fn data_path(&self) -> PathBuf {
        tenken_core::store::data_dir(self.data_dir.as_deref())
    }

    /// Opens the engine's session on the data directory: every use case goes through it.
    pub fn session(&self) -> anyhow::Result<tenken_core::Session> {
        Ok(tenken_core::Session::open(self.data_dir.as_deref())?)
    }

    /// Picks the Japanese or English message.
    pub fn t<'a>(&self, ja: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(ja, en)
    }
}

/// Sets up `tracing` to stderr; `-v` raises the level.
pub fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("TENKEN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(crate::out::stderr)
        .try_init();
}
