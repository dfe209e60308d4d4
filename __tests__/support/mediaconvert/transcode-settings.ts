/**
 * Which job settings the stand-in's transcoder understands (wire names, camelCase). A member not
 * listed here fails the job with its path, so a new setting in the submit function cannot be
 * skipped silently: either the transcoder learns it, or it is listed as approximated in
 * TRANSCODER_GAPS and accepted here.
 */
type Spec = true | { readonly [member: string]: Spec } | readonly [Spec] | { readonly '*': Spec };

const H264: Spec = {
  rateControlMode: true,
  qvbrSettings: { qvbrQualityLevel: true, qvbrQualityLevelFineTune: true },
  bitrate: true,
  maxBitrate: true,
  qualityTuningLevel: true,
  codecProfile: true,
  codecLevel: true,
  gopSize: true,
  gopSizeUnits: true,
  gopClosedCadence: true,
  numberBFramesBetweenReferenceFrames: true,
  sceneChangeDetect: true,
  interlaceMode: true,
  framerateControl: true,
  framerateNumerator: true,
  framerateDenominator: true,
  framerateConversionAlgorithm: true,
  parControl: true,
  parNumerator: true,
  parDenominator: true,
  adaptiveQuantization: true,
  hrdBufferSize: true,
};

/** HEVC as the HDR ladder sets it (Main10, hvc1); anything else in it fails the job. */
const H265: Spec = {
  rateControlMode: true,
  qvbrSettings: { qvbrQualityLevel: true },
  maxBitrate: true,
  hrdBufferSize: true,
  qualityTuningLevel: true,
  codecProfile: true,
  codecLevel: true,
  writeMp4PackagingType: true,
  gopSize: true,
  gopSizeUnits: true,
  gopClosedCadence: true,
  numberBFramesBetweenReferenceFrames: true,
  sceneChangeDetect: true,
  interlaceMode: true,
  framerateControl: true,
  framerateNumerator: true,
  framerateDenominator: true,
  framerateConversionAlgorithm: true,
  parControl: true,
  parNumerator: true,
  parDenominator: true,
  adaptiveQuantization: true,
};

const VIDEO: Spec = {
  width: true,
  height: true,
  scalingBehavior: true,
  antiAlias: true,
  sharpness: true,
  colorMetadata: true,
  videoPreprocessors: {
    deinterlacer: { mode: true, algorithm: true, control: true },
    colorCorrector: { colorSpaceConversion: true, hdrToSdrToneMapper: true },
  },
  codecSettings: {
    codec: true,
    h264Settings: H264,
    h265Settings: H265,
    frameCaptureSettings: { framerateNumerator: true, framerateDenominator: true, maxCaptures: true, quality: true },
  },
};

const AUDIO: Spec = {
  audioSourceName: true,
  remixSettings: {
    channelsIn: true,
    channelsOut: true,
    channelMapping: { outputChannels: [{ inputChannels: [true], inputChannelsFineTune: [true] }] },
  },
  codecSettings: {
    codec: true,
    aacSettings: {
      codecProfile: true,
      codingMode: true,
      sampleRate: true,
      bitrate: true,
      rateControlMode: true,
      rawFormat: true,
      specification: true,
    },
  },
};

