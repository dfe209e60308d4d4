import { changedAttributeNames } from '../../scripts/lib/plan-diff';
import { PlanJson, effectiveResourceChanges } from '../../scripts/lib/plan-json';

/**
 * Known fidelity gaps of the local emulators: attributes that moto (or the MediaConvert
 * stand-in) does not read back as written, so `terraform plan` after an apply shows an
 * update although nothing changed. Anything else in that plan is a real drift.
 */
export interface EmulatorGap {
  readonly resourceType: string;
  /** Top-level attributes that may differ between state and the emulator's read-back. */
  readonly attributes: readonly string[];
  readonly reason: string;
}

export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    resourceType: 'aws_cloudfront_distribution',
    attributes: ['origin', 'default_cache_behavior', 'ordered_cache_behavior', 'viewer_certificate'],
    reason:
      'moto does not return origin_access_control_id, adds a legacy forwarded_values block next to cache_policy_id on the default and every ordered cache behavior (its CacheBehaviour extends DefaultCacheBehaviour), and adds ssl_support_method = sni-only to the default certificate',
  },
  {
    resourceType: 'aws_lambda_function',
    attributes: ['dead_letter_config'],
    reason: 'moto stores dead_letter_config but GetFunction does not return it',
  },
];

/**
 * Behaviour of the emulator that differs from AWS, worked around in the e2e test.
 */
export const EMULATOR_BEHAVIOUR_GAPS: readonly string[] = [
  'moto evaluates bucket-policy Deny statements on object requests without their Condition (local:up uses scripts/lib/moto_server.py instead, see LOCAL_PIPELINE_GAPS), so the TLS-only deny (aws:SecureTransport = false) blocks every PutObject and GetObject; the pipeline test lifts the bucket policy for its one upload and for the reads of the submit function (Probe and the ranged header GETs), and restores it; the plan-review test creates the state bucket without it (count = 0).',
  "moto's threaded server checks a DynamoDB ConditionExpression and writes without a lock, so two concurrent claims of one item could both succeed: every moto the tests start runs through scripts/lib/moto_server.py, which serializes the DynamoDB backend's writes (atomic, as DynamoDB applies them).",
  'moto cannot run Lambda code (no Docker): the test runs the deployed zip itself, with the deployed function environment.',
  "moto's EventBridge TestEventPattern answers with an empty body, and PutEvents fails when a matching rule targets a Lambda: the test swaps the deployed rule's Lambda target for an SQS probe and restores it.",
  "moto matches a scheduled rule (no event pattern) against every PutEvents, so the job sweep's schedule would take the test's events to a Lambda it cannot run: the test detaches the schedule's target while it puts events and restores it.",
  'moto answers a CloudFront distribution ARN without its empty region field (`arn:aws:cloudfront:<account>:distribution/<id>`), which the provider refuses as a log delivery source\'s resource_arn ("Invalid ARN Value"): the Delivery construct builds that ARN from the distribution id, as AWS forms it.',
  "moto stores KMS keys, key policies, rotation and every resource's key (SSE-KMS with a bucket key, DynamoDB, SNS, SQS, log groups) as applied, but never asks KMS whether a service or role may use the key: the customer-key apply proves the configuration (__tests__/e2e/pipeline.e2e.test.ts); who may use the key is proven with the IAM simulator (__tests__/encryption-key.test.ts).",
  'moto keeps S3 lifecycle and SQS attribute read-backs unsettled for a while, so apply waits about 55 s and 25 s on those resources; the plan-review test creates the state bucket without its lifecycle rule to save that wait.',
];

/**
 * How `npm run local:up` (scripts/local.ts, scripts/lib/local-runtime/) stands in for what the
 * emulator cannot do, and where that differs from AWS.
 */
export const LOCAL_PIPELINE_GAPS: readonly string[] = [
  "moto runs through scripts/lib/moto_server.py, which evaluates bucket-policy conditions as AWS does (a statement whose condition does not hold does not apply; moto 5.2.1 ignores Bool and denies on a failed condition) and gives object requests aws:SecureTransport = true: the emulator listens on loopback only. The stacks' TLS-only Deny and CloudFront's SourceArn Allow stay deployed exactly as in AWS; no policy is lifted.",
  'moto cannot invoke Lambda: the local runtime watches the source bucket (ListObjectVersions once a second) and sends the S3 event the deployed notification configuration would (its filters, the deployed function), with a local sequencer.',
  "MediaConvert's events reach a local bus, not moto's EventBridge (PutEvents fails when a matching rule targets a Lambda); the bus routes each by the deployed rules' patterns (exact values, prefix, exists, anything-but) to their Lambda targets. Rule retry policies and DLQs are not exercised.",
  'Each invocation is a fresh Node process running the deployed zip with the deployed environment, the emulator endpoints and credentials, and DISTRIBUTION_DOMAIN set to the local distribution; retries follow maximum_retry_attempts after 2 and 4 s (Lambda: about 1 and 2 minutes); reserved concurrency and the function DLQ are not applied.',
  "The distribution stand-in serves the output bucket over plain HTTP on loopback with the distribution's CORS and security headers (stacks/lib/delivery-headers.ts); no HTTPS redirect, no edge caching, no compression; a missing object answers 403 as S3 behind an OAC does.",
  'The sweep runs on its rate(...) schedule from the moment local:up is up; cron() schedules are not fired.',
];

