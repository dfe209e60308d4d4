import type { AccelerationMode } from '../../contracts/functions/submit-job';

/**
 * Video input codecs accelerated transcoding supports, by Probe's container format. From the
 * MediaConvert user guide, "Accelerated transcoding job settings requirements"
 * (https://docs.aws.amazon.com/mediaconvert/latest/ug/job-requirements.html), read 2026-12.
 * Containers not listed (WebM, AVI, MPEG-PS, 3GP…) are not supported at all.
 */
export const ACCELERATED_INPUT_CODECS: Readonly<Record<string, readonly string[]>> = {
  matroska: ['AVC', 'MPEG2', 'MP4V', 'VC1'],
  mpegts: ['AVC', 'HEVC', 'MPEG2', 'VC1'],
  mp4: ['AVC', 'HEVC', 'MPEG2'],
  mxf: ['PRORES', 'AVC', 'DV', 'JPEG2000', 'MPEG2', 'VC3'],
  quicktime: ['PRORES', 'AVC', 'JPEG2000', 'MPEG2'],
};

/** What acceleration a job gets, and why it is not what the policy asked for (for the log). */
export interface AccelerationDecision {
  readonly mode: AccelerationMode;
  readonly note?: string;
}

/**
 * `ENABLED` fails a job whose input or features accelerated transcoding does not support; such a
 * job runs `PREFERRED` instead (MediaConvert then falls back to normal speed), with the reason.
 *
 * | asked     | input codec in the table | adaptive deinterlacer (inverse telecine) | result                 |
 * |-----------|--------------------------|------------------------------------------|------------------------|
 * | DISABLED / PREFERRED | any           | any                                      | as asked               |
 * | ENABLED   | yes                      | not needed (scan known progressive)      | ENABLED                |
 * | ENABLED   | no, or unknown           | any                                      | PREFERRED, with reason |
 * | ENABLED   | yes                      | needed (interlaced or scan unknown)      | PREFERRED, with reason |
 */
export function gateAcceleration(
  asked: AccelerationMode,
  source: { readonly container: string; readonly videoCodec?: string; readonly needsAdaptiveDeinterlacer: boolean },
): AccelerationDecision {
  if (asked !== 'ENABLED') return { mode: asked };
  const codecs = ACCELERATED_INPUT_CODECS[source.container.toLowerCase()];
  if (codecs === undefined || source.videoCodec === undefined || !codecs.includes(source.videoCodec)) {
    return {
      mode: 'PREFERRED',
      note: `accelerated transcoding does not support ${source.videoCodec ?? 'an unknown codec'} in ${source.container}; ENABLED would fail the job, so it runs PREFERRED`,
    };
  }
  if (source.needsAdaptiveDeinterlacer) {
    return {
      mode: 'PREFERRED',
      note: 'the adaptive deinterlacer (its inverse telecine) is not supported with accelerated transcoding and the scan is not known to be progressive; the job runs PREFERRED',
    };
  }
  return { mode: 'ENABLED' };
}
