//! Lesson videos: what ffprobe says about them, checked against the 一师一优课 requirements (MP4, H.264 video,
//! AAC audio, at least 720×576, the whole lesson of at least 30 minutes, 0.5–1 Mbps advised), and a poster frame
//! taken with ffmpeg.
use std::path::Path;

use entity::file;
use poem_openapi::Object;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::platform::{
    config::Config,
    error::{AppError, AppResult},
};

pub const MIN_WIDTH: i64 = 720;
pub const MIN_HEIGHT: i64 = 576;
pub const MIN_DURATION_SECONDS: f64 = 1800.0;
pub const MIN_BIT_RATE: i64 = 500_000;
pub const MAX_BIT_RATE: i64 = 1_000_000;

/// One requirement and how the video fares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MediaCheck {
    /// `container_mp4`, `video_h264`, `audio_aac`, `resolution`, `duration` or `bitrate`.
    pub key: String,
    pub passed: bool,
    /// Advice only: a failed advisory check does not keep the lesson out (the bit rate).
    pub advisory: bool,
    /// What the video has, e.g. `1280×720`, `2712 s`, `h264`.
    pub actual: String,
    /// What is required, e.g. `≥ 720×576`.
    pub required: String,
}

/// A video as probed, with the requirement checks; stored as JSON in `files.media`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MediaView {
    /// ffprobe's format name (`mov,mp4,m4a,3gp,3g2,mj2` for MP4).
    pub container: String,
    pub video_codec: Option<String>,
    pub audio_codec: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub duration_seconds: Option<f64>,
    /// Bits per second of the video stream (of the whole file when the stream does not say).
    pub bit_rate: Option<i64>,
    pub checks: Vec<MediaCheck>,
    /// Every check that is not advisory passed.
    pub passed: bool,
}

/// The media description of a probed file, if it has one.
pub fn media_checks(file: &file::Model) -> Option<MediaView> {
    serde_json::from_str(file.media.as_deref()?).ok()
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The description and checks from ffprobe's `-show_streams -show_format` JSON; None when it has no video.
pub fn evaluate(probe: &Value) -> Option<MediaView> {
    let streams = probe["streams"].as_array()?;
    let of_type = |t: &str| streams.iter().find(|s| s["codec_type"].as_str() == Some(t));
    let video = of_type("video")?;
    let audio = of_type("audio");
    let format = &probe["format"];
    let container = format["format_name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let brand = format["tags"]["major_brand"].as_str().unwrap_or_default();
    let video_codec = video["codec_name"].as_str().map(str::to_string);
    let audio_codec = audio.and_then(|a| a["codec_name"].as_str().map(str::to_string));
    let width = video["width"].as_i64();
    let height = video["height"].as_i64();
    let duration_seconds = number(&format["duration"]).or_else(|| number(&video["duration"]));
    let bit_rate = number(&video["bit_rate"])
        .or_else(|| number(&format["bit_rate"]))
        .map(|b| b as i64);

    let is_mp4 = container.split(',').any(|f| f == "mp4") && !brand.starts_with("qt");
    let check = |key: &str, passed: bool, actual: String, required: &str| MediaCheck {
        key: key.into(),
        passed,
        advisory: false,
        actual,
        required: required.into(),
    };
    let shown = |v: &Option<String>| {
        v.clone().unwrap_or_else(|| {
            crate::platform::i18n::t(crate::platform::i18n::catalogue::files::NoValue)
        })
    };
    let mut checks = vec![
        check(
            "container_mp4",
            is_mp4,
            if brand.is_empty() {
                container.clone()
            } else {
                format!("{container} ({brand})")
            },
            "MP4",
        ),
        check(
            "video_h264",
            video_codec.as_deref() == Some("h264"),
            shown(&video_codec),
            "H.264",
        ),
        check(
            "audio_aac",
            audio_codec.as_deref() == Some("aac"),
            shown(&audio_codec),
            "AAC",
        ),
        check(
            "resolution",
            width.unwrap_or(0) >= MIN_WIDTH && height.unwrap_or(0) >= MIN_HEIGHT,
            format!("{}×{}", width.unwrap_or(0), height.unwrap_or(0)),
            &format!("≥ {MIN_WIDTH}×{MIN_HEIGHT}"),
        ),
        check(
            "duration",
            duration_seconds.unwrap_or(0.0) >= MIN_DURATION_SECONDS,
            format!("{:.0} s", duration_seconds.unwrap_or(0.0)),
            &format!("≥ {MIN_DURATION_SECONDS:.0} s"),
        ),
    ];
    checks.push(MediaCheck {
        advisory: true,
        ..check(
            "bitrate",
            bit_rate.is_some_and(|b| (MIN_BIT_RATE..=MAX_BIT_RATE).contains(&b)),
            bit_rate.map_or_else(|| "?".into(), |b| format!("{:.2} Mbps", b as f64 / 1e6)),
            "0.5–1 Mbps",
        )
    });
    let passed = checks.iter().all(|c| c.passed || c.advisory);
    Some(MediaView {
        container,
        video_codec,
        audio_codec,
        width,
        height,
        duration_seconds,
        bit_rate,
        checks,
        passed,
    })
}

fn unplayable() -> AppError {
    AppError::field(
        "file",
        crate::platform::i18n::catalogue::files::VideoUnreadable,
    )
}

/// A video tool that could not be started: a missing tool is the server's state, said plainly to the uploader
/// (the upload changes nothing); any other failure is internal.
fn tool_failed(tool: &str, e: std::io::Error) -> AppError {
    if e.kind() == std::io::ErrorKind::NotFound {
        tracing::error!(
            tool,
            "a video tool is not installed: lesson videos cannot be checked"
        );
        let missing = crate::platform::i18n::catalogue::files::VideoToolMissing {
            name: tool.to_string(),
        };
        AppError::rule(
            missing.clone(),
            vec![crate::platform::error::FieldError::new("file", missing)],
        )
    } else {
        AppError::internal(format!("running {tool}: {e}"))
    }
}

/// Runs ffprobe on a local copy of the video.
pub async fn probe(config: &Config, path: &Path) -> AppResult<MediaView> {
    let output = tokio::process::Command::new(&config.ffprobe_path)
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_streams",
            "-show_format",
        ])
        .arg(path)
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| tool_failed(&config.ffprobe_path, e))?;
    if !output.status.success() {
        tracing::info!(
            stderr = %String::from_utf8_lossy(&output.stderr),
            "ffprobe refused an uploaded video"
        );
        return Err(unplayable());
    }
    let json: Value = serde_json::from_slice(&output.stdout).map_err(|_| unplayable())?;
    evaluate(&json).ok_or_else(unplayable)
}

