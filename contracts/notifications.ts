/**
 * The messages subscribers of the pipeline's topic receive: a versioned schema, exported by the
 * package so consumers can type what they parse.
 */

/** Why an analysis failed: Rekognition's or StartLabelDetection's error. */
export interface AnalysisError {
  readonly code: string;
  readonly message: string;
}

/** One label of the summary: its name, its highest confidence, how often it was seen and when first. */
export interface LabelSummary {
  readonly name: string;
  /** Highest confidence of any detection, percent, one decimal. */
  readonly confidence: number;
  /** Detections (timestamps) of the label. */
  readonly occurrences: number;
  readonly firstSeenMs: number;
}

/** Version of the analysis notification's JSON, versioned like the job notification. */
export const ANALYSIS_NOTIFICATION_SCHEMA_VERSION = '1';

/** The `status` (and message attribute) of an analysis notification: distinct from the job states. */
export type AnalysisNotificationStatus = 'ANALYSIS_COMPLETE' | 'ANALYSIS_FAILED';

/** The message published when an analysis ends. Every field is always present (null when not applicable). */
export interface AnalysisNotification {
  readonly version: typeof ANALYSIS_NOTIFICATION_SCHEMA_VERSION;
  readonly pipeline: string;
  readonly status: AnalysisNotificationStatus;
  readonly jobId: string;
  readonly assetId: string;
  /**
   * labels.json's `s3://` URI in the output bucket (private: the distribution serves renditions only);
   * null when the analysis failed.
   */
  readonly labelsUrl: string | null;
  readonly labelCount: number | null;
  /** The top labels by confidence; empty when the analysis failed. */
  readonly topLabels: readonly LabelSummary[];
  readonly error: AnalysisError | null;
  /** When the analysis ended, as ISO 8601. */
  readonly timestamp: string;
}
