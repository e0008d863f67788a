//! Where an upload's bytes live while it is in progress: segments in the object store, streamed in by each
//! PATCH, assembled into the lesson file on the last byte, and removed when an upload is abandoned.
#[allow(clippy::wildcard_imports)]
use super::*;

/// Part size of the streamed writes (S3 wants at least 5 MiB per part but the last).
pub(super) const PART_BYTES: usize = 8 * 1024 * 1024;
/// Parts in flight per writer: memory stays near `PART_BYTES × (PARTS_IN_FLIGHT + 1)` whatever the file size.
pub(super) const PARTS_IN_FLIGHT: usize = 2;
/// Block size when reading segments back for assembly.
pub(super) const READ_BYTES: u64 = 8 * 1024 * 1024;

/// One stored piece of an upload: the object `key` holds bytes `start..start+len`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Segment {
    pub(super) key: String,
    pub(super) start: i64,
    pub(super) len: i64,
}

pub(super) fn segments_of(u: &upload::Model) -> Vec<Segment> {
    serde_json::from_str(&u.segments).unwrap_or_default()
}

/// Deletes an upload session and its segments (best effort for the objects: an orphan is harmless).
pub(super) async fn discard(state: &AppState, u: &upload::Model) -> AppResult<()> {
    upload::Entity::delete_by_id(u.id.clone())
        .exec(&state.db)
        .await?;
    delete_segments(state, &segments_of(u)).await;
    Ok(())
}

/// How long before the shutdown's drain bound a PATCH stops reading, to store its segment and answer in time.
const STOP_READING_MARGIN: std::time::Duration = std::time::Duration::from_secs(1);

/// Removes the sessions nobody has continued for `upload_expiry_hours` (their segments and rows), so abandoned
/// uploads hold neither space in the store nor the teacher's quota. Finished ones stay: their status is still asked.
pub async fn expire_abandoned(state: &AppState) -> AppResult<usize> {
    let cutoff = Utc::now() - chrono::Duration::hours(state.config.upload_expiry_hours);
    let stale = upload::Entity::find()
        .filter(upload::Column::FileId.is_null())
        .filter(upload::Column::UpdatedAt.lt(cutoff))
        .all(&state.db)
        .await?;
    for u in &stale {
        discard(state, u).await?;
    }
    Ok(stale.len())
}

/// The sweeper `serve` runs: abandoned uploads are looked for every ten minutes.
pub async fn run_expirer(state: AppState, stop: crate::platform::shutdown::Shutdown) {
    loop {
        match stop.or_cancelled(expire_abandoned(&state)).await {
            None => return,
            Some(Ok(0)) => {}
            Some(Ok(n)) => tracing::info!(uploads = n, "abandoned uploads expired"),
            Some(Err(e)) => tracing::warn!(error = ?e, "expiring abandoned uploads failed"),
        }
        if !stop.sleep(std::time::Duration::from_secs(600)).await {
            return;
        }
    }
}

pub(super) async fn delete_segments(state: &AppState, segments: &[Segment]) {
    for s in segments {
        if let Err(e) = state.storage.delete(&s.key).await {
            tracing::warn!(key = %s.key, error = %e, "could not delete an upload segment");
        }
    }
}

pub(super) struct Received {
    pub(super) offset: i64,
    pub(super) file_id: Option<i64>,
}

