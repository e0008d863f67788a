//! The annual report and the teacher's record as files: the report as XLSX or CSV (one line per row, then the
//! total) and as PDF; the record as PDF. Column headings in the request's language; the PDF embeds the glyphs it
//! uses from the CJK font.
use crate::platform::{
    error::AppResult,
    i18n::{Message, catalogue::reports as rm, t},
    pdf_document::{DocLine, Document, render},
    pdf_font::FontFile,
    tabular::{FileFormat, Sink, headers_in_current_language},
};
use crate::training::rules::{HourCategory, HourCategoryText};

use super::{
    annual::{AnnualReport, AnnualRow},
    record::TeacherRecord,
};

fn percent(r: f64) -> String {
    format!("{:.2}%", r * 100.0)
}

fn annual_headers() -> Vec<(String, f64)> {
    let mut headers = headers_in_current_language(&[
        (&rm::AnnualCode as &dyn Message, 14.0),
        (&rm::AnnualName, 24.0),
        (&rm::AnnualTeachers, 10.0),
        (&rm::AnnualParticipants, 10.0),
        (&rm::AnnualParticipation, 10.0),
        (&rm::AnnualEnrolments, 10.0),
        (&rm::AnnualCompleted, 10.0),
        (&rm::AnnualCompletion, 10.0),
    ]);
    headers.extend(HourCategory::ALL.iter().map(|c| {
        let name = c.label().to_string();
        (t(rm::AnnualCategoryHours { name }), 12.0)
    }));
    headers.extend(headers_in_current_language(&[
        (&rm::AnnualSupplementHours as &dyn Message, 12.0),
        (&rm::AnnualTotalHours, 12.0),
        (&rm::AnnualMetMinimum, 12.0),
        (&rm::AnnualCycleComplete, 12.0),
        (&rm::AnnualCompetencyPassed, 12.0),
        (&rm::AnnualCompetencyRate, 12.0),
        (&rm::AnnualAwards, 18.0),
    ]));
    headers
}

fn annual_cells(row: &AnnualRow) -> Vec<String> {
    let mut cells = vec![
        row.node_code.clone(),
        row.node_name.clone(),
        row.teachers.to_string(),
        row.participants.to_string(),
        percent(row.participation_rate),
        row.enrolments.to_string(),
        row.completed.to_string(),
        percent(row.completion_rate),
    ];
    cells.extend(row.hours.iter().map(|h| format!("{:.1}", h.hours)));
    let a = row.awards;
    cells.extend([
        format!("{:.1}", row.supplement_hours),
        format!("{:.1}", row.total_hours),
        row.met_minimum.to_string(),
        row.cycle_complete.to_string(),
        row.competency_passed.to_string(),
        percent(row.competency_pass_rate),
        format!("{}/{}/{}/{}", a.county, a.city, a.province, a.ministry),
    ]);
    cells
}

/// The rows, then the total (named 合计).
fn annual_lines(report: &AnnualReport) -> Vec<Vec<String>> {
    let mut total = report.total.clone();
    total.node_name = t(rm::AnnualTotal);
    report
        .rows
        .iter()
        .chain(std::iter::once(&total))
        .map(annual_cells)
        .collect()
}

pub fn annual_to_file(report: &AnnualReport, format: FileFormat) -> AppResult<Vec<u8>> {
    let mut sink = Sink::new(format, &t(rm::AnnualSheet), &annual_headers())?;
    for cells in annual_lines(report) {
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        sink.row(&refs)?;
    }
    sink.finish()
}

/// Offsets of `n` columns: the first two (code, name) wider, the numbers narrow enough for A4 landscape.
fn columns(first: &[f64], rest: usize, width: f64) -> Vec<f64> {
    let mut out = first.to_vec();
    let mut x = first.last().copied().unwrap_or(0.0) + width.max(1.0) * 2.0;
    for _ in 0..rest {
        out.push(x);
        x += width;
    }
    out
}

