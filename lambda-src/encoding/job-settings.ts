import { clipTimecode } from '../jobs/upload-limits';
import { THUMBNAIL_NAME_MODIFIER } from '../../contracts/storage-layout';
import type {
  AudioDescription,
  AudioSelector,
  CreateJobRequest,
  JobSettings,
  Output,
  OutputGroup,
  VideoDescription,
  VideoPreprocessor,
} from '@aws-sdk/client-mediaconvert';
import type { SubmitSettings } from '../../contracts/functions/submit-job';
import type { EncodingPlan, PlannedCapture, PlannedHdrRendition, PlannedRendition } from './encoding-plan';
import { EncodingLadder } from '../../contracts/ladder';
import { SourceSummary, serializeSourceSummary } from './source-profile';
import { billingTierOfPlan } from '../cost/cost';
import {
  ASSET_ID_METADATA_KEY,
  PIPELINE_METADATA_KEY,
  SOURCE_METADATA_KEY,
  SOURCE_PROFILE_METADATA_KEY,
  BILLING_TIER_METADATA_KEY,
  TRICK_PLAY_METADATA_KEY,
  SUBMITTED_AT_METADATA_KEY,
  USER_METADATA_LIMITS,
} from '../../contracts/job-metadata';
import { UploadedObject } from '../jobs/s3-event';
import { deriveAssetId, deriveClientRequestToken, slugOfKey, toS3Uri, truncateMiddle } from '../jobs/keys';
import { OUTPUT_FOLDERS } from '../../contracts/storage-layout';
import { serializeTrickPlayGrid } from '../../contracts/trick-play';
import { planTrickPlay, trickPlaySettings } from './trick-play';

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

/**
 * Stereo AAC at 48 kHz: AAC-LC at the ladder's bitrate, or 64 kb/s HE-AAC on the weak-network rung.
 * The plan's remix turns mono tracks or 5.1 into stereo explicitly.
 */
function audioDescription(audio: PlannedRendition['audio'], plan: EncodingPlan): AudioDescription {
  const remix = plan.audioSource?.remix;
  return {
    AudioSourceName: AUDIO_SELECTOR,
    ...(remix && plan.audioSource
      ? {
          RemixSettings: {
            ChannelsIn: plan.audioSource.channelsIn,
            ChannelsOut: 2,
            ChannelMapping: { OutputChannels: remix.map((gains) => ({ InputChannels: [...gains] })) },
          },
        }
      : {}),
    CodecSettings: {
      Codec: 'AAC',
      AacSettings: {
        CodecProfile: audio.codecProfile,
        CodingMode: 'CODING_MODE_2_0',
        SampleRate: 48_000,
        Bitrate: audio.bitrate,
        RateControlMode: 'CBR',
      },
    },
  };
}

/**
 * H.264 High QVBR for one planned rendition: closed GOP of `gopSeconds`, the level its size and
 * rate need (at most 4.2), square pixels, progressive, at the rendition's own rate, fitted into its
 * box without upscaling or distortion.
 */
