//! 一师一优课 review rounds over HTTP: rounds and their entries, assignment, the reviewer's workspace, results,
//! 公示 with objections, publication, awards and the ministry export.
use chrono::{DateTime, Utc};
use poem_openapi::{
    Object, OpenApi,
    param::{Header, Path, Query},
    payload::Json,
};

use super::{
    assignment::{self, LessonAssignOutcome, LessonAssignmentView, LessonManualAssignment},
    publicity::{
        self, LessonAwardLevel, LessonAwardView, LessonObjectionInput, LessonObjectionResolution,
        LessonObjectionStatus, LessonObjectionView, LessonPublicityRound,
    },
    results::{self, EntryFilter, LessonEntrySort, LessonOverrideInput, LessonRoundEntryView},
    reviews::{self, LessonReviewInput, LessonReviewStatus, LessonReviewView},
    rounds::{
        self, LessonRoundInput, LessonRoundLevel, LessonRoundStatus, LessonRoundView, RoundFilter,
    },
};
use crate::{
    AppState,
    auth::{BearerAuth, routes::NoContent},
    files::content::{FileContent, MediaAuth, serve_content, serve_poster, sign_play_token},
    platform::{
        error::AppResult,
        paging::{Page, SortOrder},
        tabular::{Download, XLSX_CONTENT_TYPE},
    },
    tags::Tag,
};

pub struct LessonRoundsApi;

