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
import type { Clock } from '../engines/clock.js';
import type { GenerateChunk, GenerateRequest } from '../engines/types.js';
import { FrontendErrorType, RequestType } from '../names/frontend.js';
import { errorBody, OpenAIRequestError, usageOf } from '../openai/protocol.js';
import {
  type OpenAIEndpointKind,
  type ParsedOpenAIRequest,
  parseOpenAIRequest,
  resolveMaxTokens,
  toGenerateRequest,
} from '../openai/request.js';
import { OpenAIResponseBuilder, SSE_DONE, sseData } from '../openai/response.js';
import { RequestPlaneError } from '../serving/errors.js';
import type { RequestPlane } from '../serving/request-plane.js';
import type { Logger } from '../util/logger.js';
import { FrontendError } from './errors.js';
import type { FrontendMetrics } from './metrics.js';
import type { ModelRegistry, RoutedInstance } from './model-registry.js';
import { RequestGuard } from './request-guard.js';
import { ResponseCollector } from './response-collector.js';
import { StageTracker } from './stages.js';

export interface CompletionDeps {
  /** Undefined when metrics recording is off (the throughput benchmark's baseline). */
  readonly metrics: FrontendMetrics | undefined;
  readonly models: ModelRegistry;
  readonly plane: RequestPlane;
  readonly logger?: Logger;
  /** Largest request body accepted; more is a 413. */
  readonly maxBodyBytes: number;
  /** A stream with no chunk for this long fails with `response_timeout`. */
  readonly responseTimeoutMs: number;
  /** Times requests and tokens. */
  readonly clock: Clock;
  /** The runtime's worker id: instances it serves itself are called in-process, without HTTP. */
  readonly localWorkerId?: string;
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

/** What the client is told, and how the request is counted, for a failure of the request plane. */
function planeError(e: RequestPlaneError): FrontendError {
  switch (e.kind) {
    case 'truncated':
      return FrontendError.truncated(`The worker's stream broke off: ${e.message}`);
    case 'remote':
      if (e.status === 429 || e.status === 503) return FrontendError.overloaded(e.message);
      if (e.status === 400) return new FrontendError(e.message, 400, FrontendErrorType.VALIDATION);
      return FrontendError.backend(e.message);
    case 'rejected':
      return FrontendError.internal(e.message);
    default:
      return FrontendError.unavailable(e.message);
  }
}

function asFrontendError(e: unknown): FrontendError {
  if (e instanceof FrontendError) return e;
  if (e instanceof OpenAIRequestError) return FrontendError.fromRequest(e);
  if (e instanceof RequestPlaneError) return planeError(e);
  return FrontendError.internal(e instanceof Error ? e.message : String(e));
}

function sendError(res: ServerResponse, e: FrontendError): void {
  const text = JSON.stringify(errorBody(e.status, e.message, e.param, e.code));
  res.writeHead(e.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  Connection: 'keep-alive',
};

/** The model label of a request whose body could not be read or parsed. */
const UNKNOWN_MODEL = 'unknown';

/**
 * A body that failed validation, with what could still be read from it: a request with a valid `model` and
 * `stream` but, say, no `messages` is counted under its model and request type, not under `unknown`.
 */
interface RejectedRequest {
  readonly error: FrontendError;
  readonly model?: string;
  readonly stream?: boolean;
}

/** Reads and validates the body; a failure is returned, not thrown, so the request can still be counted. */
async function readRequest(
  deps: CompletionDeps,
  kind: OpenAIEndpointKind,
  req: IncomingMessage,
  signal: AbortSignal,
): Promise<ParsedOpenAIRequest | RejectedRequest> {
  let body: Buffer;
  try {
    body = await readBody(req, deps.maxBodyBytes, signal);
  } catch (e) {
    return {
      error: e instanceof BodyTooLarge ? FrontendError.tooLarge(deps.maxBodyBytes) : asFrontendError(e),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return {
      error: new FrontendError('The request body is not valid JSON.', 400, FrontendErrorType.VALIDATION),
    };
  }
  try {
    return parseOpenAIRequest(kind, json);
  } catch (e) {
    const fields = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    return {
      error: asFrontendError(e),
      model: typeof fields.model === 'string' && fields.model.trim() !== '' ? fields.model : undefined,
      stream: fields.stream === true,
    };
  }
}

export async function handleCompletion(
  deps: CompletionDeps,
  kind: OpenAIEndpointKind,
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
  const request = await readRequest(deps, kind, req, controller.signal);
  const rejected = 'error' in request ? request : undefined;
  const parsed = rejected === undefined ? (request as ParsedOpenAIRequest) : undefined;
  const model = (parsed?.model ?? rejected?.model ?? UNKNOWN_MODEL).toLowerCase();
  const guard = new RequestGuard(
    deps.metrics,
    model,
    kind,
    (parsed ?? rejected)?.stream === true ? RequestType.STREAM : RequestType.UNARY,
    () => deps.clock.now(),
  );
  let collector: ResponseCollector | undefined;
  let routed: RoutedInstance | undefined;
  try {
    if (parsed === undefined) throw rejected?.error;
    stages.enter('route', '', model);
    routed = deps.models.pick(parsed.model);
    stages.enter('preprocess', '', model);
    const maxTokens = resolveMaxTokens(parsed, routed.instance.modelCard.contextLength);
    const generate = toGenerateRequest(parsed, maxTokens);
    stages.leave();
    routed.inflight++;
    collector = new ResponseCollector(deps.metrics, guard, {
      workerId: routed.instance.instanceId,
      dpRank: 'none',
    });
    stages.enter('dispatch', 'aggregated', model);
    await stream(deps, parsed, generate, routed, collector, stages, controller, res);
    guard.markOk();
  } catch (e) {
    if (clientGone) {
      guard.markError(FrontendErrorType.CANCELLED);
      deps.metrics?.disconnectedClients.inc();
    } else {
      const error = asFrontendError(e);
      guard.markError(error.errorType);
      if (error.status >= 500)
        deps.logger?.log('warn', 'completion failed', { model, status: error.status, error: error.message });
      if (!res.headersSent) sendError(res, error);
      else if (!res.destroyed)
        res.end(sseData(errorBody(error.status, error.message, error.param, error.code)) + SSE_DONE);
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
  request: ParsedOpenAIRequest,
  generate: GenerateRequest,
  routed: RoutedInstance,
  collector: ResponseCollector,
  stages: StageTracker,
  controller: AbortController,
  res: ServerResponse,
): Promise<void> {
  const prefix = request.kind === 'chat_completions' ? 'chatcmpl' : 'cmpl';
  const builder = new OpenAIResponseBuilder(request.kind, {
    id: `${prefix}-${randomUUID()}`,
    created: Math.floor(Date.now() / 1000),
    model: routed.instance.modelCard.name,
  });
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('response timeout'));
    }, deps.responseTimeoutMs);
  };
  // Headers wait for the first chunk: an error before it is still a proper HTTP error response.
  const begin = () => {
    if (res.headersSent) return;
    res.writeHead(200, SSE_HEADERS);
    const role = builder.roleChunk();
    if (role !== undefined) res.write(sseData(role));
  };
  let text = '';
  let last: GenerateChunk | undefined;
  try {
    arm();
    for await (const raw of deps.plane.call(routed.instance, generate, {
      signal: controller.signal,
      local: deps.localWorkerId,
    })) {
      arm();
      const chunk = raw as GenerateChunk;
      collector.observe(chunk);
      if (collector.started) stages.leave();
      last = chunk;
      if (!request.stream) {
        text += chunk.text;
        continue;
      }
      begin();
      if (chunk.text !== '' || chunk.finishReason !== undefined)
        res.write(sseData(builder.chunk(chunk.text, chunk.finishReason)));
    }
  } catch (e) {
    if (timedOut)
      throw FrontendError.timeout(`No response from the worker for ${deps.responseTimeoutMs} ms.`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
  // The last chunk carries the exact totals (an upstream engine learns them only from its final usage).
  const usage = usageOf(
    last?.inputTokens ?? collector.inputTokens,
    last?.outputTokens ?? collector.outputTokens,
    last?.cachedTokens ?? collector.cachedTokens ?? 0,
  );
  if (request.stream) {
    begin();
    if (request.includeUsage) res.write(sseData(builder.usageChunk(usage)));
    res.end(SSE_DONE);
  } else {
    const body = JSON.stringify(builder.unary(text, last?.finishReason ?? 'stop', usage));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}
