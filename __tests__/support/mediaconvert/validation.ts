/**
 * CreateJob validation of the local MediaConvert stand-in: required members and the
 * API model's ranges, reported as `/member/path: problem` lines like a 400 would.
 */
import { isRecord as isObject } from '../../../lambda-src/lib/guards';
import { ACCELERATION_MODES, STATUS_UPDATE_INTERVALS } from '../../../lambda-src/submit-job/contract';

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

/** The encoder limits of the API model that a job builder most easily gets wrong. */
function validateOutput(issues: string[], path: string, output: Json): void {
  const video = output.videoDescription;
  if (!isObject(video)) return;
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
    if (h264.rateControlMode === 'QVBR' && h264.maxBitrate === undefined)
      issues.push(`${at}/maxBitrate: required when rateControlMode is QVBR`);
    if (isObject(h264.qvbrSettings)) checkRange(issues, `${at}/qvbrSettings/qvbrQualityLevel`, h264.qvbrSettings.qvbrQualityLevel, 1, 10);
  }
  const frameCapture = codec.frameCaptureSettings;
  if (isObject(frameCapture)) {
    const at = `${path}/videoDescription/codecSettings/frameCaptureSettings`;
    checkRange(issues, `${at}/maxCaptures`, frameCapture.maxCaptures, 1, 10_000_000);
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
    if (member === 'hlsGroupSettings' && isObject(typed))
      checkRange(issues, `${path}/outputGroupSettings/hlsGroupSettings/segmentLength`, typed.segmentLength, 1, 2_147_483_647);
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
      if (entries.length > 10) issues.push(`/userMetadata: at most 10 entries, got ${entries.length}`);
      for (const [key, value] of entries) {
        if (key.length > 128) issues.push(`/userMetadata/${key}: key longer than 128 characters`);
        if (typeof value !== 'string' || value.length > 256)
          issues.push(`/userMetadata/${key}: value must be a string of at most 256 characters`);
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
