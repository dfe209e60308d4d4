/**
 * CreateJob validation of the local MediaConvert stand-in: required members and the
 * API model's ranges, reported as `/member/path: problem` lines like a 400 would.
 */
import {
  AacCodecProfile,
  AacCodingMode,
  AudioDefaultSelection,
  AudioDurationCorrection,
  AudioSelectorType,
  CmafCodecSpecification,
  CmafManifestDurationFormat,
  CmafSegmentControl,
  CmafWriteDASHManifest,
  CmafWriteHLSManifest,
  CmfcIFrameOnlyManifest,
  ColorMetadata,
  ContainerType,
  ColorSpace,
  ColorSpaceConversion,
  DeinterlaceAlgorithm,
  DeinterlacerControl,
  DeinterlacerMode,
  H264CodecLevel,
  H264FramerateControl,
  H264FramerateConversionAlgorithm,
  H264ParControl,
  H264QualityTuningLevel,
  H265CodecLevel,
  H265CodecProfile,
  H265QualityTuningLevel,
  H265WriteMp4PackagingType,
  HDRToSDRToneMapper,
  HlsCodecSpecification,
  HlsIFrameOnlyManifest,
  HlsManifestDurationFormat,
  InputRotate,
  ScalingBehavior,
} from '@aws-sdk/client-mediaconvert';
import { isRecord as isObject } from '../../../contracts/guards';
import { ACCELERATION_MODES, STATUS_UPDATE_INTERVALS } from '../../../contracts/functions/submit-job';
import { USER_METADATA_LIMITS } from '../../../contracts/job-metadata';

type Json = Record<string, unknown>;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const GROUP_SETTINGS_BY_TYPE: Record<string, string> = {
  HLS_GROUP_SETTINGS: 'hlsGroupSettings',
  FILE_GROUP_SETTINGS: 'fileGroupSettings',
  DASH_ISO_GROUP_SETTINGS: 'dashIsoGroupSettings',
  CMAF_GROUP_SETTINGS: 'cmafGroupSettings',
  MS_SMOOTH_GROUP_SETTINGS: 'msSmoothGroupSettings',
};

/** Checks `value` at `path` is an integer in [min, max] when present. */
function checkRange(issues: string[], path: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issues.push(`${path}: must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
}

const INT32_MAX = 2_147_483_647;

/** Checks `value` at `path` is one of the API model's enum values (the SDK's enum object) when present. */
function checkEnum(issues: string[], path: string, value: unknown, allowed: Record<string, string>): void {
  if (value === undefined) return;
  const values = Object.values(allowed);
  if (typeof value !== 'string' || !values.includes(value))
    issues.push(`${path}: one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
}

/** SPECIFIED needs both halves of the fraction: the service rejects one without the other. */
function checkSpecifiedFraction(
  issues: string[],
  at: string,
  settings: Json,
  control: string,
  numerator: string,
  denominator: string,
): void {
  checkRange(issues, `${at}/${numerator}`, settings[numerator], 1, INT32_MAX);
  checkRange(issues, `${at}/${denominator}`, settings[denominator], 1, INT32_MAX);
  if (settings[control] === 'SPECIFIED' && (settings[numerator] === undefined || settings[denominator] === undefined)) {
    issues.push(`${at}/${control}: SPECIFIED requires ${numerator} and ${denominator}`);
  }
}

function validatePreprocessors(issues: string[], at: string, preprocessors: unknown): void {
  if (!isObject(preprocessors)) return;
  if (isObject(preprocessors.deinterlacer)) {
    checkEnum(issues, `${at}/deinterlacer/mode`, preprocessors.deinterlacer.mode, DeinterlacerMode);
    checkEnum(issues, `${at}/deinterlacer/algorithm`, preprocessors.deinterlacer.algorithm, DeinterlaceAlgorithm);
    checkEnum(issues, `${at}/deinterlacer/control`, preprocessors.deinterlacer.control, DeinterlacerControl);
  }
  const corrector = preprocessors.colorCorrector;
  if (isObject(corrector)) {
    checkEnum(issues, `${at}/colorCorrector/colorSpaceConversion`, corrector.colorSpaceConversion, ColorSpaceConversion);
    checkEnum(issues, `${at}/colorCorrector/hdrToSdrToneMapper`, corrector.hdrToSdrToneMapper, HDRToSDRToneMapper);
  }
}

/** Checks every entry of an integer list at `path` is in [min, max]. */
function checkIntegerList(issues: string[], path: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0) {
    issues.push(`${path}: must be a non-empty list of integers, got ${JSON.stringify(value)}`);
    return;
  }
  value.forEach((v, i) => checkRange(issues, `${path}/${i}`, v, min, max));
}

