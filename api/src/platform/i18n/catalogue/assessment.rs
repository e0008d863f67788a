//! Messages of the assessment domain: quizzes, attempts, the question bank and its sheets.
crate::messages! {
    QuizNotOpen = "quiz_not_open" {}
        zh: "不在作答时间内", en: "The quiz is not open now";
    NoAttemptsLeft = "no_attempts_left" {}
        zh: "作答次数已用完", en: "No attempts left";
    AttemptClosed = "attempt_closed" {}
        zh: "作答已结束", en: "The attempt is closed";
    QuestionNotOnPaper = "question_not_on_paper" {}
        zh: "本试卷没有这道题", en: "Not on this paper";
    TooManyBlanks = "too_many_blanks" {}
        zh: "填空数量不对", en: "Too many blanks";
    AttemptRunning = "attempt_running" {}
        zh: "作答尚未结束", en: "The attempt is still running";
    OnlyShortAnswersGraded = "only_short_answers_graded" {}
        zh: "只有简答题需要评分", en: "Only short answers are graded by hand";
    ScoreAbovePoints = "score_above_points" { max: f64 }
        zh: "不能超过本题分值 {max}", en: "At most {max} points";
    QuestionNotAnswered = "question_not_answered" {}
        zh: "这道题没有作答", en: "This question was not answered";
    OptionsTooFew = "options_too_few" {}
        zh: "选择题至少两个选项", en: "At least two options";
    OptionsLength = "options_length" {}
        zh: "选项不能为空且不超过 500 字", en: "Options must be 1–500 characters";
    KindHasNoOptions = "kind_has_no_options" {}
        zh: "此题型没有选项", en: "This kind has no options";
    TagsLength = "tags_length" {}
        zh: "标签须为 1–32 字", en: "Tags must be 1–32 characters";
    AnswerLetters = "answer_letters" {}
        zh: "答案须为选项字母 A–F", en: "The answer must be option letters A–F";
    AnswerTrueFalse = "answer_true_false" {}
        zh: "判断题答案须为“对”或“错”", en: "Must be true or false";
    BankColumnMissing = "bank_column_missing" {}
        zh: "缺少必填列", en: "Required column missing";
    BankUnknownKind = "bank_unknown_kind" {}
        zh: "题型须为 单选/多选/判断/填空/简答", en: "Unknown kind";
    BankDifficulty = "bank_difficulty" {}
        zh: "难度须为 1–5", en: "Difficulty must be 1–5";
    BankPoints = "bank_points" {}
        zh: "分值须为 0.5–100", en: "Points must be 0.5–100";
    BankRequiredAtMost = "bank_required_at_most" { limit: i64 }
        zh: "必填，最多 {limit} 字", en: "Required, at most {limit} characters";
    BankNoQuestions = "bank_no_questions" {}
        zh: "文件中没有题目", en: "The file has no questions";
    NoSuchOption = "no_such_option" {}
        zh: "选项不存在", en: "No such option";
    ChooseOneOption = "choose_one_option" {}
        zh: "请选择一个选项", en: "Choose one option";
    MultipleKeyTooFew = "multiple_key_too_few" {}
        zh: "多选题至少两个正确选项", en: "A multiple-choice key needs at least two options";
    ChooseOptions = "choose_options" {}
        zh: "请选择选项", en: "Choose options";
    AnswerTrueOrFalse = "answer_true_or_false" {}
        zh: "请判断对错", en: "Answer true or false";
    FillEveryBlank = "fill_every_blank" {}
        zh: "请填写每个空", en: "Fill in every blank";
    AnswerTooLong = "answer_too_long" {}
        zh: "回答过长", en: "The answer is too long";
    WriteAnAnswer = "write_an_answer" {}
        zh: "请填写回答", en: "Write an answer";
    QuestionMissingOrRetired = "question_missing_or_retired" {}
        zh: "题目不存在或已停用", en: "The question is missing or retired";
    BankTooFewMatching = "bank_too_few_matching" { count: i64, needed: i64 }
        zh: "题库中符合条件的题目只有 {count} 道，需要 {needed} 道", en: "The bank has {count} matching questions, {needed} needed";
    QuestionOutsideBank = "question_outside_bank" {}
        zh: "题目不存在、已停用或不在可用题库中", en: "The question is missing, retired or outside this quiz's bank";
    QuizClosesBeforeOpens = "quiz_closes_before_opens" {}
        zh: "结束时间须晚于开始时间", en: "Must close after it opens";
    FixedPaperNeedsQuestions = "fixed_paper_needs_questions" {}
        zh: "固定试卷至少一道题", en: "A fixed paper needs questions";
    RandomPaperNeedsSections = "random_paper_needs_sections" {}
        zh: "随机试卷至少一个抽题规则", en: "A random paper needs sections";
    QuestionRepeated = "question_repeated" {}
        zh: "同一题目只能出现一次", en: "Each question may appear once";
    ClassNotInProgram = "class_not_in_program" {}
        zh: "该班级不属于本项目", en: "The class is not in this program";
    PassScoreAboveTotal = "pass_score_above_total" { max: f64 }
        zh: "及格分不能高于总分 {max}", en: "The pass score exceeds the total {max}";
    QuizPublishedImmutable = "quiz_published_immutable" {}
        zh: "已发布的测验不能修改", en: "A published quiz cannot be changed";
    QuizAlreadyPublished = "quiz_already_published" {}
        zh: "测验已发布", en: "Already published";
    /// The question bank sheet's name.
    BankSheet = "bank_sheet" {}
        zh: "题库", en: "Questions";
    /// The exported question bank's file name.
    BankFileName = "bank_file_name" { value: String }
        zh: "题库 questions.{value}", en: "questions.{value}";
    // The question sheet's headers: an export writes them in the request's language, an import reads either.
    BankColKind = "bank_col_kind" {}
        zh: "题型", en: "kind";
    BankColSubject = "bank_col_subject" {}
        zh: "学科", en: "subject";
    BankColTags = "bank_col_tags" {}
        zh: "标签", en: "tags";
    BankColDifficulty = "bank_col_difficulty" {}
        zh: "难度", en: "difficulty";
    BankColStem = "bank_col_stem" {}
        zh: "题干", en: "stem";
    BankColOptionA = "bank_col_option_a" {}
        zh: "选项A", en: "option a";
    BankColOptionB = "bank_col_option_b" {}
        zh: "选项B", en: "option b";
    BankColOptionC = "bank_col_option_c" {}
        zh: "选项C", en: "option c";
    BankColOptionD = "bank_col_option_d" {}
        zh: "选项D", en: "option d";
    BankColOptionE = "bank_col_option_e" {}
        zh: "选项E", en: "option e";
    BankColOptionF = "bank_col_option_f" {}
        zh: "选项F", en: "option f";
    BankColAnswer = "bank_col_answer" {}
        zh: "答案", en: "answer";
    BankColExplanation = "bank_col_explanation" {}
        zh: "解析", en: "explanation";
    BankColPoints = "bank_col_points" {}
        zh: "分值", en: "points";
}