/**
 * How the MediaConvert stand-in's transcoder (support/mediaconvert/transcode.ts, ffmpeg) differs from
 * MediaConvert. Settings not in support/mediaconvert/transcode-settings.ts fail the job instead.
 */
export const TRANSCODER_GAPS: readonly string[] = [
  'HE-AAC (AAC codecProfile HEV1/HEV2, the weak-network rung) is encoded as AAC-LC at the same bitrate: Debian ffmpeg has no HE-AAC encoder',
  'an audio selector uses only its first track, and RemixSettings are approximated by ffmpeg downmixing to the output channel count; AudioDurationCorrection is accepted and has no effect',
  "hrdBufferSize becomes x264 -bufsize, an approximation of MediaConvert's HRD model",
  'QVBR is approximated by x264 CRF (38 - 2 x QvbrQualityLevel) capped by MaxBitrate with a 2x buffer; QualityTuningLevel is ignored (x264 preset veryfast for every job).',
  'SceneChangeDetect is ignored: GOPs are fixed (scene-change IDRs are not inserted), so segments always start on the GOP cadence.',
  'AdaptiveQuantization, AntiAlias, Sharpness and FramerateConversionAlgorithm are ignored (ffmpeg defaults; fps filter for frame-rate changes).',
  'CodecLevel other than AUTO is written into the stream as asked but never checked against the frame size and rate: MediaConvert fails a 1080p60 job at LEVEL_4_1, the stand-in does not.',
  'The Deinterlacer is yadif (ADAPTIVE: deint=interlaced); its Algorithm and Control are ignored.',
  "The ColorCorrector's HDR-to-SDR tone mapping is zscale + tonemap=hable, not MediaConvert's PRESERVE_DETAILS or VIBRANT mappers.",
  'ScalingBehavior FIT is approximated as FIT_NO_UPSCALE that may upscale (no padding); DEFAULT pads to the output frame as documented.',
  'I-frame playlists are named <base><NameModifier>_I-Frame.m3u8 and hold one byte range per key frame over the same segments (the exact name MediaConvert uses is not confirmed here); BANDWIDTH is the peak segment bitrate, AVERAGE-BANDWIDTH the mean over the whole rendition.',
  'MinSegmentLength, MinFinalSegmentLength, ClientCache, CodecSpecification (always RFC 6381 strings) and the M3U8 and MP4 container details (CslgAtom, FreeSpaceBox) are ignored.',
  'STATUS_UPDATE events are sent at most once per second (statusUpdateSeconds), not at StatusUpdateInterval: short local jobs would otherwise send none.',
  'No INPUT_INFORMATION event is sent; COMPLETE carries warning 240000 when silence was inserted for an output without an audio selector.',
  'Jobs run one at a time; the queue, priority and acceleration settings change nothing.',
  'CMAF groups (the HDR ladder): fMP4 segments <name>_<n>.cmfv|.cmfa after <name>_init.cmfv|.cmfa and the HLS master only (WriteDashManifest must be DISABLED); FragmentLength and MinFinalSegmentLength are ignored (one fragment per segment); the I-frame playlist (<name>_I-Frame.m3u8) lists only the first key frame of each segment (a byte range from its moof to the end of that sample); the segment and init names MediaConvert uses are not confirmed here.',
  'The CMAF master writes VIDEO-RANGE from the encoded stream (smpte2084 PQ, arib-std-b67 HLG, else SDR), CODECS as hvc1.2.4.<H|L><level>.90 (constraint byte assumed) and the audio as one EXT-X-MEDIA group; that MediaConvert derives VIDEO-RANGE the same way is documented for its Apple HDR recipe but not checked against a real job here.',
  'HEVC (H_265) is libx265 preset ultrafast, Main10, CRF from QvbrQualityLevel capped by MaxBitrate; the tier (MAIN10_HIGH: high-tier) and level are passed to x265; HEVC outputs are accepted only for PQ or HLG sources, whose colour (BT.2020, transfer, BT.2020nc) and HDR10 mastering and light-level metadata (first frame) are passed through; SceneChangeDetect, AdaptiveQuantization and QualityTuningLevel are ignored as for H.264.',
  'Image-based trick play: only ADVANCED with IntervalCadence FOLLOW_CUSTOM is produced (THUMBNAIL, THUMBNAIL_AND_FULLFRAME, VARIANTS and FOLLOW_IFRAME fail the job with the setting named). Thumbnails are ffmpeg fps=1/interval (the last frame held for one interval, so ceil(duration / interval) of them), scaled to exactly ThumbnailWidth x ThumbnailHeight (a blank height keeps the top variant aspect; how MediaConvert fits a mismatched aspect is not confirmed), tiled TileWidth x TileHeight with black empty cells.',
  'Trick-play names are not confirmed (no MediaConvert page read here documents them): tiles <base>_trickplay.NNNNNNN.jpg from 0 and the image playlist <base>_trickplay.m3u8 (Image Media Playlist 0.4 tags: EXT-X-IMAGES-ONLY, EXT-X-TILES), named in the master by EXT-X-IMAGE-STREAM-INF (CODECS="jpeg", RESOLUTION of a whole tile image). COMPLETE lists no trick-play paths: how MediaConvert reports them in outputGroupDetails is not documented.',
  'Error codes: 1010 input unreadable, 1040 input not decodable (message starts "Demuxer:"), 3450 output write, 1030 for a setting the stand-in does not understand (its message names the setting).',
];

