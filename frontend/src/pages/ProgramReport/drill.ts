/**
 * The drill-down path of the completion report. Region codes carry their ancestors (510104 → 510000, 510100);
 * a school's code does not, so its county comes from the school record.
 */
export function regionAncestors(code: string): string[] {
  if (!/^\d{6}$/.test(code)) return [code];
  const province = `${code.slice(0, 2)}0000`;
  const city = `${code.slice(0, 4)}00`;
  const out = [province];
  if (city !== province) out.push(city);
  if (code !== city && code !== province) out.push(code);
  return out;
}

export function isSchoolCode(code: string): boolean {
  return /^\d{10}$/.test(code);
}

/**
 * Codes from the user's own node (`root`, where the report starts) down to `node`. A school needs its county
 * (`schoolCounty`); without it the trail is just root → school. A node outside the root's line starts its own trail.
 */
export function drillTrail(root: string, node: string | undefined, schoolCounty?: string): string[] {
  if (!node || node === root) return [root];
  const line = isSchoolCode(node) ? (schoolCounty ? [...regionAncestors(schoolCounty), node] : [root, node]) : regionAncestors(node);
  const at = line.indexOf(root);
  return at >= 0 ? line.slice(at) : [node];
}

/** Report level below a node: what one row is. */
export function rowLevel(nodeCode: string, teacherRows: boolean): 'city' | 'county' | 'school' | 'teacher' {
  if (teacherRows) return 'teacher';
  if (isSchoolCode(nodeCode)) return 'teacher';
  if (nodeCode.endsWith('0000')) return 'city';
  if (nodeCode.endsWith('00')) return 'county';
  return 'school';
}

/** 0.1234 → "12.3%". */
export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