#[OpenApi(tag = "Tag::Lessons")]
impl LessonRoundsApi {
    /// Make a review round (`lesson.round` through a grant bound to a node of the round's level; another level is
    /// a 422 on `level`). The round collects its lessons: county — the county's checked lessons; city — lessons with
    /// a county award in the city; province — lessons with a city award.
    #[oai(
        path = "/lesson-rounds",
        method = "post",
        operation_id = "createLessonRound"
    )]
    async fn create(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<LessonRoundInput>,
    ) -> AppResult<Json<LessonRoundView>> {
        Ok(Json(rounds::create(&state, &auth.0, body.0).await?))
    }

    /// Rounds of my area, newest first.
    #[oai(
        path = "/lesson-rounds",
        method = "get",
        operation_id = "listLessonRounds"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        activity_id: Query<Option<i64>>,
        level: Query<Option<LessonRoundLevel>>,
        status: Query<Option<LessonRoundStatus>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<LessonRoundView>>> {
        let filter = RoundFilter {
            activity_id: activity_id.0,
            level: level.0,
            status: status.0,
        };
        Ok(Json(
            rounds::list(&state, &auth.0, filter, page.0, page_size.0).await?,
        ))
    }

    /// One round with its counts.
    #[oai(
        path = "/lesson-rounds/:id",
        method = "get",
        operation_id = "getLessonRound"
    )]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonRoundView>> {
        Ok(Json(rounds::get(&state, &auth.0, id.0).await?))
    }

    /// Edit a draft round (activity and level stay); lessons that became eligible are collected.
    #[oai(
        path = "/lesson-rounds/:id",
        method = "put",
        operation_id = "updateLessonRound"
    )]
    async fn update(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<LessonRoundInput>,
    ) -> AppResult<Json<LessonRoundView>> {
        Ok(Json(rounds::update(&state, &auth.0, id.0, body.0).await?))
    }

    /// Assign reviewers from the round's pool to every lesson of a draft round, evenly and free of conflicts.
    /// When the pool cannot cover every lesson: 422 `pool_insufficient`, one error per lesson
    /// (`entries[<entry id>]`, needed vs eligible), and nothing is written.
    #[oai(
        path = "/lesson-rounds/:id/assign",
        method = "post",
        operation_id = "assignLessonRound"
    )]
    async fn assign(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonAssignOutcome>> {
        Ok(Json(
            assignment::auto_assign(&state.db, &auth.0, id.0).await?,
        ))
    }

    /// Add a reviewer of the pool to one lesson (draft or reviewing; a conflicting reviewer is a 422).
    #[oai(
        path = "/lesson-rounds/:id/assignments",
        method = "post",
        operation_id = "addLessonAssignment"
    )]
    async fn add_assignment(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<LessonManualAssignment>,
    ) -> AppResult<Json<LessonAssignmentView>> {
        Ok(Json(
            assignment::add(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Take a reviewer off a lesson (not once they submitted: 409).
    #[oai(
        path = "/lesson-rounds/:id/assignments/:assignment_id",
        method = "delete",
        operation_id = "removeLessonAssignment"
    )]
    async fn remove_assignment(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        assignment_id: Path<i64>,
    ) -> AppResult<NoContent> {
        assignment::remove(&state.db, &auth.0, id.0, assignment_id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// draft → reviewing: every lesson needs its reviewers (422 `reviewers_missing`). Each reviewer is mailed once;
    /// reminders are scheduled `reminder_days` before the deadline.
    #[oai(
        path = "/lesson-rounds/:id/start",
        method = "post",
        operation_id = "startLessonRound"
    )]
    async fn start(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonRoundView>> {
        Ok(Json(rounds::start(&state, &auth.0, id.0).await?))
    }

    /// reviewing → closed: scores freeze; each lesson's aggregate, spread and flag are settled.
    #[oai(
        path = "/lesson-rounds/:id/close",
        method = "post",
        operation_id = "closeLessonRound"
    )]
    async fn close(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonRoundView>> {
        Ok(Json(results::close(&state, &auth.0, id.0).await?))
    }

    /// The round's lessons with each reviewer's total, score, spread, flag, override, rank and recommendation.
    #[oai(
        path = "/lesson-rounds/:id/entries",
        method = "get",
        operation_id = "listLessonRoundEntries"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn entries(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        flagged: Query<Option<bool>>,
        recommended: Query<Option<bool>>,
        sort: Query<Option<LessonEntrySort>>,
        order: Query<Option<SortOrder>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<LessonRoundEntryView>>> {
        let filter = EntryFilter {
            flagged: flagged.0,
            recommended: recommended.0,
            sort: sort.0.unwrap_or_default(),
            order: order.0,
        };
        Ok(Json(
            results::entries(&state, &auth.0, id.0, filter, page.0, page_size.0).await?,
        ))
    }

    /// Settle a lesson's score by hand (score and reason; audited) — what a disagreement flag asks for.
    #[oai(
        path = "/lesson-rounds/:id/entries/:entry_id/override",
        method = "post",
        operation_id = "overrideLessonEntry"
    )]
    async fn override_entry(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        entry_id: Path<i64>,
        body: Json<LessonOverrideInput>,
    ) -> AppResult<Json<LessonRoundEntryView>> {
        Ok(Json(
            results::override_score(&state, &auth.0, id.0, entry_id.0, body.0).await?,
        ))
    }

    /// closed → publicity: rank, apply the quota (one per slot, one per teacher) and open the 公示. Refused (422
    /// `flagged_unresolved`) while a flagged lesson has neither an override nor an arbiter's score.
    #[oai(
        path = "/lesson-rounds/:id/confirm",
        method = "post",
        operation_id = "confirmLessonRound"
    )]
    async fn confirm(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonRoundView>> {
        Ok(Json(results::confirm(&state, &auth.0, id.0).await?))
    }

    /// Rounds in 公示 with their recommended lessons (every signed-in user).
    #[oai(
        path = "/lesson-publicity",
        method = "get",
        operation_id = "listLessonPublicity"
    )]
    async fn publicity(
        &self,
        state: poem::web::Data<&AppState>,
        _auth: BearerAuth,
        activity_id: Query<Option<i64>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<LessonPublicityRound>>> {
        Ok(Json(
            publicity::list_publicity(&state, activity_id.0, page.0, page_size.0).await?,
        ))
    }

    /// Object to a lesson of a round in 公示 (every signed-in user; outside the 公示 a 409).
    #[oai(
        path = "/lesson-rounds/:id/objections",
        method = "post",
        operation_id = "raiseLessonObjection"
    )]
    async fn raise_objection(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<LessonObjectionInput>,
    ) -> AppResult<Json<LessonObjectionView>> {
        Ok(Json(
            publicity::raise(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// The objections raised in a round (its administrators).
    #[oai(
        path = "/lesson-rounds/:id/objections",
        method = "get",
        operation_id = "listLessonObjections"
    )]
    async fn list_objections(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        status: Query<Option<LessonObjectionStatus>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<LessonObjectionView>>> {
        Ok(Json(
            publicity::list_objections(&state.db, &auth.0, id.0, status.0, page.0, page_size.0)
                .await?,
        ))
    }

    /// Answer an objection; upheld excludes the lesson from the recommendations (audited).
    #[oai(
        path = "/lesson-objections/:id/resolve",
        method = "post",
        operation_id = "resolveLessonObjection"
    )]
    async fn resolve_objection(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<LessonObjectionResolution>,
    ) -> AppResult<Json<LessonObjectionView>> {
        Ok(Json(
            publicity::resolve(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// publicity → published (409 while an objection is open): awards at the round's level (province: also 部级)
    /// and the recommended lessons enter the next level's draft round.
    #[oai(
        path = "/lesson-rounds/:id/publish",
        method = "post",
        operation_id = "publishLessonRound"
    )]
    async fn publish(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonRoundView>> {
        Ok(Json(publicity::publish(&state, &auth.0, id.0).await?))
    }

    /// Awards of an activity that I may see (my area's; a teacher's own).
    #[oai(
        path = "/lesson-activities/:id/awards",
        method = "get",
        operation_id = "listLessonAwards"
    )]
    async fn awards(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        level: Query<Option<LessonAwardLevel>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<LessonAwardView>>> {
        Ok(Json(
            publicity::awards(&state, &auth.0, id.0, level.0, page.0, page_size.0).await?,
        ))
    }

    /// The ministry recommendation list as XLSX: sheet 推荐名单 and sheet 文件清单 (every file's name, size and
    /// SHA-256). The province's `lesson.round` administrators; audited.
    #[oai(
        path = "/lesson-activities/:id/ministry-export",
        method = "get",
        operation_id = "exportLessonMinistryList"
    )]
    async fn ministry_export(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Download> {
        let (data, filename) = publicity::ministry_export(&state, &auth.0, id.0).await?;
        Ok(Download {
            data,
            filename,
            content_type: XLSX_CONTENT_TYPE,
        })
    }

    /// My review assignments (reviewers), in rounds that have started.
    #[oai(
        path = "/lesson-reviews",
        method = "get",
        operation_id = "listLessonReviews"
    )]
    async fn reviews(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        round_id: Query<Option<i64>>,
        status: Query<Option<LessonReviewStatus>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<LessonReviewView>>> {
        Ok(Json(
            reviews::list(
                &state.db,
                &auth.0,
                round_id.0,
                status.0,
                page.0,
                page_size.0,
            )
            .await?,
        ))
    }

    /// One of my assignments: the lesson (anonymous in a blind round), its items, the rubric and my scores.
    #[oai(
        path = "/lesson-reviews/:id",
        method = "get",
        operation_id = "getLessonReview"
    )]
    async fn review(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonReviewView>> {
        Ok(Json(reviews::get(&state.db, &auth.0, id.0).await?))
    }

    /// Save my scores as a draft (partial is fine) or submit them (`submit: true`: every criterion, final). Each
    /// criterion 0..=max points (422 on `scores[<key>]`); only while the round is reviewing (409 after).
    #[oai(
        path = "/lesson-reviews/:id",
        method = "put",
        operation_id = "saveLessonReview"
    )]
    async fn save_review(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<LessonReviewInput>,
    ) -> AppResult<Json<LessonReviewView>> {
        Ok(Json(reviews::save(&state.db, &auth.0, id.0, body.0).await?))
    }

    /// An item's file under the name I may see (neutral in a blind round), streamed, honouring `Range`.
    /// Authorised by my bearer token or by the `token` of a playback link (`createLessonReviewPlayToken`).
    #[oai(
        path = "/lesson-reviews/:id/items/:item_id/content",
        method = "get",
        operation_id = "lessonReviewItemContent"
    )]
    async fn item_content(
        &self,
        state: poem::web::Data<&AppState>,
        auth: MediaAuth,
        id: Path<i64>,
        item_id: Path<i64>,
        /// `bytes=start-end`, `bytes=start-` or `bytes=-suffix` (one range).
        #[oai(name = "Range")]
        range: Header<Option<String>>,
    ) -> AppResult<FileContent> {
        let file_id = reviews::item_file_id(&state.db, id.0, item_id.0).await?;
        let principal = auth.principal(&state.db, file_id).await?;
        let (file, name) = reviews::my_item(&state, &principal, id.0, item_id.0).await?;
        serve_content(&state, &file, range.0.as_deref(), &name).await
    }

    /// A video item's poster frame (JPEG); 404 when it has none.
    #[oai(
        path = "/lesson-reviews/:id/items/:item_id/poster",
        method = "get",
        operation_id = "lessonReviewItemPoster"
    )]
    async fn item_poster(
        &self,
        state: poem::web::Data<&AppState>,
        auth: MediaAuth,
        id: Path<i64>,
        item_id: Path<i64>,
        #[oai(name = "Range")] range: Header<Option<String>>,
    ) -> AppResult<FileContent> {
        let file_id = reviews::item_file_id(&state.db, id.0, item_id.0).await?;
        let principal = auth.principal(&state.db, file_id).await?;
        let (file, _) = reviews::my_item(&state, &principal, id.0, item_id.0).await?;
        serve_poster(&state, &file, range.0.as_deref()).await
    }

    /// A short-lived playback link for an item of my assignment, for a `<video>` that cannot send the bearer
    /// header. The link points here (never at the file's own URL), so it carries the neutral name too.
    #[oai(
        path = "/lesson-reviews/:id/items/:item_id/play-token",
        method = "post",
        operation_id = "createLessonReviewPlayToken"
    )]
    async fn play_token(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        item_id: Path<i64>,
    ) -> AppResult<Json<LessonPlayLink>> {
        let (file, _) = reviews::my_item(&state, &auth.0, id.0, item_id.0).await?;
        let expires_at = Utc::now() + chrono::Duration::minutes(state.config.play_token_minutes);
        let token = sign_play_token(&state.keys, file.id, auth.0.account_id, expires_at);
        let base = format!("/api/lesson-reviews/{}/items/{}", id.0, item_id.0);
        Ok(Json(LessonPlayLink {
            url: format!("{base}/content?token={token}"),
            poster_url: file
                .poster_key
                .as_ref()
                .map(|_| format!("{base}/poster?token={token}")),
            expires_at,
        }))
    }
}

/// A playback link for an item of my assignment.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonPlayLink {
    /// `/api/lesson-reviews/{id}/items/{item_id}/content?token=…`: streams the item under its neutral name.
    pub url: String,
    /// The poster's link when the video has one.
    pub poster_url: Option<String>,
    pub expires_at: DateTime<Utc>,
}
