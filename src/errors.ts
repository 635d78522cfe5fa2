/**
 * Typed errors with a code: handlers turn them into a clear ephemeral or modal error (STYLE: Conventions).
 */
export type AppErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'already_claimed'
  | 'window_closed'
  | 'invalid_input'
  | 'conflict'
  | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly userMessage: string = message,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} not found`, `I could not find ${what}.`);
  }
}

export class ForbiddenError extends AppError {
  constructor(userMessage: string) {
    super('forbidden', userMessage, userMessage);
  }
}

export class InvalidInputError extends AppError {
  constructor(userMessage: string) {
    super('invalid_input', userMessage, userMessage);
  }
}

/** The database could not be reached: the WhatsApp route answers 503 so Meta retries (DESIGN §3). */
export class UnavailableError extends AppError {
  constructor(message: string, override readonly cause?: unknown) {
    super('unavailable', message, 'threadline cannot reach its database right now. Please try again in a minute.');
  }
}
