import type { AudioDescription, CreateJobRequest, JobSettings, OutputGroup, VideoDescription } from '@aws-sdk/client-mediaconvert';
import type { SubmitSettings } from '../submit-job/contract';
import { EncodingLadder, LadderRung, selectMp4Rung } from './ladder';
import { UploadedObject } from './s3-event';
import { deriveAssetId, deriveClientRequestToken, slugOfKey, toS3Uri, truncateMiddle } from './keys';

/** UserMetadata values are limited to 256 characters by MediaConvert. */
export const USER_METADATA_VALUE_MAX = 256;
/** Name modifiers of the frame-capture outputs; the completion function maps on them. */
export const THUMBNAIL_NAME_MODIFIER = '_thumb';
export const POSTER_NAME_MODIFIER = '_poster';
const AUDIO_SELECTOR = 'Audio Selector 1';

/** Everything the submit function knows besides the upload itself. */
export type JobContext = Pick<
  SubmitSettings,
  'pipeline' | 'queueArn' | 'roleArn' | 'outputBucket' | 'ladder' | 'statusUpdateInterval' | 'accelerationMode'
>;

/** Where one asset's renditions go: `s3://<output>/<assetId>/{hls,mp4,thumbnails}/<base>`. */
export function outputDestinations(outputBucket: string, assetId: string, baseName: string) {
  const prefix = `s3://${outputBucket}/${assetId}`;
  return {
    hls: `${prefix}/hls/${baseName}`,
    mp4: `${prefix}/mp4/${baseName}`,
    thumbnails: `${prefix}/thumbnails/${baseName}`,
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

/** H.264 High QVBR for one rung: closed GOP of `gopSeconds`, level 4.1 up to 1080p. */
export function videoDescription(rung: LadderRung, ladder: EncodingLadder): VideoDescription {
  return {
    Width: rung.width,
    Height: rung.height,
    ScalingBehavior: 'DEFAULT',
    AntiAlias: 'ENABLED',
    Sharpness: 50,
    CodecSettings: {
      Codec: 'H_264',
      H264Settings: {
        RateControlMode: 'QVBR',
        QvbrSettings: { QvbrQualityLevel: rung.qvbrQualityLevel },
        MaxBitrate: rung.maxBitrate,
        // SINGLE_PASS_HQ is the best QVBR tuning on the Basic tier.
        QualityTuningLevel: 'SINGLE_PASS_HQ',
        CodecProfile: 'HIGH',
        CodecLevel: rung.width * rung.height <= 1920 * 1080 ? 'LEVEL_4_1' : 'AUTO',
        GopSize: ladder.gopSeconds,
        GopSizeUnits: 'SECONDS',
        GopClosedCadence: 1,
        NumberBFramesBetweenReferenceFrames: 2,
        SceneChangeDetect: 'TRANSITION_DETECTION',
        InterlaceMode: 'PROGRESSIVE',
        FramerateControl: 'INITIALIZE_FROM_SOURCE',
        ParControl: 'INITIALIZE_FROM_SOURCE',
        AdaptiveQuantization: 'AUTO',
      },
    },
  };
}

function hlsGroup(ladder: EncodingLadder, destination: string): OutputGroup {
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
        CodecSpecification: 'RFC_4281',
        StreamInfResolution: 'INCLUDE',
        ManifestDurationFormat: 'INTEGER',
        ClientCache: 'ENABLED',
      },
    },
    Outputs: ladder.rungs.map((rung) => ({
      NameModifier: `_${rung.name}`,
      ContainerSettings: { Container: 'M3U8', M3u8Settings: {} },
      VideoDescription: videoDescription(rung, ladder),
      AudioDescriptions: [audioDescription(ladder)],
    })),
  };
}

function mp4Group(ladder: EncodingLadder, destination: string): OutputGroup {
  const rung = selectMp4Rung(ladder);
  return {
    Name: 'MP4',
    OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: destination } },
    Outputs: [
      {
        NameModifier: `_${rung.name}`,
        ContainerSettings: {
          Container: 'MP4',
          Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD', CslgAtom: 'INCLUDE', FreeSpaceBox: 'EXCLUDE' },
        },
        VideoDescription: videoDescription(rung, ladder),
        AudioDescriptions: [audioDescription(ladder)],
      },
    ],
  };
}

function thumbnailsGroup(ladder: EncodingLadder, destination: string): OutputGroup {
  const frameCapture = (nameModifier: string, denominator: number, maxCaptures: number) => ({
    NameModifier: nameModifier,
    ContainerSettings: { Container: 'RAW' as const },
    VideoDescription: {
      CodecSettings: {
        Codec: 'FRAME_CAPTURE' as const,
        FrameCaptureSettings: {
          FramerateNumerator: 1,
          FramerateDenominator: denominator,
          MaxCaptures: maxCaptures,
          Quality: ladder.thumbnailQuality,
        },
      },
    },
  });
  return {
    Name: 'Thumbnails',
    OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: destination } },
    Outputs: [
      frameCapture(THUMBNAIL_NAME_MODIFIER, ladder.thumbnailIntervalSeconds, ladder.maxThumbnails),
      frameCapture(POSTER_NAME_MODIFIER, 1, 1),
    ],
  };
}

/** The job's Settings: one input, and the HLS, MP4 and thumbnail output groups. */
export function buildJobSettings(
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
        VideoSelector: {},
        AudioSelectors: { [AUDIO_SELECTOR]: { DefaultSelection: 'DEFAULT' } },
      },
    ],
    OutputGroups: [
      hlsGroup(ladder, destinations.hls),
      mp4Group(ladder, destinations.mp4),
      thumbnailsGroup(ladder, destinations.thumbnails),
    ],
  };
}

/**
 * The complete CreateJob request for one upload. Deterministic: the same upload always
 * yields the same assetId, token and destinations, which is what makes retries safe.
 */
export function buildCreateJobRequest(upload: UploadedObject, context: JobContext): CreateJobRequest & { Settings: JobSettings } {
  const assetId = deriveAssetId(upload);
  const source = toS3Uri(upload.bucket, upload.key);
  return {
    Role: context.roleArn,
    Queue: context.queueArn,
    ClientRequestToken: deriveClientRequestToken(upload),
    AccelerationSettings: { Mode: context.accelerationMode },
    StatusUpdateInterval: context.statusUpdateInterval,
    UserMetadata: {
      pipeline: truncateMiddle(context.pipeline, USER_METADATA_VALUE_MAX),
      assetId,
      source: truncateMiddle(source, USER_METADATA_VALUE_MAX),
    },
    Settings: buildJobSettings(context.ladder, source, outputDestinations(context.outputBucket, assetId, slugOfKey(upload.key))),
  };
}