export const UNDERSTOOD_SETTINGS: Spec = {
  timecodeConfig: { source: true },
  inputs: [
    {
      fileInput: true,
      timecodeSource: true,
      videoSelector: { rotate: true, colorSpace: true, colorSpaceUsage: true },
      audioSelectors: { '*': { defaultSelection: true, selectorType: true, tracks: [true], audioDurationCorrection: true } },
    },
  ],
  outputGroups: [
    {
      name: true,
      outputGroupSettings: {
        type: true,
        hlsGroupSettings: {
          destination: true,
          segmentLength: true,
          minSegmentLength: true,
          minFinalSegmentLength: true,
          segmentControl: true,
          directoryStructure: true,
          outputSelection: true,
          codecSpecification: true,
          streamInfResolution: true,
          manifestDurationFormat: true,
          clientCache: true,
          imageBasedTrickPlay: true,
          imageBasedTrickPlaySettings: {
            intervalCadence: true,
            thumbnailWidth: true,
            thumbnailHeight: true,
            thumbnailInterval: true,
            tileWidth: true,
            tileHeight: true,
          },
        },
        fileGroupSettings: { destination: true },
        cmafGroupSettings: {
          destination: true,
          segmentLength: true,
          fragmentLength: true,
          minFinalSegmentLength: true,
          segmentControl: true,
          writeHlsManifest: true,
          writeDashManifest: true,
          codecSpecification: true,
          streamInfResolution: true,
          manifestDurationFormat: true,
          clientCache: true,
        },
      },
      outputs: [
        {
          nameModifier: true,
          extension: true,
          outputSettings: { hlsSettings: { iFrameOnlyManifest: true } },
          containerSettings: {
            container: true,
            m3u8Settings: {},
            mp4Settings: { moovPlacement: true, cslgAtom: true, freeSpaceBox: true },
            cmfcSettings: { audioGroupId: true, iFrameOnlyManifest: true },
          },
          videoDescription: VIDEO,
          audioDescriptions: [AUDIO],
        },
      ],
    },
  ],
};

/** Values the transcoder cannot honour, by member path pattern: anything else there fails the job. */
const UNDERSTOOD_VALUES: Record<string, readonly string[]> = {
  segmentControl: ['SEGMENTED_FILES'],
  directoryStructure: ['SINGLE_DIRECTORY'],
  outputSelection: ['MANIFESTS_AND_SEGMENTS'],
  interlaceMode: ['PROGRESSIVE'],
  container: ['M3U8', 'MP4', 'RAW', 'CMFC'],
  // The CMAF group writes the HLS master only: a DASH manifest is not produced.
  writeHlsManifest: ['ENABLED'],
  writeDashManifest: ['DISABLED'],
  writeMp4PackagingType: ['HVC1'],
  colorMetadata: ['INSERT'],
  // Trick play: ADVANCED tiles at a custom interval; THUMBNAIL, VARIANTS and FOLLOW_IFRAME are not produced.
  imageBasedTrickPlay: ['NONE', 'ADVANCED'],
  intervalCadence: ['FOLLOW_CUSTOM'],
  type: ['HLS_GROUP_SETTINGS', 'FILE_GROUP_SETTINGS', 'CMAF_GROUP_SETTINGS'],
  codec: ['H_264', 'H_265', 'FRAME_CAPTURE', 'AAC'],
};

/**
 * Every member of `settings` the transcoder does not understand, as `/path: reason` lines.
 * @returns an empty list when the transcoder can run the job.
 */
export function checkSettingsUnderstood(settings: unknown, spec: Spec = UNDERSTOOD_SETTINGS, at = ''): string[] {
  if (spec === true) {
    const member = at.split('/').pop() ?? '';
    const allowed = UNDERSTOOD_VALUES[member];
    return allowed && typeof settings === 'string' && !allowed.includes(settings)
      ? [`${at}: ${settings} (understood: ${allowed.join(', ')})`]
      : [];
  }
  if (Array.isArray(spec)) {
    if (!Array.isArray(settings)) return [`${at}: expected a list`];
    return settings.flatMap((item, i) => checkSettingsUnderstood(item, spec[0] as Spec, `${at}/${i}`));
  }
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return [`${at}: expected an object`];
  const members = spec as Record<string, Spec>;
  return Object.entries(settings as Record<string, unknown>).flatMap(([key, value]) => {
    const inner = members['*'] ?? members[key];
    return inner === undefined ? [`${at}/${key}: not understood`] : checkSettingsUnderstood(value, inner, `${at}/${key}`);
  });
}