/**
 * RemixSettings of an audio description (model: channelsIn 1..64; channelsOut 1 or an even number
 * to 64; one outputChannels entry per output channel, each with one remix value in dB, -60..6, per
 * input channel).
 */
function validateRemix(issues: string[], at: string, remix: unknown): void {
  if (!isObject(remix)) return;
  checkRange(issues, `${at}/channelsIn`, remix.channelsIn, 1, 64);
  checkRange(issues, `${at}/channelsOut`, remix.channelsOut, 1, 64);
  const out = remix.channelsOut;
  if (typeof out === 'number' && out !== 1 && out % 2 !== 0) issues.push(`${at}/channelsOut: must be 1 or even, got ${out}`);
  const mapping = isObject(remix.channelMapping) ? remix.channelMapping.outputChannels : undefined;
  if (mapping === undefined) return;
  if (!Array.isArray(mapping) || mapping.length !== out) {
    issues.push(`${at}/channelMapping/outputChannels: one entry per output channel (${String(out)}), got ${JSON.stringify(mapping)}`);
    return;
  }
  mapping.forEach((entry, i) => {
    const gains = isObject(entry) ? entry.inputChannels : undefined;
    checkIntegerList(issues, `${at}/channelMapping/outputChannels/${i}/inputChannels`, gains, -60, 6);
    if (Array.isArray(gains) && gains.length !== remix.channelsIn)
      issues.push(`${at}/channelMapping/outputChannels/${i}/inputChannels: one value per input channel (${String(remix.channelsIn)})`);
  });
}

function validateAudioDescription(issues: string[], at: string, audio: unknown): void {
  if (!isObject(audio)) return;
  validateRemix(issues, `${at}/remixSettings`, audio.remixSettings);
  const aac = isObject(audio.codecSettings) ? audio.codecSettings.aacSettings : undefined;
  if (isObject(aac)) {
    checkEnum(issues, `${at}/codecSettings/aacSettings/codecProfile`, aac.codecProfile, AacCodecProfile);
    checkEnum(issues, `${at}/codecSettings/aacSettings/codingMode`, aac.codingMode, AacCodingMode);
    checkRange(issues, `${at}/codecSettings/aacSettings/bitrate`, aac.bitrate, 6000, 1_024_000);
  }
}

