/**
 * Errors the frontend answers with, each carrying the `error_type` its request is counted under in
 * `requests_total` (reference spec §6.2). Parse errors from the shared OpenAI layer are mapped by status.
 */
import { FrontendErrorType } from '../names/frontend.js';
import { OpenAIRequestError } from '../openai/protocol.js';
import type { FrontendErrorTypeName } from './request-guard.js';

export class FrontendError extends OpenAIRequestError {
  override name = 'FrontendError';
  constructor(
    message: string,
    status: number,
    readonly errorType: FrontendErrorTypeName,
    param: string | null = null,
    readonly code: string | number | null = status,
  ) {
    super(message, param, status);
  }

  static notFound(model: string): FrontendError {
    return new FrontendError(
      `The model \`${model}\` does not exist.`,
      404,
      FrontendErrorType.NOT_FOUND,
      'model',
      'model_not_found',
    );
  }

  static unavailable(message: string): FrontendError {
    return new FrontendError(message, 503, FrontendErrorType.UNAVAILABLE);
  }

  static overloaded(message: string): FrontendError {
    return new FrontendError(message, 429, FrontendErrorType.OVERLOAD, null, 'rate_limit_exceeded');
  }

  static internal(message: string): FrontendError {
    return new FrontendError(message, 500, FrontendErrorType.INTERNAL);
  }

  /** The engine reported a failure (an error frame from the worker): the backend failed, not the frontend. */
  static backend(message: string): FrontendError {
    return new FrontendError(message, 502, FrontendErrorType.BACKEND_ERROR);
  }

  static truncated(message: string): FrontendError {
    return new FrontendError(message, 502, FrontendErrorType.TRUNCATED_STREAM);
  }

  static timeout(message: string): FrontendError {
    return new FrontendError(message, 504, FrontendErrorType.RESPONSE_TIMEOUT);
  }

  static tooLarge(limit: number): FrontendError {
    return new FrontendError(
      `The request body is larger than ${limit} bytes.`,
      413,
      FrontendErrorType.VALIDATION,
    );
  }

  /** A request error from parsing (400, or 501 for what is not implemented) as a frontend error. */
  static fromRequest(e: OpenAIRequestError): FrontendError {
    if (e instanceof FrontendError) return e;
    const type =
      e.status === 501
        ? FrontendErrorType.NOT_IMPLEMENTED
        : e.status === 404
          ? FrontendErrorType.NOT_FOUND
          : FrontendErrorType.VALIDATION;
    return new FrontendError(e.message, e.status, type, e.param);
  }
}
