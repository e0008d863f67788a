/**
 * Whether the region `code` lies at or below one of my region nodes, read from the 6-digit 行政区划代码 itself
 * (2 digits province, 2 city, 2 county): only there may I hand seats on. Schools hold seats but have nothing below.
 */
export function mayDistributeFrom(code: string, myNodes: readonly string[]): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return myNodes.some((m) => {
    if (!/^\d{6}$/.test(m)) return false;
    const significant = m.endsWith('0000') ? 2 : m.endsWith('00') ? 4 : 6;
    return code.startsWith(m.slice(0, significant));
  });
}