/** Resources and attributes that the emulator does not implement at all (left out of the local profile). */
export const EMULATOR_OMISSIONS: readonly EmulatorGap[] = [
  {
    resourceType: 'aws_cloudfront_response_headers_policy',
    attributes: [],
    reason: 'moto answers CreateResponseHeadersPolicy with 404; the local environment sets delivery.responseHeadersPolicy = false',
  },
  {
    resourceType: 'Amazon Rekognition Video',
    attributes: [],
    reason:
      'moto does not emulate Rekognition (StartLabelDetection, GetLabelDetection): the local environment keeps contentAnalysis.enabled = false, so none of its resources are applied; the content-analysis handler is tested against moto with Rekognition mocked (aws-sdk-client-mock)',
  },
  {
    resourceType: 'delivery.domain (aws_acm_certificate, aws_acm_certificate_validation, aws_route53_record)',
    attributes: [],
    reason:
      'a DNS-validated certificate is issued only once real DNS answers the validation CNAME, and the local endpoint list has no acm or route53: the local environment leaves delivery.domain unset (terraform validate covers it in vod-allon)',
  },
  {
    resourceType: 'delivery.waf (aws_wafv2_web_acl, scope CLOUDFRONT)',
    attributes: [],
    reason:
      'the local endpoint list has no wafv2 and the us-east-1 provider alias would need its own emulator endpoints: the local environment leaves delivery.waf unset (terraform validate covers it in vod-allon)',
  },
  {
    resourceType: 'delivery.signedPlayback (aws_cloudfront_public_key, aws_cloudfront_key_group)',
    attributes: [],
    reason:
      'not applied against moto in this change (untried, not known to fail): the local environment leaves it unset, so the local player needs no cookies; terraform validate covers it in vod-allon and the signatures are verified with node:crypto',
  },
  {
    resourceType: 'archive_file',
    attributes: [],
    reason: 'the offline mirror has no hashicorp/archive; the local environment zips Lambda code at synth (lambda.packaging = zip)',
  },
];

/** One resource that `terraform plan` wants to change, with the attributes that differ. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** Top-level attributes whose planned value differs from the state. */
  readonly attributes: readonly string[];
  /** True when every differing attribute is only unknown until another change applies. */
  readonly derived: boolean;
}

/** The changes in `terraform show -json <plan>`, ignoring no-ops and data reads (parsed as the plan summary does). */
export function plannedChanges(plan: PlanJson): PlannedChange[] {
  return effectiveResourceChanges(plan).map((rc) => {
    const attributes = changedAttributeNames(rc.change);
    const unknown = (rc.change.after_unknown ?? {}) as Record<string, unknown>;
    const derived = attributes.length > 0 && attributes.every((k) => unknown[k] === true);
    return { address: rc.address, type: rc.type, actions: rc.change.actions, attributes, derived };
  });
}

/**
 * Planned changes that no listed gap explains. Excused: in-place updates of listed
 * attributes only, and in-place updates whose values are merely unknown until an excused
 * change applies (e.g. a bucket policy that reads the distribution's ARN).
 */
export function unexplainedChanges(changes: readonly PlannedChange[], gaps: readonly EmulatorGap[] = EMULATOR_GAPS): PlannedChange[] {
  const inPlaceOnly = (change: PlannedChange) => change.actions.length === 1 && change.actions[0] === 'update';
  const excused = (change: PlannedChange) => {
    const gap = gaps.find((g) => g.resourceType === change.type);
    return gap !== undefined && inPlaceOnly(change) && change.attributes.every((a) => gap.attributes.includes(a));
  };
  const anyExcused = changes.some(excused);
  return changes.filter((change) => !(excused(change) || (anyExcused && inPlaceOnly(change) && change.derived)));
}
