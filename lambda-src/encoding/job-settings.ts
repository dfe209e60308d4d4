import { clipTimecode } from '../jobs/upload-limits';
import { POSTER_NAME_MODIFIER, THUMBNAIL_NAME_MODIFIER } from '../../contracts/storage-layout';
import type {
  AudioDescription,
  CreateJobRequest,
  JobSettings,
  Output,
  OutputGroup,
  VideoDescription,
  VideoPreprocessor,
} from '@aws-sdk/client-mediaconvert';
import type { SubmitSettings } from '../../contracts/functions/submit-job';
import type { EncodingPlan, PlannedCapture, PlannedRendition } from './encoding-plan';
import { EncodingLadder } from '../../contracts/ladder';
import { SourceSummary, serializeSourceSummary } from './source-profile';
import { billingTierOf } from '../cost/cost';
import {
  ASSET_ID_METADATA_KEY,
  PIPELINE_METADATA_KEY,
  SOURCE_METADATA_KEY,
  SOURCE_PROFILE_METADATA_KEY,
  BILLING_TIER_METADATA_KEY,
  SUBMITTED_AT_METADATA_KEY,
  USER_METADATA_LIMITS,
} from '../../contracts/job-metadata';
import { UploadedObject } from '../jobs/s3-event';
import { deriveAssetId, deriveClientRequestToken, slugOfKey, toS3Uri, truncateMiddle } from '../jobs/keys';
import { OUTPUT_FOLDERS } from '../../contracts/storage-layout';

const AUDIO_SELECTOR = 'Audio Selector 1';

/** Everything the submit function knows besides the upload itself. */
export type JobContext = Pick<SubmitSettings, 'pipeline' | 'queueArn' | 'roleArn' | 'outputBucket' | 'ladder' | 'statusUpdateInterval'>;

/** Where one asset's renditions go: `s3://<output>/<assetId>/{hls,mp4,thumbnails}/<base>`. */
export function outputDestinations(outputBucket: string, assetId: string, baseName: string) {
  const prefix = `s3://${outputBucket}/${assetId}`;
  return {
    hls: `${prefix}/${OUTPUT_FOLDERS.hls}/${baseName}`,
    mp4: `${prefix}/${OUTPUT_FOLDERS.mp4}/${baseName}`,
    thumbnails: `${prefix}/${OUTPUT_FOLDERS.thumbnails}/${baseName}`,
  };
}

function audioDescription(ladder: EncodingLadder): AudioDescription {
  return {
    AudioSourceName: AUDIO_SELECTOR,
    CodecSettings: {
      Codec: 'AAC',
      AacSettings: {
        CodecProfile: 'LC',
        CodingMode: 'CODING_MODE_2_0',
        SampleRate: 48_000,
        Bitrate: ladder.audioBitrate,
        RateControlMode: 'CBR',
      },
    },
  };
}

/**
 * H.264 High QVBR for one planned rendition: closed GOP of `gopSeconds`, level AUTO (a fixed
 * level fails a 1080p60 source at encode time), square pixels, progressive, at most 60 fps.
 */
export function videoDescription(rendition: PlannedRendition, plan: EncodingPlan, ladder: EncodingLadder): VideoDescription {
  return {
    Width: rendition.width,
    Height: rendition.height,
    ScalingBehavior: rendition.scaling,
    AntiAlias: 'ENABLED',
    Sharpness: 50,
    ...(plan.deinterlace || plan.toneMapFrom ? { VideoPreprocessors: videoPreprocessors(plan) } : {}),
    CodecSettings: {
      Codec: 'H_264',
      H264Settings: {
        RateControlMode: 'QVBR',
        QvbrSettings: { QvbrQualityLevel: rendition.qvbrQualityLevel },
        MaxBitrate: rendition.maxBitrate,
        // SINGLE_PASS_HQ is the best QVBR tuning on the Basic tier; MULTI_PASS_HQ is Professional.
        QualityTuningLevel: 'SINGLE_PASS_HQ',
        CodecProfile: 'HIGH',
        CodecLevel: 'AUTO',
        GopSize: ladder.gopSeconds,
        GopSizeUnits: 'SECONDS',
        GopClosedCadence: 1,
        NumberBFramesBetweenReferenceFrames: 2,
        SceneChangeDetect: 'TRANSITION_DETECTION',
        InterlaceMode: 'PROGRESSIVE',
        ...(plan.frameRate
          ? {
              FramerateControl: 'SPECIFIED',
              FramerateNumerator: plan.frameRate.numerator,
              FramerateDenominator: plan.frameRate.denominator,
              // Whole-factor drops (120 to 60): the Basic-tier algorithm; FRAMEFORMER is a paid add-on.
              FramerateConversionAlgorithm: 'DUPLICATE_DROP',
            }
          : { FramerateControl: 'INITIALIZE_FROM_SOURCE' }),
        ParControl: 'SPECIFIED',
        ParNumerator: 1,
        ParDenominator: 1,
        AdaptiveQuantization: 'AUTO',
      },
    },
  };
}

