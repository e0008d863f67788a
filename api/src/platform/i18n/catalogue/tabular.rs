//! Messages of platform/tabular: reading an uploaded sheet within its budget, matching its columns, the import
//! template's notes and the error report.
crate::messages! {
    /// The problem code of every budget refusal; its detail is the budget's own entry below.
    SheetOverBudget = "sheet_over_budget" {}
        zh: "文件超过该导入的上限", en: "The file is over this import's limits";
    SheetTooManyParts = "sheet_too_many_parts" { count: i64, limit: i64 }
        zh: "文件包含 {count} 个部件，超过 {limit} 个上限",
        en: "The file has {count} parts, over the limit of {limit}";
    SheetInflatesTooLarge = "sheet_inflates_too_large" { size: String }
        zh: "文件解压后超过 {size} 上限", en: "The file inflates to more than the {size} limit";
    SheetPartInflatesTooLarge = "sheet_part_inflates_too_large" { name: String, size: String }
        zh: "文件中的 {name} 解压后超过 {size} 上限", en: "{name} inflates to more than the {size} limit";
    SheetPartCompressedTooFar = "sheet_part_compressed_too_far" { name: String, limit: i64 }
        zh: "文件中的 {name} 压缩比超过 {limit}:1（疑似压缩炸弹）",
        en: "{name} is compressed more than {limit}:1 (a zip bomb)";
    SheetTokenTooLong = "sheet_token_too_long" { name: String, limit: i64 }
        zh: "文件中的 {name} 含有超过 {limit} 个字符的单元格或标记",
        en: "{name} holds a cell or tag longer than {limit} characters";
    SheetTooManySharedStrings = "sheet_too_many_shared_strings" { count: i64, limit: i64 }
        zh: "共享字符串数量 {count} 超过 {limit} 上限",
        en: "The workbook announces {count} shared strings, over the limit of {limit}";
    SheetTooManyRows = "sheet_too_many_rows" { limit: i64 }
        zh: "表格超过 {limit} 行上限（含表头）", en: "The sheet has more than the {limit} rows allowed (header included)";
    SheetTooManyColumns = "sheet_too_many_columns" { limit: i64 }
        zh: "表格超过 {limit} 列上限", en: "The sheet has more than the {limit} columns allowed";
    SheetTooManyCells = "sheet_too_many_cells" { limit: i64 }
        zh: "表格超过 {limit} 个单元格上限", en: "The sheet has more than the {limit} cells allowed";
    SheetTooMuchText = "sheet_too_much_text" { size: String }
        zh: "表格文字超过 {size} 上限", en: "The sheet holds more than the {size} of text allowed";
    SheetUnreadable = "sheet_unreadable" { reason: String }
        zh: "无法读取该 Excel 文件，请另存为 .xlsx 后重试",
        en: "Cannot read this spreadsheet; save it as .xlsx and retry ({reason})";
    SheetNotUtf8 = "sheet_not_utf8" {}
        zh: "文件既不是 XLSX 也不是 UTF-8 编码的 CSV（GBK 编码的 CSV 请另存为 UTF-8）",
        en: "The file is neither XLSX nor UTF-8 CSV (save a GBK CSV as UTF-8)";
    SheetCsvMalformed = "sheet_csv_malformed" { reason: String }
        zh: "CSV 文件格式错误", en: "The CSV file is malformed ({reason})";
    ColumnRepeated = "column_repeated" { name: String }
        zh: "列重复（{name}）", en: "Column appears twice ({name})";
    ColumnUnknown = "column_unknown" { allowed: String }
        zh: "未知的列，可用的列：{allowed}", en: "Unknown column; the columns are: {allowed}";
    ColumnMissing = "column_missing" { name: String }
        zh: "缺少必填列「{name}」", en: "Required column missing ({name})";
    CellRequired = "cell_required" { name: String }
        zh: "{name}不能为空", en: "{name} is required";
    CellTooLong = "cell_too_long" { name: String, limit: i64 }
        zh: "{name}不能超过{limit}个字符", en: "At most {limit} characters";
    /// The import template's second sheet, explaining each column.
    TemplateNotesSheet = "template_notes_sheet" {}
        zh: "说明", en: "Notes";
    TemplateChineseHeader = "template_chinese_header" {}
        zh: "列名", en: "Chinese header";
    TemplateEnglishHeader = "template_english_header" {}
        zh: "英文列名", en: "English header";
    TemplateRequired = "template_required" {}
        zh: "必填", en: "Required";
    TemplateNote = "template_note" {}
        zh: "说明", en: "Notes";
    /// A yes/no cell as an export writes it (the imports read 是/否 and yes/no alike).
    FlagYes = "flag_yes" {}
        zh: "是", en: "yes";
    FlagNo = "flag_no" {}
        zh: "否", en: "no";
    /// The error report of an import, a workbook to fix the file from.
    ErrorReportSheet = "error_report_sheet" {}
        zh: "错误", en: "Errors";
    ErrorReportLine = "error_report_line" {}
        zh: "行号", en: "Line";
    ErrorReportColumn = "error_report_column" {}
        zh: "列", en: "Column";
    ErrorReportMessage = "error_report_message" {}
        zh: "错误", en: "Message";
}
