use chrono::{Datelike, Utc};
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};

use super::{
    figures::{self, AreaFigures},
    mine::{self, ReviewDue, TeacherDesk},
    todo::{self, TodoCount},
};
use crate::{
    AppState,
    access::{Permission, Role},
    auth::BearerAuth,
    platform::error::AppResult,
    tags::Tag,
};

/// What the signed-in user sees first; each part is present only for whoever it concerns.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Workbench {
    /// The year the figures are for.
    pub year: i32,
    /// The queues I can work, with their counts (待办).
    pub todos: Vec<TodoCount>,
    /// My area's figures: for administrators who manage programs.
    pub figures: Option<AreaFigures>,
    /// My programs, deadlines and certificates: for teachers.
    pub teacher: Option<TeacherDesk>,
    /// My open review rounds: for reviewers.
    pub reviews: Option<Vec<ReviewDue>>,
}

pub struct WorkbenchApi;

#[OpenApi(tag = "Tag::Workbench")]
impl WorkbenchApi {
    /// My workbench (工作台): my queues, my area's figures for the year (this year unless `year` says otherwise;
    /// `node` drills down to a region or school inside my area, 404 outside it), my own programs or reviews.
    #[oai(path = "/workbench", method = "get", operation_id = "getWorkbench")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<
            Option<i32>,
        >,
        node: Query<Option<String>>,
    ) -> AppResult<Json<Workbench>> {
        let principal = &auth.0;
        let year = year.0.unwrap_or_else(|| Utc::now().year());
        let manages = principal
            .require_somewhere(Permission::ProgramManage)
            .is_ok();
        let figures = if manages || node.0.is_some() {
            Some(figures::area(&state, principal, node.0, year).await?)
        } else {
            None
        };
        let teacher = match principal.teacher_id {
            Some(id) if principal.holds(Role::Teacher) => {
                Some(mine::teacher_desk(&state.db, id).await?)
            }
            _ => None,
        };
        let reviews = if principal.holds(Role::Reviewer) {
            Some(mine::reviews_due(&state.db, principal.account_id).await?)
        } else {
            None
        };
        Ok(Json(Workbench {
            year,
            todos: todo::counts(&state.db, principal).await?,
            figures,
            teacher,
            reviews,
        }))
    }

    /// Only the counts of my queues: small and cheap, for the menu's badges.
    #[oai(
        path = "/workbench/todo-counts",
        method = "get",
        operation_id = "getTodoCounts"
    )]
    async fn todo_counts(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<Vec<TodoCount>>> {
        Ok(Json(todo::counts(&state.db, &auth.0).await?))
    }
}
