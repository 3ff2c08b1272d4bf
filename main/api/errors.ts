// Error codes that cross the IPC boundary as values; the UI branches on `code`, never on message text.
import { z } from 'zod';

export const errorCodes = [
  'INVALID_PARAMS',
  'UNKNOWN_METHOD',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'INVALID_IMAGE',
  'IMAGE_TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'PATH_OUTSIDE_PROJECT',
  'LIBRARY_LOCKED',
  'LIBRARY_TOO_NEW',
  'ALREADY_EXISTS',
  'BUSY',
  'CANCELLED',
  'ENGINE_CRASHED',
  'ENGINE_ERROR',
  'MODEL_INCOMPATIBLE',
  'IO_ERROR',
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const StudioErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type StudioErrorShape = z.infer<typeof StudioErrorShape>;

/** Thrown inside main/; converted to `{ ok: false, error }` at the transport boundary. */
export class StudioError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'StudioError';
  }

  toShape(): StudioErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * What every call across a process boundary resolves to (transports, the preload bridge, dispatch, the renderer's
 * client and its views): the value, or the error as a value, whose `code` the caller may act on.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: StudioErrorShape };

export function toErrorShape(err: unknown): StudioErrorShape {
  if (err instanceof StudioError) return err.toShape();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}