/** Deinterlacing and HDR-to-SDR tone mapping, applied before scaling in every output that needs them. */
function videoPreprocessors(plan: EncodingPlan): VideoPreprocessor {
  return {
    // ADAPTIVE deinterlaces interlaced frames and leaves progressive ones alone.
    ...(plan.deinterlace ? { Deinterlacer: { Mode: 'ADAPTIVE', Algorithm: 'INTERPOLATE', Control: 'NORMAL' } } : {}),
    ...(plan.toneMapFrom
      ? {
          ColorCorrector: {
            ColorSpaceConversion: 'FORCE_709',
            // MediaConvert applies PRESERVE_DETAILS to HLG whatever is set; VIBRANT suits PQ (HDR10).
            HdrToSdrToneMapper: plan.toneMapFrom === 'PQ' ? 'VIBRANT' : 'PRESERVE_DETAILS',
          },
        }
      : {}),
  };
}

function hlsGroup(plan: EncodingPlan, ladder: EncodingLadder, destination: string): OutputGroup {
  return {
    Name: 'HLS',
    OutputGroupSettings: {
      Type: 'HLS_GROUP_SETTINGS',
      HlsGroupSettings: {
        Destination: destination,
        SegmentLength: ladder.segmentLengthSeconds,
        MinSegmentLength: 0,
        SegmentControl: 'SEGMENTED_FILES',
        DirectoryStructure: 'SINGLE_DIRECTORY',
        OutputSelection: 'MANIFESTS_AND_SEGMENTS',
        // Apple HLS authoring spec: RFC 6381 codec strings, EXTINF within a frame of the real duration.
        CodecSpecification: 'RFC_6381',
        StreamInfResolution: 'INCLUDE',
        ManifestDurationFormat: 'FLOATING_POINT',
        ClientCache: 'ENABLED',
      },
    },
    Outputs: plan.renditions.map((rendition) => ({
      NameModifier: `_${rendition.name}`,
      // I-frame-only playlists (Apple MUST): byte ranges over the same segments, no extra encode.
      OutputSettings: { HlsSettings: { IFrameOnlyManifest: 'INCLUDE' } },
      ContainerSettings: { Container: 'M3U8', M3u8Settings: {} },
      VideoDescription: videoDescription(rendition, plan, ladder),
      ...(plan.audio ? { AudioDescriptions: [audioDescription(ladder)] } : {}),
    })),
  };
}

function mp4Group(plan: EncodingPlan, ladder: EncodingLadder, destination: string): OutputGroup {
  return {
    Name: 'MP4',
    OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: destination } },
    Outputs: [
      {
        NameModifier: `_${plan.mp4.name}`,
        ContainerSettings: {
          Container: 'MP4',
          Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD', CslgAtom: 'INCLUDE', FreeSpaceBox: 'EXCLUDE' },
        },
        VideoDescription: videoDescription(plan.mp4, plan, ladder),
        ...(plan.audio ? { AudioDescriptions: [audioDescription(ladder)] } : {}),
      },
    ],
  };
}

function frameCapture(nameModifier: string, capture: PlannedCapture, plan: EncodingPlan, ladder: EncodingLadder): Output {
  return {
    NameModifier: nameModifier,
    ContainerSettings: { Container: 'RAW' },
    VideoDescription: {
      Width: capture.width,
      Height: capture.height,
      ScalingBehavior: capture.scaling,
      ...(plan.deinterlace || plan.toneMapFrom ? { VideoPreprocessors: videoPreprocessors(plan) } : {}),
      CodecSettings: {
        Codec: 'FRAME_CAPTURE',
        FrameCaptureSettings: {
          FramerateNumerator: 1,
          FramerateDenominator: capture.intervalSeconds,
          MaxCaptures: capture.maxCaptures,
          Quality: ladder.thumbnailQuality,
        },
      },
    },
  };
}

