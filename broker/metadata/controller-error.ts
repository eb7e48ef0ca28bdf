// The failure of a controller operation, carrying the Kafka error code a client gets.

export class ControllerError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A write's failure as a Kafka error and message; anything but a ControllerError is rethrown. */
export function controllerError(e: unknown): { errorCode: number; errorMessage: string } {
  if (e instanceof ControllerError) return { errorCode: e.code, errorMessage: e.message };
  throw e;
}
