/** Upload progress as a terminal bar (bytes, rate, ETA) or as plain lines. Pure formatting. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

/** `[#######.......]  42%  12.0 MiB / 28.6 MiB  3.1 MiB/s  ETA 5s` */
export function progressBar(sent: number, total: number, elapsedSeconds: number, width = 24): string {
  const fraction = total === 0 ? 1 : Math.min(1, sent / total);
  const filled = Math.round(fraction * width);
  const rate = elapsedSeconds > 0 ? sent / elapsedSeconds : 0;
  const eta = rate > 0 ? (total - sent) / rate : Number.POSITIVE_INFINITY;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(sent)} / ${formatBytes(total)}  ${formatBytes(rate)}/s  ETA ${formatDuration(eta)}`;
}