function thumbnailsGroup(plan: EncodingPlan, ladder: EncodingLadder, destination: string): OutputGroup {
  return {
    Name: 'Thumbnails',
    OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: destination } },
    Outputs: [
      frameCapture(THUMBNAIL_NAME_MODIFIER, plan.thumbnails, plan, ladder),
      // Its second capture is the poster; the completion side takes the last file of the output.
      frameCapture(POSTER_NAME_MODIFIER, plan.poster, plan, ladder),
    ],
  };
}

/**
 * The job's Settings for a plan: one input (rotation applied; an audio selector only when the
 * source has audio), and the HLS, MP4 and thumbnail output groups.
 */
export function buildJobSettings(
  plan: EncodingPlan,
  ladder: EncodingLadder,
  inputUri: string,
  destinations: ReturnType<typeof outputDestinations>,
): JobSettings {
  return {
    TimecodeConfig: { Source: 'ZEROBASED' },
    Inputs: [
      {
        FileInput: inputUri,
        TimecodeSource: 'ZEROBASED',
        // A source of unknown length is transcoded only up to the length limit.
        ...(plan.maxInputSeconds !== undefined ? { InputClippings: [{ EndTimecode: clipTimecode(plan.maxInputSeconds) }] } : {}),
        VideoSelector: {
          Rotate: plan.rotate,
          // Colour metadata can be missing in the stream; Probe's transfer is the fallback.
          ...(plan.toneMapFrom ? { ColorSpace: plan.toneMapFrom === 'PQ' ? 'HDR10' : 'HLG_2020', ColorSpaceUsage: 'FALLBACK' } : {}),
        },
        // No selector for a silent source: one pointing at a missing track fails the job.
        ...(plan.audio ? { AudioSelectors: { [AUDIO_SELECTOR]: { DefaultSelection: 'DEFAULT' } } } : {}),
      },
    ],
    OutputGroups: [
      hlsGroup(plan, ladder, destinations.hls),
      mp4Group(plan, ladder, destinations.mp4),
      thumbnailsGroup(plan, ladder, destinations.thumbnails),
    ],
  };
}

/** The job's identity for one upload: its assetId, source URI and ClientRequestToken, known before any probe. */
export function describeJob(upload: UploadedObject) {
  return {
    assetId: deriveAssetId(upload),
    source: toS3Uri(upload.bucket, upload.key),
    clientRequestToken: deriveClientRequestToken(upload),
  };
}

/**
 * The complete CreateJob request for one upload and its plan. Deterministic: the same upload
 * always yields the same assetId, token and destinations, which is what makes retries safe.
 * Acceleration is the plan's: DISABLED keeps every output on the Basic tier.
 * @param submittedAt when CreateJob is called (the caller's clock): carried in UserMetadata so job events can time the job.
 */
export function buildCreateJobRequest(
  upload: UploadedObject,
  context: JobContext,
  plan: EncodingPlan,
  sourceSummary?: SourceSummary,
  submittedAt?: Date,
): CreateJobRequest & { Settings: JobSettings } {
  const { assetId, source, clientRequestToken } = describeJob(upload);
  return {
    Role: context.roleArn,
    Queue: context.queueArn,
    ClientRequestToken: clientRequestToken,
    AccelerationSettings: { Mode: plan.accelerationMode },
    StatusUpdateInterval: context.statusUpdateInterval,
    UserMetadata: {
      [PIPELINE_METADATA_KEY]: truncateMiddle(context.pipeline, USER_METADATA_LIMITS.maxValueLength),
      [ASSET_ID_METADATA_KEY]: assetId,
      [SOURCE_METADATA_KEY]: truncateMiddle(source, USER_METADATA_LIMITS.maxValueLength),
      // Job events carry it into the notification without reading the jobs table.
      ...(sourceSummary ? { [SOURCE_PROFILE_METADATA_KEY]: serializeSourceSummary(sourceSummary) } : {}),
      // Job events time the job and price its outputs from these, without reading the jobs table.
      [BILLING_TIER_METADATA_KEY]: billingTierOf(plan.accelerationMode),
      ...(submittedAt ? { [SUBMITTED_AT_METADATA_KEY]: String(submittedAt.getTime()) } : {}),
    },
    Settings: buildJobSettings(plan, context.ladder, source, outputDestinations(context.outputBucket, assetId, slugOfKey(upload.key))),
  };
}
