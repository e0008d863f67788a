pub async fn fill(_state: &crate::AppState) -> anyhow::Result<()> {
    Ok(())
}
