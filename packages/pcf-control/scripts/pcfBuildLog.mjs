/**
 * pcf-scripts build exits 0 even when the build fails (ESLint, manifest or webpack errors) and leaves the old bundle
 * in place (packages/pcf-control/README.md). Success is read from its log instead.
 * @param {string} log everything pcf-scripts printed
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function checkPcfBuildLog(log) {
  if (/\[build\]\s+Failed/i.test(log)) return { ok: false, reason: 'pcf-scripts reported "[build] Failed"' };
  if (!/\[build\]\s+Succeeded/.test(log)) return { ok: false, reason: 'pcf-scripts did not report "[build] Succeeded"' };
  return { ok: true };
}
