//! The object store that holds uploaded bytes: a local directory by default (`<data_dir>/files`), an
//! S3-compatible bucket in production so that any number of server instances share one store. Callers see keys
//! and bytes only; which backend it is stays here.
use std::sync::Arc;

use std::ops::Range;

use bytes::Bytes;
use futures_util::{StreamExt, stream::BoxStream};
use object_store::{
    GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart,
    aws::AmazonS3Builder, local::LocalFileSystem, path::Path as StorePath,
};

use super::config::Config;

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

impl Storage {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let store: Arc<dyn ObjectStore> = match &config.s3_bucket {
            Some(bucket) => {
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(&config.s3_region)
                    .with_allow_http(config.s3_allow_http);
                if let Some(endpoint) = &config.s3_endpoint {
                    // S3-compatible stores (MinIO, Ceph, …) are addressed by path, not by virtual host.
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_virtual_hosted_style_request(false);
                }
                if let (Some(id), Some(secret)) =
                    (&config.s3_access_key_id, &config.s3_secret_access_key)
                {
                    builder = builder
                        .with_access_key_id(id)
                        .with_secret_access_key(secret);
                }
                Arc::new(builder.build()?)
            }
            None => {
                let dir = config.data_dir.join("files");
                std::fs::create_dir_all(&dir)?;
                Arc::new(LocalFileSystem::new_with_prefix(dir)?)
            }
        };
        Ok(Self { store })
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> anyhow::Result<()> {
        self.store
            .put(&StorePath::from(key), PutPayload::from_bytes(bytes))
            .await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> anyhow::Result<Bytes> {
        Ok(self.store.get(&StorePath::from(key)).await?.bytes().await?)
    }

    /// The bytes of `key` (or of `range` in it) as a stream: a large object never sits in memory whole.
    pub async fn get_stream(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> anyhow::Result<BoxStream<'static, anyhow::Result<Bytes>>> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..Default::default()
        };
        let result = self.store.get_opts(&StorePath::from(key), options).await?;
        Ok(result
            .into_stream()
            .map(|chunk| chunk.map_err(anyhow::Error::from))
            .boxed())
    }

    /// The size of an object in bytes.
    pub async fn size(&self, key: &str) -> anyhow::Result<u64> {
        Ok(self.store.head(&StorePath::from(key)).await?.size)
    }

    /// A few bytes of an object (a content sniff).
    pub async fn get_range(&self, key: &str, range: Range<u64>) -> anyhow::Result<Bytes> {
        Ok(self.store.get_range(&StorePath::from(key), range).await?)
    }

    /// A streaming writer for a large object: parts of `part_size` bytes (S3 wants ≥ 5 MiB) are sent as they
    /// fill; the object appears only on `finish`.
    pub async fn writer(&self, key: &str, part_size: usize) -> anyhow::Result<WriteMultipart> {
        let upload = self.store.put_multipart(&StorePath::from(key)).await?;
        Ok(WriteMultipart::new_with_chunk_size(upload, part_size))
    }

    /// Moves an object to another key (a rename on a local folder, a server-side copy and delete on S3).
    pub async fn rename(&self, from: &str, to: &str) -> anyhow::Result<()> {
        self.store
            .rename(&StorePath::from(from), &StorePath::from(to))
            .await?;
        Ok(())
    }

    /// Every object in the store, as (key, size), in no particular order; a stream, so a store of any size is
    /// walked in bounded memory (the backup copies what it lists).
    pub fn list(&self) -> BoxStream<'static, anyhow::Result<(String, u64)>> {
        self.store
            .list(None)
            .map(|meta| {
                meta.map(|m| (m.location.to_string(), m.size))
                    .map_err(anyhow::Error::from)
            })
            .boxed()
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        self.store.delete(&StorePath::from(key)).await?;
        Ok(())
    }
}