/// The PDF is a summary: the figures a printed page has room for (the spreadsheet has every column).
pub fn annual_to_pdf(report: &AnnualReport, font: Option<&FontFile>) -> Vec<u8> {
    let headers = annual_headers();
    let keep = [0, 1, 2, 3, 4, 5, 6, 7, 15, 16, 17, 18, 19, 20];
    let pick = |cells: Vec<String>| -> Vec<String> {
        keep.iter().filter_map(|i| cells.get(*i).cloned()).collect()
    };
    let mut lines = vec![DocLine::Row(pick(
        headers.into_iter().map(|(h, _)| h).collect(),
    ))];
    lines.extend(
        annual_lines(report)
            .into_iter()
            .map(|c| DocLine::Row(pick(c))),
    );
    let title = t(rm::AnnualTitle {
        name: report.node_name.clone(),
        year: i64::from(report.year),
    });
    let offsets = columns(&[0.0, 60.0], keep.len() - 2, 52.0);
    render(
        &Document {
            title: &title,
            columns: &offsets,
            lines: &lines,
        },
        font,
    )
}

fn section(lines: &mut Vec<DocLine>, heading: impl Message, rows: Vec<Vec<String>>) {
    lines.push(DocLine::Blank);
    lines.push(DocLine::Heading(t(heading)));
    if rows.is_empty() {
        lines.push(DocLine::Row(vec![t(rm::RecordNone)]));
    }
    lines.extend(rows.into_iter().map(DocLine::Row));
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub fn record_to_pdf(r: &TeacherRecord, font: Option<&FontFile>) -> Vec<u8> {
    let tv = &r.teacher;
    let mut lines = vec![
        DocLine::Heading(t(rm::RecordTeacher)),
        DocLine::Row(vec![
            tv.name.clone(),
            tv.school_name.clone(),
            tv.id_card_masked.clone(),
            tv.subject.clone(),
        ]),
    ];
    section(
        &mut lines,
        rm::RecordCycles,
        r.cycles
            .iter()
            .map(|c| {
                vec![
                    format!("{}–{}", c.cycle_start, c.cycle_end),
                    format!("{:.1} / {:.0}", c.hours, c.required_hours),
                    if c.complete {
                        "✓".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
    );
    section(
        &mut lines,
        rm::RecordPrograms,
        r.programs
            .iter()
            .map(|p| {
                vec![
                    p.year.to_string(),
                    p.program_name.clone(),
                    p.review_status.as_str().into(),
                    p.training_status.as_str().into(),
                    format!("{:.1}", p.counted_hours),
                ]
            })
            .collect(),
    );
    section(
        &mut lines,
        rm::RecordHours,
        r.hours
            .iter()
            .map(|h| {
                vec![
                    h.occurred_on.to_string(),
                    h.category.label().into(),
                    format!("{:.1}", h.hours),
                    h.source.as_str().into(),
                    h.status.as_str().into(),
                    opt(h.program_name.clone()),
                ]
            })
            .collect(),
    );
    section(
        &mut lines,
        rm::RecordCertificates,
        r.certificates
            .iter()
            .map(|c| {
                vec![
                    c.number.clone(),
                    c.program_name.clone(),
                    c.issued_at.date_naive().to_string(),
                    if c.revoked {
                        "revoked".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
    );
    section(
        &mut lines,
        rm::RecordQuizzes,
        r.quizzes
            .iter()
            .map(|q| {
                vec![
                    q.quiz_title.clone(),
                    q.attempt_no.to_string(),
                    q.status.as_str().into(),
                    opt(q.score),
                    opt(q.passed),
                ]
            })
            .collect(),
    );
    section(
        &mut lines,
        rm::RecordCompetencies,
        r.competencies
            .iter()
            .map(|c| {
                vec![
                    c.year.to_string(),
                    c.code.clone(),
                    opt(c.school_grade.map(|g| g.as_str())),
                    opt(c.final_grade.map(|g| g.as_str())),
                ]
            })
            .collect(),
    );
    section(
        &mut lines,
        rm::RecordLessons,
        r.lessons
            .iter()
            .map(|l| {
                vec![
                    l.year.to_string(),
                    l.title.clone(),
                    l.status.as_str().into(),
                    l.awards
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
            .collect(),
    );
    let title = t(rm::RecordTitle {
        name: tv.name.clone(),
    });
    render(
        &Document {
            title: &title,
            columns: &[0.0, 90.0, 330.0, 430.0, 530.0, 620.0],
            lines: &lines,
        },
        font,
    )
}