/** The encoder limits of the API model that a job builder most easily gets wrong. */
function validateOutput(issues: string[], path: string, output: Json): void {
  if (Array.isArray(output.audioDescriptions))
    output.audioDescriptions.forEach((a, i) => validateAudioDescription(issues, `${path}/audioDescriptions/${i}`, a));
  const hlsSettings = isObject(output.outputSettings) ? output.outputSettings.hlsSettings : undefined;
  if (isObject(hlsSettings))
    checkEnum(issues, `${path}/outputSettings/hlsSettings/iFrameOnlyManifest`, hlsSettings.iFrameOnlyManifest, HlsIFrameOnlyManifest);
  const cmfc = isObject(output.containerSettings) ? output.containerSettings.cmfcSettings : undefined;
  if (isObject(cmfc))
    checkEnum(issues, `${path}/containerSettings/cmfcSettings/iFrameOnlyManifest`, cmfc.iFrameOnlyManifest, CmfcIFrameOnlyManifest);
  const container = isObject(output.containerSettings) ? output.containerSettings.container : undefined;
  checkEnum(issues, `${path}/containerSettings/container`, container, ContainerType);
  const video = output.videoDescription;
  if (!isObject(video)) return;
  checkEnum(issues, `${path}/videoDescription/scalingBehavior`, video.scalingBehavior, ScalingBehavior);
  validatePreprocessors(issues, `${path}/videoDescription/videoPreprocessors`, video.videoPreprocessors);
  for (const dim of ['width', 'height'] as const) {
    checkRange(issues, `${path}/videoDescription/${dim}`, video[dim], 32, 8192);
    const size = video[dim];
    if (typeof size === 'number' && size % 2 !== 0) issues.push(`${path}/videoDescription/${dim}: must be even, got ${size}`);
  }
  const codec = isObject(video.codecSettings) ? video.codecSettings : {};
  const h264 = codec.h264Settings;
  if (isObject(h264)) {
    const at = `${path}/videoDescription/codecSettings/h264Settings`;
    checkRange(issues, `${at}/bitrate`, h264.bitrate, 1000, 1_152_000_000);
    checkRange(issues, `${at}/maxBitrate`, h264.maxBitrate, 1000, 1_152_000_000);
    checkRange(issues, `${at}/hrdBufferSize`, h264.hrdBufferSize, 0, 1_152_000_000);
    if (h264.rateControlMode === 'QVBR' && h264.maxBitrate === undefined)
      issues.push(`${at}/maxBitrate: required when rateControlMode is QVBR`);
    if (isObject(h264.qvbrSettings)) checkRange(issues, `${at}/qvbrSettings/qvbrQualityLevel`, h264.qvbrSettings.qvbrQualityLevel, 1, 10);
    checkEnum(issues, `${at}/codecLevel`, h264.codecLevel, H264CodecLevel);
    checkEnum(issues, `${at}/qualityTuningLevel`, h264.qualityTuningLevel, H264QualityTuningLevel);
    checkEnum(issues, `${at}/framerateControl`, h264.framerateControl, H264FramerateControl);
    checkEnum(issues, `${at}/framerateConversionAlgorithm`, h264.framerateConversionAlgorithm, H264FramerateConversionAlgorithm);
    checkEnum(issues, `${at}/parControl`, h264.parControl, H264ParControl);
    checkSpecifiedFraction(issues, at, h264, 'framerateControl', 'framerateNumerator', 'framerateDenominator');
    checkSpecifiedFraction(issues, at, h264, 'parControl', 'parNumerator', 'parDenominator');
  }
  checkEnum(issues, `${path}/videoDescription/colorMetadata`, video.colorMetadata, ColorMetadata);
  const h265 = codec.h265Settings;
  if (isObject(h265)) {
    const at = `${path}/videoDescription/codecSettings/h265Settings`;
    checkRange(issues, `${at}/maxBitrate`, h265.maxBitrate, 1000, 1_466_000_000);
    checkRange(issues, `${at}/hrdBufferSize`, h265.hrdBufferSize, 0, 1_466_000_000);
    if (h265.rateControlMode === 'QVBR' && h265.maxBitrate === undefined)
      issues.push(`${at}/maxBitrate: required when rateControlMode is QVBR`);
    if (isObject(h265.qvbrSettings)) checkRange(issues, `${at}/qvbrSettings/qvbrQualityLevel`, h265.qvbrSettings.qvbrQualityLevel, 1, 10);
    checkEnum(issues, `${at}/codecProfile`, h265.codecProfile, H265CodecProfile);
    checkEnum(issues, `${at}/codecLevel`, h265.codecLevel, H265CodecLevel);
    checkEnum(issues, `${at}/qualityTuningLevel`, h265.qualityTuningLevel, H265QualityTuningLevel);
    checkEnum(issues, `${at}/writeMp4PackagingType`, h265.writeMp4PackagingType, H265WriteMp4PackagingType);
    checkSpecifiedFraction(issues, at, h265, 'framerateControl', 'framerateNumerator', 'framerateDenominator');
    checkSpecifiedFraction(issues, at, h265, 'parControl', 'parNumerator', 'parDenominator');
  }
  const frameCapture = codec.frameCaptureSettings;
  if (isObject(frameCapture)) {
    const at = `${path}/videoDescription/codecSettings/frameCaptureSettings`;
    checkRange(issues, `${at}/maxCaptures`, frameCapture.maxCaptures, 1, 10_000_000);
    checkRange(issues, `${at}/framerateNumerator`, frameCapture.framerateNumerator, 1, INT32_MAX);
    checkRange(issues, `${at}/framerateDenominator`, frameCapture.framerateDenominator, 1, INT32_MAX);
    checkRange(issues, `${at}/quality`, frameCapture.quality, 1, 100);
  }
}

function isFrameCapture(output: unknown): boolean {
  if (!isObject(output) || !isObject(output.videoDescription)) return false;
  const codec = output.videoDescription.codecSettings;
  return isObject(codec) && codec.codec === 'FRAME_CAPTURE';
}

