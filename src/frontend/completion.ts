/**
 * One `/v1/chat/completions` or `/v1/completions` request, end to end: read and validate the body, route
 * to the least-loaded worker serving the model, stream the worker's chunks back (SSE) or collect them
 * (unary), and record every frontend metric on the way. Errors before the first byte become OpenAI error
 * responses; after it, an SSE error event. A client that goes away cancels the worker's generation across
 * the request plane and is counted as a disconnect. Every path ends the request guard and the response
 * collector, so no gauge is ever left raised.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GenerateChunk } from '../engines/types.js';
import { FrontendErrorType, RequestType } from '../names/frontend.js';
import { RequestPlaneError } from '../serving/errors.js';
import type { RequestPlane } from '../serving/request-plane.js';
import type { Logger } from '../util/logger.js';
import type { FrontendMetrics } from './metrics.js';
import type { ModelRegistry, RoutedInstance } from './model-registry.js';
import { OpenAIError } from './openai/errors.js';
import {
  type CompletionEndpoint,
  type CompletionRequest,
  parseCompletionRequest,
  toGenerateRequest,
} from './openai/request.js';
import { ResponseBuilder, usage } from './openai/responses.js';
import { RequestGuard } from './request-guard.js';
import { ResponseCollector } from './response-collector.js';
import { StageTracker } from './stages.js';

export interface CompletionDeps {
  readonly metrics: FrontendMetrics;
  readonly models: ModelRegistry;
  readonly plane: RequestPlane;
  readonly logger?: Logger;
  /** Largest request body accepted (default 4 MiB); more is a 413. */
  readonly maxBodyBytes: number;
  /** A stream with no chunk for this long fails with `response_timeout` (default 5 min). */
  readonly responseTimeoutMs: number;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.pause();
        reject(new BodyTooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** Maps a request-plane failure to what the client is told and how the request is counted. */
function planeError(e: RequestPlaneError): OpenAIError {
  switch (e.kind) {
    case 'truncated':
      return new OpenAIError(
        502,
        `the worker's stream broke off: ${e.message}`,
        FrontendErrorType.TRUNCATED_STREAM,
        'internal_error',
      );
    case 'remote':
      if (e.status === 429 || e.status === 503) return OpenAIError.overloaded(e.message);
      if (e.status === 400) return OpenAIError.invalid(e.message);
      return OpenAIError.internal(e.message);
    case 'rejected':
      return OpenAIError.internal(e.message);
    default:
      return OpenAIError.unavailable(e.message);
  }
}

function sendError(res: ServerResponse, e: OpenAIError): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(e.body());
  res.writeHead(e.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sse(res: ServerResponse, data: unknown): void {
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** The model label of a request whose body could not be read or parsed. */
const UNKNOWN_MODEL = 'unknown';

export async function handleCompletion(
  deps: CompletionDeps,
  endpoint: CompletionEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const controller = new AbortController();
  let clientGone = false;
  res.on('close', () => {
    if (res.writableFinished) return;
    clientGone = true;
    controller.abort(new Error('the client disconnected'));
  });
  const stages = new StageTracker(deps.metrics);
  let request: CompletionRequest | undefined;
  let parseError: OpenAIError | undefined;
  stages.enter('preprocess', '', UNKNOWN_MODEL);
  try {
    const body = await readBody(req, deps.maxBodyBytes, controller.signal);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw OpenAIError.invalid('the request body is not valid JSON');
    }
    request = parseCompletionRequest(endpoint, json);
  } catch (e) {
    parseError =
      e instanceof OpenAIError
        ? e
        : e instanceof BodyTooLarge
          ? new OpenAIError(
              413,
              `the request body is larger than ${deps.maxBodyBytes} bytes`,
              FrontendErrorType.VALIDATION,
              'invalid_request_error',
            )
          : undefined;
    if (parseError === undefined && !clientGone)
      parseError = OpenAIError.invalid('the request body could not be read');
  } finally {
    stages.leave();
  }
  const model = (request?.model ?? UNKNOWN_MODEL).toLowerCase();
  const guard = new RequestGuard(
    deps.metrics,
    model,
    endpoint,
    request?.stream === true ? RequestType.STREAM : RequestType.UNARY,
  );
  let collector: ResponseCollector | undefined;
  let routed: RoutedInstance | undefined;
  try {
    if (request === undefined) throw parseError ?? OpenAIError.invalid('the request body could not be read');
    stages.enter('route', '', model);
    routed = deps.models.pick(request.model);
    stages.leave();
    const card = routed.instance.modelCard;
    if (request.maxTokens !== undefined && request.maxTokens > card.contextLength) {
      throw OpenAIError.invalid(
        `'max_tokens' (${request.maxTokens}) exceeds the context length of \`${card.name}\` (${card.contextLength})`,
        'max_tokens',
      );
    }
    routed.inflight++;
    collector = new ResponseCollector(deps.metrics, guard, {
      workerId: routed.instance.instanceId,
      dpRank: 'none',
    });
    stages.enter('dispatch', 'aggregated', model);
    await stream(deps, request, card.name, routed, collector, guard, stages, controller, res);
    guard.markOk();
  } catch (e) {
    const error = clientGone
      ? undefined
      : e instanceof OpenAIError
        ? e
        : e instanceof RequestPlaneError
          ? planeError(e)
          : OpenAIError.internal(e instanceof Error ? e.message : String(e));
    if (error === undefined) {
      guard.markError(FrontendErrorType.CANCELLED);
      deps.metrics.disconnectedClients.inc();
    } else {
      guard.markError(error.errorType);
      if (error.status >= 500) deps.logger?.log('warn', 'completion failed', { model, error: error.message });
      if (!res.headersSent) sendError(res, error);
      else if (!res.destroyed) {
        sse(res, error.body());
        res.end();
      }
    }
  } finally {
    stages.leave();
    if (routed !== undefined && collector !== undefined) routed.inflight--;
    collector?.end();
    guard.end();
  }
}

async function stream(
  deps: CompletionDeps,
  request: CompletionRequest,
  modelName: string,
  routed: RoutedInstance,
  collector: ResponseCollector,
  guard: RequestGuard,
  stages: StageTracker,
  controller: AbortController,
  res: ServerResponse,
): Promise<void> {
  const card = routed.instance.modelCard;
  const maxTokens = request.maxTokens ?? card.contextLength;
  const builder = new ResponseBuilder(
    request.endpoint,
    `${request.endpoint === 'chat_completions' ? 'chatcmpl' : 'cmpl'}-${randomUUID()}`,
    modelName,
  );
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('response timeout'));
    }, deps.responseTimeoutMs);
  };
  let text = '';
  let last: GenerateChunk | undefined;
  let first = true;
  try {
    arm();
    const chunks = deps.plane.call(routed.instance, toGenerateRequest(request, maxTokens), {
      signal: controller.signal,
    });
    for await (const raw of chunks) {
      arm();
      const chunk = raw as GenerateChunk;
      collector.observe(chunk);
      if (collector.started) stages.leave();
      last = chunk;
      if (request.stream) {
        if (!res.headersSent)
          res.writeHead(200, {
            'Content-Type': 'text/event-stream',
            'Cache-Control': 'no-cache',
            Connection: 'keep-alive',
          });
        if (chunk.text !== '' || chunk.finishReason !== undefined) {
          sse(res, builder.chunk(chunk.text, first, chunk.finishReason));
          first = false;
        }
      } else text += chunk.text;
    }
  } catch (e) {
    if (timedOut) {
      throw new OpenAIError(
        504,
        `no response from the worker for ${deps.responseTimeoutMs} ms`,
        FrontendErrorType.RESPONSE_TIMEOUT,
        'timeout_error',
      );
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const u = usage(
    collector.inputTokens || (last?.inputTokens ?? 0),
    collector.outputTokens,
    collector.cachedTokens ?? 0,
  );
  if (request.stream) {
    if (!res.headersSent)
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
      });
    if (first) sse(res, builder.chunk('', true, last?.finishReason ?? 'stop'));
    if (request.includeUsage) sse(res, builder.usageChunk(u));
    sse(res, '[DONE]');
    res.end();
  } else {
    const body = JSON.stringify(builder.unary(text, last?.finishReason, u));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
  guard.firstToken();
}
