//! How a file leaves the server (a spreadsheet, a stored file or a JSON document, always as an attachment with a
//! name browsers keep) and how an uploaded import file comes in (within the configured size).
use poem::{
    IntoResponse, Response,
    http::header::{CONTENT_DISPOSITION, CONTENT_TYPE},
};
use poem_openapi::{
    ApiResponse, Multipart,
    payload::{Attachment, AttachmentType, Binary, Payload},
    registry::{MetaHeader, MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::{Type, multipart::Upload},
};

use super::{CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE};
use crate::{
    AppState,
    platform::error::{AppError, AppResult},
};

/// A spreadsheet download (XLSX or CSV) with its file name in `Content-Disposition`.
pub struct Download {
    pub data: Vec<u8>,
    pub filename: String,
    pub content_type: &'static str,
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266), so browsers keep a
/// Chinese file name instead of reading raw UTF-8 bytes as Latin-1.
pub fn attachment_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

fn file_response(data: Vec<u8>, filename: &str, content_type: &str) -> Response {
    let mut response = Attachment::new(data)
        .attachment_type(AttachmentType::Attachment)
        .into_response();
    if let Ok(value) = content_type.parse() {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    if let Ok(value) = attachment_disposition(filename).parse() {
        response.headers_mut().insert(CONTENT_DISPOSITION, value);
    }
    response
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        file_response(self.data, &self.filename, self.content_type)
    }
}

/// A generated PDF (a certificate) under its name, declared as `application/pdf`.
pub struct PdfFile {
    pub data: Vec<u8>,
    pub filename: String,
}

impl IntoResponse for PdfFile {
    fn into_response(self) -> Response {
        file_response(self.data, &self.filename, "application/pdf")
    }
}

impl ApiResponse for PdfFile {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The PDF, with its name",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: "application/pdf",
                    schema: Binary::<Vec<u8>>::schema_ref(),
                }],
                headers: vec![disposition_header()],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

/// A JSON document of type `T` to save as a file (a person's own data), declared with `T`'s schema.
pub struct JsonFile<T> {
    pub data: Vec<u8>,
    pub filename: String,
    pub schema: std::marker::PhantomData<T>,
}

impl<T: Send> IntoResponse for JsonFile<T> {
    fn into_response(self) -> Response {
        file_response(self.data, &self.filename, "application/json")
    }
}

impl<T: Type + Send> ApiResponse for JsonFile<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The JSON file, with its name",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: "application/json",
                    schema: T::schema_ref(),
                }],
                headers: vec![disposition_header()],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

fn disposition_header() -> MetaHeader {
    MetaHeader {
        name: "Content-Disposition".to_string(),
        description: Some("`attachment; filename=\"…\"; filename*=UTF-8''…`".to_string()),
        required: true,
        deprecated: false,
        schema: String::schema_ref(),
    }
}

impl ApiResponse for Download {
    fn meta() -> MetaResponses {
        let schema = Binary::<Vec<u8>>::schema_ref;
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The file (XLSX or CSV, as requested)",
                status: Some(200),
                status_range: None,
                content: vec![
                    MetaMediaType {
                        content_type: XLSX_CONTENT_TYPE,
                        schema: schema(),
                    },
                    MetaMediaType {
                        content_type: CSV_CONTENT_TYPE,
                        schema: schema(),
                    },
                ],
                headers: vec![disposition_header()],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

/// The uploaded file.
#[derive(Debug, Multipart)]
pub struct ImportUpload {
    /// CSV (UTF-8, with or without BOM) or XLSX; the first worksheet is read.
    pub file: Upload,
}

pub async fn read_upload(state: &AppState, upload: Upload) -> AppResult<Vec<u8>> {
    // Checked before reading the temp file into memory.
    check_size(state, upload.size())?;
    upload.into_vec().await.map_err(AppError::internal)
}

/// An upload over the configured import size is refused before it is read.
pub fn check_size(state: &AppState, len: usize) -> AppResult<()> {
    let max = state.config.import_max_bytes;
    if len > max {
        let mb = max.div_ceil(1024 * 1024);
        return Err(AppError::TooLarge(
            crate::platform::i18n::catalogue::files::FileTooLarge {
                size: format!("{mb} MB"),
            }
            .into(),
        ));
    }
    Ok(())
}