function validateOutputGroup(issues: string[], path: string, group: unknown): unknown[] {
  if (!isObject(group)) {
    issues.push(`${path}: must be an object`);
    return [];
  }
  const settings = group.outputGroupSettings;
  const type = isObject(settings) ? settings.type : undefined;
  const member = typeof type === 'string' ? GROUP_SETTINGS_BY_TYPE[type] : undefined;
  if (!isObject(settings) || member === undefined) {
    issues.push(`${path}/outputGroupSettings/type: required, one of ${Object.keys(GROUP_SETTINGS_BY_TYPE).join(', ')}`);
  } else {
    const typed = settings[member];
    const destination = isObject(typed) ? typed.destination : undefined;
    if (typeof destination !== 'string' || !destination.startsWith('s3://')) {
      issues.push(`${path}/outputGroupSettings/${member}/destination: required, an s3:// URI, got ${JSON.stringify(destination)}`);
    }
    if (member === 'cmafGroupSettings' && isObject(typed)) {
      const at = `${path}/outputGroupSettings/cmafGroupSettings`;
      checkRange(issues, `${at}/segmentLength`, typed.segmentLength, 1, INT32_MAX);
      checkRange(issues, `${at}/fragmentLength`, typed.fragmentLength, 1, INT32_MAX);
      if (typeof typed.fragmentLength === 'number' && typeof typed.segmentLength === 'number' && typed.fragmentLength > typed.segmentLength)
        issues.push(`${at}/fragmentLength: at most segmentLength (${typed.segmentLength}), got ${typed.fragmentLength}`);
      checkEnum(issues, `${at}/segmentControl`, typed.segmentControl, CmafSegmentControl);
      checkEnum(issues, `${at}/writeHlsManifest`, typed.writeHlsManifest, CmafWriteHLSManifest);
      checkEnum(issues, `${at}/writeDashManifest`, typed.writeDashManifest, CmafWriteDASHManifest);
      checkEnum(issues, `${at}/codecSpecification`, typed.codecSpecification, CmafCodecSpecification);
      checkEnum(issues, `${at}/manifestDurationFormat`, typed.manifestDurationFormat, CmafManifestDurationFormat);
      // A CMAF output carries one elementary stream: video or audio (MediaConvert's CMAF rule).
      (Array.isArray(group.outputs) ? group.outputs : []).forEach((output, i) => {
        if (
          isObject(output) &&
          isObject(output.videoDescription) &&
          Array.isArray(output.audioDescriptions) &&
          output.audioDescriptions.length > 0
        )
          issues.push(`${path}/outputs/${i}: a CMAF output holds video or audio, not both`);
      });
    }
    if (member === 'hlsGroupSettings' && isObject(typed)) {
      const at = `${path}/outputGroupSettings/hlsGroupSettings`;
      checkRange(issues, `${at}/segmentLength`, typed.segmentLength, 1, INT32_MAX);
      checkEnum(issues, `${at}/manifestDurationFormat`, typed.manifestDurationFormat, HlsManifestDurationFormat);
      checkEnum(issues, `${at}/codecSpecification`, typed.codecSpecification, HlsCodecSpecification);
      // The model: "greater than or equal to 1 and less than your segment length" (0, the default, is off).
      const minFinal = typed.minFinalSegmentLength;
      if (minFinal !== undefined && minFinal !== 0) {
        const segment = typeof typed.segmentLength === 'number' ? typed.segmentLength : 10;
        if (typeof minFinal !== 'number' || minFinal < 1 || minFinal >= segment)
          issues.push(
            `${at}/minFinalSegmentLength: 0, or at least 1 and less than segmentLength (${segment}), got ${JSON.stringify(minFinal)}`,
          );
      }
    }
  }
  const outputs = Array.isArray(group.outputs) ? group.outputs : [];
  if (outputs.length === 0) issues.push(`${path}/outputs: required, at least one output`);
  const modifiers = new Set<string>();
  outputs.forEach((output, i) => {
    if (!isObject(output)) {
      issues.push(`${path}/outputs/${i}: must be an object`);
      return;
    }
    if (outputs.length > 1) {
      const modifier = output.nameModifier;
      if (typeof modifier !== 'string' || modifier === '')
        issues.push(`${path}/outputs/${i}/nameModifier: required when a group has more than one output`);
      else if (modifiers.has(modifier)) issues.push(`${path}/outputs/${i}/nameModifier: duplicates '${modifier}' in the same group`);
      else modifiers.add(modifier);
    }
    validateOutput(issues, `${path}/outputs/${i}`, output);
  });
  return outputs;
}

