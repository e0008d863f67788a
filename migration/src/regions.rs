//! The Sichuan region tree, shipped inside the crate so a fresh machine needs nothing else.

/// code,name,level,parent_code — 1 province, 21 cities, 183 counties.
pub const REGIONS_CSV: &str = include_str!("../data/regions-sichuan.csv");

#[derive(Debug, Clone)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    /// Materialized path, e.g. `/510000/510100/510104/`, so "this node and below" is a prefix match.
    pub path: String,
}

/// Parses the embedded CSV and computes each row's materialized path from its ancestors.
pub fn region_rows() -> Result<Vec<RegionRow>, String> {
    let mut reader = csv::Reader::from_reader(REGIONS_CSV.as_bytes());
    let mut rows: Vec<RegionRow> = Vec::new();
    let mut paths = std::collections::HashMap::<String, String>::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let code = record.get(0).unwrap_or_default().trim().to_string();
        let parent = record.get(3).map(str::trim).filter(|p| !p.is_empty());
        let path = match parent {
            None => format!("/{code}/"),
            Some(p) => {
                let parent_path = paths.get(p).ok_or_else(|| {
                    format!("region {code}: parent {p} must come before its children")
                })?;
                format!("{parent_path}{code}/")
            }
        };
        paths.insert(code.clone(), path.clone());
        rows.push(RegionRow {
            code,
            name: record.get(1).unwrap_or_default().trim().to_string(),
            level: record.get(2).unwrap_or_default().trim().to_string(),
            parent_code: parent.map(str::to_string),
            path,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_has_province_cities_and_counties_with_paths() {
        let rows = region_rows().expect("csv parses");
        assert_eq!(rows.iter().filter(|r| r.level == "province").count(), 1);
        assert_eq!(rows.iter().filter(|r| r.level == "city").count(), 21);
        assert_eq!(rows.iter().filter(|r| r.level == "county").count(), 183);
        let jinjiang = rows.iter().find(|r| r.code == "510104").expect("锦江区");
        assert_eq!(jinjiang.path, "/510000/510100/510104/");
    }
}
