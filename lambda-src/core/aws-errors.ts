/** Errors that a retry cannot fix: the request was rejected as such. */
const PERMANENT_ERRORS = new Set([
  'BadRequestException',
  'ForbiddenException',
  'NotFoundException',
  'AccessDeniedException',
  'ConflictException',
]);

/** True for a rejected request (4xx other than throttling); false for throttling, 5xx and network errors. */
export function isPermanentError(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name && PERMANENT_ERRORS.has(e.name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}