function validateInput(issues: string[], input: Json): void {
  const selector = input.videoSelector;
  if (isObject(selector)) {
    checkEnum(issues, '/settings/inputs/0/videoSelector/rotate', selector.rotate, InputRotate);
    checkEnum(issues, '/settings/inputs/0/videoSelector/colorSpace', selector.colorSpace, ColorSpace);
  }
  if (isObject(input.audioSelectors)) {
    for (const [name, audio] of Object.entries(input.audioSelectors)) {
      if (!isObject(audio)) continue;
      const at = `/settings/inputs/0/audioSelectors/${name}`;
      checkEnum(issues, `${at}/defaultSelection`, audio.defaultSelection, AudioDefaultSelection);
      checkEnum(issues, `${at}/selectorType`, audio.selectorType, AudioSelectorType);
      checkEnum(issues, `${at}/audioDurationCorrection`, audio.audioDurationCorrection, AudioDurationCorrection);
      checkIntegerList(issues, `${at}/tracks`, audio.tracks, 1, INT32_MAX);
      validateRemix(issues, `${at}/remixSettings`, audio.remixSettings);
    }
  }
}

function validateSettings(issues: string[], settings: unknown): void {
  if (!isObject(settings)) {
    issues.push('/settings: required');
    return;
  }
  const inputs = Array.isArray(settings.inputs) ? settings.inputs : [];
  const first: unknown = inputs[0];
  const fileInput = isObject(first) ? first.fileInput : undefined;
  if (typeof fileInput !== 'string' || !fileInput.startsWith('s3://')) {
    issues.push(`/settings/inputs/0/fileInput: required, an s3:// URI, got ${JSON.stringify(fileInput)}`);
  }
  if (isObject(first)) validateInput(issues, first);
  const groups = Array.isArray(settings.outputGroups) ? settings.outputGroups : [];
  if (groups.length === 0) issues.push('/settings/outputGroups: required, at least one output group');
  const outputs = groups.flatMap((group, i) => validateOutputGroup(issues, `/settings/outputGroups/${i}`, group));
  if (outputs.length > 0 && outputs.every(isFrameCapture)) {
    issues.push('/settings/outputGroups: a job cannot hold only frame-capture outputs; add a video output');
  }
}

/** Every rule of CreateJob the stand-in enforces, as `/member/path: problem` lines. */
export function validateCreateJob(body: Json, resolveQueue: (ref: string) => unknown): string[] {
  const issues: string[] = [];
  const { role, queue, userMetadata, clientRequestToken, accelerationSettings, statusUpdateInterval } = body;
  if (typeof role !== 'string' || !ROLE_ARN.test(role)) {
    issues.push(`/role: required, an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>), got ${JSON.stringify(role)}`);
  }
  validateSettings(issues, body.settings);
  if (queue !== undefined && (typeof queue !== 'string' || resolveQueue(queue) === undefined)) {
    issues.push(`/queue: no queue named or with ARN ${JSON.stringify(queue)}`);
  }
  if (userMetadata !== undefined) {
    if (!isObject(userMetadata)) issues.push('/userMetadata: must be a map of strings');
    else {
      const entries = Object.entries(userMetadata);
      const { maxEntries, maxKeyLength, maxValueLength } = USER_METADATA_LIMITS;
      if (entries.length > maxEntries) issues.push(`/userMetadata: at most ${maxEntries} entries, got ${entries.length}`);
      for (const [key, value] of entries) {
        if (key.length > maxKeyLength) issues.push(`/userMetadata/${key}: key longer than ${maxKeyLength} characters`);
        if (typeof value !== 'string' || value.length > maxValueLength)
          issues.push(`/userMetadata/${key}: value must be a string of at most ${maxValueLength} characters`);
      }
    }
  }
  if (clientRequestToken !== undefined && (typeof clientRequestToken !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(clientRequestToken))) {
    issues.push(`/clientRequestToken: must be 1 to 64 ASCII characters, got ${JSON.stringify(clientRequestToken)}`);
  }
  if (
    accelerationSettings !== undefined &&
    (!isObject(accelerationSettings) || !(ACCELERATION_MODES as readonly string[]).includes(String(accelerationSettings.mode)))
  ) {
    issues.push(
      `/accelerationSettings/mode: required, one of ${ACCELERATION_MODES.join(', ')}, got ${JSON.stringify(accelerationSettings)}`,
    );
  }
  if (statusUpdateInterval !== undefined && !(STATUS_UPDATE_INTERVALS as readonly string[]).includes(String(statusUpdateInterval))) {
    issues.push(`/statusUpdateInterval: one of ${STATUS_UPDATE_INTERVALS.join(', ')}, got ${JSON.stringify(statusUpdateInterval)}`);
  }
  checkRange(issues, '/priority', body.priority, -50, 50);
  return issues;
}
