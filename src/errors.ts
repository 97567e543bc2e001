// One error model: domain errors are thrown, and mapped once to HTTP in app.onError
// (JSON for /api and /webhooks, a calm HTML page for browsers).

export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, fields?: Record<string, string>) =>
  new AppError(400, "invalid_request", message, fields);
export const notFound = (message = "Not found") => new AppError(404, "not_found", message);
export const unauthorized = (message = "A valid bearer token is required") => new AppError(401, "unauthorized", message);
export const tooManyRequests = (message = "Too many requests; try again later") =>
  new AppError(429, "rate_limited", message);

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; requestId?: string };
}

export function errorBody(code: string, message: string, fields?: Record<string, string>, requestId?: string): ErrorBody {
  return { error: { code, message, ...(fields ? { fields } : {}), ...(requestId ? { requestId } : {}) } };
}
