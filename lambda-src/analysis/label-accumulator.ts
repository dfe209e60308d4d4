import type { LabelDetection } from '@aws-sdk/client-rekognition';
import type { LabelSummary } from '../../contracts/notifications';
import { OUTPUT_FOLDERS } from '../../contracts/storage-layout';

/**
 * Distinct label names kept for the summary. Rekognition's label catalogue has a few thousand
 * names, so this is never reached in practice; it bounds memory whatever arrives.
 */
export const MAX_DISTINCT_LABELS = 10_000;

/**
 * The summary of a video's labels, fed one page at a time: memory grows with the distinct label
 * names (at most {@link MAX_DISTINCT_LABELS}), never with the number of detections.
 */
export class LabelAccumulator {
  private readonly byName = new Map<string, { confidence: number; occurrences: number; firstSeenMs: number }>();
  /** Detections seen, every page. */
  count = 0;
  /** Detections of names past the distinct-name cap: counted, not summarized. */
  uncounted = 0;

  constructor(private readonly maxDistinct: number = MAX_DISTINCT_LABELS) {}

  add(detections: readonly LabelDetection[]): void {
    for (const detection of detections) {
      this.count += 1;
      const name = detection.Label?.Name;
      if (name === undefined || name === '') continue;
      const confidence = detection.Label?.Confidence ?? 0;
      const at = detection.Timestamp ?? 0;
      const seen = this.byName.get(name);
      if (seen === undefined) {
        if (this.byName.size >= this.maxDistinct) {
          this.uncounted += 1;
          continue;
        }
        this.byName.set(name, { confidence, occurrences: 1, firstSeenMs: at });
      } else {
        seen.confidence = Math.max(seen.confidence, confidence);
        seen.occurrences += 1;
        seen.firstSeenMs = Math.min(seen.firstSeenMs, at);
      }
    }
  }

  /** The top labels: ranked by highest confidence, then occurrences, then name (equal inputs, equal summaries). */
  top(top: number): LabelSummary[] {
    return [...this.byName.entries()]
      .map(([name, s]) => ({
        name,
        confidence: Math.round(s.confidence * 10) / 10,
        occurrences: s.occurrences,
        firstSeenMs: s.firstSeenMs,
      }))
      .sort((a, b) => b.confidence - a.confidence || b.occurrences - a.occurrences || a.name.localeCompare(b.name))
      .slice(0, top);
  }
}

/** Where page `index` (0-based) of an asset's labels goes: `<assetId>/analysis/labels/00000.json`. */
export function labelsPageKey(assetId: string, index: number): string {
  return `${assetId}/${OUTPUT_FOLDERS.analysis}/labels/${String(index).padStart(5, '0')}.json`;
}