/// Streams one PATCH body into a new segment, then moves the offset (compare-and-set); completes the upload when
/// the last byte is in.
pub(super) async fn receive<S>(
    state: &AppState,
    principal: &Principal,
    u: upload::Model,
    mut stream: S,
) -> AppResult<Received>
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Unpin + Send,
{
    let start = u.received_bytes;
    let remaining = (u.length - start) as u64;
    let key = format!(
        "uploads/{}/{start:015}-{}",
        u.id,
        uuid::Uuid::new_v4().simple()
    );
    let mut writer = state
        .storage
        .writer(&key, PART_BYTES)
        .await
        .map_err(AppError::Internal)?;
    let mut received = 0u64;
    let mut head = Vec::new();
    let mut dropped = None;
    // A server that is stopping ends the body a little before its drain bound, as if the connection had
    // dropped: what arrived is kept and answered, and the client resumes on another instance.
    let stopping = state.shutdown.drain_ending(STOP_READING_MARGIN);
    tokio::pin!(stopping);
    loop {
        let next = tokio::select! {
            next = stream.next() => next,
            _ = &mut stopping => {
                dropped = Some(std::io::Error::other("the server is stopping"));
                break;
            }
        };
        let Some(chunk) = next else { break };
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                dropped = Some(e);
                break;
            }
        };
        if received + chunk.len() as u64 > remaining {
            let _ = writer.abort().await;
            return Err(AppError::TooLarge(
                fm::PastAnnouncedLength { count: u.length }.into(),
            ));
        }
        if start == 0 && head.len() < sniff::SNIFF_BYTES {
            let take = (sniff::SNIFF_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        received += chunk.len() as u64;
        writer
            .wait_for_capacity(PARTS_IN_FLIGHT)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        writer.put(chunk);
    }
    crate::platform::metrics::upload_received("resumable", received);
    if received == 0 {
        let _ = writer.abort().await;
        return match dropped {
            Some(e) => Err(AppError::BadRequest(
                crate::platform::i18n::catalogue::platform::BodyUnreadable {
                    reason: e.to_string(),
                }
                .into(),
            )),
            None => Ok(Received {
                offset: start,
                file_id: None,
            }),
        };
    }
    writer
        .finish()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let offset = start + received as i64;
    let mut segments = segments_of(&u);
    segments.push(Segment {
        key: key.clone(),
        start,
        len: received as i64,
    });
    let upload = upload::Model {
        segments: serde_json::to_string(&segments).unwrap_or_default(),
        ..u
    };
    if dropped.is_none() && offset == upload.length {
        // The last byte: the offset moves only together with the file row (in `complete`), so a crash during
        // assembly leaves the previous offset and the client simply sends its last PATCH again.
        let f = complete(state, principal, &upload, start).await?;
        return Ok(Received {
            offset,
            file_id: Some(f.id),
        });
    }
    let moved = upload::Entity::update_many()
        .col_expr(upload::Column::ReceivedBytes, Expr::value(offset))
        .col_expr(
            upload::Column::Segments,
            Expr::value(upload.segments.clone()),
        )
        .col_expr(upload::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(upload::Column::Id.eq(upload.id.clone()))
        .filter(upload::Column::ReceivedBytes.eq(start))
        .filter(upload::Column::FileId.is_null())
        .exec(&state.db)
        .await?;
    if moved.rows_affected != 1 {
        // Another PATCH (or a termination) got there first.
        delete_segments(state, &segments[segments.len() - 1..]).await;
        return Err(moved_meanwhile());
    }
    if let Some(e) = dropped {
        tracing::info!(upload = %upload.id, kept = received, error = %e, "upload body cut short; the bytes received are kept");
        return Ok(Received {
            offset,
            file_id: None,
        });
    }
    // The first bytes already tell a renamed file: refuse it now rather than after gigabytes.
    if start == 0
        && head.len() >= 16
        && let Err(e) = sniff::check_for(&upload.name, &head, Accept::Lesson)
    {
        discard(state, &upload).await?;
        return Err(e);
    }
    Ok(Received {
        offset,
        file_id: None,
    })
}

pub(super) fn moved_meanwhile() -> AppError {
    AppError::conflict("Upload-Offset", fm::UploadMovedMeanwhile)
}

/// Reads the segments back in blocks, in order, into a channel (bounded: memory stays flat).
pub(super) fn read_segments(
    state: &AppState,
    segments: Vec<Segment>,
) -> tokio::sync::mpsc::Receiver<anyhow::Result<Bytes>> {
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let storage = state.storage.clone();
    tokio::spawn(async move {
        for s in segments {
            let len = s.len as u64;
            let mut at = 0u64;
            while at < len {
                let end = (at + READ_BYTES).min(len);
                let block = storage.get_range(&s.key, at..end).await;
                let failed = block.is_err();
                if tx.send(block).await.is_err() || failed {
                    return;
                }
                at = end;
            }
        }
    });
    rx
}

/// The final object from the segments (streamed; SHA-256 computed on the way, a video also copied to a temp
/// file for ffprobe since the store may be remote), checked, probed, recorded.
pub(super) async fn complete(
    state: &AppState,
    principal: &Principal,
    u: &upload::Model,
    start: i64,
) -> AppResult<file::Model> {
    let segments = segments_of(u);
    let first = segments
        .first()
        .ok_or_else(|| AppError::internal("no segments"))?;
    let sniff_len = (first.len as u64).min(sniff::SNIFF_BYTES as u64);
    let head = state
        .storage
        .get_range(&first.key, 0..sniff_len)
        .await
        .map_err(AppError::Internal)?;
    let content_type = match sniff::check_for(&u.name, &head, Accept::Lesson) {
        Ok(ct) => ct,
        Err(e) => {
            discard(state, u).await?;
            return Err(e);
        }
    };
    let is_video = content_type.starts_with("video/");
    let key = format!(
        "{}/{}/{}",
        FilePurpose::Lesson.to_value(),
        Utc::now().format("%Y/%m"),
        uuid::Uuid::new_v4()
    );
    let mut local = if is_video {
        let temp = tempfile::NamedTempFile::new().map_err(|e| AppError::Internal(e.into()))?;
        let file =
            tokio::fs::File::from_std(temp.reopen().map_err(|e| AppError::Internal(e.into()))?);
        Some((temp, tokio::io::BufWriter::with_capacity(1024 * 1024, file)))
    } else {
        None
    };
    // One segment (a client that sent the whole file in one PATCH) becomes the file by a rename (a server-side
    // copy on S3), read once for the hash; several are concatenated into a new object.
    let single = segments.len() == 1;
    let mut writer = if single {
        None
    } else {
        Some(
            state
                .storage
                .writer(&key, PART_BYTES)
                .await
                .map_err(AppError::Internal)?,
        )
    };
    let mut blocks = read_segments(state, segments.clone());
    let mut hasher = Sha256::new();
    let mut size = 0i64;
    while let Some(block) = blocks.recv().await {
        let block = match block {
            Ok(b) => b,
            Err(e) => {
                if let Some(w) = writer {
                    let _ = w.abort().await;
                }
                return Err(AppError::Internal(e));
            }
        };
        size += block.len() as i64;
        // Hash on a blocking thread while this one writes the block out.
        let hashing = {
            let block = block.clone();
            tokio::task::spawn_blocking(move || {
                hasher.update(&block);
                hasher
            })
        };
        if let Some((_, out)) = local.as_mut() {
            out.write_all(&block)
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
        }
        if let Some(w) = writer.as_mut() {
            w.wait_for_capacity(PARTS_IN_FLIGHT)
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            w.put(block);
        }
        hasher = hashing
            .await
            .map_err(|e| AppError::internal(format!("hashing: {e}")))?;
    }
    if size != u.length {
        if let Some(w) = writer {
            let _ = w.abort().await;
        }
        return Err(AppError::internal(format!(
            "upload {} assembled {size} of {} bytes",
            u.id, u.length
        )));
    }
    match writer {
        Some(w) => {
            w.finish().await.map_err(|e| AppError::Internal(e.into()))?;
        }
        None => state
            .storage
            .rename(&first.key, &key)
            .await
            .map_err(AppError::Internal)?,
    }
    let sha256 = hex::encode(hasher.finalize());

    let (media, poster_key) = match local {
        Some((temp, mut out)) => {
            out.flush()
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            drop(out);
            let probed = match media::probe(&state.config, temp.path()).await {
                Ok(m) => m,
                Err(e) => {
                    let _ = state.storage.delete(&key).await;
                    discard(state, u).await?;
                    return Err(e);
                }
            };
            let poster_key = match media::poster(
                &state.config,
                temp.path(),
                probed.duration_seconds,
            )
            .await
            {
                Ok(jpeg) => {
                    let poster_key = format!("posters/{}.jpg", uuid::Uuid::new_v4());
                    state
                        .storage
                        .put(&poster_key, Bytes::from(jpeg))
                        .await
                        .map_err(AppError::Internal)?;
                    Some(poster_key)
                }
                Err(e) => {
                    tracing::warn!(upload = %u.id, error = ?e, "no poster frame for a lesson video");
                    None
                }
            };
            (
                Some(serde_json::to_string(&probed).unwrap_or_default()),
                poster_key,
            )
        }
        None => (None, None),
    };

    let txn = begin_write(&state.db).await?;
    let row = file::ActiveModel {
        storage_key: Set(key),
        name: Set(u.name.clone()),
        content_type: Set(content_type.to_string()),
        size: Set(size),
        sha256: Set(sha256),
        purpose: Set(u.purpose),
        uploaded_by: Set(u.account_id),
        teacher_id: Set(u.teacher_id),
        path: Set(u.path.clone()),
        created_at: Set(Utc::now()),
        media: Set(media),
        poster_key: Set(poster_key),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let claimed = upload::Entity::update_many()
        .col_expr(upload::Column::FileId, Expr::value(row.id))
        .col_expr(upload::Column::ReceivedBytes, Expr::value(u.length))
        .col_expr(upload::Column::Segments, Expr::value("[]"))
        .col_expr(upload::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(upload::Column::Id.eq(u.id.clone()))
        .filter(upload::Column::ReceivedBytes.eq(start))
        .filter(upload::Column::FileId.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        // Another PATCH or a termination got there first: undo this one's objects.
        txn.rollback().await?;
        let _ = state.storage.delete(&row.storage_key).await;
        if let Some(p) = &row.poster_key {
            let _ = state.storage.delete(p).await;
        }
        if !single {
            delete_segments(state, &segments[segments.len() - 1..]).await;
        }
        return Err(moved_meanwhile());
    }
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "file.upload",
            target_type: "file",
            target_id: Some(row.id.to_string()),
            target_path: Some(row.path.clone()),
            detail: serde_json::json!({
                "name": row.name, "size": row.size, "purpose": row.purpose, "upload": u.id,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    if !single {
        delete_segments(state, &segments).await;
    }
    Ok(row)
}