/// A JPEG of the frame at min(5 s, half the duration), at most 960 pixels wide.
pub async fn poster(config: &Config, path: &Path, duration: Option<f64>) -> AppResult<Vec<u8>> {
    let at = duration.map_or(0.0, |d| (d / 2.0).min(5.0)).max(0.0);
    let output = tokio::process::Command::new(&config.ffmpeg_path)
        .args(["-v", "error", "-ss", &format!("{at:.3}"), "-i"])
        .arg(path)
        .args([
            "-frames:v",
            "1",
            "-vf",
            "scale='min(960,iw)':-2",
            "-f",
            "image2",
            "-c:v",
            "mjpeg",
            "-q:v",
            "4",
            "pipe:1",
        ])
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| tool_failed(&config.ffmpeg_path, e))?;
    if !output.status.success() || !output.stdout.starts_with(b"\xff\xd8\xff") {
        return Err(AppError::internal(format!(
            "ffmpeg poster: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_follow_the_requirements() {
        let probe = serde_json::json!({
            "streams": [
                {"codec_type": "video", "codec_name": "h264", "width": 1280, "height": 720, "bit_rate": "800000"},
                {"codec_type": "audio", "codec_name": "aac"}
            ],
            "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "2712.5",
                       "bit_rate": "900000", "tags": {"major_brand": "isom"}}
        });
        let m = evaluate(&probe).expect("a video");
        assert!(m.passed, "{m:?}");
        assert_eq!(m.checks.len(), 6);
        assert_eq!(m.bit_rate, Some(800_000));

        let short = serde_json::json!({
            "streams": [{"codec_type": "video", "codec_name": "hevc", "width": 640, "height": 480}],
            "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "60", "bit_rate": "3000000",
                       "tags": {"major_brand": "qt  "}}
        });
        let m = evaluate(&short).expect("a video");
        assert!(!m.passed);
        let failed: Vec<_> = m
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(
            failed,
            [
                "container_mp4",
                "video_h264",
                "audio_aac",
                "resolution",
                "duration",
                "bitrate"
            ]
        );
        assert!(
            m.checks
                .iter()
                .find(|c| c.key == "bitrate")
                .is_some_and(|c| c.advisory)
        );
        assert!(evaluate(&serde_json::json!({"streams": [], "format": {}})).is_none());
    }
}