export function videoDescription(rendition: PlannedRendition, plan: EncodingPlan, ladder: EncodingLadder): VideoDescription {
  return {
    Width: rendition.width,
    Height: rendition.height,
    ScalingBehavior: rendition.scaling,
    AntiAlias: 'ENABLED',
    Sharpness: 50,
    ...(plan.deinterlace || plan.toneMapFrom ? { VideoPreprocessors: videoPreprocessors(plan, rendition.fieldDoubling) } : {}),
    CodecSettings: {
      Codec: 'H_264',
      H264Settings: {
        RateControlMode: 'QVBR',
        QvbrSettings: { QvbrQualityLevel: rendition.qvbrQualityLevel },
        MaxBitrate: rendition.maxBitrate,
        HrdBufferSize: rendition.hrdBufferSize,
        // SINGLE_PASS_HQ is the best QVBR tuning on the Basic tier; MULTI_PASS_HQ is Professional.
        QualityTuningLevel: 'SINGLE_PASS_HQ',
        CodecProfile: 'HIGH',
        CodecLevel: rendition.codecLevel,
        GopSize: ladder.gopSeconds,
        GopSizeUnits: 'SECONDS',
        GopClosedCadence: 1,
        NumberBFramesBetweenReferenceFrames: 2,
        SceneChangeDetect: 'TRANSITION_DETECTION',
        InterlaceMode: 'PROGRESSIVE',
        ...(rendition.frameRate
          ? {
              FramerateControl: 'SPECIFIED',
              FramerateNumerator: rendition.frameRate.numerator,
              FramerateDenominator: rendition.frameRate.denominator,
              // Whole-factor drops (120 to 60) and field doubling: the Basic-tier algorithm; FRAMEFORMER is a paid add-on.
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

/**
 * HEVC Main10 QVBR for one rung of the HDR ladder, as MediaConvert's guide says Apple's HDR HLS needs
 * ("Creating HDR HLS outputs that comply with the Apple specification": CMAF group, HEVC, HVC1
 * packaging, Main10/High, level 5). No colour conversion: the source's HDR10 or HLG colour and its
 * mastering metadata pass through, and `ColorMetadata: INSERT` writes them into the stream.
 */
export function hdrVideoDescription(rendition: PlannedHdrRendition, plan: EncodingPlan, ladder: EncodingLadder): VideoDescription {
  return {
    Width: rendition.width,
    Height: rendition.height,
    ScalingBehavior: rendition.scaling,
    AntiAlias: 'ENABLED',
    Sharpness: 50,
    ColorMetadata: 'INSERT',
    ...(plan.deinterlace ? { VideoPreprocessors: videoPreprocessors(plan, rendition.fieldDoubling, false) } : {}),
    CodecSettings: {
      Codec: 'H_265',
      H265Settings: {
        RateControlMode: 'QVBR',
        QvbrSettings: { QvbrQualityLevel: rendition.qvbrQualityLevel },
        MaxBitrate: rendition.maxBitrate,
        HrdBufferSize: rendition.hrdBufferSize,
        QualityTuningLevel: 'SINGLE_PASS_HQ',
        CodecProfile: 'MAIN10_HIGH',
        CodecLevel: 'LEVEL_5',
        // hvc1: parameter sets (and HDR10 static metadata) in the sample entry, as Apple requires.
        WriteMp4PackagingType: 'HVC1',
        GopSize: ladder.gopSeconds,
        GopSizeUnits: 'SECONDS',
        GopClosedCadence: 1,
        NumberBFramesBetweenReferenceFrames: 2,
        SceneChangeDetect: 'TRANSITION_DETECTION',
        InterlaceMode: 'PROGRESSIVE',
        FramerateControl: 'SPECIFIED',
        FramerateNumerator: rendition.frameRate.numerator,
        FramerateDenominator: rendition.frameRate.denominator,
        FramerateConversionAlgorithm: 'DUPLICATE_DROP',
        ParControl: 'SPECIFIED',
        ParNumerator: 1,
        ParDenominator: 1,
        AdaptiveQuantization: 'AUTO',
      },
    },
  };
}

/** Deinterlacing and HDR-to-SDR tone mapping, applied before scaling in every output that needs them. */
function videoPreprocessors(plan: EncodingPlan, fieldDoubling = false, toneMap = true): VideoPreprocessor {
  return {
    // ADAPTIVE with control NORMAL converts what is interlaced and leaves frames tagged progressive
    // alone, so it is safe on every source, including ProRes/DV that Probe gives no scan type for.
    // LINEAR_INTERPOLATION is the model's field-doubling algorithm: one output frame per field.
    ...(plan.deinterlace
      ? { Deinterlacer: { Mode: 'ADAPTIVE', Algorithm: fieldDoubling ? 'LINEAR_INTERPOLATION' : 'INTERPOLATE', Control: 'NORMAL' } }
      : {}),
    ...(plan.toneMapFrom && toneMap
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
        ...(plan.minFinalSegmentSeconds !== undefined ? { MinFinalSegmentLength: plan.minFinalSegmentSeconds } : {}),
        SegmentControl: 'SEGMENTED_FILES',
        DirectoryStructure: 'SINGLE_DIRECTORY',
        OutputSelection: 'MANIFESTS_AND_SEGMENTS',
        // Apple HLS authoring spec: RFC 6381 codec strings, EXTINF within a frame of the real duration.
        CodecSpecification: 'RFC_6381',
        StreamInfResolution: 'INCLUDE',
        ManifestDurationFormat: 'FLOATING_POINT',
        ClientCache: 'ENABLED',
        // Scrubbing previews: tiles of thumbnails with an image playlist; job events write the storyboard from the same grid.
        ImageBasedTrickPlay: 'ADVANCED',
        ImageBasedTrickPlaySettings: trickPlaySettings(planTrickPlay(plan)),
      },
    },
    Outputs: plan.renditions.map((rendition) => ({
      NameModifier: `_${rendition.name}`,
      // I-frame-only playlists (Apple MUST): byte ranges over the same segments, no extra encode.
      OutputSettings: { HlsSettings: { IFrameOnlyManifest: 'INCLUDE' } },
      ContainerSettings: { Container: 'M3U8', M3u8Settings: {} },
      VideoDescription: videoDescription(rendition, plan, ladder),
      ...(plan.audio ? { AudioDescriptions: [audioDescription(rendition.audio, plan)] } : {}),
    })),
  };
}

/**
 * The HDR ladder's group: one CMAF group (fMP4 segments) with the SDR H.264 ladder, the HEVC HDR
 * ladder and one AAC audio rendition, and one HLS master listing both ladders (MediaConvert writes
 * VIDEO-RANGE from each output's colour). CMAF because HEVC in HLS must be fMP4 (Apple 1.5) and
 * MediaConvert's HLS group writes MPEG-TS; one group because a master lists one group's outputs.
 * Trade-offs against the HLS group: CMAF outputs carry video or audio, not both, so every variant
 * shares one AAC-LC rendition (no 64 kb/s HE-AAC on the weak-network rung).
 */
function cmafGroup(plan: EncodingPlan, ladder: EncodingLadder, destination: string): OutputGroup {
  const video = (name: string, description: VideoDescription): Output => ({
    NameModifier: `_${name}`,
    // I-frame playlists (Apple MUST, SDR and HDR alike): byte ranges over the same fMP4 segments.
    ContainerSettings: { Container: 'CMFC', CmfcSettings: { IFrameOnlyManifest: 'INCLUDE' } },
    VideoDescription: description,
  });
  return {
    Name: 'CMAF',
    OutputGroupSettings: {
      Type: 'CMAF_GROUP_SETTINGS',
      CmafGroupSettings: {
        Destination: destination,
        SegmentLength: ladder.segmentLengthSeconds,
        FragmentLength: ladder.segmentLengthSeconds,
        ...(plan.minFinalSegmentSeconds !== undefined ? { MinFinalSegmentLength: plan.minFinalSegmentSeconds } : {}),
        SegmentControl: 'SEGMENTED_FILES',
        WriteHlsManifest: 'ENABLED',
        WriteDashManifest: 'DISABLED',
        CodecSpecification: 'RFC_6381',
        StreamInfResolution: 'INCLUDE',
        ManifestDurationFormat: 'FLOATING_POINT',
        ClientCache: 'ENABLED',
      },
    },
    Outputs: [
      ...plan.renditions.map((r) => video(r.name, videoDescription(r, plan, ladder))),
      ...plan.hdrRenditions.map((r) => video(r.name, hdrVideoDescription(r, plan, ladder))),
      ...(plan.audio
        ? [
            {
              NameModifier: `_${CMAF_AUDIO_NAME}`,
              ContainerSettings: { Container: 'CMFC', CmfcSettings: { AudioGroupId: CMAF_AUDIO_NAME } },
              AudioDescriptions: [audioDescription({ codecProfile: 'LC', bitrate: ladder.audioBitrate }, plan)],
            } satisfies Output,
          ]
        : []),
    ],
  };
}

/** The CMAF group's one audio rendition: its name modifier and HLS audio group. */
export const CMAF_AUDIO_NAME = 'audio';

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
        ...(plan.audio ? { AudioDescriptions: [audioDescription(plan.mp4.audio, plan)] } : {}),
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
    // The poster is one of the thumbnails (posterThumbnailIndex), not a second capture output billed on its own.
    Outputs: [frameCapture(THUMBNAIL_NAME_MODIFIER, plan.thumbnails, plan, ladder)],
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
        ...(plan.audio ? { AudioSelectors: { [AUDIO_SELECTOR]: audioSelector(plan) } } : {}),
      },
    ],
    OutputGroups: [
      plan.hdrRenditions.length > 0 ? cmafGroup(plan, ladder, destinations.hls) : hlsGroup(plan, ladder, destinations.hls),
      mp4Group(plan, ladder, destinations.mp4),
      thumbnailsGroup(plan, ladder, destinations.thumbnails),
    ],
  };
}

/**
 * The tracks the plan names (a selector naming none takes only the default track, losing the other
 * mono channels of a camera file); the default selection for the fallback job, whose tracks are unknown.
 */
function audioSelector(plan: EncodingPlan): AudioSelector {
  const audio = plan.audioSource;
  if (audio === undefined) return { DefaultSelection: 'DEFAULT' };
  return {
    DefaultSelection: 'DEFAULT',
    SelectorType: 'TRACK',
    Tracks: [...audio.tracks],
    // The model recommends AUTO for MP4/MOV with AAC: it realigns audio frames to the STTS timing.
    ...(audio.durationCorrection ? { AudioDurationCorrection: 'AUTO' } : {}),
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
      [BILLING_TIER_METADATA_KEY]: billingTierOfPlan(plan),
      // Trick play is on the HLS group only: the HDR ladder's CMAF group has none, so its jobs get no storyboard.
      ...(plan.hdrRenditions.length === 0 ? { [TRICK_PLAY_METADATA_KEY]: serializeTrickPlayGrid(planTrickPlay(plan)) } : {}),
      ...(submittedAt ? { [SUBMITTED_AT_METADATA_KEY]: String(submittedAt.getTime()) } : {}),
    },
    Settings: buildJobSettings(plan, context.ladder, source, outputDestinations(context.outputBucket, assetId, slugOfKey(upload.key))),
  };
}
