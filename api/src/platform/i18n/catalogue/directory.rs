//! Messages of directory/: schools, teachers, accounts, identity codes and the personal-data view.
crate::messages! {
    SchoolCodeDigits = "school_code_digits" {}
        zh: "学校标识码应为10位数字", en: "School code must be 10 digits";
    SchoolCategoryUnknown = "school_category_unknown" { code: String }
        zh: "学校类别代码 {code} 无效", en: "Unknown school category {code}";
    SchoolCodeProvince = "school_code_province" { code: String }
        zh: "学校标识码第3-4位应为省份代码 {code}", en: "Digits 3-4 must be the province code {code}";
    IdCardShape = "id_card_shape" {}
        zh: "身份证号应为18位，前17位为数字", en: "ID number must be 18 characters, the first 17 digits";
    IdCardLast = "id_card_last" {}
        zh: "身份证号最后一位应为数字或X", en: "The last character must be a digit or X";
    IdCardBirthInvalid = "id_card_birth_invalid" {}
        zh: "身份证号中的出生日期无效", en: "The birth date in the ID number is not a date";
    IdCardBirthRange = "id_card_birth_range" {}
        zh: "身份证号中的出生日期不合理", en: "The birth date in the ID number is out of range";
    IdCardCheckDigit = "id_card_check_digit" {}
        zh: "身份证号校验位错误", en: "The ID number's check digit is wrong";
    PhoneInvalid = "phone_invalid" {}
        zh: "手机号应为以1开头的11位数字", en: "Phone must be 11 digits starting with 1";
    EmailInvalid = "email_invalid" {}
        zh: "邮箱格式不正确", en: "Not a valid e-mail address";
    NameRequired = "name_required" {}
        zh: "名称不能为空", en: "A name is required";
    NameInvisibleCharacters = "name_invisible_characters" {}
        zh: "名称不能包含不可见的排版字符（方向控制或零宽字符）",
        en: "A name cannot contain invisible formatting characters (direction overrides or zero-width characters)";
    NameControlCharacters = "name_control_characters" {}
        zh: "名称不能包含控制字符", en: "A name cannot contain control characters";
    SchoolStageInvalid = "school_stage_invalid" { allowed: String }
        zh: "学段类别应为 {allowed} 之一", en: "Stage must be one of the listed school stages";
    CountyCodeUnknown = "county_code_unknown" {}
        zh: "区县代码不存在", en: "No such county code";
    SchoolOutsideOwnArea = "school_outside_own_area" {}
        zh: "只能在自己管理的区域内建校", en: "Outside your area";
    SchoolCodeTaken = "school_code_taken" {}
        zh: "学校标识码已存在", en: "This school code already exists";
    SchoolCodeFixed = "school_code_fixed" {}
        zh: "学校标识码不可修改", en: "The school code cannot change";
    SchoolMoveOutsideArea = "school_move_outside_area" {}
        zh: "只能移到自己管理的区域", en: "Outside your area";
    TeacherStageInvalid = "teacher_stage_invalid" { allowed: String }
        zh: "任教学段应为 {allowed} 之一", en: "Stage must be one of the listed school stages";
    StageKindergarten = "stage_kindergarten" {}
        zh: "幼儿园", en: "Kindergarten";
    StagePrimary = "stage_primary" {}
        zh: "小学", en: "Primary";
    StageJuniorSecondary = "stage_junior_secondary" {}
        zh: "初中", en: "Junior secondary";
    StageSeniorSecondary = "stage_senior_secondary" {}
        zh: "高中", en: "Senior secondary";
    StageNineYear = "stage_nine_year" {}
        zh: "九年一贯制", en: "9-year school";
    StageTwelveYear = "stage_twelve_year" {}
        zh: "十二年一贯制", en: "12-year school";
    StageCompleteSecondary = "stage_complete_secondary" {}
        zh: "完全中学", en: "Complete secondary";
    StageVocational = "stage_vocational" {}
        zh: "中职", en: "Vocational";
    StageSpecialEducation = "stage_special_education" {}
        zh: "特殊教育", en: "Special education";
    StageOther = "stage_other" {}
        zh: "其他", en: "Other";
    UrbanRuralUrban = "urban_rural_urban" {}
        zh: "城区", en: "Urban";
    UrbanRuralTown = "urban_rural_town" {}
        zh: "镇区", en: "Town";
    UrbanRuralRural = "urban_rural_rural" {}
        zh: "乡村", en: "Rural";
    GenderMale = "gender_male" {}
        zh: "男", en: "Male";
    GenderFemale = "gender_female" {}
        zh: "女", en: "Female";
    SubjectRequired = "subject_required" {}
        zh: "任教学科不能为空", en: "Subject is required";
    IdCardTaken = "id_card_taken" {}
        zh: "该身份证号已登记", en: "This ID number is already registered";
    NodeUnknown = "node_unknown" {}
        zh: "没有这个区域或学校代码", en: "No such region or school code";
    RoleLevelMismatch = "role_level_mismatch" {}
        zh: "该角色不能绑定到这一级节点", en: "This role cannot be bound to a node of this level";
    SecurityGrantsAdminsOnly = "security_grants_admins_only" {}
        zh: "安全管理员只授予管理员角色", en: "A security administrator grants administrators' roles only";
    GrantOutsideArea = "grant_outside_area" {}
        zh: "不在您的管理范围", en: "Outside your area";
    SecurityGrantsOnly = "security_grants_only" {}
        zh: "只有安全管理员可以授予该角色", en: "Only a security administrator grants this role";
    GrantBelowOwnRank = "grant_below_own_rank" {}
        zh: "只能授予低于自己级别的角色", en: "You can only grant roles below your own rank";
    TeacherAccountNeedsRecord = "teacher_account_needs_record" {}
        zh: "教师账号需关联教师档案", en: "A teacher account needs a teacher record";
    TeacherOutsideAccount = "teacher_outside_account" {}
        zh: "教师不在该账号的学校或区域", en: "The teacher is not in this account's school or area";
    UsernameInvalid = "username_invalid" {}
        zh: "用户名为3-64位字母、数字或._-@", en: "3–64 letters, digits or ._-@";
    UsernameTaken = "username_taken" {}
        zh: "用户名已被使用", en: "This username is taken";
    OwnAccountHere = "own_account_here" {}
        zh: "不能在账号管理中修改自己的账号，请在个人设置中修改密码",
        en: "Your own account cannot be changed here; change your password in your profile";
    RoleRequired = "role_required" {}
        zh: "至少需要一个角色", en: "At least one role is needed";
    AccessHistoryNote = "access_history_note" {}
        zh: "访问记录列出：谁查看了您的完整身份证号和手机号（查看），以及谁导出了覆盖您所在学校的教师名册或您所参加项目的教师名单（导出，文件可能包含您）。只显示操作者的角色和所在区域，不显示其姓名。您本人的操作不列出。",
        en: "The access history lists who displayed your full ID number and phone (reveal), and who exported a teacher list covering your school or a program you are enrolled in (export: the file may include you). Only the actor's role and area are shown, not their name. Your own actions are not listed.";
    AccessRevealed = "access_revealed" {}
        zh: "查看了您的完整身份证号和手机号", en: "Displayed your full ID number and phone";
    AccessDirectoryExport = "access_directory_export" {}
        zh: "导出了覆盖您所在学校的教师名册（含脱敏身份证号）", en: "Exported a teacher list covering your school (ID numbers masked)";
    AccessProgramExport = "access_program_export" {}
        zh: "导出了您所参加项目的教师名单", en: "Exported the teacher list of a program you are enrolled in";
    // Directory imports: row reasons, the template's sheets and its column notes.
    UrbanRuralInvalid = "urban_rural_invalid" {}
        zh: "城乡属性应为 城区、镇区 或 乡村", en: "Must be urban, town or rural";
    TeachingPointInvalid = "teaching_point_invalid" {}
        zh: "是否教学点应为 是 或 否", en: "Must be yes or no";
    SchoolCodeRepeatedInFile = "school_code_repeated_in_file" { line: i64 }
        zh: "与第{line}行的学校标识码重复", en: "Same school code as line {line}";
    IdCardRepeatedInFile = "id_card_repeated_in_file" { line: i64 }
        zh: "与第{line}行的身份证号重复", en: "Same ID number as line {line}";
    ImportCountyOutsideArea = "import_county_outside_area" {}
        zh: "该区县不在您的管理范围", en: "This county is outside your area";
    ImportSchoolCodeOutsideArea = "import_school_code_outside_area" {}
        zh: "该学校标识码已属于您管理范围之外的学校", en: "This code belongs to a school outside your area";
    ImportIdCardOutsideArea = "import_id_card_outside_area" {}
        zh: "该身份证号已在您管理范围之外登记", en: "This ID number is registered outside your area";
    TeachingYearsInvalid = "teaching_years_invalid" {}
        zh: "教龄应为0到60之间的整数", en: "Teaching years must be a whole number from 0 to 60";
    SchoolsSheet = "directory_schools_sheet" {}
        zh: "学校", en: "Schools";
    TeachersSheet = "directory_teachers_sheet" {}
        zh: "教师", en: "Teachers";
    SchoolCodeNote = "directory_school_code_note" {}
        zh: "10位学校标识码", en: "10-digit school code";
    CountyCodeNote = "directory_county_code_note" {}
        zh: "6位区县行政区划代码", en: "6-digit county code";
    StageNote = "directory_stage_note" { allowed: String }
        zh: "{allowed} 之一", en: "One of these: {allowed}";
    UrbanRuralNote = "directory_urban_rural_note" {}
        zh: "城区 / 镇区 / 乡村", en: "urban / town / rural";
    TeachingPointNote = "directory_teaching_point_note" {}
        zh: "是 / 否，默认否", en: "yes / no; default no";
    IdCardNote = "directory_id_card_note" {}
        zh: "18位身份证号，加密存储", en: "18-character ID number, stored encrypted";
    PhoneNote = "directory_phone_note" {}
        zh: "11位手机号，加密存储", en: "11-digit mobile, stored encrypted";
    TeachingYearsNote = "directory_teaching_years_note" {}
        zh: "0–60 的整数", en: "Whole number 0–60";
    // Directory exports: headers in the request's language (an import reads either language back).
    ColSchoolCode = "directory_col_school_code" {}
        zh: "学校标识码", en: "School code";
    ColSchoolName = "directory_col_school_name" {}
        zh: "学校名称", en: "School name";
    ColCountyCode = "directory_col_county_code" {}
        zh: "所在区县代码", en: "County code";
    ColCounty = "directory_col_county" {}
        zh: "区县", en: "County";
    ColCity = "directory_col_city" {}
        zh: "市州", en: "City";
    ColSchoolStage = "directory_col_school_stage" {}
        zh: "学段类别", en: "Stage";
    ColUrbanRural = "directory_col_urban_rural" {}
        zh: "城乡属性", en: "Urban or rural";
    ColTeachingPoint = "directory_col_teaching_point" {}
        zh: "是否教学点", en: "Teaching point";
    ColAddress = "directory_col_address" {}
        zh: "地址", en: "Address";
    ColStatus = "directory_col_status" {}
        zh: "状态", en: "Status";
    ColName = "directory_col_name" {}
        zh: "姓名", en: "Name";
    ColGender = "directory_col_gender" {}
        zh: "性别", en: "Gender";
    ColIdCard = "directory_col_id_card" {}
        zh: "身份证号", en: "ID number";
    ColPhone = "directory_col_phone" {}
        zh: "手机号", en: "Phone";
    ColEmail = "directory_col_email" {}
        zh: "邮箱", en: "Email";
    ColTeacherNumber = "directory_col_teacher_number" {}
        zh: "教师编号", en: "Teacher number";
    ColTeacherStage = "directory_col_teacher_stage" {}
        zh: "任教学段", en: "Teaching stage";
    ColSubject = "directory_col_subject" {}
        zh: "任教学科", en: "Subject";
    ColTitle = "directory_col_title" {}
        zh: "职称", en: "Title";
    ColEducation = "directory_col_education" {}
        zh: "学历", en: "Education";
    ColTeachingYears = "directory_col_teaching_years" {}
        zh: "教龄", en: "Teaching years";
    StatusActive = "directory_status_active" {}
        zh: "在用", en: "active";
    StatusInactive = "directory_status_inactive" {}
        zh: "停用", en: "inactive";
}
