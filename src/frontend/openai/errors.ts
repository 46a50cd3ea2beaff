/**
 * OpenAI-style errors: an HTTP status, the body OpenAI clients expect
 * (`{"error":{"message","type","param","code"}}`), and the frontend `error_type` the request is counted
 * under in `requests_total`.
 */
import { FrontendErrorType } from '../../names/frontend.js';
import type { FrontendErrorTypeName } from '../request-guard.js';

export class OpenAIError extends Error {
  override name = 'OpenAIError';
  constructor(
    readonly status: number,
    message: string,
    readonly errorType: FrontendErrorTypeName,
    readonly type = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  static invalid(message: string, param: string | null = null): OpenAIError {
    return new OpenAIError(400, message, FrontendErrorType.VALIDATION, 'invalid_request_error', param);
  }

  static notFound(model: string): OpenAIError {
    return new OpenAIError(
      404,
      `The model \`${model}\` does not exist.`,
      FrontendErrorType.NOT_FOUND,
      'invalid_request_error',
      'model',
      'model_not_found',
    );
  }

  static notImplemented(message: string, param: string | null = null): OpenAIError {
    return new OpenAIError(501, message, FrontendErrorType.NOT_IMPLEMENTED, 'not_implemented_error', param);
  }

  static overloaded(message: string): OpenAIError {
    return new OpenAIError(429, message, FrontendErrorType.OVERLOAD, 'rate_limit_error', null, 'overloaded');
  }

  static unavailable(message: string): OpenAIError {
    return new OpenAIError(503, message, FrontendErrorType.UNAVAILABLE, 'service_unavailable_error');
  }

  static internal(message: string): OpenAIError {
    return new OpenAIError(500, message, FrontendErrorType.INTERNAL, 'internal_error');
  }
}
