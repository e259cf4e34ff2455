//! The blob store: files under the data folder (media fetched from providers). Writes go to a
//! temporary file first and are renamed into place, so a reader never sees half a file.

use std::path::{Path, PathBuf};

pub struct Blobs {
    root: PathBuf,
}

impl Blobs {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        let ok = !key.is_empty()
            && key.split('/').all(|p| {
                !p.is_empty()
                    && p != "."
                    && p != ".."
                    && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        ok.then(|| self.root.join(key))
    }

    pub async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key).ok_or_else(|| std::io::Error::other("bad blob key"))?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let tmp = path.with_extension(format!("tmp{}", rand::random::<u32>()));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    }

    pub async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let path = self.path(key).ok_or_else(|| std::io::Error::other("bad blob key"))?;
        tokio::fs::read(path).await
    }

    pub async fn delete(&self, key: &str) -> std::io::Result<()> {
        match self.path(key) {
            Some(p) if Path::new(&p).exists() => tokio::fs::remove_file(p).await,
            _ => Ok(()),
        }
    }
}
